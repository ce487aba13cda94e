"""Every role against every indices page and API operation, and the district officer's scope:
the city ranking only as published, and no edits."""

import pytest

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core
from qualitycity.core.tests.authz import assert_matrix, client_for

from ..models import Framework, Value
from ..services import compute, frameworks
from . import factories

R = Role
EVERY = set(Role)
ANON = "anonymous"
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
VIEWERS = STAFF | {R.DEPARTMENT_OFFICER}


@pytest.fixture
def world(db):
    w = core.role_users()
    fw, areas, inds = factories.framework()
    draft = compute.compute_result(by=factories.SYSTEM, framework=fw, year=2025, replications=50, sobol_base=0)
    for v in list(Value.objects.filter(year=2025)):
        Value.objects.create(indicator=v.indicator, area=v.area, year=2024, value=v.value * (1 + v.area_id % 2),
                             origin="manual")
    pub = compute.compute_result(by=factories.SYSTEM, framework=fw, year=2024, replications=50, sobol_base=0)
    factories.publish(pub)
    q = frameworks.open_questionnaire(by=factories.SYSTEM, framework=fw, group=None)
    return {**w, "fw": fw, "draft": draft, "pub": pub, "q": q, "group": fw.groups.get(code="lab").pk,
            "ind": inds["labs"].pk}


def pages(w) -> dict:
    fw, d, p = w["fw"].pk, w["draft"].number, w["pub"].number
    return {
        "/indices/": VIEWERS,
        f"/indices/f/{fw}/": VIEWERS,
        f"/indices/f/{fw}/ahp/": VIEWERS,
        f"/indices/f/{fw}/data/2025/": VIEWERS,
        f"/indices/f/{fw}/data/2025/template.xlsx": VIEWERS,
        f"/indices/f/{fw}/quality/2025/": VIEWERS,
        f"/indices/f/{fw}/indicators/new/": STAFF,
        f"/indices/ahp/{w['q'].pk}/": STAFF | {R.EXPERT},
        f"/indices/r/{d}/": VIEWERS,
        "/indices/sources/": EVERY | {ANON},
        "/indices/public/": EVERY | {ANON},
        "/indices/methods/": EVERY | {ANON},
        "/indices/new/": STAFF,
        f"/indices/public/{p}/": EVERY | {ANON},
    }


def posts(w) -> dict:
    fw, d = w["fw"].pk, w["draft"].number
    return {
        f"/indices/f/{fw}/options/": ({"name": "改名"}, STAFF),
        f"/indices/f/{fw}/groups/": ({"code": "g9", "name": "新维度"}, STAFF),
        f"/indices/f/{fw}/data/2025/save/": ({}, STAFF),
        f"/indices/f/{fw}/data/2025/platform/": ({}, STAFF),
        f"/indices/f/{fw}/compute/": ({"year": "2025"}, STAFF),
        f"/indices/r/{d}/publish/": ({}, STAFF),
        "/indices/new/": ({"code": "n1", "name": "新指数"}, STAFF),
        f"/indices/f/{fw}/groups/{w['group']}/": ({"name": ""}, STAFF),
        f"/indices/f/{fw}/groups/{w['group']}/delete/": ({}, STAFF),
        f"/indices/f/{fw}/indicators/{w['ind']}/delete/": ({}, STAFF),
        f"/indices/f/{fw}/districts/": ({}, STAFF),
    }


@pytest.mark.parametrize("role", sorted(EVERY) + [ANON])
def test_page_matrix(world, role):
    assert_matrix(client_for(world, role), role, pages(world), api=False)


@pytest.mark.parametrize("role", sorted(EVERY - STAFF) + [ANON])
def test_nobody_but_the_city_office_changes_anything(world, role):
    c = client_for(world, role)
    for url, (data, _allowed) in posts(world).items():
        status = c.post(url, data).status_code
        assert status == (302 if role == ANON else 403), f"{role} POST {url}: {status}"
    fw = Framework.objects.get()
    assert fw.name == "测试指数" and not fw.groups.filter(code="g9").exists()
    world["draft"].refresh_from_db()
    assert not world["draft"].published


@pytest.mark.parametrize("role", sorted(STAFF))
def test_the_city_office_may_change(world, role):
    c = client_for(world, role)
    for url, (data, _allowed) in posts(world).items():
        assert c.post(url, data).status_code == 302, url


@pytest.mark.parametrize("role", sorted(EVERY) + [ANON])
def test_api_matrix(world, role):
    c = client_for(world, role)
    assert c.get("/api/v1/indices/results").status_code == 200
    seen = {r["number"] for r in c.get("/api/v1/indices/results").json()}
    assert world["pub"].number in seen
    assert (world["draft"].number in seen) == (role in VIEWERS), role
    status = c.get(f"/api/v1/indices/results/{world['draft'].number}").status_code
    assert status == (200 if role in VIEWERS else 404), role


def test_a_district_officer_sees_the_city_ranking_only_as_published(world):
    c = client_for(world, R.DISTRICT_OFFICER)
    assert c.get(f"/indices/public/{world['pub'].number}/").status_code == 200
    assert c.get(f"/indices/public/{world['draft'].number}/").status_code == 404
    assert c.get(f"/indices/r/{world['draft'].number}/").status_code == 403
    assert c.get(f"/indices/public/{world['draft'].number}/report.pdf").status_code == 404
    page = c.get("/indices/public/").content.decode()
    assert world["pub"].number in page and world["draft"].number not in page
