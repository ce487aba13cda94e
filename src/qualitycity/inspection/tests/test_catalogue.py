"""Providers manage their own catalogue entries through the services: create, edit,
publish (with the accreditation and price checks), withdraw."""

import datetime as dt

import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent, OrgKind, Role
from qualitycity.core.tests import factories as core

from ..models import Category, Service, ServiceItem, ServiceStatus
from ..services import catalogue
from . import factories as f

pytestmark = pytest.mark.django_db

FORMALDEHYDE = [{"product": "人造板", "item": "甲醛释放量", "method_no": "GB/T 17657-2022"}]


@pytest.fixture
def w():
    return f.world()


def lab_actor(w):
    return f.actor(w["users"][Role.PROVIDER_STAFF])


def draft(w, **fields):
    data = {"category": Category.TESTING, "title": "人造板甲醛加急检测", "turnaround_days": 2, "items": FORMALDEHYDE,
            "price": "1200", "publish": False, **fields}
    return catalogue.create_service(by=lab_actor(w), provider=w["orgs"]["lab"], **data)


def test_a_lab_drafts_edits_publishes_and_withdraws_its_own_service(w):
    service = draft(w, price=None, price_rule="")
    assert service.status == ServiceStatus.DRAFT and service.accreditation_ref == w["orgs"]["lab"].cma_number
    assert service not in catalogue.search("甲醛")  # drafts are not in the public catalogue
    catalogue.update_service(by=lab_actor(w), service=service, category=Category.TESTING, title="人造板甲醛释放量加急检测",
                             turnaround_days=3, items=FORMALDEHYDE, price="1250.50", materials="样品 2 块")
    catalogue.publish_service(by=lab_actor(w), service=service)
    service.refresh_from_db()
    assert (service.status, service.price, service.turnaround_days) == (ServiceStatus.PUBLISHED, 1250.5, 3)
    assert service in catalogue.search("加急")
    catalogue.withdraw_service(by=lab_actor(w), service=service, reason="设备检修")
    service.refresh_from_db()
    assert (service.status, service.status_reason) == (ServiceStatus.WITHDRAWN, "设备检修")
    assert service not in catalogue.search("加急")
    catalogue.publish_service(by=lab_actor(w), service=service)  # back once the lab is ready
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.PUBLISHED
    actions = list(AuditEvent.objects.filter(object_id=str(service.pk), action__startswith="inspection.service.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["inspection.service.create", "inspection.service.update", "inspection.service.publish",
                       "inspection.service.withdraw", "inspection.service.publish"]


def test_publishing_needs_a_price_and_items_inside_the_valid_scope(w):
    no_price = draft(w, price=None, price_rule="")
    with pytest.raises(DomainError, match="价格或计价规则") as exc:
        catalogue.publish_service(by=lab_actor(w), service=no_price)
    assert "price" in exc.value.errors
    outside = draft(w, items=[{"item": "苯", "method_no": "GB 18583-2008"}])
    with pytest.raises(DomainError, match="苯"):
        catalogue.publish_service(by=lab_actor(w), service=outside)
    assert set(Service.objects.filter(pk__in=[no_price.pk, outside.pk]).values_list("status", flat=True)) == {"draft"}
    with pytest.raises(DomainError, match="已经发布"):
        catalogue.publish_service(by=lab_actor(w), service=draft(w, publish=True))


def test_a_lapsed_cma_certificate_blocks_testing_and_metrology_services(w):
    institute = core.organization(OrgKind.METROLOGY_INSTITUTE, name="计量测试所", industry=None, cma_number="241700000009",
                                  cma_valid_until=dt.date.today() - dt.timedelta(days=1))
    catalogue.add_scope(by=lab_actor(w), lab=institute, item="电子秤检定", method_no="JJG 1036-2022")
    service = catalogue.create_service(by=lab_actor(w), provider=institute, category=Category.METROLOGY,
                                       title="电子秤检定", turnaround_days=3, price_rule="逐台计价",
                                       items=[{"item": "电子秤检定", "method_no": "JJG 1036-2022"}], publish=False)
    with pytest.raises(DomainError, match="没有有效的资质认定"):
        catalogue.publish_service(by=lab_actor(w), service=service)
    institute.cma_valid_until = dt.date.today() + dt.timedelta(days=30)
    institute.save()
    assert catalogue.publish_service(by=lab_actor(w), service=service).status == ServiceStatus.PUBLISHED


def test_a_certification_service_needs_the_approval_number(w):
    body = core.organization(OrgKind.CERTIFICATION_BODY, name="测试认证有限公司", industry=None)
    service = catalogue.create_service(by=lab_actor(w), provider=body, category=Category.CERTIFICATION,
                                       title="质量管理体系认证", turnaround_days=20, items=[], price_rule="按人日计价",
                                       publish=False)
    with pytest.raises(DomainError, match="批准书"):
        catalogue.publish_service(by=lab_actor(w), service=service)
    catalogue.update_service(by=lab_actor(w), service=service, category=Category.CERTIFICATION, title="质量管理体系认证",
                             turnaround_days=20, items=[], price_rule="按人日计价", accreditation_ref="CNCA-R-2003-101")
    assert catalogue.publish_service(by=lab_actor(w), service=service).status == ServiceStatus.PUBLISHED


@pytest.mark.parametrize("fields, field", [
    ({"title": "  "}, "title"),
    ({"turnaround_days": 0}, "turnaround_days"),
    ({"turnaround_days": "三天"}, "turnaround_days"),
    ({"price": "-5"}, "price"),
    ({"price": "12.345"}, "price"),
    ({"price": "abc"}, "price"),
    ({"category": "cooking"}, "category"),
    ({"items": []}, "items"),
    ({"items": [{"product": "人造板", "item": "", "method_no": "GB/T 17657-2022"}]}, "items"),
    ({"title": "很长" * 70}, "title"),
])
def test_bad_input_names_the_field_and_writes_nothing(w, fields, field):
    services, items, events = Service.objects.count(), ServiceItem.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        draft(w, **fields)
    assert field in exc.value.errors
    assert (Service.objects.count(), ServiceItem.objects.count(), AuditEvent.objects.count()) == (services, items, events)


def test_an_enterprise_cannot_offer_services(w):
    with pytest.raises(DomainError, match="服务机构"):
        catalogue.create_service(by=lab_actor(w), provider=w["orgs"]["own"], category=Category.STANDARDS, title="咨询",
                                 turnaround_days=5, items=[], price=100)


def test_an_edit_that_takes_a_published_service_out_of_scope_is_refused_whole(w):
    service = draft(w, publish=True)
    with pytest.raises(DomainError, match="苯"):
        catalogue.update_service(by=lab_actor(w), service=service, category=Category.TESTING, title="改名",
                                 turnaround_days=1, items=FORMALDEHYDE + [{"item": "苯", "method_no": "GB 18583"}],
                                 price="1")
    service.refresh_from_db()
    assert (service.title, service.turnaround_days, service.status) == ("人造板甲醛加急检测", 2, ServiceStatus.PUBLISHED)
    assert list(service.items.values_list("item", flat=True)) == ["甲醛释放量"]


def test_only_a_published_or_suspended_service_can_be_withdrawn(w):
    service = draft(w)
    with pytest.raises(DomainError, match="只有已发布或已暂停"):
        catalogue.withdraw_service(by=lab_actor(w), service=service)
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DRAFT
