import json
import re

import pytest
from django.core import mail
from django.test import Client

from qualitycity.core.models import Notification, Role
from qualitycity.core.services.notifications import notify

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return factories.role_users()


def test_health_endpoints():
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


HOME_MARKERS = {
    Role.CITY_OFFICE: "各区企业数量",
    Role.SYSTEM_ADMIN: "各区企业数量",
    Role.DISTRICT_OFFICER: "区级工作台",
    Role.DEPARTMENT_OFFICER: "成员单位工作台",
    Role.ENTERPRISE_MEMBER: "本单位人员",
    Role.PROVIDER_STAFF: "本单位人员",
    Role.EXPERT: "专家工作台",
    Role.CITIZEN: "市民",
}


@pytest.mark.parametrize("role", list(HOME_MARKERS))
def test_every_role_has_a_home_page(world, role):
    client = Client()
    client.force_login(world["users"][role])
    page = client.get("/").content.decode()
    assert HOME_MARKERS[role] in page
    assert "演示数据" in page  # the demo marker in the footer


def test_the_enterprise_home_shows_its_profile_and_people(world):
    client = Client()
    client.force_login(world["users"][Role.ENTERPRISE_MEMBER])
    page = client.get("/").content.decode()
    assert "自有企业有限公司" in page and "enterprise_u" in page
    assert "江岸他人企业" not in page


def test_the_city_home_map_has_counts_for_every_district(world):
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    factories.organization(name="洪山二号有限公司", in_area=world["areas"]["hongshan"])
    page = client.get("/").content.decode()
    assert "vendor/echarts/echarts.min.js" in page
    data = json.loads(re.search(r'<script id="district-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    counts = {row["name"]: row["value"] for row in data}
    # role_users: 自有企业 in 洪山区, 江岸他人企业 in 江岸区, plus the one above
    assert counts == {"洪山区": 2, "江岸区": 1}


def test_the_language_switch_shows_english(world):
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Enterprises by district" in page and "各区企业数量" not in page


def test_htmx_filter_returns_only_the_rows_fragment(world):
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    fragment = client.get("/directory/enterprises/?district=江岸区", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "江岸他人企业有限公司" in fragment and "自有企业" not in fragment


def test_the_import_page_lists_bad_rows(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    csv = "名称,统一社会信用代码,所在区,行业代码\n坏公司,123,火星区,38\n".encode()
    page = client.post(
        "/directory/import/", {"category": "enterprise", "file": SimpleUploadedFile("x.csv", csv)}
    ).content.decode()
    assert 'id="import-problems"' in page and "未知的区“火星区”" in page


def test_the_enterprise_list_makes_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for i in range(30):
        factories.organization(name=f"批量企业{i}", in_area=world["areas"]["hongshan"])
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    with django_assert_max_num_queries(12):
        assert client.get("/directory/enterprises/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/enterprises?page_size=100").status_code == 200


def test_notifications_reach_inbox_email_and_sms(world, django_capture_on_commit_callbacks):
    from qualitycity.core.notifications import LoggingSmsGateway

    user = world["users"][Role.ENTERPRISE_MEMBER]
    user.email, user.phone = "a@example.com", "13812345678"
    user.save()
    LoggingSmsGateway.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, title="标准即将废止", body="GB/T 1 将于 30 日后废止", channels=("inbox", "email", "sms"))
    assert Notification.objects.filter(recipient=user, title="标准即将废止").exists()
    assert mail.outbox[0].subject == "标准即将废止"
    assert LoggingSmsGateway.sent == [("13812345678", "【质量强市】标准即将废止")]


def test_readyz_is_503_while_a_migration_is_pending():
    from django.db.migrations.recorder import MigrationRecorder

    latest = MigrationRecorder.Migration.objects.filter(app="core").order_by("-id").first()
    MigrationRecorder.Migration.objects.filter(pk=latest.pk).delete()  # as if not yet applied
    ready = Client().get("/readyz")
    assert ready.status_code == 503 and ready.json()["pending_migrations"] == 1
