"""The public portal and the brand certificate check, on a phone, with axe-core."""

import datetime as dt

import pytest

from qualitycity.brands import services as brand_services
from qualitycity.brands.tests.factories import BY, certified, inspected
from qualitycity.core.tests import factories
from qualitycity.portal import services as portal_services

from .accessibility import serious_violations
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    yield page
    context.close()


def test_a_citizen_checks_a_certificate_and_sees_a_suspension_at_once(live_server, phone):
    cert = certified(factories.organization(name="楚天电缆有限公司"), today=dt.date(2026, 1, 10))
    phone.goto(f"{live_server.url}/brands/")
    phone.fill("#cert-number", cert.number.lower())
    phone.click("form[action*=check] button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "有效" in phone.locator("#check-result").inner_text()
    assert serious_violations(phone) == []
    sample = inspected(cert.enterprise, passed=False, item="导体电阻", tested_on=dt.date(2026, 6, 1))
    brand_services.record_surveillance(by=BY, certificate=cert, kind="sampling", held_on=dt.date(2026, 6, 1),
                                       passed=False, inspection_report=sample.number, notes="导体电阻超标")
    phone.reload()
    result = phone.locator("#check-result").inner_text()
    assert "暂停" in result and "导体电阻超标" in result
    screenshot(phone, "brand-check-suspended")
    phone.goto(f"{live_server.url}/brands/check/?number=WHMP209901010001")
    assert "查无此证书" in phone.locator("#check-result").inner_text()
    assert phone.console_errors == []


def test_portal_pages_are_accessible_on_a_phone(live_server, phone):
    factories.area()
    pub = portal_services.prepare_publication(
        by=BY, series="sampling-2026q3", kind="sampling_results", title="2026年第三季度监督抽查结果", year=2026,
        source_module="inspection", rows=[{"enterprise": "甲公司", "result": "合格"}],
        dictionary=[{"field": "enterprise", "type": "string", "description": "企业"},
                    {"field": "result", "type": "string", "description": "结论"}],
        charts=[{"title": "合格率", "type": "bar", "labels": ["电线电缆"], "values": [96.5]}],
    )
    portal_services.approve(by=BY, publication=pub)
    portal_services.publish(by=BY, publication=pub)
    for path, name in [("/portal/", "portal-home"), ("/portal/reports/", "portal-reports"),
                       ("/portal/reports/sampling-2026q3/v1/", "portal-report"), ("/portal/open-data/", "portal-open-data"),
                       ("/brands/", "brands-registry")]:
        phone.goto(f"{live_server.url}{path}")
        phone.wait_for_load_state("networkidle")
        assert serious_violations(phone) == [], path
        screenshot(phone, name)
    assert phone.console_errors == []
