"""The survey demo: every industry and district, three years, screened, weighted, estimated."""

import io

import pytest
from django.utils import timezone

from qualitycity.core.tests import factories as core_factories

from .. import selectors
from ..demo import load_demo
from ..itembank import SERVICE_INDUSTRIES
from ..models import Project, Response

pytestmark = pytest.mark.django_db


def test_demo_covers_every_target_for_three_years_and_follows_its_model():
    hongshan, jiangan = core_factories.area(), core_factories.area("江岸区", "420102")
    out = io.StringIO()
    load_demo(seed=1, scale=1, stdout=out)
    year = timezone.localdate().year
    for y in (year - 2, year - 1, year):
        industries = set(Project.objects.filter(year=y, target_kind="industry").values_list("industry", flat=True))
        assert industries == {k for k, _label in SERVICE_INDUSTRIES}
        assert set(Project.objects.filter(year=y, target_kind="district").values_list("area__name", flat=True)) == {
            "洪山区", "江岸区"}
    assert not Project.objects.filter(results={}).exists()
    # quality screens flagged the planted speeders etc., and some were excluded with a reason
    assert Response.objects.filter(review="excluded").exclude(review_reason="").exists()
    assert Response.objects.exclude(flags=[]).count() > 0
    # generated levels: banking (+0.5) is far above property management (−0.6) every year
    for y in (year - 2, year - 1, year):
        idx = {p.industry: p.results["satisfaction"] for p in Project.objects.filter(year=y, target_kind="industry")}
        assert idx["banking"] - idx["property"] > 5
    found = selectors.district_government_index(hongshan, year)
    assert found is not None and found["of"] == 2 and found["change"] is not None
    assert selectors.district_government_index(jiangan, year)["rank"] in (1, 2)
    # this year's industry results are not published yet; past years are
    assert not Project.objects.filter(year=year, target_kind="industry", published=True).exists()
    assert Project.objects.filter(year=year - 1, target_kind="industry", published=True).count() == 10
