"""Complete a course, pass its quiz and verify the certificate on the public page (issue 9)."""

import pytest

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.training.models import Certificate
from qualitycity.training.tests.factories import course

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_complete_a_course_and_verify_the_certificate(live_server, page):
    world = factories.role_users()
    c = course(questions=3)
    login(page, live_server.url, world["users"][Role.ENTERPRISE_MEMBER].username, factories.PASSWORD)
    page.goto(f"{live_server.url}/training/courses/{c.code}/")
    page.click("text=报名学习")
    page.wait_for_load_state("networkidle")
    page.click("#lessons a >> nth=0")
    page.click("#lesson-done")  # goes on to lesson 2
    page.wait_for_load_state("networkidle")
    page.click("#lesson-done")  # back to the course page
    page.wait_for_load_state("networkidle")
    page.click("#start-quiz")
    for question in c.questions.all():
        page.check(f"input[name=q{question.pk}][value='{question.choices.get(correct=True).pk}']")
    page.click("#quiz-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    code = page.locator("#cert-code").inner_text()
    assert Certificate.objects.get().code == code
    with page.expect_download() as download:
        page.click("text=下载证书（PDF）")
    assert download.value.suggested_filename.endswith(".pdf")

    page.context.clear_cookies()  # the check is public
    page.goto(f"{live_server.url}/training/verify/")
    page.fill("#code", code)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    result = page.locator("#result").inner_text()
    assert "证书有效" in result and c.title in result
    screenshot(page, "certificate-verified")
    assert page.console_errors == []
