"""The provider's "我的服务" pages and API: their own services only, bad input writes nothing."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from ..models import Service, ServiceItem, ServiceStatus
from . import factories as f

pytestmark = pytest.mark.django_db

FORM = {"category": "testing", "title": "人造板含水率检测", "turnaround_days": "4", "price": "300", "price_rule": "",
        "service_standard": "RB/T 214-2017", "materials": "样品 1 块", "accreditation_ref": "",
        "item_product": ["人造板", ""], "item_name": ["含水率", ""], "item_method": ["GB/T 17657-2022", ""]}


@pytest.fixture
def w():
    w = f.world()
    w["rival"] = f.lab("别家检测所")
    w["rival_user"] = core.user("rival_u", role=Role.PROVIDER_STAFF, org=w["rival"])
    return w


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def own_service(w):
    return Service.objects.get(provider=w["orgs"]["lab"])


def test_my_services_lists_only_the_labs_own_entries(w):
    page = client(w["users"][Role.PROVIDER_STAFF]).get("/inspection/my/services/").content.decode()
    assert own_service(w).number in page
    assert Service.objects.get(provider=w["rival"]).number not in page
    city = client(w["users"][Role.CITY_OFFICE]).get("/inspection/my/services/").content.decode()
    assert own_service(w).number in city and Service.objects.get(provider=w["rival"]).number in city


def test_a_lab_saves_a_draft_through_the_form_then_publishes_and_withdraws_it(w):
    lab = client(w["users"][Role.PROVIDER_STAFF])
    assert lab.get("/inspection/my/services/new/").status_code == 200
    r = lab.post("/inspection/my/services/new/", {**FORM, "publish": "0"})
    assert r.status_code == 302
    service = Service.objects.get(title="人造板含水率检测")
    assert service.provider == w["orgs"]["lab"] and service.status == ServiceStatus.DRAFT
    assert list(service.items.values_list("item", flat=True)) == ["含水率"]
    lab.post(f"/inspection/my/services/{service.number}/publish/")
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.PUBLISHED
    assert client().get(f"/inspection/services/{service.number}/").status_code == 200
    lab.post(f"/inspection/my/services/{service.number}/withdraw/", {"reason": "暂停接单"})
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.WITHDRAWN
    assert client().get(f"/inspection/services/{service.number}/").status_code == 404  # no longer public
    assert lab.get(f"/inspection/services/{service.number}/").status_code == 200  # the owner still sees it


def test_the_form_shows_errors_and_writes_nothing_on_bad_input(w):
    lab = client(w["users"][Role.PROVIDER_STAFF])
    before = (Service.objects.count(), ServiceItem.objects.count())
    r = lab.post("/inspection/my/services/new/", {**FORM, "price": "abc", "turnaround_days": "0", "publish": "0"})
    page = r.content.decode()
    assert r.status_code == 200 and "价格应为不小于 0 的金额" in page and "承诺时限应为 1 到 365 个工作日" in page
    assert 'value="人造板含水率检测"' in page  # what was typed is kept
    outside = lab.post("/inspection/my/services/new/", {**FORM, "item_name": ["苯", ""], "publish": "1"})
    assert "苯" in outside.content.decode() and "能力范围" in outside.content.decode()
    assert (Service.objects.count(), ServiceItem.objects.count()) == before


def test_publishing_a_draft_without_price_says_why(w):
    lab = client(w["users"][Role.PROVIDER_STAFF])
    lab.post("/inspection/my/services/new/", {**FORM, "price": "", "publish": "0"})
    service = Service.objects.get(title="人造板含水率检测")
    edit = lab.get(f"/inspection/my/services/{service.number}/edit/").content.decode()
    assert "发布前请填写价格或计价规则" in edit
    r = lab.post(f"/inspection/my/services/{service.number}/publish/", follow=True)
    assert "发布前请填写价格或计价规则" in r.content.decode()
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.DRAFT


def test_another_labs_staff_cannot_see_edit_publish_or_withdraw_the_service(w):
    service = own_service(w)
    rival = client(w["rival_user"])
    assert rival.get(f"/inspection/my/services/{service.number}/edit/").status_code == 404
    assert rival.post(f"/inspection/my/services/{service.number}/edit/", {**FORM, "title": "抢来的"}).status_code == 404
    assert rival.post(f"/inspection/my/services/{service.number}/withdraw/").status_code == 404
    service.refresh_from_db()
    assert (service.title, service.status) == ("人造板甲醛检测", ServiceStatus.PUBLISHED)
    enterprise = client(w["users"][Role.ENTERPRISE_MEMBER])
    assert enterprise.get("/inspection/my/services/").status_code == 403
    assert enterprise.post(f"/inspection/my/services/{service.number}/withdraw/").status_code == 403


def test_a_draft_is_not_public(w):
    lab = client(w["users"][Role.PROVIDER_STAFF])
    lab.post("/inspection/my/services/new/", {**FORM, "publish": "0"})
    number = Service.objects.get(title="人造板含水率检测").number
    assert client().get(f"/inspection/services/{number}/").status_code == 404
    assert client(w["rival_user"]).get(f"/inspection/services/{number}/").status_code == 404
    assert lab.get(f"/inspection/services/{number}/").status_code == 200


# ---- API -------------------------------------------------------------------------------

BODY = {"category": "testing", "title": "人造板含水率检测", "turnaround_days": 4, "price": 300,
        "items": [{"product": "人造板", "item": "含水率", "method_no": "GB/T 17657-2022"}]}


def test_the_api_creates_updates_publishes_and_withdraws(w):
    api = client(w["users"][Role.PROVIDER_STAFF])
    created = api.post("/api/v1/inspection/services", BODY, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["status"], data["price"], data["provider"]) == ("draft", "300.00", w["orgs"]["lab"].name)
    number = data["number"]
    updated = api.put(f"/api/v1/inspection/services/{number}", {**BODY, "turnaround_days": 6, "price": "320.50"},
                      content_type="application/json")
    assert updated.status_code == 200 and updated.json()["turnaround_days"] == 6
    assert api.post(f"/api/v1/inspection/services/{number}/publish").json()["status"] == "published"
    withdrawn = api.post(f"/api/v1/inspection/services/{number}/withdraw", {"reason": "设备检修"},
                         content_type="application/json").json()
    assert (withdrawn["status"], withdrawn["status_reason"]) == ("withdrawn", "设备检修")
    listed = api.get("/api/v1/inspection/services?status=withdrawn").json()
    assert [s["number"] for s in listed["results"]] == [number]


def test_the_api_refuses_bad_input_with_the_field_and_writes_nothing(w):
    api = client(w["users"][Role.PROVIDER_STAFF])
    before = (Service.objects.count(), ServiceItem.objects.count())
    bad = api.post("/api/v1/inspection/services", {**BODY, "price": "-1"}, content_type="application/json")
    assert bad.status_code == 400 and "price" in bad.json()["errors"]
    outside = api.post("/api/v1/inspection/services", {**BODY, "publish": True, "items": [{"item": "苯"}]},
                       content_type="application/json")
    assert outside.status_code == 400 and "苯" in outside.json()["detail"]
    assert (Service.objects.count(), ServiceItem.objects.count()) == before
    service = own_service(w)
    refused = api.put(f"/api/v1/inspection/services/{service.number}", {**BODY, "items": [{"item": "苯"}]},
                      content_type="application/json")
    assert refused.status_code == 400
    assert list(service.items.values_list("item", flat=True)) == ["甲醛释放量", "含水率"]


def test_the_api_keeps_other_labs_out(w):
    service = own_service(w)
    rival = client(w["rival_user"])
    assert rival.put(f"/api/v1/inspection/services/{service.number}", BODY,
                     content_type="application/json").status_code == 404
    assert rival.post(f"/api/v1/inspection/services/{service.number}/withdraw",
                      content_type="application/json").status_code == 404  # a body is optional
    assert rival.post(f"/api/v1/inspection/services/{service.number}/publish").status_code == 404
    before = Service.objects.count()
    foreign = rival.post("/api/v1/inspection/services", {**BODY, "provider_id": w["orgs"]["lab"].pk},
                         content_type="application/json")
    assert foreign.status_code == 403 and Service.objects.count() == before
    assert service.number not in {s["number"] for s in rival.get("/api/v1/inspection/services").json()["results"]}
    assert client(w["users"][Role.ENTERPRISE_MEMBER]).post(
        "/api/v1/inspection/services", BODY, content_type="application/json").status_code == 403
    assert Service.objects.get(pk=service.pk).status == ServiceStatus.PUBLISHED


def test_the_city_office_names_the_provider_and_a_retry_creates_one_service(w):
    city = client(w["users"][Role.CITY_OFFICE])
    missing = city.post("/api/v1/inspection/services", BODY, content_type="application/json")
    assert missing.status_code == 400 and "provider_id" in missing.json()["errors"]
    body = {**BODY, "provider_id": w["orgs"]["lab"].pk}
    a = city.post("/api/v1/inspection/services", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s-1")
    b = city.post("/api/v1/inspection/services", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert a.status_code == b.status_code == 201 and a.json()["number"] == b.json()["number"]
    assert Service.objects.filter(title="人造板含水率检测").count() == 1
