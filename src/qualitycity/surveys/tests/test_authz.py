"""Every role against every survey page and operation; out-of-scope data never shown."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core_factories
from qualitycity.core.tests.authz import ROLES_AND_ANONYMOUS, assert_matrix, client_for

from .. import services
from . import factories
from .factories import BY

R = Role
EVERY = set(Role)
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
VIEWERS = STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER}
FIELDWORK = STAFF | {R.PROVIDER_STAFF}  # provider staff of the project's fieldwork agency


@pytest.fixture
def world(db):
    w = core_factories.role_users()
    # The lab (the provider user's organisation) runs the 洪山区 survey, not the 江岸区 one.
    hongshan = factories.project(kind="district", area=w["areas"]["hongshan"], fieldwork_agency=w["orgs"]["lab"])
    jiangan = factories.project(kind="district", area=w["areas"]["jiangan"])
    for p in (hongshan, jiangan):
        factories.fill(p, 40)
        services.estimate_project(by=BY, project=p, n_boot=0)
    w["projects"] = {"hongshan": hongshan, "jiangan": jiangan}
    return w


def pages(world):
    n = world["projects"]["hongshan"].number
    return {
        "/surveys/": VIEWERS | FIELDWORK, "/surveys/new/": STAFF, f"/surveys/{n}/": VIEWERS | FIELDWORK,
        f"/surveys/{n}/tokens/": STAFF, f"/surveys/{n}/import/": FIELDWORK, f"/surveys/{n}/interview/": FIELDWORK,
        f"/surveys/{n}/review/": STAFF, f"/surveys/{n}/report.pdf": VIEWERS | FIELDWORK,
        f"/surveys/{n}/design/": STAFF, f"/surveys/{n}/margins/": STAFF, f"/surveys/{n}/quotas/": VIEWERS | FIELDWORK,
        "/surveys/results/": EVERY | {"anonymous"},
    }


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_page_matrix(world, role):
    assert_matrix(client_for(world, role), role, pages(world), api=False)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_api_matrix(world, role):
    c = client_for(world, role)
    n = world["projects"]["hongshan"].number
    assert_matrix(c, role, {"/api/v1/surveys/projects": VIEWERS | FIELDWORK,
                            f"/api/v1/surveys/projects/{n}": VIEWERS | FIELDWORK,
                            f"/api/v1/surveys/projects/{n}/results": VIEWERS | FIELDWORK}, api=True)
    write = c.post(f"/api/v1/surveys/projects/{n}/tokens", {"count": 1}, content_type="application/json")
    assert write.status_code == (201 if role in STAFF else 401 if role == "anonymous" else 403)


def test_the_district_officer_sees_only_their_district(world):
    c = client_for(world, R.DISTRICT_OFFICER)
    other = world["projects"]["jiangan"]
    numbers = {p["number"] for p in c.get("/api/v1/surveys/projects").json()}
    assert numbers == {world["projects"]["hongshan"].number}
    assert c.get(f"/api/v1/surveys/projects/{other.number}").status_code == 404
    assert c.get(f"/api/v1/surveys/projects/{other.number}/results").status_code == 404
    assert c.get(f"/surveys/{other.number}/").status_code == 404
    assert c.get(f"/surveys/{other.number}/report.pdf").status_code == 404
    assert other.number not in c.get("/surveys/").content.decode()


def test_unpublished_results_stay_off_the_public_pages(world):
    p = world["projects"]["jiangan"]
    assert p.number not in Client().get("/surveys/results/").content.decode()
    assert Client().get(f"/surveys/results/{p.number}/").status_code == 404


def test_the_fieldwork_agency_enters_interviews_and_imports_for_its_own_project_only(world):
    from .test_views import answer_post, xlsx

    c = client_for(world, R.PROVIDER_STAFF)
    own, other = world["projects"]["hongshan"], world["projects"]["jiangan"]
    area = world["areas"]["hongshan"]
    assert c.post(f"/surveys/{own.number}/interview/", answer_post(area)).status_code == 302
    assert own.responses.filter(channel="cati", interviewer=world["users"][R.PROVIDER_STAFF]).count() == 1
    assert c.post(f"/surveys/{own.number}/import/", {"file": xlsx([answer_post(area)])}).status_code == 302
    assert own.responses.filter(channel="import").count() == 1
    before = other.responses.count()
    assert c.post(f"/surveys/{other.number}/interview/", answer_post(area)).status_code == 404
    assert c.post(f"/surveys/{other.number}/import/", {"file": xlsx([answer_post(area)])}).status_code == 404
    assert other.responses.count() == before
    assert {p["number"] for p in c.get("/api/v1/surveys/projects").json()} == {own.number}
    # fieldwork only: no screening, estimating, links or publication
    assert c.post(f"/surveys/{own.number}/estimate/").status_code == 403
    assert c.post(f"/surveys/{own.number}/submit/").status_code == 403
    assert c.get(f"/surveys/{own.number}/tokens/").status_code == 403
