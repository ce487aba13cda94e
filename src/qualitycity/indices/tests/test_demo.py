"""The demo: a Wuhan framework with the issue's eight dimensions, five years of synthetic
district data, and a published 2025 index with rank intervals and Sobol' indices."""

import io

import pytest

from qualitycity.core import reference
from qualitycity.core.models import Area, Industry, OrgKind
from qualitycity.core.reference import load_industries
from qualitycity.core.tests import factories as core
from qualitycity.demo.generator import GEOJSON
from qualitycity.demo.names import FUNCTIONAL_ZONES

from .. import demo
from ..models import Framework, Result, Value

pytestmark = pytest.mark.django_db


def small_directory():
    if not Industry.objects.exists():  # a transactional test elsewhere may have flushed the data migration
        load_industries(Industry)
    reference.load_areas_from_geojson(GEOJSON, city_name="武汉市", city_code="420100", zones=FUNCTIONAL_ZONES)
    districts = list(Area.objects.filter(kind=Area.Kind.DISTRICT))
    for i, area in enumerate(districts):
        for k in range(i % 3 + 1):
            core.organization(in_area=area, size_class=["large", "micro", "small"][(i + k) % 3])
        if i % 2:
            core.organization(OrgKind.TESTING_LAB, in_area=area, industry=None, cnas_number=f"CNAS L{i}")
    for name in demo.DEMO_EXPERTS:
        core.user(name)
    return districts


def test_the_demo_builds_five_years_and_publishes_2025():
    districts = small_directory()
    out = io.StringIO()
    demo.load_demo(seed=7, scale=1, stdout=out)
    fw = Framework.objects.get()
    assert {g.name for g in fw.groups.filter(parent=None)} == {
        "产品质量", "服务质量", "工程质量", "环境质量", "经济质量", "质量基础设施", "品牌建设", "政务服务质量"}
    assert 25 <= fw.indicators.count() <= 35
    assert set(Value.objects.values_list("year", flat=True)) == set(range(2021, 2026))
    assert not Value.objects.filter(synthetic=False).exists()
    latest = Result.objects.get(year=2025)
    assert latest.published and latest.payload["synthetic"]
    assert sorted(latest.payload["rank"]) == list(range(1, len(districts) + 1))
    assert latest.payload["uncertainty"]["replications"] == 1000 and "ST" in latest.payload["sensitivity"]
    assert latest.payload["imputed"] == [] and Result.objects.get(year=2021).payload["imputed"]  # one gap in 2021
    assert latest.number in out.getvalue()
    # Published through the portal's workflow: one public release per year, each a portal publication.
    from qualitycity.portal.models import Publication, PublicationStatus

    assert Publication.objects.filter(kind="quality_index", status=PublicationStatus.PUBLISHED).count() == 5
    assert latest.releases.get().status == "public"
    # Platform indicators come from their providers where the modules have data (the directory here);
    # the others keep their imported series, labelled as imported.
    assert Value.objects.filter(indicator__code="accredited_labs", origin="computed").count() == 5 * len(districts)
    pass_rate = fw.indicators.get(code="sampling_pass_rate")
    assert pass_rate.provider == "inspection.pass_rate"
    assert set(Value.objects.filter(indicator=pass_rate).values_list("origin", flat=True)) == {"import"}
    assert {"import", "computed"} <= {o for i in latest.payload["indicators"] for o in i["origins"]}
