"""Pages: search with facets and highlights, detail with timeline, chain and QR code."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.standards.models import Follow

from .factories import CATALOGUE, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(codes):
    load(CATALOGUE)
    return Client()


def test_the_search_page_shows_highlighted_results_and_facets(site):
    html = site.get("/standards/", {"q": "电缆"}).content.decode()
    assert "<mark>电缆</mark>" in html and "GB/T 5023.1-2008" in html and 'class="chip"' in html


def test_a_search_page_never_fails(site):
    for q in ['"', "NEAR(", "😀", "\x00", "*" * 3000]:
        assert site.get("/standards/", {"q": q, "implemented_from": "bad"}).status_code == 200


def test_the_detail_page_has_timeline_chain_adoption_and_qr(site):
    html = site.get("/standards/s/GB/T 19001-2016").content.decode()
    assert 'data-testid="chain"' in html and "GB/T 19001-2008" in html
    assert "ISO 9001:2015" in html and "<svg" in html and "2017-07-01" in html


def test_a_typed_number_redirects_to_the_canonical_page(site):
    response = site.get("/standards/s/gbt19001-2016")
    assert response.status_code == 302 and response["Location"].endswith("/standards/s/GB/T%2019001-2016")
    assert site.get("/standards/s/GB/T 1-1999").status_code == 404


def test_following_from_the_detail_page(site):
    world = factories.role_users()
    client = Client()
    client.force_login(world["users"][Role.ENTERPRISE_MEMBER])
    client.post("/standards/follow/", {"number": "GB/T 19001-2016"})
    assert Follow.objects.filter(standard__number="GB/T 19001-2016").count() == 1
    assert "GB/T 19001-2016" in client.get("/standards/mine/").content.decode()
    client.post("/standards/follow/", {"target": "ics", "code": "bogus"})
    assert Follow.objects.count() == 1
