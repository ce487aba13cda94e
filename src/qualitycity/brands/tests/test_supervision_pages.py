import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from ..models import Application, EvaluationStandard, SamplingDraw, SurveillanceEvent, Violation
from .factories import certified, inspected, standard

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return core.role_users()


def client_of(world, role):
    client = Client()
    client.force_login(world["users"][role])
    return client


def test_the_check_page_shows_the_brand_strength_and_says_it_is_not_a_money_value():
    cert = certified(core.organization(), today=TODAY - dt.timedelta(days=30))
    page = Client().get(f"/brands/c/{cert.number}/").content.decode()
    assert "品牌强度指数" in page and "不是品牌的货币价值评估" in page and "证后监督合格率" in page
    standards = Client().get("/brands/standards/").content.decode()
    assert cert.application.standard.code in standards and "100 × Σ(权重 × 因素得分)" in standards


def test_the_city_office_maintains_standards_weights_and_violations_on_one_page(world):
    office = client_of(world, Role.CITY_OFFICE)
    office.post("/brands/settings/standards/", {"code": "WHMP/T 009-2026", "name": "评价规范 家具", "product_category": "家具"})
    std = EvaluationStandard.objects.get(code="WHMP/T 009-2026")
    office.post(f"/brands/settings/standards/{std.pk}/", {"action": "requirement", "dimension": "quality",
                                                         "text": "甲醛释放量优于国标", "max_score": "10", "pass_score": "7"})
    assert std.requirements.get().pass_score == 7
    bad = office.post(f"/brands/settings/standards/{std.pk}/", {"action": "requirement", "dimension": "quality",
                                                               "text": "x", "max_score": "10", "pass_score": "11"},
                      follow=True).content.decode()
    assert "合格分应在 0 与满分之间" in bad and std.requirements.count() == 1
    office.post("/brands/settings/strength/", {"weight-certified_products": "0.1", "weight-years_certified": "0.2",
                                               "weight-surveillance_pass_rate": "0.3", "weight-clean_record": "0.4"})
    assert "0.4" in Client().get("/brands/standards/").content.decode()
    firm = world["orgs"]["own"]
    office.post("/brands/settings/violations/", {"credit_code": firm.credit_code, "kind": "enforcement",
                                                 "occurred_on": str(TODAY), "description": "生产销售不合格产品被处罚",
                                                 "serious": "1"})
    assert Violation.objects.get().enterprise == firm
    for role in (Role.DEPARTMENT_OFFICER, Role.PROVIDER_STAFF, Role.ENTERPRISE_MEMBER):
        assert client_of(world, role).get("/brands/settings/").status_code == 403


def test_supervision_records_a_sample_citing_an_inspection_order_and_draws_at_random(world):
    cert = certified(world["orgs"]["own"], today=TODAY - dt.timedelta(days=400))
    order = inspected(world["orgs"]["own"], passed=False)
    office = client_of(world, Role.CITY_OFFICE)
    page = office.get("/brands/supervision/").content.decode()
    assert 'name="inspection_report"' in page and "已逾期" in page
    refused = office.post(f"/brands/supervision/{cert.number}/", {"action": "surveillance", "kind": "sampling",
                                                                  "held_on": str(TODAY), "passed": "0",
                                                                  "inspection_report": "JY000"}, follow=True)
    assert "没有编号为" in refused.content.decode() and not SurveillanceEvent.objects.exists()
    office.post(f"/brands/supervision/{cert.number}/", {"action": "surveillance", "kind": "sampling",
                                                        "held_on": str(TODAY), "passed": "0",
                                                        "inspection_report": order.number, "notes": "绝缘电阻不合格"})
    assert SurveillanceEvent.objects.get().inspection_report == order.number
    certified(core.organization(), today=TODAY - dt.timedelta(days=5))
    office.post("/brands/supervision/draw/", {"size": "1", "seed": "7"})
    assert SamplingDraw.objects.get().seed == 7
    assert client_of(world, Role.PROVIDER_STAFF).post("/brands/supervision/draw/", {"size": "1"}).status_code == 403


def test_an_enterprise_starts_a_renewal_from_its_applications_page(world):
    cert = certified(world["orgs"]["own"], today=TODAY - dt.timedelta(days=1000))
    member = client_of(world, Role.ENTERPRISE_MEMBER)
    assert cert.number in member.get("/brands/applications/").content.decode()
    response = member.post(f"/brands/certificates/{cert.number}/renew/")
    renewal = Application.objects.get(renews=cert)
    assert response.status_code == 302 and renewal.number in response["Location"]
    other = certified(world["orgs"]["other"], today=TODAY - dt.timedelta(days=1000), std=standard())
    assert member.post(f"/brands/certificates/{other.number}/renew/").status_code == 404


def test_a_blocked_enterprise_is_told_why_before_it_fills_in_the_form(world):
    order = inspected(world["orgs"]["own"], passed=False, item="泄漏电流")
    page = client_of(world, Role.ENTERPRISE_MEMBER).get("/brands/applications/").content.decode()
    assert 'id="blocked"' in page and order.number in page and "泄漏电流" in page
