"""The JSON API and the authorization matrix of every complaints endpoint."""

import pytest
from django.test import Client

from qualitycity.complaints.models import Demand
from qualitycity.core.models import Role

from . import factories

pytestmark = pytest.mark.django_db
R = Role
EVERY = set(Role)
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
# written out independently of rules.py
PAGES = {
    "/complaints/": STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER, R.CITIZEN},
    "/complaints/new/": EVERY | {"anonymous"},
    "/complaints/track/": EVERY | {"anonymous"},
    "/complaints/hotline/": STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER},
    "/complaints/bulletins/": STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER},
    "/complaints/holidays/": STAFF,
    "/open311/v2/services.json": EVERY | {"anonymous"},
}
APIS = {
    "/api/v1/complaints/demands": STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER, R.CITIZEN},
    "/api/v1/complaints/categories": EVERY | {"anonymous"},
    "/api/v1/complaints/bulletins": STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER},
}


@pytest.fixture
def w():
    return factories.world()


def client_for(w, role):
    c = Client()
    if role != "anonymous":
        c.force_login(w["users"][role])
    return c


@pytest.mark.parametrize("role", sorted(EVERY) + ["anonymous"])
def test_page_and_api_matrix(w, role):
    c = client_for(w, role)
    for url, allowed in PAGES.items():
        expected = 200 if role in allowed else (302 if role == "anonymous" else 403)
        assert c.get(url).status_code == expected, (role, url)
    for url, allowed in APIS.items():
        expected = 200 if role in allowed else (401 if role == "anonymous" else 403)
        assert c.get(url).status_code == expected, (role, url)


def test_out_of_scope_demands_are_never_returned(w):
    hongshan = factories.demand(w, district="洪山区")
    jiangan = factories.demand(w, district="江岸区", category="price")  # no routing rule: not the department's
    district = client_for(w, R.DISTRICT_OFFICER)
    numbers = {r["number"] for r in district.get("/api/v1/complaints/demands").json()["results"]}
    assert numbers == {hongshan.number}
    assert district.get(f"/api/v1/complaints/demands/{jiangan.number}").status_code == 404
    assert district.get(f"/complaints/d/{jiangan.number}/").status_code == 404
    dept = client_for(w, R.DEPARTMENT_OFFICER)
    assert {r["number"] for r in dept.get("/api/v1/complaints/demands").json()["results"]} == {hongshan.number}
    for role in (R.CITIZEN, R.ENTERPRISE_MEMBER):
        c = client_for(w, role)
        assert c.get(f"/complaints/d/{hongshan.number}/").status_code in (403, 404)
    assert client_for(w, R.ENTERPRISE_MEMBER).get("/api/v1/complaints/demands").status_code == 403


def test_a_citizen_sees_only_their_own(w):
    citizen = client_for(w, R.CITIZEN)
    mine = citizen.post("/api/v1/complaints/demands", {
        "demand_type": "consult", "category": "price", "description": "停车场收费标准是否合规？", "district": "江岸区",
        "contact_phone": "13600001111"}, content_type="application/json")
    assert mine.status_code == 201
    factories.demand(w)
    rows = citizen.get("/api/v1/complaints/demands").json()["results"]
    assert [r["number"] for r in rows] == [mine.json()["number"]] and rows[0]["contact_phone"] == "136****1111"
    page = citizen.get(f"/complaints/d/{mine.json()['number']}/")
    assert page.status_code == 302 and f"/complaints/track/{mine.json()['tracking_code']}/" == page.url


def test_api_bad_input_is_a_400_with_field_errors_and_saves_nothing(w):
    c = client_for(w, R.CITY_OFFICE)
    response = c.post("/api/v1/complaints/demands", {"demand_type": "complaint", "category": "food",
                                                     "description": "x" * 4001, "district": "火星区"},
                      content_type="application/json")
    assert response.status_code == 400 and {"description", "district"} <= set(response.json()["errors"])
    assert Demand.objects.count() == 0


def test_api_actions_follow_the_rules(w):
    d = factories.demand(w)
    dept = client_for(w, R.DEPARTMENT_OFFICER)
    assert dept.post(f"/api/v1/complaints/demands/{d.number}/actions", {"action": "accept"},
                     content_type="application/json").json()["state"] == "handling"
    assert dept.post(f"/api/v1/complaints/demands/{d.number}/actions", {"action": "chase"},
                     content_type="application/json").status_code == 403
    bad = dept.post(f"/api/v1/complaints/demands/{d.number}/actions", {"action": "close", "reply": ""},
                    content_type="application/json")
    assert bad.status_code == 400 and "reply" in bad.json()["errors"]
    public = Client().get(f"/api/v1/complaints/track/{d.tracking_code}").json()
    assert public["state"] == "handling" and "contact" not in str(public)
