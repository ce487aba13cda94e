"""The published quality index: ranking, radar chart and map render with no console errors."""

import pytest

from qualitycity.core.tests import factories as core
from qualitycity.indices.models import Value
from qualitycity.indices.services import compute
from qualitycity.indices.tests import factories

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_anyone_opens_the_published_ranking_and_the_radar_chart(live_server, page):
    core.role_users()
    fw, areas, inds = factories.framework()
    for v in list(Value.objects.filter(year=2025)):
        Value.objects.create(indicator=v.indicator, area=v.area, year=2024, value=v.value + v.area_id % 3,
                             origin="manual")
    for year in (2024, 2025):
        r = compute.compute_result(by=factories.SYSTEM, framework=fw, year=year, replications=200, sobol_base=64)
        compute.set_published(by=factories.SYSTEM, result=r, published=True)
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
