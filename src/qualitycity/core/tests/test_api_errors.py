"""The API's error contract: JSON with a 4xx and field messages, never a 500 or an
HTML page, on SQLite and PostgreSQL alike; and nothing written by a refused request."""

import json

import pytest
from django.test import Client

from qualitycity.core.models import AuditEvent, Organization, Role

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    world = factories.role_users()
    c = Client(raise_request_exception=False)
    c.force_login(world["users"][Role.CITY_OFFICE])
    return c


def enterprise(**extra):
    return {"name": "越界数值有限公司", "credit_code": factories.valid_code(), "area": "洪山区", "industry": "38", **extra}


def post(client, data, raw=None):
    body = raw if raw is not None else json.dumps(data)
    return client.post("/api/v1/enterprises", body, content_type="application/json")


def assert_json_4xx(response, status=None):
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    assert 400 <= response.status_code < 500 if status is None else response.status_code == status
    payload = response.json()
    assert payload["detail"]
    for messages in payload.get("errors", {}).values():
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    return payload


@pytest.mark.parametrize("query", [
    "page=99999999999999999999", "page=0", "page=abc", "page_size=100000", "page=1000001",
])
def test_out_of_range_paging_is_a_422_naming_the_parameter(client, query):
    payload = assert_json_4xx(client.get(f"/api/v1/enterprises?{query}"), 422)
    assert set(payload["errors"]) & {"page", "page_size"}


@pytest.mark.parametrize("path", ["/api/v1/enterprises/99999999999999999999", "/api/v1/enterprises/abc"])
def test_an_impossible_id_is_a_422(client, path):
    assert_json_4xx(client.get(path), 422)


@pytest.mark.parametrize("field, value, message", [
    ("employees", 99999999999999999999, "超出允许范围"),  # beyond any column: refused while parsing
    ("employees", 3000000000, "不能超过"),  # fits SQLite, not PostgreSQL's integer
    ("employees", 1e30, "不能超过"),
    ("employees", "NaN", "不是有效的数值"),
    ("employees", "Infinity", "不是有效的数值"),
    ("annual_revenue", "NaN", "不是有效的数值"),
    ("annual_revenue", "1e400", "不是有效的数值"),
    ("annual_revenue", 123456789012345678, "不能超过"),
    ("annual_revenue", "-1", "负数"),
])
def test_numbers_no_column_can_hold_are_refused_and_nothing_is_written(client, field, value, message):
    payload = assert_json_4xx(post(client, enterprise(**{field: value})))
    assert message in payload["errors"][field][0]
    assert not Organization.objects.filter(name="越界数值有限公司").exists() and not AuditEvent.objects.exists()


def test_json_nan_literals_are_refused(client):
    raw = json.dumps(enterprise()).replace('"industry": "38"', '"industry": "38", "annual_revenue": NaN')
    payload = assert_json_4xx(post(client, None, raw=raw))
    assert "annual_revenue" in payload["errors"]
    assert not Organization.objects.filter(name="越界数值有限公司").exists()


@pytest.mark.parametrize("raw", [b"[1,2]", b"null", b"\xff\xfe", b'{"name": ["a"]}', b"{not json"])
def test_malformed_bodies_are_json_4xx_and_write_nothing(client, raw):
    assert_json_4xx(post(client, None, raw=raw))
    assert not Organization.objects.filter(name="越界数值有限公司").exists() and not AuditEvent.objects.exists()


def test_an_oversized_body_is_a_json_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post(client, enterprise(address="x" * 20_000))
    assert_json_4xx(response, 413)
    assert not AuditEvent.objects.exists()


def test_unknown_api_paths_and_methods_are_json(client):
    assert assert_json_4xx(client.get("/api/v1/no-such-thing"), 404)["detail"] == "接口不存在"
    assert_json_4xx(client.get("/api/v1/enterprises/"), 404)
    assert_json_4xx(client.put("/api/v1/enterprises"), 405)


def test_domain_errors_carry_a_list_per_field(client):
    payload = assert_json_4xx(post(client, enterprise(area="火星区", industry="99")), 400)
    assert "未知的区" in payload["errors"]["area"][0] and "未知的行业代码" in payload["errors"]["industry"][0]


def test_a_denied_caller_is_refused_before_the_body_is_read():
    world = factories.role_users()
    citizen = Client()
    citizen.force_login(world["users"][Role.CITIZEN])
    assert citizen.post("/api/v1/enterprises", "{not json", content_type="application/json").status_code == 403
    assert Client().post("/api/v1/enterprises", "{not json", content_type="application/json").status_code == 401


def test_the_import_page_refuses_an_oversized_file_before_reading_it(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_MAX_BYTES = 1000
    content = ("名称,统一社会信用代码,所在区,行业代码\n" + f"甲公司,{factories.valid_code()},洪山区,38\n" * 40).encode()
    response = client.post("/directory/import/", {"category": "enterprise", "file": SimpleUploadedFile("a.csv", content)})
    assert "超过导入上限" in response.content.decode()
    assert not Organization.objects.filter(name="甲公司").exists()


@pytest.mark.parametrize("cells, message", [
    ("NaN,Infinity", "不是有效的数值"),
    ("1,1e400", "不是有效的数值"),
    ("99999999999,1", "不能超过"),
])
def test_the_import_page_refuses_non_numbers_and_imports_nothing(client, cells, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (f"名称,统一社会信用代码,所在区,行业代码,从业人员,营业收入(万元)\n"
               f"甲公司,{factories.valid_code()},洪山区,38,{cells}\n").encode()
    response = client.post("/directory/import/", {"category": "enterprise", "file": SimpleUploadedFile("a.csv", content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Organization.objects.filter(name="甲公司").exists() and not AuditEvent.objects.exists()


def test_the_import_page_refuses_a_giant_cell_with_a_message(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = ("名称,统一社会信用代码,所在区,行业代码\n" + "x" * 200_000 + ",1,2,3\n").encode()
    response = client.post("/directory/import/", {"category": "enterprise", "file": SimpleUploadedFile("a.csv", content)})
    assert response.status_code == 200 and "无法读取" in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("request_kind", ["query", "body"])
def test_a_nul_character_is_a_422_on_both_databases(client, request_kind):
    if request_kind == "query":
        response = client.get("/api/v1/industries?level=%00")
    else:
        response = client.post("/api/v1/enterprises", json.dumps(enterprise(address="洪山\u0000路")),
                               content_type="application/json")
    payload = assert_json_4xx(response, 422)
    assert "NUL" in str(payload["errors"])
    assert not Organization.objects.filter(name="越界数值有限公司").exists() and not AuditEvent.objects.exists()
