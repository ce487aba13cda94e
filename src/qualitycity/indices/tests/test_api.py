"""The indices API: published results for all, drafts and data entry for the city office."""

import json

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from ..models import Value
from ..services import compute
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = core.role_users()
    fw, areas, inds = factories.framework()
    draft = compute.compute_result(by=factories.SYSTEM, framework=fw, year=2025, replications=100, sobol_base=0)
    for ind in inds.values():
        for v in Value.objects.filter(indicator=ind, year=2025):
            Value.objects.create(indicator=ind, area=v.area, year=2024, value=v.value + (v.area_id % 3), origin="manual")
    pub = compute.compute_result(by=factories.SYSTEM, framework=fw, year=2024, replications=100, sobol_base=0)
    factories.publish(pub)
    return {**w, "fw": fw, "draft": draft, "pub": pub, "inds": inds}


def client(world, role=None):
    c = Client()
    if role:
        c.force_login(world["users"][role])
    return c


def test_anyone_lists_only_published_results(world):
    for c in (Client(), client(world, Role.DISTRICT_OFFICER)):
        numbers = [r["number"] for r in c.get("/api/v1/indices/results").json()]
        assert numbers == [world["pub"].number]
        assert c.get(f"/api/v1/indices/results/{world['draft'].number}").status_code == 404


def test_the_city_office_sees_drafts_with_rank_intervals(world):
    c = client(world, Role.CITY_OFFICE)
    assert {r["number"] for r in c.get("/api/v1/indices/results").json()} == {world["pub"].number,
                                                                              world["draft"].number}
    body = c.get(f"/api/v1/indices/results/{world['draft'].number}").json()
    first = body["ranking"][0]
    assert first["unit"] == "洪山区" and first["rank"] == 1 and first["p05"] == 1
    assert {d["code"] for d in body["dimensions"]} == {"product", "infra"}


def test_values_are_written_through_the_api_all_or_nothing(world):
    c = client(world, Role.CITY_OFFICE)
    url = f"/api/v1/indices/frameworks/{world['fw'].pk}/values"
    bad = {"year": 2023, "values": {"labs": {"江岸区": "3", "洪山区": "很多"}}}
    r = c.post(url, json.dumps(bad), content_type="application/json")
    assert r.status_code == 400 and "不是数字" in json.dumps(r.json(), ensure_ascii=False)
    assert not Value.objects.filter(year=2023).exists()
    r = c.post(url, json.dumps({"year": 2023, "values": {"labs": {"江岸区": "3"}}}), content_type="application/json")
    assert r.status_code == 200 and r.json() == {"written": 1}
    r = c.post(url, json.dumps({"year": 2023, "values": {"nope": {"江岸区": "3"}}}), content_type="application/json")
    assert r.status_code == 400 and "nope" in r.json()["errors"]


def test_compute_through_the_api_reports_engine_errors_as_400(world):
    c = client(world, Role.CITY_OFFICE)
    url = f"/api/v1/indices/frameworks/{world['fw'].pk}/compute"
    r = c.post(url, json.dumps({"year": 2019}), content_type="application/json")
    assert r.status_code == 400 and "all values are missing" in r.json()["detail"]
    r = c.post(url, json.dumps({"year": 2025, "replications": 50}), content_type="application/json")
    assert r.status_code == 201 and r.json()["year"] == 2025


def test_only_the_city_office_writes(world):
    url = f"/api/v1/indices/frameworks/{world['fw'].pk}/values"
    body = json.dumps({"year": 2023, "values": {"labs": {"江岸区": "3"}}})
    for role in (Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER, Role.EXPERT):
        assert client(world, role).post(url, body, content_type="application/json").status_code == 403
    assert Client().post(url, body, content_type="application/json").status_code == 401
    assert not Value.objects.filter(year=2023).exists()
