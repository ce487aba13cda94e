"""Liaison tickets are complaints work orders: filed, routed, timed, supervised and rated there."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qualitycity.complaints.models import Demand, Event
from qualitycity.complaints.services import workflow
from qualitycity.core import calendar
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core_factories

from .. import selectors
from ..models import Cadre, LiaisonTicket, Pairing, Visit
from ..services import liaison
from .factories import SYSTEM, world

pytestmark = pytest.mark.django_db
R = Role
YEAR = dt.date.today().year
TICKETS = "/governance/liaison/tickets/"


@pytest.fixture
def w():
    w = world()
    cadre = Cadre.objects.create(name="联系干部", department=w["orgs"]["dept"])
    w["pairing"] = liaison.assign(by=SYSTEM, cadre=cadre, enterprise=w["orgs"]["own"], year=YEAR)
    w["other_pairing"] = liaison.assign(by=SYSTEM, cadre=cadre, enterprise=w["orgs"]["other"], year=YEAR)
    return w


def client(user):
    c = Client()
    c.force_login(user)
    return c


def _open(w, issue="融资难，希望对接银行", pairing="pairing", department=None, at=None):
    return liaison.open_ticket(by=SYSTEM, pairing=w[pairing], issue=issue,
                               department=department or w["orgs"]["dept"], at=at)


def test_an_issue_raised_in_a_visit_becomes_one_liaison_demand_routed_to_the_chosen_department(w):
    _, (ticket,) = liaison.log_visit(by=SYSTEM, pairing=w["pairing"], visited_on=timezone.localdate(),
                                     content="走访", issues=[("用地审批慢", w["other_dept"])])
    demand = Demand.objects.get()
    assert ticket.demand == demand and ticket.number == demand.number
    assert (demand.channel, demand.demand_type, demand.category.code) == ("liaison", "help", "business")
    assert demand.lead_org == w["other_dept"] == ticket.department and demand.state == "assigned"
    assert demand.area == w["orgs"]["own"].area and demand.respondent is None
    assert "自有企业有限公司" in demand.description and "用地审批慢" in demand.description
    assert ticket.issue == "用地审批慢" and ticket.status == "open"
    # the statutory working-day limit for 求助: accept within 3 working days
    assert ticket.due_on == demand.accept_due == calendar.deadline_for(demand.received_at, 3).due_on


def test_an_issue_the_complaints_module_refuses_writes_neither_visit_ticket_nor_demand(w):
    with pytest.raises(DomainError, match="超过 4000 字上限"):
        liaison.log_visit(by=SYSTEM, pairing=w["pairing"], visited_on=timezone.localdate(), content="走访",
                          issues=[("用地审批慢", w["orgs"]["dept"]), ("长" * 4001, w["orgs"]["dept"])])
    assert not (Visit.objects.exists() or LiaisonTicket.objects.exists() or Demand.objects.exists()
                or Event.objects.exists())


def test_the_department_answers_in_the_complaints_module_and_the_enterprise_confirms_in_governance(w):
    ticket = _open(w)
    workflow.accept(by=SYSTEM, demand=ticket.demand)
    workflow.close(by=SYSTEM, demand=ticket.demand, reply="已组织银企对接会，企业获得授信")
    ticket = LiaisonTicket.objects.get(pk=ticket.pk)
    assert ticket.status == "resolved" and ticket.resolution == "已组织银企对接会，企业获得授信"
    r = client(w["users"][R.ENTERPRISE_MEMBER]).post(TICKETS, {"ticket": ticket.pk, "action": "confirm",
                                                               "satisfied": "1"})
    assert r.status_code == 302
    demand = Demand.objects.get(pk=ticket.demand_id)
    assert (demand.state, demand.rating) == ("closed", "satisfied")
    assert LiaisonTicket.objects.get(pk=ticket.pk).get_status_display() == "企业已确认"


def test_an_unsatisfied_enterprise_reopens_the_ticket_once_then_its_rating_stands(w):
    ticket = _open(w)
    liaison.resolve_ticket(by=SYSTEM, ticket=ticket, resolution="已协调")
    assert ticket.demand.accepted_at is not None  # answering accepts it first
    liaison.confirm_ticket(by=SYSTEM, ticket=ticket, satisfied=False)
    assert ticket.status == "open" and ticket.demand.reopen_count == 1 and ticket.demand.handle_due
    liaison.resolve_ticket(by=SYSTEM, ticket=ticket, resolution="再次协调")
    liaison.confirm_ticket(by=SYSTEM, ticket=ticket, satisfied=False)
    ticket = LiaisonTicket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.satisfied, ticket.demand.rating) == ("closed", False, "unsatisfied")
    with pytest.raises(DomainError, match="只有已办结的诉求才能确认"):
        liaison.confirm_ticket(by=SYSTEM, ticket=ticket, satisfied=True)
    with pytest.raises(DomainError, match="不在办理中"):
        liaison.resolve_ticket(by=SYSTEM, ticket=ticket, resolution="再次")


def test_the_dashboard_counts_issues_raised_and_resolved_and_the_resolution_time(w):
    now = timezone.now()

    def ago(days):
        return now - dt.timedelta(days=days)

    fast, slow, waiting, _ = _open(w, at=ago(30)), _open(w, at=ago(30)), _open(w, at=ago(10)), _open(w, at=ago(2))
    _open(w, pairing="other_pairing", at=ago(30))  # another enterprise's: not in this pairing's figures
    liaison.resolve_ticket(by=SYSTEM, ticket=fast, resolution="已对接银行", at=ago(26))  # 4 days
    liaison.confirm_ticket(by=SYSTEM, ticket=fast, satisfied=True, at=ago(25))
    liaison.resolve_ticket(by=SYSTEM, ticket=slow, resolution="已协调", at=ago(20))
    liaison.confirm_ticket(by=SYSTEM, ticket=slow, satisfied=False, at=ago(19))  # reopened
    liaison.resolve_ticket(by=SYSTEM, ticket=slow, resolution="再次协调", at=ago(18))  # 12 days in all
    liaison.confirm_ticket(by=SYSTEM, ticket=slow, satisfied=True, at=ago(17))
    liaison.resolve_ticket(by=SYSTEM, ticket=waiting, resolution="已协调", at=ago(8))  # awaits confirmation
    stats = selectors.liaison_dashboard(Pairing.objects.filter(pk=w["pairing"].pk))
    assert (stats["issues"], stats["resolved"], stats["closed"]) == (4, 3, 2)
    assert stats["median_days"] == 8.0 and stats["satisfied"] == 2
    # the enterprise's own dashboard holds its own tickets only
    mine = client(w["users"][R.ENTERPRISE_MEMBER]).get("/api/v1/governance/liaison/dashboard").json()
    assert (mine["pairs"], mine["issues"], mine["resolved"], mine["closed"]) == (1, 4, 3, 2)
    everyone = selectors.liaison_dashboard(Pairing.objects.all())
    assert everyone["issues"] == 5 and everyone["resolved"] == 3


def test_a_reassignment_in_the_complaints_module_moves_the_ticket_to_the_new_department(w):
    ticket = _open(w)
    market, education = w["users"][R.DEPARTMENT_OFFICER], core_factories.user(
        "edu_u", role=R.DEPARTMENT_OFFICER, org=w["other_dept"])
    assert "融资难" in client(market).get(TICKETS).content.decode()
    assert "融资难" not in client(education).get(TICKETS).content.decode()
    workflow.reassign(by=SYSTEM, demand=ticket.demand, lead=w["other_dept"], reason="属教育局职责")
    assert "融资难" not in client(market).get(TICKETS).content.decode()
    page = client(education).get(TICKETS).content.decode()
    assert "融资难" in page and "武汉市教育局" in page
    r = client(education).post(TICKETS, {"ticket": ticket.pk, "action": "resolve", "resolution": "已协调职业院校"})
    assert r.status_code == 302 and LiaisonTicket.objects.get(pk=ticket.pk).status == "resolved"


def test_staff_open_the_work_order_and_the_enterprise_follows_only_its_own_on_the_status_page(w):
    mine, theirs = _open(w, issue="自有企业的诉求"), _open(w, issue="他人企业的诉求", pairing="other_pairing")
    enterprise = client(w["users"][R.ENTERPRISE_MEMBER])
    page = enterprise.get(TICKETS).content.decode()
    assert f"/complaints/track/{mine.demand.tracking_code}/" in page and "自有企业的诉求" in page
    assert theirs.demand.tracking_code not in page and "他人企业的诉求" not in page
    assert "/complaints/d/" not in page
    assert enterprise.get(f"/complaints/d/{mine.number}/").status_code == 403  # no access to the complaints module
    pairing = enterprise.get(f"/governance/liaison/pairs/{w['pairing'].pk}/").content.decode()
    assert f"/complaints/track/{mine.demand.tracking_code}/" in pairing
    city = client(w["users"][R.CITY_OFFICE]).get(TICKETS).content.decode()
    assert f'href="/complaints/d/{mine.number}/"' in city and f'href="/complaints/d/{theirs.number}/"' in city
    detail = client(w["users"][R.DEPARTMENT_OFFICER]).get(f"/complaints/d/{mine.number}/").content.decode()
    assert "干部联系企业" in detail
