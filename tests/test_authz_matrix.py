"""Every role against every endpoint: allowed or denied, and never data outside scope."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.core.tests.authz import ROLES_AND_ANONYMOUS, assert_matrix, client_for

R = Role
EVERY_ROLE = set(Role)
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
ENTERPRISE_READERS = STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER, R.ENTERPRISE_MEMBER}

# endpoint -> roles allowed (written out here, independently of core.rules)
API_MATRIX = {
    "/api/v1/areas": EVERY_ROLE | {"anonymous"},
    "/api/v1/industries": EVERY_ROLE | {"anonymous"},
    "/api/v1/parks": EVERY_ROLE | {"anonymous"},
    "/api/v1/enterprises": ENTERPRISE_READERS,
    "/api/v1/providers": EVERY_ROLE,
    "/api/v1/departments": EVERY_ROLE,
    "/api/v1/experts": EVERY_ROLE,
    "/api/v1/me": EVERY_ROLE,
    "/api/v1/tokens": EVERY_ROLE,
    "/api/v1/notifications": EVERY_ROLE,
    "/api/v1/audit/events": STAFF,
}
PAGE_MATRIX = {
    "/": EVERY_ROLE | {"anonymous"},
    "/directory/enterprises/": ENTERPRISE_READERS,
    "/directory/providers/": EVERY_ROLE,
    "/directory/government/": EVERY_ROLE,
    "/directory/experts/": EVERY_ROLE,
    "/directory/import/": STAFF,
    "/directory/export/enterprise.csv": STAFF | {R.DISTRICT_OFFICER},
    "/audit/": STAFF,
    "/notifications/": EVERY_ROLE,
}


@pytest.fixture
def world(db):
    return factories.role_users()


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_api_matrix(world, role):
    assert_matrix(client_for(world, role), role, API_MATRIX, api=True)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_page_matrix(world, role):
    assert_matrix(client_for(world, role), role, PAGE_MATRIX, api=False)


def names_seen(client, url):
    return {row["name"] for row in client.get(url).json()["results"]}


def test_a_district_officer_sees_only_their_district(world):
    client = client_for(world, R.DISTRICT_OFFICER)
    seen = names_seen(client, "/api/v1/enterprises?page_size=100")
    assert "自有企业有限公司" in seen and "江岸他人企业有限公司" not in seen
    other = world["orgs"]["other"]
    assert client.get(f"/api/v1/enterprises/{other.pk}").status_code == 404
    assert client.get(f"/directory/organizations/{other.pk}/").status_code == 403
    export = client.get("/directory/export/enterprise.csv").content.decode("utf-8-sig")
    assert "自有企业" in export and "江岸他人" not in export


def test_an_enterprise_member_sees_only_their_own_firm(world):
    client = client_for(world, R.ENTERPRISE_MEMBER)
    assert names_seen(client, "/api/v1/enterprises") == {"自有企业有限公司"}
    outsider = Client()
    outsider.force_login(world["outsider"])
    own = world["orgs"]["own"]
    assert outsider.get(f"/api/v1/enterprises/{own.pk}").status_code == 404
    assert outsider.patch(
        f"/api/v1/enterprises/{own.pk}", {"address": "x"}, content_type="application/json"
    ).status_code == 404


def test_members_of_an_organization_are_visible_only_inside_scope(world):
    own = world["orgs"]["own"]
    inside = client_for(world, R.ENTERPRISE_MEMBER).get(f"/api/v1/organizations/{own.pk}/members").json()
    assert [m["user"] for m in inside] == ["enterprise_u"]
    outsider = Client()
    outsider.force_login(world["outsider"])
    assert outsider.get(f"/api/v1/organizations/{own.pk}/members").json() == []


def test_a_district_officer_cannot_register_outside_the_district(world):
    client = client_for(world, R.DISTRICT_OFFICER)
    body = {"name": "越界企业有限公司", "credit_code": factories.valid_code("420102"), "area": "江岸区", "industry": "38"}
    response = client.post("/api/v1/enterprises", body, content_type="application/json")
    assert response.status_code == 403
    body["area"] = "洪山区"
    assert client.post("/api/v1/enterprises", body, content_type="application/json").status_code == 201
