"""One inspection order from request to a verified report: the enterprise orders on a
phone-sized screen, the lab accepts, tests, a second person reviews, the lab issues, and
the public verifies the downloaded PDF."""

import re

import pytest

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.inspection.tests import factories as insp

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def act(page, action, **fields):
    form = page.locator(f"form[data-action={action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.locator("button").click()
    page.wait_for_load_state("networkidle")


def test_one_order_from_request_to_verified_report(live_server, browser, tmp_path, monkeypatch):
    monkeypatch.setenv("QCITY_SIGNING_DIR", str(tmp_path / "keys"))
    w = insp.world()
    base = live_server.url

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    ent = phone.new_page()
    login(ent, base, w["users"][Role.ENTERPRISE_MEMBER].username, factories.PASSWORD)
    ent.goto(f"{base}/inspection/orders/new/")
    ent.fill("#id_product_name", "E1级刨花板")
    ent.check("input[name=item][value=甲醛释放量]")
    ent.check("input[name=item][value=含水率]")
    ent.click("button[name=match]")
    assert "资质认定范围覆盖全部 2 个检测项目" in ent.locator("#matches").inner_text()
    ent.locator("#matches button").first.click()
    ent.wait_for_load_state("networkidle")
    number = re.search(r"JY\d{12}", ent.locator("h1").inner_text())[0]
    screenshot(ent, "inspection-order-phone")

    lab = browser.new_context(locale="zh-CN").new_page()
    login(lab, base, w["users"][Role.PROVIDER_STAFF].username, factories.PASSWORD)
    lab.goto(f"{base}/inspection/lab/")
    lab.click(f"#inbox >> text={number}")
    act(lab, "accept", quote="800")

    ent.reload()
    act(ent, "send_sample", sampling_plan="送样 2 块")

    lab.reload()
    act(lab, "receive", sample_condition="完好，密封")
    act(lab, "start_testing")
    rows = lab.locator("#results-form tbody tr")
    for i, (value, unit, limit) in enumerate([("0.05", "mg/m³", "≤0.124"), ("8.2", "%", "3.0~13.0")]):
        row = rows.nth(i)
        row.locator("input[name^=value_]").fill(value)
        row.locator("input[name^=unit_]").fill(unit)
        row.locator("input[name^=limit_]").fill(limit)
    lab.click("#results-form button")
    lab.wait_for_load_state("networkidle")
    act(lab, "submit_results")
    # the person who entered the results cannot approve them (four-eyes)
    act(lab, "approve")
    assert "四眼原则" in lab.locator(".messages").inner_text()

    reviewer = browser.new_context(locale="zh-CN").new_page()
    login(reviewer, base, w["reviewer"].username, factories.PASSWORD)
    reviewer.goto(f"{base}/inspection/orders/{number}/")
    act(reviewer, "approve")
    act(reviewer, "issue")
    assert "报告已签发" in reviewer.locator("#state").inner_text()

    ent.reload()
    with ent.expect_download() as download:
        ent.locator("#reports a[href$='.pdf']").click()
    pdf_path = tmp_path / "report.pdf"
    download.value.save_as(pdf_path)
    act(ent, "rate")
    timeline = ent.locator("#timeline").inner_text()
    for step in ("提交报检", "受理并报价", "登记收样", "审核通过", "签发报告", "评价"):
        assert step in timeline

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/verify/")
    public.set_input_files("#id_file", str(pdf_path))
    public.click("form[enctype] button")
    public.wait_for_load_state("networkidle")
    verdict = public.locator("#verdict").inner_text()
    assert "真实有效" in verdict and "BG" in verdict
    screenshot(public, "inspection-verified")
    phone.close()
