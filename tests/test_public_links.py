"""The public services on the home page and the portal: every one is listed, and every
one opens for a visitor who is not logged in (no link that ends at the login page)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from qualitycity.core.nav import public_links

pytestmark = pytest.mark.django_db


def declared() -> int:
    return sum(len(getattr(config, "public_links", [])) for config in apps.get_app_configs())


def test_every_declared_public_link_opens_for_an_anonymous_visitor():
    links = public_links(AnonymousUser())
    assert len(links) == declared() >= 7
    client = Client()
    for link in links:
        response = client.get(link["url"])
        assert response.status_code == 200, f"{link['label']} {link['url']}: {response.status_code}"


def test_the_home_page_and_the_portal_offer_them():
    client = Client()
    home = client.get("/").content.decode()
    portal = client.get("/portal/").content.decode()
    for text in ("我要投诉·反映问题", "查验检验报告", "查询诉求办理进度", "查标准"):
        assert text in home and text in portal
    assert "公众门户：报告公示与开放数据" in home and "公众门户：报告公示与开放数据" not in portal
