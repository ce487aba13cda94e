import pytest
from django.test import Client

from qualitycity.core.models import ApiToken, AuditEvent, Organization, Role
from qualitycity.core.services import accounts
from qualitycity.core.services.audit import Actor

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    factories.area()
    city = factories.organization("city_office", name="市质量强市办", industry=None)
    return factories.user("staff", role=Role.CITY_OFFICE, org=city)


@pytest.fixture
def client(staff):
    c = Client()
    c.force_login(staff)
    return c


def body(**overrides):
    data = {"name": "武汉新电缆有限公司", "credit_code": factories.valid_code(), "area": "洪山区", "industry": "38",
            "employees": 40, "annual_revenue": 900}
    data.update(overrides)
    return data


def test_it_creates_and_reads_back_an_enterprise(client):
    created = client.post("/api/v1/enterprises", body(), content_type="application/json")
    assert created.status_code == 201
    org_id = created.json()["id"]
    detail = client.get(f"/api/v1/enterprises/{org_id}").json()
    assert detail["size_class"] == "small" and detail["area"] == "洪山区" and detail["industry"] == "38"


def test_list_filters_and_paginates(client):
    jiangan = factories.area("江岸区", "420102")
    for i in range(5):
        factories.organization(name=f"洪山企业{i}", industry="38")
    factories.organization(name="江岸企业", in_area=jiangan, industry="14")
    page = client.get("/api/v1/enterprises?district=洪山区&industry=C&page=2&page_size=2").json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["page"] == 2
    assert client.get("/api/v1/enterprises?district=420102").json()["count"] == 1
    assert client.get("/api/v1/enterprises?industry=14").json()["results"][0]["name"] == "江岸企业"


def test_an_invalid_credit_code_gets_a_field_message(client):
    response = client.post("/api/v1/enterprises", body(credit_code="91420111MA4K12345X"), content_type="application/json")
    assert response.status_code == 400
    assert "第 18 位校验码错误" in response.json()["errors"]["credit_code"][0]
    assert not Organization.objects.filter(kind="enterprise").exists()


def test_a_malformed_json_body_is_a_json_4xx(client):
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/enterprises", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert not Organization.objects.filter(kind="enterprise").exists() and AuditEvent.objects.count() == events


def test_a_wrongly_typed_field_is_a_422_naming_the_field(client):
    response = client.post("/api/v1/enterprises", {"name": ["a", "b"]}, content_type="application/json")
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
    assert not Organization.objects.filter(kind="enterprise").exists() and not AuditEvent.objects.exists()


def test_a_duplicate_code_is_refused(client):
    first = body()
    assert client.post("/api/v1/enterprises", first, content_type="application/json").status_code == 201
    again = client.post("/api/v1/enterprises", body(credit_code=first["credit_code"]), content_type="application/json")
    assert again.status_code == 400 and "已被" in again.json()["errors"]["credit_code"][0]


def test_unknown_objects_are_json_404(client):
    response = client.get("/api/v1/enterprises/999999")
    assert response.status_code == 404 and response.json()["detail"]


def test_personal_access_tokens_authenticate_and_can_be_revoked(staff):
    token, key = accounts.create_api_token(by=Actor.system("t"), user=staff, name="LIMS")
    api = Client()
    assert api.get("/api/v1/me").status_code == 401
    me = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["username"] == "staff"
    assert ApiToken.objects.get().key_hash != key  # only the hash is stored
    accounts.revoke_api_token(by=Actor.system("t"), token=token)
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_token_client_can_write_without_csrf(staff):
    _, key = accounts.create_api_token(by=Actor.system("t"), user=staff, name="LIMS")
    api = Client(enforce_csrf_checks=True)
    response = api.post("/api/v1/enterprises", body(), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201


def test_a_browser_session_must_present_csrf_to_write(staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    response = browser.post("/api/v1/enterprises", body(), content_type="application/json")
    assert response.status_code == 403


def test_tokens_are_created_through_the_api_and_shown_once(client):
    response = client.post("/api/v1/tokens", {"name": "脚本"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["key"].startswith("qc_")
    listed = client.get("/api/v1/tokens").json()
    assert "key" not in listed[0]


def test_upload_refuses_a_disguised_file_with_a_message(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post("/api/v1/attachments", {"file": fake})
    assert response.status_code == 400 and "实际内容" in response.json()["detail"]


def test_openapi_schema_is_published(client):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises" in schema["paths"]


def test_the_api_docs_load_nothing_from_another_host(client):
    import re

    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', page) == []


def test_openapi_declares_the_bearer_token_scheme(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    assert schema["paths"]["/api/v1/enterprises"]["get"]["security"]
