"""The survey team's side in a browser: screen, review a flagged response with a reason,
estimate, submit for publication; the city office publishes on the portal desk and the
public page shows the approved index.  No console errors on any page."""

import re

import pytest

from qualitycity.core.models import AuditEvent, Role
from qualitycity.core.tests import factories as core_factories
from qualitycity.surveys.models import Response
from qualitycity.surveys.tests import factories

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_review_a_flagged_response_estimate_and_submit_for_publication(live_server, page):
    world = core_factories.role_users()
    project = factories.project(title="2026年物业管理满意度测评")
    factories.fill(project, 60)
    speeder = project.responses.order_by("id").first()
    Response.objects.filter(pk=speeder.pk).update(duration_seconds=8)
    login(page, live_server.url, world["users"][Role.CITY_OFFICE].username, core_factories.PASSWORD)
    base = f"{live_server.url}/surveys/{project.number}/"

    page.goto(base)
    page.click("#screen")
    page.wait_for_load_state("networkidle")
    assert "份被标记待审核" in page.inner_text("body")
    page.click("#review-link")
    row = page.locator("#queue tr", has_text=str(speeder.pk)).first
    row.locator("input[name=reason]").fill("作答仅 8 秒，复核确认未认真作答")
    row.locator("button[value=excluded]").click()
    page.wait_for_load_state("networkidle")
    assert "审核结论已记录" in page.inner_text("body")
    assert Response.objects.get(pk=speeder.pk).review == "excluded"
    assert AuditEvent.objects.filter(action="surveys.review", object_id=str(speeder.pk)).exists()

    page.goto(base)
    page.click("#estimate")  # with the 1,000-resample bootstrap ticked
    page.wait_for_selector("#satisfaction-index", timeout=60000)
    page.wait_for_function("() => document.querySelector('#chart-ipma canvas') !== null", timeout=15000)
    body = page.inner_text("body")
    assert "估计完成" in body and "95% CI" in body and "演示默认边际" in body
    index = page.inner_text("#satisfaction-index")
    assert re.fullmatch(r"\d{2}\.\d", index)

    page.click("#submit")
    page.wait_for_selector("#waiting")
    assert "等待市质量强市办审批" in page.inner_text("body")
    screenshot(page, "survey-staff-submitted")

    page.goto(f"{live_server.url}/portal/desk/")
    page.locator("tr", has_text=project.title).locator("button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    page.locator("tr", has_text=project.title).locator("button[value=publish]").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/surveys/results/{project.number}/")
    assert page.inner_text("#satisfaction-index") == index
    assert page.locator("#public-pdf").count() == 1
    assert page.console_errors == []
