"""The publishing workflow in the browser: the city office hands the quarter's complaints
bulletin to the portal, approves and publishes it on the desk, and anyone can read it."""

import datetime as dt

import pytest
from django.test import Client

from qualitycity.core.models import Role

from .accessibility import serious_violations
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_city_office_publishes_a_bulletin_from_the_complaints_page_to_the_portal(live_server, browser):
    from qualitycity.complaints.tests import factories as complaints

    world = complaints.world()
    complaints.demand(world)
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    today = dt.date.today()
    quarter_start = f"{today.year}-{(today.month - 1) // 3 * 3 + 1:02d}"
    page.goto(f"{live_server.url}/complaints/bulletins/?kind=quarter&start={quarter_start}")
    page.click("#to-portal")
    page.wait_for_load_state("networkidle")
    assert "已提交门户待审批" in page.content()
    page.goto(f"{live_server.url}/portal/desk/")
    page.click("button[value=approve]")
    page.wait_for_load_state("networkidle")
    page.click("button[value=publish]")
    page.wait_for_load_state("networkidle")
    assert "没有待审批或待发布的报告" in page.content()
    context.close()

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN").new_page()
    visitor.goto(f"{live_server.url}/portal/reports/")
    visitor.click("text=诉求办理督办通报")
    visitor.wait_for_load_state("networkidle")
    body = visitor.content()
    assert '<th scope="col">主办单位</th>' in body and "None" not in visitor.locator("main").inner_text()
    assert "王先生" not in body and "13812341234" not in body
    assert serious_violations(visitor) == []
    screenshot(visitor, "portal-bulletin-published")
    visitor.context.close()
