"""The quality index in a browser: the office sends a result to the portal's workflow, the public
sees it only once published, a recompute leaves the public page as it was; ranking, radar chart,
map and trend render with no console errors."""

import pytest

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core
from qualitycity.indices.models import Value
from qualitycity.indices.services import compute
from qualitycity.indices.tests import factories
from qualitycity.portal import services as portal

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_anyone_opens_the_published_ranking_and_the_radar_chart(live_server, page):
    core.role_users()
    fw, areas, inds = factories.framework()
    for v in list(Value.objects.filter(year=2025)):
        Value.objects.create(indicator=v.indicator, area=v.area, year=2024, value=v.value + v.area_id % 3,
                             origin="manual")
    for year in (2024, 2025):
        r = compute.compute_result(by=factories.SYSTEM, framework=fw, year=year, replications=200, sobol_base=64)
        factories.publish(r)
    page.goto(f"{live_server.url}/indices/public/")
    page.click(f"a[href='/indices/public/{r.number}/']")
    assert page.locator("#ranking tbody tr").first.inner_text().split("\t")[:2] == ["1", "洪山区"]
    page.wait_for_function("() => document.querySelector('#index-radar canvas') !== null", timeout=15000)
    page.select_option("#radar-unit", "江岸区")
    series = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('index-radar')).getOption().series[0].data")
    assert series[0]["name"] == "江岸区" and len(series[0]["value"]) == 2
    page.wait_for_function(
        "() => (echarts.getInstanceByDom(document.getElementById('index-map')).getOption().series || []).length > 0",
        timeout=15000)
    mapped = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('index-map')).getOption().series[0].data")
    assert {d["name"] for d in mapped} == {a.name for a in areas}
    trend = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('index-trends')).getOption().xAxis[0].data")
    assert trend == [2024, 2025]
    screenshot(page, "indices-public")
    assert page.console_errors == []


def test_the_office_sends_a_result_and_the_public_sees_it_only_once_the_portal_publishes_it(live_server, page):
    w = core.role_users()
    fw, _areas, _inds = factories.framework()
    r = compute.compute_result(by=factories.SYSTEM, framework=fw, year=2025, replications=200, sobol_base=0)
    login(page, live_server.url, w["users"][Role.CITY_OFFICE].username, core.PASSWORD)
    page.goto(f"{live_server.url}/indices/r/{r.number}/")
    page.click("text=提交公开发布（送市质量强市办审批）")
    page.wait_for_load_state("networkidle")
    assert "待市质量强市办在门户审批发布" in page.content()
    release = r.releases.get()
    assert page.request.get(f"{live_server.url}/indices/public/{r.number}/").status == 404  # not approved yet
    portal.approve(by=factories.SYSTEM, publication=release.publication)
    portal.publish(by=factories.SYSTEM, publication=release.publication)
    public = page.context.new_page()
    public.goto(f"{live_server.url}/indices/public/{r.number}/")
    first = public.locator("#ranking tbody tr").first.inner_text().split("\t")[:2]
    assert first == ["1", "洪山区"] and "第 1 版" in public.locator("#release-status").inner_text()
    # New data makes 武昌区 the best; the office recomputes. The public page does not move.
    for v in Value.objects.filter(indicator__framework=fw, area__name="武昌区"):
        v.value = 1000.0 if v.indicator.direction == "+" else 0.0
        v.save()
    compute.compute_result(by=factories.SYSTEM, framework=fw, year=2025, replications=200, sobol_base=0)
    public.reload()
    assert public.locator("#ranking tbody tr").first.inner_text().split("\t")[:2] == ["1", "洪山区"]
    page.goto(f"{live_server.url}/indices/r/{r.number}/")
    assert page.locator("#ranking tbody tr").first.inner_text().split("\t")[:2] == ["1", "武昌区"]
    screenshot(page, "indices-recomputed-internal")
    assert page.console_errors == []
