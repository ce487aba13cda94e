"""Log in as each role and check the home page renders with no console errors."""

import pytest
from playwright.sync_api import expect

from qualitycity.core.models import Role
from qualitycity.core.tests import factories

from .conftest import login, screenshot

# serialized_rollback restores the data migration rows (industries) that a flush removes.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EXPECTED_HEADING = {
    Role.CITY_OFFICE: "市质量强市办工作台",
    Role.SYSTEM_ADMIN: "市质量强市办工作台",
    Role.DISTRICT_OFFICER: "区级工作台",
    Role.DEPARTMENT_OFFICER: "成员单位工作台",
    Role.ENTERPRISE_MEMBER: "自有企业有限公司",
    Role.PROVIDER_STAFF: "测试检测有限公司",
    Role.EXPERT: "专家工作台",
    Role.CITIZEN: "您好",
}


def test_every_role_logs_in_to_a_clean_home_page(live_server, page):
    world = factories.role_users()
    for role, heading in EXPECTED_HEADING.items():
        user = world["users"][role]
        page.context.clear_cookies()
        login(page, live_server.url, user.username, factories.PASSWORD)
        assert page.locator("h1").first.inner_text().find(heading) >= 0, f"{role}: {page.locator('h1').first.inner_text()}"
        assert "演示数据" in page.locator("footer").inner_text()
        screenshot(page, f"home-{role}")
        assert page.console_errors == [], f"{role}: {page.console_errors}"


def test_the_city_map_draws_the_districts(live_server, page):
    world = factories.role_users()
    login(page, live_server.url, world["users"][Role.CITY_OFFICE].username, factories.PASSWORD)
    page.wait_for_function("() => document.querySelector('#district-map canvas') !== null", timeout=15000)
    drawn = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('district-map')).getOption().series[0].data")
    counts = {d["name"]: d["value"] for d in drawn}
    # role_users puts one enterprise in each of 洪山区 and 江岸区, none elsewhere
    assert counts["洪山区"] == 1 and counts["江岸区"] == 1
    assert all(value == 0 for name, value in counts.items() if name not in ("洪山区", "江岸区"))
    screenshot(page, "city-map")
    assert page.console_errors == []


def test_the_enterprise_list_filters_on_a_phone(live_server, browser):
    world = factories.role_users()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, live_server.url, world["users"][Role.CITY_OFFICE].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/directory/enterprises/")
    page.select_option("select[name=district]", "江岸区")
    page.wait_for_function("() => !document.querySelector('#rows').innerText.includes('自有企业')")
    rows = page.locator("#rows tbody tr").all_inner_texts()
    assert len(rows) == 1 and "江岸他人企业有限公司" in rows[0]
    screenshot(page, "enterprises-phone")
    context.close()


def test_on_a_phone_the_menu_opens_from_one_button_and_leads_to_my_standards(live_server, browser):
    world = factories.role_users()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  locale="zh-CN")
    page = context.new_page()
    login(page, live_server.url, world["users"][Role.ENTERPRISE_MEMBER].username, factories.PASSWORD)
    menu = page.locator("#site-menu")
    expect(menu).to_be_hidden()  # the header is one line: brand and menu button
    expect(page.locator(".workbench")).to_be_visible()  # the user's own work comes first
    page.click(".menu-button")
    expect(menu).to_be_visible()
    page.click("#site-menu summary:has-text('标准')")
    page.click("#site-menu a:has-text('我的标准')")
    expect(page).to_have_url(f"{live_server.url}/standards/mine/")
    screenshot(page, "phone-menu-my-standards")
    context.close()


def test_a_user_creates_a_token_sees_it_once_and_revokes_it(live_server, page):
    world = factories.role_users()
    login(page, live_server.url, world["users"][Role.PROVIDER_STAFF].username, factories.PASSWORD)
    page.click("text=API 令牌")
    page.fill("#token-name", "实验室 LIMS")
    page.click("text=创建令牌")
    key = page.locator("#token-key").inner_text()
    assert key.startswith("qc_")
    screenshot(page, "api-token-created")
    page.reload()  # a GET: the key is not shown again
    assert page.locator("#token-key").count() == 0 and "实验室 LIMS" in page.locator("table.list").inner_text()
    page.click("table.list button:has-text('吊销')")
    expect(page.locator("table.list")).to_contain_text("已吊销")
    assert page.console_errors == []


def test_every_demo_login_signs_in_with_the_readme_password(live_server, page):
    """The logins `make run` prints, created by the demo's own code on a small directory
    (the whole demo city takes about two minutes, too long for every run)."""
    from qualitycity.core.models import OrgKind
    from qualitycity.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD, create_demo_users

    assert DEMO_PASSWORD == "demo-2026"  # the README's table says so
    factories.role_users()
    factories.organization(OrgKind.CERTIFICATION_BODY, name="名品认证测试中心", industry=None)
    factories.expert()
    create_demo_users()
    for username, display, _role, _org in DEMO_LOGINS:
        page.context.clear_cookies()
        login(page, live_server.url, username, DEMO_PASSWORD)
        assert page.url.rstrip("/") == live_server.url, f"{username} did not get past the login page"
        expect(page.locator(".userbox")).to_contain_text(display)
        screenshot(page, f"demo-login-{username}")
        assert page.console_errors == [], f"{username}: {page.console_errors}"
