"""A department officer files a quarterly report; the city office accepts it."""

import pytest
from playwright.sync_api import expect

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.governance.models import ProgressReport
from qualitycity.governance.tests.factories import world

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_unit_files_a_quarterly_report_and_the_city_office_accepts_it(live_server, page, tmp_path):
    w = world()
    item = w["dept_task"]
    target = item.targets.get()
    evidence = tmp_path / "佐证.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence for the browser test")

    login(page, live_server.url, w["users"][Role.DEPARTMENT_OFFICER].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/governance/")
    page.click(f"text={item.title}")
    page.select_option("#period", str(w["q"][4].pk))
    page.fill("#narrative", "完成计量器具强制检定 1200 台件")
    page.fill("#percent_complete", "60")
    page.fill(f"#value_{target.pk}", "75")
    page.set_input_files("#evidence", str(evidence))
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已报送" in page.locator(".messages").inner_text()
    screenshot(page, "governance-report-filed")
    assert page.console_errors == []
    report = ProgressReport.objects.get()
    assert report.unit == w["orgs"]["dept"] and report.evidence.count() == 1

    page.context.clear_cookies()
    login(page, live_server.url, w["users"][Role.CITY_OFFICE].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/governance/reports/?status=submitted")
    page.click(f"text={report.number}")
    # content() right after a click can catch the page between documents
    expect(page.locator("main")).to_contain_text("完成计量器具强制检定")
    page.fill("#comment", "材料齐全")
    page.click("#review-form button[value=accept]")
    page.wait_for_load_state("networkidle")
    assert "已通过" in page.locator("#report-status").inner_text()
    screenshot(page, "governance-report-accepted")
    assert page.console_errors == []
    report.refresh_from_db()
    assert report.status == "accepted" and report.review_comment == "材料齐全"


def test_the_timeline_draws_one_bar_per_task(live_server, page):
    w = world()
    login(page, live_server.url, w["users"][Role.CITY_OFFICE].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/governance/plans/{w['plan'].pk}/timeline/")
    page.wait_for_function("() => document.querySelector('#gantt canvas') !== null", timeout=15000)
    data = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('gantt')).getOption().series[0].data")
    assert len(data) == 4
    assert page.console_errors == []
