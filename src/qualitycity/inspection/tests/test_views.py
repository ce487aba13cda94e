import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core
from qualitycity.core.tests.authz import ROLES_AND_ANONYMOUS, assert_matrix, client_for

from ..models import Order
from . import factories as f

pytestmark = pytest.mark.django_db

EVERY = set(Role)
STAFF = {Role.CITY_OFFICE, Role.SYSTEM_ADMIN}
PAGES = {
    "/inspection/": EVERY | {"anonymous"},
    "/verify/": EVERY | {"anonymous"},
    "/inspection/orders/": STAFF | {Role.ENTERPRISE_MEMBER, Role.PROVIDER_STAFF, Role.DISTRICT_OFFICER,
                                    Role.DEPARTMENT_OFFICER},
    "/inspection/orders/new/": {Role.ENTERPRISE_MEMBER},
    "/inspection/lab/": STAFF | {Role.PROVIDER_STAFF},
    "/inspection/my/services/": STAFF | {Role.PROVIDER_STAFF},
    "/inspection/my/services/new/": STAFF | {Role.PROVIDER_STAFF},
    "/inspection/stats/": STAFF | {Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER},
    "/inspection/instruments/": STAFF | {Role.ENTERPRISE_MEMBER},
    "/inspection/instruments/regulator/": STAFF | {Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER},
}
API = {
    "/api/v1/inspection/orders": STAFF | {Role.PROVIDER_STAFF},
    "/api/v1/inspection/services": STAFF | {Role.PROVIDER_STAFF},
}


@pytest.fixture
def w():
    return f.world()


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_every_role_against_every_page(w, role):
    c = client_for(w, role)
    assert_matrix(c, role, PAGES, api=False)
    assert_matrix(c, role, API, api=True)


def test_out_of_scope_orders_are_never_shown(w):
    mine = f.order_in("requested", w)
    other_ent = w["orgs"]["other"]
    theirs = Order.objects.create(number="JY209901010001", enterprise=other_ent, lab=w["orgs"]["lab"],
                                  product_name="别人的产品")
    outsider = Client()
    outsider.force_login(w["outsider"])
    assert outsider.get(f"/inspection/orders/{mine.number}/").status_code == 404
    district = client_for(w, Role.DISTRICT_OFFICER)  # 洪山区: sees own, not the 江岸区 firm's order
    page = district.get("/inspection/orders/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert district.get(f"/inspection/orders/{theirs.number}/").status_code == 404
    stats = district.get("/inspection/stats/").content.decode()
    assert "江岸区" not in stats.split("按区")[1].split("按行业")[0]


def test_the_enterprise_orders_in_two_clicks_and_the_lab_accepts(w):
    ent = client_for(w, Role.ENTERPRISE_MEMBER)
    step1 = ent.post("/inspection/orders/new/", {"product_name": "刨花板", "item": ["甲醛释放量", "含水率"]})
    assert "一键确认首选机构" in step1.content.decode() and "资质认定范围覆盖全部 2 个检测项目" in step1.content.decode()
    done = ent.post("/inspection/orders/new/", {"product_name": "刨花板", "item": ["甲醛释放量", "含水率"],
                                                "confirm": "1", "lab": ""})
    order = Order.objects.get()
    assert done.status_code == 302 and order.lab == w["orgs"]["lab"]
    # the enterprise cannot act for the lab
    ent.post(f"/inspection/orders/{order.number}/action/", {"action": "accept", "quote": "1"})
    assert Order.objects.get().state == "requested"
    lab = client_for(w, Role.PROVIDER_STAFF)
    r = lab.post(f"/inspection/orders/{order.number}/action/", {"action": "accept", "quote": "abc"}, follow=True)
    assert "请填写有效的报价" in r.content.decode() and Order.objects.get().state == "requested"
    lab.post(f"/inspection/orders/{order.number}/action/", {"action": "accept", "quote": "800"})
    detail = ent.get(f"/inspection/orders/{order.number}/").content.decode()
    assert "已受理" in detail and "受理并报价" in detail  # state and timeline


def test_verify_page_by_number_and_upload(w):
    report = f.order_in("issued", w).reports.get()
    c = Client()
    assert "真实有效" in c.get(f"/verify/{report.number}/").content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = c.post("/verify/", {"file": SimpleUploadedFile("x.pdf", b"GIF89a")}).content.decode()
    assert "不是 PDF" in page
    download = client_for(w, Role.ENTERPRISE_MEMBER).get(f"/inspection/reports/{report.number}.pdf")
    assert download.status_code == 200 and download.content == bytes(report.pdf)
    stranger = Client()
    stranger.force_login(core.user("nobody_u"))
    assert stranger.get(f"/inspection/reports/{report.number}.pdf").status_code == 403
