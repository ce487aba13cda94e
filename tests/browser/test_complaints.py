"""A citizen files a demand on a phone and finds it by tracking code; a department
handles it, the city office escalates it, the citizen rates it, the bulletin counts it."""

import pytest
from playwright.sync_api import expect

from qualitycity.complaints.models import Demand
from qualitycity.complaints.tests import factories as complaint_factories
from qualitycity.core.models import Role
from qualitycity.core.tests import factories

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def file_on_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base_url}/complaints/new/")
    page.select_option("#id_demand_type", "complaint")
    page.select_option("#id_category", "food")
    page.select_option("#id_district", "洪山区")
    page.fill("#id_address", "街道口某超市")
    page.fill("#id_description", "在超市买到过期酸奶，喝完肚子不舒服，要求退款并查处")
    page.fill("#id_contact_name", "赵女士")
    page.fill("#id_contact_phone", "13911112222")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the form scrolls sideways on a phone ({width}px)"
    page.click("button[type=submit]")
    code = page.locator("#tracking-code").inner_text().strip()
    screenshot(page, "complaint-submitted-phone")
    page.goto(f"{base_url}/complaints/track/")
    page.fill("input[name=code]", code.lower())
    page.click("form button[type=submit]")
    expect(page.locator("#state")).to_have_text("待受理")
    assert "13911112222" not in page.content()
    screenshot(page, "complaint-status-phone")
    assert errors == []
    return context, page, code


def test_a_citizen_files_on_a_phone_and_tracks_by_code(live_server, browser):
    complaint_factories.world()
    context, _page, code = file_on_a_phone(browser, live_server.url)
    assert Demand.objects.get(tracking_code=code).channel == "web"
    context.close()


def test_handle_escalate_close_rate_and_bulletin(live_server, browser, page):
    w = complaint_factories.world()
    context, phone, code = file_on_a_phone(browser, live_server.url)
    demand = Demand.objects.get(tracking_code=code)
    login(page, live_server.url, w["users"][Role.DEPARTMENT_OFFICER].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/complaints/")
    page.click(f"text={demand.number}")
    page.click("#do-accept")
    expect(page.locator("#state")).to_contain_text("办理中")
    page.context.clear_cookies()
    login(page, live_server.url, w["users"][Role.CITY_OFFICE].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/complaints/d/{demand.number}/")
    page.click("#do-escalate")
    expect(page.locator("main")).to_contain_text("红牌督办")
    page.context.clear_cookies()
    login(page, live_server.url, w["users"][Role.DEPARTMENT_OFFICER].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/complaints/d/{demand.number}/")
    page.fill("textarea[name=reply]", "已责令超市下架过期酸奶并退款，依法立案处罚")
    page.click("#do-close")
    phone.goto(f"{live_server.url}/complaints/track/{code}/")
    phone.check("input[name=rating][value=satisfied]")
    phone.click("text=提交评价")
    assert phone.locator("#state").inner_text() == "已归档"
    context.close()
    page.context.clear_cookies()
    login(page, live_server.url, w["users"][Role.CITY_OFFICE].username, factories.PASSWORD)
    month = demand.received_at.astimezone().strftime("%Y-%m")
    page.goto(f"{live_server.url}/complaints/bulletins/?start={month}")
    page.wait_for_function("() => document.querySelector('#chart-volume canvas') !== null", timeout=15000)
    row = page.locator("#ranking tbody tr", has_text="武汉市市场监督管理局").inner_text()
    assert row.count("100.0%") == 3  # accepted on time, closed on time, rated satisfied
    screenshot(page, "complaints-bulletin")
    assert page.console_errors == []
