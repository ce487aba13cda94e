"""An enterprise asks, the expert answers, the enterprise closes and rates (issue 9)."""

import pytest

from qualitycity.consult.models import Case
from qualitycity.consult.tests import factories as consult_factories
from qualitycity.core.models import Role
from qualitycity.core.tests import factories

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_ask_answer_close_and_rate(live_server, page):
    world = consult_factories.world()
    enterprise, expert = world["users"][Role.ENTERPRISE_MEMBER], world["users"][Role.EXPERT]

    login(page, live_server.url, enterprise.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/consult/ask/")
    page.fill("#id_title", "BV 电线绝缘电阻不合格")
    page.select_option("#id_field", "testing")
    page.fill("#id_product", "BV 2.5mm² 电线")
    page.fill("#id_symptom", "客户抽检 70℃ 绝缘电阻低于标准值，导体电阻合格，请专家指导。")
    page.fill("#id_standards", "GB/T 5023.3-2008")
    page.click("#ask-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    case = Case.objects.get()
    assert case.number in page.locator("main").inner_text()
    assert page.locator("#status").inner_text() == "已分配"
    # the enterprise is told why this expert was chosen
    assert "熟悉标准" in page.locator("#why-expert").inner_text()

    page.context.clear_cookies()
    login(page, live_server.url, expert.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/consult/")
    page.click(f"text={case.number}")
    page.fill("#reply-form #id_body", "请核对绝缘料批次的体积电阻率，并按 GB/T 5023.2 复测。")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#status").inner_text() == "已答复"

    page.context.clear_cookies()
    login(page, live_server.url, enterprise.username, factories.PASSWORD)
    page.goto(f"{live_server.url}/consult/cases/{case.number}/")
    assert "体积电阻率" in page.locator("#thread").inner_text()
    page.select_option("#id_rating", "5")
    page.fill("#id_comment", "答复及时，问题已解决")
    page.check("input[name=consent]")
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#status").inner_text() == "已评价"
    screenshot(page, "consult-rated")
    case.refresh_from_db()
    assert case.rating == 5 and hasattr(case, "article")
    assert page.console_errors == []
