"""Recommendations: every input the issue names (industry, size, stage, district and park,
products, past orders, failed inspections, complaints, consultations) yields its own reason,
services come from the service catalogue and standards from the standards library."""

import datetime as dt
from urllib.parse import unquote

import pytest
from django.utils import timezone

from qualitycity.core.models import Organization, OrgKind, Role
from qualitycity.core.tests import factories as core

from .. import recommendations as rec
from ..models import Case
from . import factories as f

pytestmark = pytest.mark.django_db
MAY = timezone.make_aware(dt.datetime(2026, 5, 6, 10))


@pytest.fixture
def w():
    from qualitycity.inspection.models import Service, ServiceItem
    from qualitycity.standards.models import Standard

    w = f.world()
    lab = w["orgs"]["lab"]  # in 洪山区, like the enterprise
    service = Service.objects.create(number="FW0001", provider=lab, category="testing", title="电线电缆质量检测",
                                     turnaround_days=5, status="published", published_at=MAY)
    ServiceItem.objects.create(service=service, product="电线电缆", item="导体电阻", method_no="GB/T 3956-2008")
    Standard.objects.create(number="GB/T 3956-2008", base_number="GB/T 3956", kind="national", prefix="GB/T",
                            sequence="3956", year="2008", title_zh="电缆的导体", status="current")
    w["service"] = service
    return w


def _order(w, number, *, product="电线电缆", failed_items=(), at=MAY, service=None, lab=None):
    from qualitycity.inspection.models import InspectionResult, Order, OrderItem

    own = w["orgs"]["own"]
    order = Order.objects.create(number=number, enterprise=own, lab=lab or w["orgs"]["lab"], service=service,
                                 product_name=f"{product}样品", product_category=product, state="issued", created_at=at)
    for item in failed_items:
        row = OrderItem.objects.create(order=order, item=item, passed=False)
        InspectionResult.objects.create(order_item=row, product_category=product, enterprise=own, district=own.area,
                                        industry_code="38", tested_on=at.date(), item=item, order_number=number)
    return order


def _recs(enterprise):
    return {r.item.key: r for recs in rec.for_enterprise(enterprise, per_kind=10).values() for r in recs}


def test_failed_inspections_name_the_product_the_year_and_the_batches(w):
    from qualitycity.core.models import Industry
    from qualitycity.training.tests.factories import course

    cable, food = course("KC0001"), course("KC0002")
    cable.industries.add(Industry.objects.get(code="38"))
    food.industries.add(Industry.objects.get(code="14"))
    other_lab = core.organization(OrgKind.TESTING_LAB, name="另一检测所", industry=None)
    _order(w, "JY202605060001", failed_items=["导体电阻"], lab=other_lab)
    _order(w, "JY202605060002", failed_items=["导体电阻", "绝缘电阻"], lab=other_lab)
    recs = _recs(w["orgs"]["own"])
    reason = "因为贵企业生产电线电缆（C38 电气机械和器材制造业），2026 年有 2 批次样品不合格（导体电阻 2、绝缘电阻）"
    assert reason in recs["service:FW0001"].reasons
    assert reason in recs["standard:GB/T 3956"].reasons
    # the generic problem signal reaches the problem-solving programme too
    assert reason in recs["programme:root-cause"].reasons
    # and the course of the firm's own industry, never another industry's product course
    assert reason in recs[f"course:{cable.pk}"].reasons
    assert f"course:{food.pk}" not in recs or reason not in recs[f"course:{food.pk}"].reasons


def test_failures_a_year_apart_are_counted_in_the_latest_year(w):
    other_lab = core.organization(OrgKind.TESTING_LAB, name="另一检测所", industry=None)
    _order(w, "JY202505060001", failed_items=["导体电阻"], at=MAY - dt.timedelta(days=365), lab=other_lab)
    _order(w, "JY202605060001", failed_items=["导体电阻"], lab=other_lab)
    reasons = _recs(w["orgs"]["own"])["service:FW0001"].reasons
    assert any("2026 年有 1 批次样品不合格" in r for r in reasons)


def test_services_come_from_the_catalogue_and_standards_from_the_library_with_links(w):
    from qualitycity.inspection.models import Service

    Service.objects.create(number="FW0009", provider=w["orgs"]["lab"], category="testing", title="未发布的检测",
                           turnaround_days=5, status="draft")
    _order(w, "JY202605060001", failed_items=["导体电阻"], lab=core.organization(OrgKind.TESTING_LAB, industry=None))
    recs = _recs(w["orgs"]["own"])
    assert "service:FW0009" not in recs  # drafts are not on offer
    assert recs["service:FW0001"].item.url == "/inspection/services/FW0001/"
    standard = recs["standard:GB/T 3956"].item
    assert standard.title == "GB/T 3956-2008 电缆的导体" and unquote(standard.url) == "/standards/s/GB/T 3956-2008"
    # a number nobody wrote into the library is not recommended as a bare number
    f.ask(w, standards="GB/T 9999.9-2001")
    assert not any(k.startswith("standard:GB/T 9999") for k in _recs(w["orgs"]["own"]))


