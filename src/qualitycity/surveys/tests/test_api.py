"""The surveys API: create, links, respond once, review, results, district index."""

import pytest
from django.test import Client

from qualitycity.core.models import Role

from .. import services
from ..models import Project, Response
from . import factories
from .factories import BY
from .test_services import good_answer

pytestmark = pytest.mark.django_db


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_city_office_creates_a_project_and_bad_input_gets_field_errors(world):
    c = client(world["users"][Role.CITY_OFFICE])
    body = {"title": "2026年物业管理满意度测评", "target_kind": "industry", "industry": "property", "year": 2026,
            "starts_on": "2026-09-01", "ends_on": "2026-10-31"}
    r = c.post("/api/v1/surveys/projects", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["target"] == "物业管理"
    before = Project.objects.count()
    r = c.post("/api/v1/surveys/projects", {**body, "industry": "mining"}, content_type="application/json")
    assert r.status_code == 400 and "industry" in r.json()["errors"]
    r = c.post("/api/v1/surveys/projects", {**body, "target_kind": "district", "district": "火星区"},
               content_type="application/json")
    assert r.status_code == 400 and "district" in r.json()["errors"]
    assert Project.objects.count() == before


def test_a_link_answers_once_through_the_api(world):
    p = factories.project()
    c = client(world["users"][Role.CITY_OFFICE])
    links = c.post(f"/api/v1/surveys/projects/{p.number}/tokens", {"count": 2},
                   content_type="application/json").json()["links"]
    secret = links[0].rstrip("/").rsplit("/", 1)[1]
    body = {"answers": good_answer(), "district": "洪山区", "sex": "M", "age_band": "18-29"}
    anonymous = client()
    assert anonymous.post(f"/api/v1/surveys/respond/{secret}", body, content_type="application/json").status_code == 201
    again = anonymous.post(f"/api/v1/surveys/respond/{secret}", body, content_type="application/json")
    assert again.status_code == 400 and "token" in again.json()["errors"]
    bad = anonymous.post(f"/api/v1/surveys/respond/{links[1].rstrip('/').rsplit('/', 1)[1]}",
                         {**body, "answers": {**good_answer(), "SAT1": 0}}, content_type="application/json")
    assert bad.status_code == 400 and "SAT1" in bad.json()["errors"]
    assert p.responses.count() == 1
    assert c.post(f"/api/v1/surveys/projects/{p.number}/tokens", {"count": 0},
                  content_type="application/json").status_code == 400


def test_review_through_the_api_requires_a_reason(world):
    p = factories.project()
    factories.fill(p, 5)
    r = p.responses.first()
    c = client(world["users"][Role.CITY_OFFICE])
    url = f"/api/v1/surveys/responses/{r.pk}/review"
    assert c.post(url, {"decision": "excluded", "reason": ""}, content_type="application/json").status_code == 400
    ok = c.post(url, {"decision": "excluded", "reason": "重复作答"}, content_type="application/json")
    assert ok.status_code == 200 and Response.objects.get(pk=r.pk).review == "excluded"


def test_district_index_endpoint_serves_published_results_only(world):
    p = factories.project(kind="district", area=world["areas"]["hongshan"])
    factories.fill(p, 60)
    services.estimate_project(by=BY, project=p, n_boot=0)
    url = "/api/v1/surveys/district-index?district=洪山区&year=2026"
    assert client().get(url).status_code == 404
    factories.publish(p)
    body = client().get(url).json()
    assert body["project"] == p.number and 0 < body["index"] < 100
