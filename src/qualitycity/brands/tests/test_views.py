import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qualitycity.core.models import Attachment, Role
from qualitycity.core.tests import factories as core

from .. import services
from ..models import Application
from .factories import BY, certification_body, certified, declared_application, standard

pytestmark = pytest.mark.django_db


def test_anyone_can_check_a_certificate_and_get_its_qr_code():
    cert = certified(core.organization(name="楚天电缆有限公司"))
    page = Client().get(f"/brands/check/?number={cert.number}")
    assert page.status_code == 200 and "楚天电缆有限公司" in page.content.decode() and "有效" in page.content.decode()
    qr = Client().get(f"/brands/c/{cert.number}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_a_forged_number_gets_a_clear_message():
    page = Client().get("/brands/check/?number=WHMP209901010001")
    assert page.status_code == 200 and "查无此证书" in page.content.decode()
    api = Client().get("/api/v1/brands/certificates/WHMP209901010001")
    assert api.status_code == 404 and "查无此证书" in api.json()["detail"]


def test_the_api_reports_status_changes_at_once():
    from .. import services
    from .factories import BY

    cert = certified(core.organization())
    services.suspend(by=BY, certificate=cert, reason="抽检不合格")
    body = Client().get(f"/api/v1/brands/certificates/{cert.number}").json()
    assert body["status"] == "suspended" and body["status_reason"] == "抽检不合格"


@pytest.fixture
def world():
    return core.role_users()


def test_applications_are_visible_to_the_applicant_and_its_certification_body_only(world):
    body = certification_body("受理认证有限公司")
    app = declared_application(world["orgs"]["own"], body=body)
    applicant = Client()
    applicant.force_login(world["users"][Role.ENTERPRISE_MEMBER])
    assert applicant.get(f"/brands/applications/{app.number}/").status_code == 200
    outsider = Client()
    outsider.force_login(world["outsider"])
    assert outsider.get(f"/brands/applications/{app.number}/").status_code == 404
    other_body_staff = Client()
    other_body_staff.force_login(world["users"][Role.PROVIDER_STAFF])  # staff of a testing lab, not this body
    assert other_body_staff.get(f"/brands/applications/{app.number}/").status_code == 404
    reviewer = core.user("reviewer_u", role=Role.PROVIDER_STAFF, org=body)
    client = Client()
    client.force_login(reviewer)
    assert client.get(f"/brands/applications/{app.number}/").status_code == 200


def test_an_enterprise_applies_declares_and_submits_through_the_pages(world):
    from ..tests.factories import standard

    std = standard(1)
    body = certification_body()
    client = Client()
    client.force_login(world["users"][Role.ENTERPRISE_MEMBER])
    response = client.post("/brands/applications/", {"enterprise": world["orgs"]["own"].pk, "standard": std.pk,
                                                      "certification_body": body.pk, "product": "自有牌电缆"})
    app = Application.objects.get()
    assert response.status_code == 302 and app.enterprise == world["orgs"]["own"]
    refused = client.post(f"/brands/applications/{app.number}/submit/", follow=True).content.decode()
    assert "缺少自我声明或证明材料" in refused
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/brands/applications/{app.number}/declare/", {
        "requirement": std.requirements.get().pk, "statement": "符合要求",
        "evidence": SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%%EOF\n")})
    client.post(f"/brands/applications/{app.number}/submit/")
    assert Application.objects.get().status == "submitted"


def test_supervision_is_scoped_to_the_district(world):
    mine = certified(world["orgs"]["own"], today=dt.date(2026, 1, 1))
    theirs = certified(world["orgs"]["other"], today=dt.date(2026, 1, 1))
    client = Client()
    client.force_login(world["users"][Role.DISTRICT_OFFICER])
    page = client.get("/brands/supervision/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert client.post(f"/brands/supervision/{theirs.number}/", {"action": "suspend", "reason": "x"}).status_code == 404


ROLE_MATRIX = {
    "/brands/": set(Role) | {"anonymous"},
    "/brands/applications/": {Role.ENTERPRISE_MEMBER, Role.CITY_OFFICE, Role.SYSTEM_ADMIN},
    "/brands/review/": {Role.PROVIDER_STAFF, Role.CITY_OFFICE, Role.SYSTEM_ADMIN},
    "/brands/supervision/": {Role.CITY_OFFICE, Role.SYSTEM_ADMIN, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER,
                             Role.PROVIDER_STAFF},
}


@pytest.mark.parametrize("role", sorted(set(Role)) + ["anonymous"])
def test_role_matrix(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    for url, allowed in ROLE_MATRIX.items():
        expected = 200 if role in allowed else (302 if role == "anonymous" else 403)
        assert client.get(url).status_code == expected, (role, url)


def test_a_refused_declaration_keeps_no_uploaded_file_and_says_why(world):
    std = standard(1)
    client = Client()
    client.force_login(world["users"][Role.ENTERPRISE_MEMBER])
    client.post("/brands/applications/", {"enterprise": world["orgs"]["own"].pk, "standard": std.pk,
                                          "certification_body": certification_body().pk, "product": "自有牌电缆"})
    app = Application.objects.get()
    before = Attachment.objects.count()
    page = client.post(f"/brands/applications/{app.number}/declare/", {
        "requirement": std.requirements.get().pk, "statement": "  ",
        "evidence": SimpleUploadedFile("cert.pdf", b"%PDF-1.4\n%%EOF\n")}, follow=True).content.decode()
    assert "自我声明不能为空" in page and Attachment.objects.count() == before
    page = client.post(f"/brands/applications/{app.number}/declare/", {"requirement": "x", "statement": "符合"},
                       follow=True).content.decode()
    assert "请选择要声明的评价要求" in page and not app.declarations.exists()


def test_a_refused_conclusion_leaves_the_scores_as_they_were(world):
    body = certification_body("受理认证有限公司")
    app = declared_application(world["orgs"]["own"], body=body)
    services.submit(by=BY, application=app)
    reviewer = core.user("reviewer_u", role=Role.PROVIDER_STAFF, org=body)
    client = Client()
    client.force_login(reviewer)
    scores = {f"score-{r.pk}": "0" for r in app.standard.requirements.all()}  # below every pass mark
    page = client.post(f"/brands/applications/{app.number}/decide/", {**scores, "outcome": "certify"},
                       follow=True).content.decode()
    assert "未保存" in page and "不能认证" in page
    app.refresh_from_db()
    assert app.status == "submitted" and not app.declarations.exclude(score=None).exists()
