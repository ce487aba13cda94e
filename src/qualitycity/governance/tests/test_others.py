"""Service items, business start, liaison and inspections."""

import datetime as dt

import pytest
from django.utils import timezone

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core_factories

from .. import selectors
from ..models import BusinessStartCase, Cadre, Campaign, CaseStep, LiaisonTicket, Pairing, ServiceItem
from ..services import inspections, liaison, service_items
from .factories import SYSTEM, world, xlsx

pytestmark = pytest.mark.django_db
HEAD = service_items.COLUMNS


@pytest.fixture
def w():
    return world()


def test_service_items_import_and_the_three_rates_against_targets(w):
    rows = [HEAD,
            ["A1", "营业执照核准", "武汉市市场监督管理局", "是", "是", "是", 20, 5, "申请表"],
            ["A2", "计量器具检定", "武汉市市场监督管理局", "否", "是", "是", 15, 10, ""],
            ["A3", "办学许可", "武汉市教育局", "否", "否", "是", 30, 20, ""],
            ["A4", "教师资格认定", "武汉市教育局", "否", "否", "否", 30, 20, ""]]
    assert service_items.import_items(by=SYSTEM, content=xlsx(rows)) == 4
    city = service_items.rates(ServiceItem.objects.all())
    assert (city["immediate"], city["online"], city["one_visit"]) == (25.0, 50.0, 75.0)
    assert service_items.targets() == {"immediate": 50, "online": 45, "one_visit": 80}
    service_items.set_target(by=SYSTEM, key="online", percent=60)
    assert service_items.targets()["online"] == 60
    assert service_items.take_snapshot(by=SYSTEM, on=timezone.localdate()) == 3  # city + two departments


def test_a_bad_service_file_lists_rows_and_imports_nothing(w):
    rows = [HEAD, ["A1", "x", "火星局", "可能", "是", "是", 5, 10, ""]]
    with pytest.raises(ImportRejected) as exc:
        service_items.import_items(by=SYSTEM, content=xlsx(rows))
    columns = {p["column"] for p in exc.value.problems}
    assert {"实施部门", "马上办", "承诺时限"} <= columns
    assert ServiceItem.objects.count() == 0


def test_time_to_start_a_business_counts_working_days(w):
    area = w["areas"]["hongshan"]
    monday = dt.date(2025, 3, 3)
    for n, days in enumerate([(0, 1, 1), (2, 2, 1), (3, 2, 2)]):
        case = BusinessStartCase.objects.create(number=f"K{n}", enterprise_name="x", area=area, applied_on=monday)
        start = monday
        for d in days:
            end = start + dt.timedelta(days=d)
            CaseStep.objects.create(case=case, name="设立登记", started_on=start, finished_on=end)
            start = end
    stats = selectors.business_start(target_days=4.5)
    # totals: Mon→Wed 2, Mon→Fri 4, Mon→next Mon (7 calendar days) 5 working days
    assert stats["cases"] == 3 and stats["median_days"] == 4 and stats["within_target"] == pytest.approx(66.7)


def _cadres(w, n=3):
    return [Cadre.objects.create(name=f"干部{i}", department=w["orgs"]["dept"], home_area=w["areas"]["hongshan"],
                                 industry_section="C") for i in range(n)]


def test_matching_spreads_enterprises_and_prefers_the_same_district(w):
    _cadres(w, 2)
    ents = [core_factories.organization(in_area=w["areas"]["hongshan"]) for _ in range(2)]
    ents.append(core_factories.organization(in_area=w["areas"]["jiangan"]))
    assert liaison.auto_match(by=SYSTEM, year=2026, enterprises=ents, capacity=2) == 3
    loads = sorted(Pairing.objects.values_list("cadre", flat=True))
    assert len(set(loads)) == 2  # nobody holds all three
    with pytest.raises(DomainError, match="已有联系干部"):
        liaison.assign(by=SYSTEM, cadre=Cadre.objects.first(), enterprise=ents[0], year=2026)


def test_a_ticket_is_routed_resolved_and_closed_only_with_the_enterprise_confirmation(w):
    cadre = _cadres(w, 1)[0]
    pairing = liaison.assign(by=SYSTEM, cadre=cadre, enterprise=w["orgs"]["own"], year=2026)
    _, (ticket,) = liaison.log_visit(by=SYSTEM, pairing=pairing, visited_on=timezone.localdate(),
                                     content="走访", issues=[("用地审批慢", w["orgs"]["dept"])])
    assert ticket.department == w["orgs"]["dept"] and ticket.due_on > timezone.localdate()
    with pytest.raises(DomainError):
        liaison.confirm_ticket(by=SYSTEM, ticket=ticket, satisfied=True)
    liaison.resolve_ticket(by=SYSTEM, ticket=ticket, resolution="已协调")
    liaison.confirm_ticket(by=SYSTEM, ticket=ticket, satisfied=False)
    assert LiaisonTicket.objects.get(pk=ticket.pk).status == "open"
    liaison.resolve_ticket(by=SYSTEM, ticket=ticket, resolution="再次协调")
    liaison.confirm_ticket(by=Actor(label="ent"), ticket=ticket, satisfied=True)
    assert LiaisonTicket.objects.get(pk=ticket.pk).status == "closed"
    liaison.rate(by=SYSTEM, pairing=pairing, year=2026, score=5)
    stats = selectors.liaison_dashboard(Pairing.objects.all())
    assert stats["coverage"] == 100.0 and stats["closed"] == 1 and stats["rating_avg"] == 5


def test_inspection_findings_are_classified_disposed_and_closed(w):
    campaign = Campaign.objects.create(name="巡查", year=2026)
    team = inspections.create_team(by=SYSTEM, campaign=campaign, name="一组", leader="甲",
                                   districts=[w["areas"]["hongshan"]], departments=[w["orgs"]["dept"]])
    with pytest.raises(DomainError, match="巡查范围"):
        inspections.add_entry(by=SYSTEM, team=team, register="sme", title="x", area=w["areas"]["jiangan"])
    inspections.add_entry(by=SYSTEM, team=team, register="project", title="新建厂房", area=w["areas"]["hongshan"])
    with pytest.raises(DomainError) as exc:
        inspections.record_finding(by=SYSTEM, team=team, category="bogus", description="", area=w["areas"]["hongshan"],
                                   department=w["orgs"]["dept"], disposal="rectify")
    assert set(exc.value.errors) == {"category", "description"}
    finding = inspections.record_finding(by=SYSTEM, team=team, category="charges", description="收取不合理费用",
                                         area=w["areas"]["hongshan"], department=w["orgs"]["dept"], disposal="rectify")
    inspections.close_finding(by=SYSTEM, finding=finding, outcome="已退费")
    summary = selectors.inspection_summary(type(finding).objects.all())
    assert summary["closed"] == 1 and summary["by_category"][0]["label"] == "乱收费"


def test_a_ticket_cannot_be_routed_to_an_enterprise(w):
    cadre = _cadres(w, 1)[0]
    pairing = liaison.assign(by=SYSTEM, cadre=cadre, enterprise=w["orgs"]["own"], year=2026)
    with pytest.raises(DomainError):
        liaison.open_ticket(by=SYSTEM, pairing=pairing, issue="x", department=Organization.objects.filter(
            kind=OrgKind.ENTERPRISE).first())
