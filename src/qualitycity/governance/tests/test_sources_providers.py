"""The assessment figures other apps lend through ``governance.sources``, built with their own
factories and services: a known value each, and None when there is nothing to report."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qualitycity.core.models import OrgKind
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core_factories

from .. import sources

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
BY = Actor.system("test")


def test_the_three_module_providers_are_discovered():
    keys = {p.key for p in sources.all_providers()}
    assert {"complaints.handling_rate", "surveys.satisfaction_index", "indices.quality_index"} <= keys


# ---- complaints.handling_rate --------------------------------------------------------------


@pytest.fixture
def cw():
    from qualitycity.complaints.tests import factories

    return factories.world()


def _handled(cw, *, district="洪山区", accepted: dt.datetime, closed: dt.datetime | None = None, lead=None):
    """A demand received and accepted at ``accepted`` and, if ``closed``, closed then."""
    from qualitycity.complaints.services import workflow
    from qualitycity.complaints.tests import factories

    demand = factories.demand(cw, district=district, at=accepted - dt.timedelta(hours=1), auto_route=lead is None)
    if lead is not None:
        demand = workflow.route(by=BY, demand=demand, lead=lead, at=accepted - dt.timedelta(minutes=30))
    demand = workflow.accept(by=BY, demand=demand, at=accepted)
    if closed is not None:
        demand = workflow.close(by=BY, demand=demand, reply="已调查处理并答复诉求人", at=closed)
    return demand


def test_handling_rate_counts_demands_completed_on_time_by_lead_unit_and_by_district(cw):
    year = dt.date.today().year - 1  # every deadline of that year has passed
    dept, hongshan_gov = cw["orgs"]["dept"], cw["orgs"]["district_gov"]
    other_dept = core_factories.organization(OrgKind.DEPARTMENT, name="武汉市教育局", industry=None)
    march = dt.datetime(year, 3, 2, 10, tzinfo=SH)
    on_time = [_handled(cw, accepted=march, closed=march + dt.timedelta(days=2)) for _ in range(2)]
    late = _handled(cw, accepted=march, closed=march + dt.timedelta(days=90))
    overdue_open = _handled(cw, accepted=march)
    assert all(d.lead_org == dept for d in [*on_time, late, overdue_open])
    assert late.closed_late and not on_time[0].closed_late
    # 江岸 (another district) handled on time by the same department; a 洪山 demand led by another unit, late
    _handled(cw, district="江岸区", accepted=march, closed=march + dt.timedelta(days=1))
    _handled(cw, accepted=march, closed=march + dt.timedelta(days=90), lead=other_dept)
    # accepted the year before: not counted in either figure
    _handled(cw, accepted=march.replace(year=year - 1), closed=march.replace(year=year - 1) + dt.timedelta(days=90))

    rate = sources.get("complaints.handling_rate").func
    assert rate(dept, year) == 60.0  # 3 on time (2 洪山 + 1 江岸) of 5
    assert rate(hongshan_gov, year) == 40.0  # 洪山: 2 on time of 5 (late, open overdue, other unit's late one)
    assert rate(other_dept, year) == 0.0


def test_handling_rate_leaves_out_open_demands_not_yet_due_and_is_none_without_demands(cw):
    dept = cw["orgs"]["dept"]
    year = dt.date.today().year
    rate = sources.get("complaints.handling_rate").func
    assert rate(dept, year) is None
    _handled(cw, accepted=dt.datetime.now(SH) - dt.timedelta(minutes=5))  # open, deadline ahead
    assert rate(dept, year) is None
    assert rate(cw["orgs"]["district_gov"], year - 1) is None


# ---- surveys.satisfaction_index ------------------------------------------------------------


def test_satisfaction_index_is_the_published_district_index():
    from qualitycity.surveys import selectors as survey_selectors
    from qualitycity.surveys import services as survey_services
    from qualitycity.surveys.models import Project
    from qualitycity.surveys.tests import factories

    w = core_factories.role_users()
    hongshan, jiangan = w["areas"]["hongshan"], w["areas"]["jiangan"]
    jiangan_gov = core_factories.organization(OrgKind.DISTRICT_GOVERNMENT, name="江岸区人民政府", in_area=jiangan,
                                              industry=None)
    for area, shift in ((hongshan, 0.0), (jiangan, -0.8)):
        project = factories.project(kind="district", area=area, year=2026)
        factories.fill(project, 60, seed=7, shift=shift)
        survey_services.estimate_project(by=BY, project=project, n_boot=0)
    index = sources.get("surveys.satisfaction_index").func
    assert index(w["orgs"]["district_gov"], 2026) is None  # estimated but not yet published
    for project in Project.objects.all():
        factories.publish(project)
    expected = survey_selectors.district_government_index(hongshan, 2026)["index"]
    assert index(w["orgs"]["district_gov"], 2026) == round(expected, 2)
    assert index(jiangan_gov, 2026) == round(survey_selectors.district_government_index(jiangan, 2026)["index"], 2)
    assert index(jiangan_gov, 2026) != index(w["orgs"]["district_gov"], 2026)
    assert index(w["orgs"]["district_gov"], 2025) is None  # no survey that year
    assert index(w["orgs"]["dept"], 2026) is None  # a department has no district index


# ---- indices.quality_index -----------------------------------------------------------------


def test_quality_index_is_the_published_score_of_the_subjects_district():
    from qualitycity.indices.services import compute
    from qualitycity.indices.tests import factories

    w = core_factories.role_users()
    fw, areas, _ = factories.framework(year=2025)
    hongshan_gov = w["orgs"]["district_gov"]
    assert hongshan_gov.area in areas
    result = compute.compute_result(by=BY, framework=fw, year=2025, replications=0, sobol_base=0)
    quality = sources.get("indices.quality_index").func
    assert quality(hongshan_gov, 2025) is None  # computed, not yet published
    factories.publish(result)  # prepared by the index module, approved and published on the portal
    # 洪山区 leads every indicator in the factory's framework: the top of the 0–100 scale
    assert quality(hongshan_gov, 2025) == 100.0
    jianghan = next(a for a in areas if a.name == "江汉区")
    jianghan_gov = core_factories.organization(OrgKind.DISTRICT_GOVERNMENT, name="江汉区人民政府", in_area=jianghan,
                                               industry=None)
    position = result.payload["codes"].index(jianghan.code)
    assert quality(jianghan_gov, 2025) == round(result.payload["score"][position], 2) < 100
    caidian = core_factories.area("蔡甸区", "420114")
    outside = core_factories.organization(OrgKind.DISTRICT_GOVERNMENT, name="蔡甸区人民政府", in_area=caidian,
                                          industry=None)
    assert quality(outside, 2025) is None  # not in the framework
    assert quality(hongshan_gov, 2024) is None  # no result that year
    assert quality(w["orgs"]["dept"], 2025) is None  # departments have no district index
