"""On a phone-sized screen: search a 2-character word, see highlighted results, open a
standard and find its timeline, replacement chain and QR code."""

import pytest
from playwright.sync_api import expect

from qualitycity.standards.reference import ensure_code_tables
from qualitycity.standards.tests.factories import CATALOGUE, load

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_searching_a_two_character_word_on_a_phone(live_server, browser):
    ensure_code_tables()
    load(CATALOGUE)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/standards/")
    page.fill("input[name=q]", "电缆")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("mark")
    assert "找到 3 项标准" in page.locator("[data-testid=total]").inner_text()
    assert page.locator(".std-item mark").first.inner_text() == "电缆"
    # nothing wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "standards-search-phone")
    page.click("text=GB/T 5023.1-2008")
    page.wait_for_selector("[data-testid=number]")
    assert page.locator("[data-testid=number]").inner_text() == "GB/T 5023.1-2008"
    assert page.locator(".std-qr svg").count() == 1
    expect(page.locator("main")).to_contain_text("生命周期")
    screenshot(page, "standards-detail-phone")
    assert errors == []
    context.close()
