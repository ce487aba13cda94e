"""The JSON API: search and one standard; any input gives 200 or 400, never 500."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.standards.models import Follow

from .factories import CATALOGUE, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(codes):
    load(CATALOGUE)
    return Client()


def test_search_returns_the_documented_shape(api):
    body = api.get("/api/v1/standards/search", {"q": "GB/T19001-2016"}).json()
    assert body["total"] >= 1
    first = body["results"][0]
    assert first["number"] == "GB/T 19001-2016" and first["exact"]
    assert {"number", "title_zh", "title_en", "status", "implemented_on", "replaced_by"} <= set(first)
    assert body["results"][1:] == [] or body["results"][1]["number"] == "GB/T 19001-2008"


def test_search_highlights_and_filters(api):
    body = api.get("/api/v1/standards/search", {"q": "电缆", "status": "current", "limit": 2}).json()
    assert body["total"] == 3 and len(body["results"]) == 2
    assert "<mark>电缆</mark>" in body["results"][0]["title_highlighted"]


def test_facets_can_be_skipped_without_changing_the_results(api):
    full = api.get("/api/v1/standards/search", {"q": "电缆"}).json()
    lean = api.get("/api/v1/standards/search", {"q": "电缆", "facets": "false"}).json()
    assert dict(full["facets"]["status"]) and lean["facets"] == {}
    assert lean["results"] == full["results"] and lean["total"] == full["total"]


def test_one_standard_by_number_in_any_form(api):
    for form in ("GB/T 19001-2016", "gb%2Ft19001-2016"):
        body = api.get(f"/api/v1/standards/{form}").json()
        assert body["number"] == "GB/T 19001-2016"
        assert body["chain"] == ["GB/T 19001-2008", "GB/T 19001-2016"]
        assert body["adopted_number"] == "ISO 9001:2015"
    assert api.get("/api/v1/standards/GB/T 1-1999").status_code == 404


@pytest.mark.parametrize("params", [
    {"q": '"*NEAR(AND OR NOT)'}, {"q": "😀" * 500}, {"q": "\x07"}, {"q": "a" * 10000}, {"q": "电缆", "page": 999},
])
def test_any_query_is_answered_with_200(api, params):
    assert api.get("/api/v1/standards/search", params).status_code == 200


def test_a_nul_character_is_refused_naming_the_field(api):
    # PostgreSQL cannot hold NUL in text, so the API refuses it everywhere alike (core's JSON error contract).
    response = api.get("/api/v1/standards/search", {"q": "\x00\x07"})
    assert response.status_code == 422
    assert "q" in str(response.json()["errors"])


@pytest.mark.parametrize(("params", "field"), [
    ({"status": "bogus"}, "status"), ({"kind": "x"}, "kind"), ({"limit": 0}, "limit"), ({"limit": 1000}, "limit"),
    ({"page": 0}, "page"),
])
def test_bad_parameters_get_a_400_with_the_field(api, params, field):
    response = api.get("/api/v1/standards/search", {"q": "电缆", **params})
    assert response.status_code == 400 and field in response.json()["errors"]


def test_bad_dates_get_a_422(api):
    assert api.get("/api/v1/standards/search", {"implemented_from": "2020-13-40"}).status_code == 422


def test_an_enterprise_member_follows_through_the_api(api):
    world = factories.role_users()
    client = Client()
    client.force_login(world["users"][Role.ENTERPRISE_MEMBER])
    created = client.post("/api/v1/standards/follows", {"number": "gb/t 19001-2016"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["number"] == "GB/T 19001-2016"
    bad = client.post("/api/v1/standards/follows", {"number": "GB/T 1-1999"}, content_type="application/json")
    assert bad.status_code == 400 and "number" in bad.json()["errors"]
    assert Follow.objects.count() == 1
    assert client.delete(f"/api/v1/standards/follows/{created.json()['id']}").status_code == 204
    assert Follow.objects.count() == 0
