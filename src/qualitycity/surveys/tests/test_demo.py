"""The survey demo: every industry and district, three years, screened, weighted, estimated,
and published through the portal's workflow.  The demo is loaded once for the module,
inside a transaction rolled back at the end, because loading it takes most of the time."""

import io

import numpy as np
import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core_factories
from qualitycity.methods import csi_sim, pls
from qualitycity.portal.models import PublicationStatus

from .. import selectors
from ..demo import DEMO_BOOTSTRAP, load_demo
from ..itembank import PATHS, SERVICE_INDUSTRIES, model_spec
from ..models import Project, Release, Response

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        areas = {"hongshan": core_factories.area(), "jiangan": core_factories.area("江岸区", "420102")}
        office = core_factories.user("office_demo", role=Role.CITY_OFFICE,
                                     org=core_factories.organization(core_factories.OrgKind.CITY_OFFICE,
                                                                     name="市质量强市办", industry=None))
        load_demo(seed=1, scale=1, stdout=io.StringIO())
        yield {**areas, "office": office}
        transaction.set_rollback(True)


def test_demo_covers_every_target_for_three_years_and_follows_its_model(demo):
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
    found = selectors.district_government_index(demo["hongshan"], year)
    assert found is not None and found["of"] == 2 and found["change"] is not None
    assert selectors.district_government_index(demo["jiangan"], year)["rank"] in (1, 2)
    # quotas cover district, sex and age band
    assert set(Project.objects.filter(year=year).first().quotas) == {"district", "sex", "age"}


def test_demo_publishes_through_the_portal_with_confidence_intervals(demo):
    year = timezone.localdate().year
    # this year's industry results are not published yet; past years and every district are
    assert not Project.objects.filter(year=year, target_kind="industry", published=True).exists()
    assert Project.objects.filter(year=year - 1, target_kind="industry", published=True).count() == 10
    published = list(Project.objects.filter(published=True).select_related("public_release__publication"))
    assert len(published) == 2 * 12 + 2
    for p in published:
        pub = p.public_release.publication
        assert pub.status == PublicationStatus.PUBLISHED and pub.approved_by == demo["office"]
        lo, hi = p.public_results["ci"]
        assert lo < p.public_results["satisfaction"] < hi, p.number
        assert p.public_results["bootstrap"] > 0.9 * DEMO_BOOTSTRAP
    assert not Release.objects.filter(project__published=False).exists()  # nothing left waiting
    found = selectors.district_government_index(demo["hongshan"], year)
    assert found["ci"][0] < found["index"] < found["ci"][1]
    p = published[0]
    page = Client().get(f"/surveys/results/{p.number}/").content.decode()
    assert "95% CI" in page and "演示默认边际" in page
    pdf = Client().get(f"/surveys/results/{p.number}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_data_the_demo_stored_recover_the_structural_model(demo):
    """Refit each stored project (responses as kept after review, unweighted) and average:
    per project n = 60 is too small for one fit, but 36 projects'' mean estimates sit close
    to the generating paths.  Tolerance: see tests/methods/test_csi_sim.py, plus the planted
    straight-liners and duplicates, which pull every correlation up a little."""
    estimates = {path: [] for path in PATHS}
    for project in Project.objects.all():
        responses = [r for r in project.responses.all() if r.counts]
        codes = [c for c in project.questions.filter(kind="likert").values_list("code", flat=True)]
        constructs, paths = model_spec(codes)
        data = {c: np.array([r.answers[c] for r in responses], dtype=float) for c in codes}
        fit = pls.fit(pls.PLSModel(constructs=constructs, paths=paths), data, scheme="path", scale=(1, 10))
        for path in PATHS:
            estimates[path].append(fit.paths[path])
    errors = {path: float(np.mean(v)) - csi_sim.TRUE_PATHS[path] for path, v in estimates.items()}
    assert max(abs(e) for e in errors.values()) < 0.08, errors