def test_past_orders_name_the_product_tested(w):
    _order(w, "JY202605060001", lab=core.organization(OrgKind.TESTING_LAB, industry=None))
    reasons = _recs(w["orgs"]["own"])["standard:GB/T 3956"].reasons
    assert "贵企业委托检验过电线电缆（1 次）" in reasons


def test_the_service_already_ordered_is_not_recommended_again(w):
    _order(w, "JY202605060001", service=w["service"])
    assert "service:FW0001" not in _recs(w["orgs"]["own"])


def test_complaints_against_the_enterprise_are_a_reason(w):
    from qualitycity.complaints import reference
    from qualitycity.complaints.models import Category, Demand

    reference.ensure()
    category = Category.objects.get(code="food")
    own = w["orgs"]["own"]
    for n, (kind, state) in enumerate([("complaint", "handling"), ("report", "closed"), ("complaint", "merged"),
                                       ("suggestion", "closed")]):
        Demand.objects.create(number=f"SQ2026050600{n}", tracking_code=f"T{n}", channel="web", demand_type=kind,
                              category=category, title="投诉", description="质量问题", area=own.area, respondent=own,
                              received_at=MAY, state=state)
    reasons = _recs(own)["programme:sme"].reasons
    # the merged duplicate and the suggestion are not complaints against it
    assert f"因为 2026 年有 2 件针对贵企业的投诉举报（{category.name} 2）" in reasons


def test_a_product_named_in_a_consultation_is_a_reason(w):
    f.ask(w, product="BV 电线电缆 2.5mm²")
    reasons = _recs(w["orgs"]["own"])["service:FW0001"].reasons
    assert "与贵企业问诊中提到的产品“电线电缆”相关" in reasons


def test_district_park_size_and_stage_are_reasons(w):
    own = w["orgs"]["own"]
    park = core.organization(OrgKind.PARK, name="光谷电子信息产业园", in_area=own.area, industry=None)
    Organization.objects.filter(pk=own.pk).update(park=park, growth_stage="startup", size_class="small")
    own.refresh_from_db()
    recs = _recs(own)
    assert "贵企业所在的洪山区就有提供" in recs["service:FW0001"].reasons
    assert "贵企业位于光谷电子信息产业园，园区质量服务站就近提供" in recs["programme:park"].reasons
    assert {"面向小型企业", "适合初创期企业"} <= set(recs["programme:startup"].reasons)


def test_consultation_topics_and_the_industry_bring_the_expert(w):
    f.ask(w)
    Case.objects.update(expert=None)  # the expert who took the case would count as used
    recs = _recs(w["orgs"]["own"])
    expert = recs[f"expert:{w['expert'].pk}"]
    assert any("电气机械和器材制造业（38）" in r for r in expert.reasons)
    assert any("检验检测" in r and "问诊" in r for r in expert.reasons)


def test_the_profile_before_a_moment_knows_nothing_that_happened_after_it(w):
    from qualitycity.training.models import Enrollment
    from qualitycity.training.tests.factories import course

    other_lab = core.organization(OrgKind.TESTING_LAB, industry=None)
    case = f.ask(w)
    Case.objects.filter(pk=case.pk).update(created_at=MAY - dt.timedelta(days=30))
    _order(w, "JY202605060001", failed_items=["导体电阻"], lab=other_lab)  # on MAY
    c = course()
    Enrollment.objects.create(course=c, user=w["users"][Role.ENTERPRISE_MEMBER], organization=w["orgs"]["own"],
                              enrolled_at=MAY + dt.timedelta(days=1))
    before = rec.profile_for(w["orgs"]["own"], before=MAY)
    assert f"expert:{w['expert'].pk}" in before.used and f"course:{c.pk}" not in before.used
    assert not any(k.startswith("failed") for k in before.signals)
    after = rec.profile_for(w["orgs"]["own"], before=MAY + dt.timedelta(days=2))
    assert f"course:{c.pk}" in after.used and "failed:电线电缆" in after.signals


def test_histories_count_orders_as_services_once_in_time_order(w):
    from qualitycity.training.models import Enrollment
    from qualitycity.training.tests.factories import course

    _order(w, "JY202605060001", service=w["service"], at=MAY)
    _order(w, "JY202605070001", at=MAY + dt.timedelta(days=1))  # imported without a service: the lab's offer
    c = course()
    Enrollment.objects.create(course=c, user=w["users"][Role.ENTERPRISE_MEMBER], organization=w["orgs"]["own"],
                              enrolled_at=MAY + dt.timedelta(days=2))
    history = rec.all_histories()[w["orgs"]["own"].pk]
    assert [k for _, k in history] == ["service:FW0001", f"course:{c.pk}"]
