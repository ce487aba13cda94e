"""A respondent opens a one-time survey link on a phone, answers and submits; the link
cannot be used again.  Staff then see the results charts drawn."""

import pytest

from qualitycity.core.models import Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core_factories
from qualitycity.surveys import services
from qualitycity.surveys.models import Response
from qualitycity.surveys.tests import factories

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_a_respondent_submits_once_from_a_phone(live_server, browser):
    area = core_factories.area()
    project = factories.project()
    secret = services.issue_tokens(by=Actor.system("test"), project=project, count=1)[0]
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    url = f"{live_server.url}/surveys/r/{secret}/"
    page.goto(url)
    page.select_option("#district", str(area.pk))
    page.check("input[name=sex][value=F]")
    page.check("input[name=age_band][value='30-44']")
    for q in project.questions.exclude(kind="open"):
        page.check(f"input[name={q.code}][value='{3 if q.code == 'SAT_R' else 8}']")
    page.fill("textarea[name=OPEN]", "希望延长周末服务时间")
    # The form fits the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.click("#submit")
    page.wait_for_selector("#respond-done")
    assert "提交成功" in page.inner_text("#respond-done")
    screenshot(page, "survey-phone-submitted")
    response = Response.objects.get(project=project)
    assert response.channel == "web" and response.answers["SAT1"] == 8 and response.duration_seconds is not None
    # The same link again: refused, and still one response.
    result = page.goto(url)
    assert result.status == 410 and "此链接已使用" in page.inner_text("#respond-done")
    assert Response.objects.filter(project=project).count() == 1
    assert errors == []
    context.close()


def test_staff_see_the_results_charts(live_server, page):
    world = core_factories.role_users()
    project = factories.project()
    factories.fill(project, 60)
    services.estimate_project(by=Actor.system("test"), project=project, n_boot=0)
    login(page, live_server.url, world["users"][Role.CITY_OFFICE].username, core_factories.PASSWORD)
    page.goto(f"{live_server.url}/surveys/{project.number}/")
    page.wait_for_function("() => document.querySelector('#chart-ipma canvas') !== null", timeout=15000)
    assert page.console_errors == []
