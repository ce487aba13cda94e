"""The standards library against every role: allowed or denied, and never another firm's
follows or another district's standardization figures."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories
from qualitycity.core.tests.authz import ROLES_AND_ANONYMOUS, assert_matrix, client_for
from qualitycity.standards.models import Follow, Standard, StandardBody
from qualitycity.standards.reference import ensure_code_tables
from qualitycity.standards.services import follows
from qualitycity.standards.tests.factories import CATALOGUE, load

R = Role
EVERY_ROLE = set(Role)
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}

# written out here, independently of standards.rules
API_MATRIX = {
    "/api/v1/standards/search?q=电缆": EVERY_ROLE | {"anonymous"},
    "/api/v1/standards/GB/T 19001-2016": EVERY_ROLE | {"anonymous"},
    "/api/v1/standards/follows": {R.ENTERPRISE_MEMBER},
}
PAGE_MATRIX = {
    "/standards/?q=电缆": EVERY_ROLE | {"anonymous"},
    "/standards/s/GB/T 19001-2016": EVERY_ROLE | {"anonymous"},
    "/standards/mine/": {R.ENTERPRISE_MEMBER},
    "/standards/work/": STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER},
}


@pytest.fixture
def world(db):
    ensure_code_tables()
    world = factories.role_users()
    load(CATALOGUE)
    return world


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_standards_api_matrix(world, role):
    assert_matrix(client_for(world, role), role, API_MATRIX, api=True)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_standards_page_matrix(world, role):
    assert_matrix(client_for(world, role), role, PAGE_MATRIX, api=False)


def test_a_firm_never_sees_or_removes_another_firms_follows(world):
    std = Standard.objects.get(number="GB/T 19001-2016")
    own = follows.follow(by=Actor(user=world["users"][R.ENTERPRISE_MEMBER]), standard=std)
    outsider = Client()
    outsider.force_login(world["outsider"])
    assert outsider.get("/api/v1/standards/follows").json() == []
    assert "GB/T 19001-2016" not in outsider.get("/standards/mine/").content.decode()
    assert outsider.delete(f"/api/v1/standards/follows/{own.pk}").status_code == 400
    assert Follow.objects.filter(pk=own.pk).exists()


def test_the_district_officer_sees_only_standards_drafted_in_their_district(world):
    inside = StandardBody.objects.create(standard=Standard.objects.get(number="DB42/T 1234-2020"),
                                         organization=world["orgs"]["own"], role=StandardBody.Role.DRAFTER)
    outside = StandardBody.objects.create(standard=Standard.objects.get(number="T/CAQ 10201-2020"),
                                          organization=world["orgs"]["other"], role=StandardBody.Role.DRAFTER)
    district = client_for(world, R.DISTRICT_OFFICER).get("/standards/work/").content.decode()
    assert inside.standard.number in district and outside.standard.number not in district
    city = client_for(world, R.CITY_OFFICE).get("/standards/work/").content.decode()
    assert inside.standard.number in city and outside.standard.number in city
