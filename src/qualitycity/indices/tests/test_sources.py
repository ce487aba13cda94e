"""The indicators other modules compute for the index: a known value and a no-data case each."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qualitycity.core.models import OrgKind
from qualitycity.core.numbering import next_number
from qualitycity.core.tests import factories as core

from .. import sources

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def value(key, area, year):
    return sources.get(key).func(area, year)


@pytest.fixture
def w():
    return core.role_users()


def test_inspection_pass_rate_counts_reviewed_batches_of_the_districts_firms_in_the_year(w):
    from qualitycity.inspection.models import Order, OrderItem

    hongshan, jiangan = w["areas"]["hongshan"], w["areas"]["jiangan"]
    lab = w["orgs"]["lab"]

    def order(firm, *, state="issued", day=dt.date(2025, 5, 6), failed=False):
        o = Order.objects.create(number=next_number("JY"), enterprise=firm, lab=lab, product_name="刨花板",
                                 state=state, tested_on=day)
        OrderItem.objects.create(order=o, item="含水率", value="8", passed=True)
        OrderItem.objects.create(order=o, item="甲醛", value="0.9" if failed else "0.1", passed=not failed)

    own, other = w["orgs"]["own"], w["orgs"]["other"]
    for failed in (False, False, False, True):
        order(own, failed=failed)
    order(own, state="testing", failed=True)  # not reviewed yet: no conclusion
    order(own, day=dt.date(2024, 12, 31), failed=True)  # another year
    order(other, failed=True)  # another district
    assert value("inspection.pass_rate", hongshan, 2025) == 75.0
    assert value("inspection.pass_rate", jiangan, 2025) == 0.0
    assert value("inspection.pass_rate", hongshan, 2023) is None


def test_complaints_on_time_rate_judges_demands_accepted_in_the_year_in_the_district():
    from qualitycity.complaints.models import Demand
    from qualitycity.complaints.tests import factories as cf

    cw = cf.world()
    made = [cf.demand(cw) for _ in range(3)]
    accepted = dt.datetime(2025, 3, 2, 9, tzinfo=SH)
    closed = dt.datetime(2025, 3, 20, 9, tzinfo=SH)
    Demand.objects.filter(pk__in=[d.pk for d in made]).update(accepted_at=accepted, handle_due=dt.date(2025, 4, 1),
                                                                closed_at=closed, closed_late=False)
    Demand.objects.filter(pk=made[0].pk).update(closed_late=True)
    hongshan = cw["areas"]["hongshan"]
    assert value("complaints.on_time_rate", hongshan, 2025) == pytest.approx(66.67)
    assert value("complaints.on_time_rate", hongshan, 2022) is None


def test_surveys_district_satisfaction_is_the_published_index_only(w, monkeypatch):
    from qualitycity.surveys import index_sources as survey_sources

    hongshan = w["areas"]["hongshan"]
    assert value("surveys.district_satisfaction", hongshan, 2025) is None  # no published survey at all
    seen = []

    def published(area, year):
        seen.append((area, year))
        return {"district": area.name, "year": year, "index": 81.236} if year == 2025 else None

    monkeypatch.setattr(survey_sources, "district_government_index", published)
    assert value("surveys.district_satisfaction", hongshan, 2025) == 81.24
    assert value("surveys.district_satisfaction", hongshan, 2024) is None
    assert seen == [(hongshan, 2025), (hongshan, 2024)]


def test_standards_drafted_counts_standards_the_districts_firms_drafted_in_the_year(w):
    from qualitycity.standards.models import Kind, Standard, StandardBody, Status

    hongshan, jiangan = w["areas"]["hongshan"], w["areas"]["jiangan"]
    assert value("standards.drafted", hongshan, 2025) is None  # no drafter linked anywhere: unknown, not 0

    def standard(number, kind, day):
        prefix, seq = number.split(" ")
        return Standard.objects.create(number=f"{number}-{day.year}", base_number=number, kind=kind, prefix=prefix,
                                       sequence=seq, status=Status.CURRENT, published_on=day, title_zh=number)

    own, lab = w["orgs"]["own"], w["orgs"]["lab"]
    a = standard("GB/T 1001", Kind.NATIONAL, dt.date(2025, 4, 1))
    b = standard("T/WH 0002", Kind.GROUP, dt.date(2025, 9, 1))
    c = standard("Q/ZY 0003", Kind.ENTERPRISE, dt.date(2025, 9, 1))  # enterprise standards are not counted
    d = standard("GB/T 1004", Kind.NATIONAL, dt.date(2024, 9, 1))  # another year
    e = standard("GB/T 1005", Kind.NATIONAL, dt.date(2025, 9, 1))  # drafted only by a lab
    for s in (a, b, c, d):
        StandardBody.objects.create(standard=s, organization=own, role=StandardBody.Role.DRAFTER)
    StandardBody.objects.create(standard=a, organization=own, role=StandardBody.Role.COMMITTEE)
    StandardBody.objects.create(standard=e, organization=lab, role=StandardBody.Role.DRAFTER)
    assert value("standards.drafted", hongshan, 2025) == 2.0
    assert value("standards.drafted", jiangan, 2025) == 0.0


def test_brands_count_valid_certificates_and_average_the_brand_strength(w):
    from qualitycity.brands.models import Certificate
    from qualitycity.brands.tests import factories as bf

    hongshan, jiangan = w["areas"]["hongshan"], w["areas"]["jiangan"]
    assert value("brands.certified_products", hongshan, 2025) is None  # the city has no certificate at all yet
    assert value("brands.strength", hongshan, 2025) is None  # no certified firm: nothing to average
    own = w["orgs"]["own"]
    second = core.organization(OrgKind.ENTERPRISE, name="洪山第二企业有限公司", in_area=hongshan)
    c1 = bf.certified(own, today=dt.date(2025, 3, 1))
    bf.certified(second, today=dt.date(2025, 6, 1), product="第二电缆")
    Certificate.objects.filter(pk=c1.pk).update(issued_on=dt.date(2025, 3, 1))
    assert value("brands.certified_products", hongshan, 2025) == 2.0
    assert value("brands.certified_products", jiangan, 2025) == 0.0  # others have some: a real zero
    assert value("brands.strength", jiangan, 2025) is None
    from qualitycity.brands.selectors import brand_strength

    day = dt.date(2025, 12, 31)
    expected = (brand_strength(own, today=day)["score"] + brand_strength(second, today=day)["score"]) / 2
    assert value("brands.strength", hongshan, 2025) == pytest.approx(expected, abs=0.01)
    assert 0 < expected <= 100


def test_every_provider_of_the_issue_is_registered_with_a_description():
    keys = {p.key: p for p in sources.providers()}
    for key in ("inspection.pass_rate", "complaints.on_time_rate", "surveys.district_satisfaction",
                "standards.drafted", "brands.certified_products", "brands.strength"):
        assert key in keys and len(keys[key].description) > 40 and keys[key].label
