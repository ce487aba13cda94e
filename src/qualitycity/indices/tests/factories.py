"""A small framework over a handful of districts, for tests."""

from __future__ import annotations

from qualitycity.core.models import Area
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from ..models import Release, Value
from ..services import frameworks, publishing

DISTRICTS = [("江岸区", "420102"), ("江汉区", "420103"), ("硚口区", "420104"), ("洪山区", "420111"),
             ("武昌区", "420106")]
SYSTEM = Actor.system("test")


def districts() -> list[Area]:
    return [core.area(name, code) for name, code in DISTRICTS]


def framework(*, weighting="equal", year=2025, with_values=True):
    """Two dimensions (one with two sub-dimensions), five indicators, values for five districts."""
    areas = districts()
    fw = frameworks.create_framework(by=SYSTEM, code=f"t-{weighting}", name="测试指数", weighting=weighting,
                                     outliers=False)
    product = frameworks.add_group(by=SYSTEM, framework=fw, code="product", name="产品质量")
    infra = frameworks.add_group(by=SYSTEM, framework=fw, code="infra", name="质量基础设施")
    std = frameworks.add_group(by=SYSTEM, framework=fw, code="std", name="标准", parent=infra)
    lab = frameworks.add_group(by=SYSTEM, framework=fw, code="lab", name="检验检测", parent=infra)
    specs = [("pass_rate", "抽查合格率", "+", product, [96, 92, 94, 98, 90]),
             ("complaints", "万人投诉量", "-", product, [10, 14, 12, 8, 16]),
             ("standards", "主导标准数", "+", std, [12, 5, 8, 20, 3]),
             ("metrology", "计量标准数", "+", std, [15, 9, 11, 18, 7]),
             ("labs", "认可实验室数", "+", lab, [6, 2, 4, 9, 1])]
    inds = {}
    for order, (code, name, direction, group, values) in enumerate(specs):
        inds[code] = frameworks.save_indicator(by=SYSTEM, framework=fw, data={
            "group": group, "code": code, "name": name, "direction": direction, "unit": "", "order": order})
        if with_values:
            for area, v in zip(areas, values, strict=True):
                Value.objects.create(indicator=inds[code], area=area, year=year, value=v, origin="manual")
    return fw, areas, inds


def publish(result, *, note: str = "") -> Release:
    """The whole workflow: the index module prepares, the city office approves and publishes on the portal."""
    from qualitycity.portal import services as portal

    release = publishing.request_publication(by=SYSTEM, result=result, note=note)
    portal.approve(by=SYSTEM, publication=release.publication)
    portal.publish(by=SYSTEM, publication=release.publication)
    release.refresh_from_db()
    return release
