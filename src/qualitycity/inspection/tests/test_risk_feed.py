"""The ``failed_inspections`` feed of the risk module: known failed results give known
weekly counts, and a risk signal on this source alarms on an injected spike."""

import datetime as dt
import itertools

import pytest

from qualitycity.core.models import OrgKind
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core
from qualitycity.risk import sources
from qualitycity.risk.models import Alert, Grouping, Method, SignalRun, Source
from qualitycity.risk.services import signals as signal_service
from qualitycity.risk.sources import CountRow

from ..models import InspectionResult, Order, OrderItem
from ..risk_sources import week_monday
from ..services.catalogue import today
from . import factories as f

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 3, 2)
_numbers = itertools.count(1)


@pytest.fixture
def w():
    return f.world()


def failures(w, enterprise, category: str, day: dt.date, n: int = 1) -> None:
    """One reviewed order with ``n`` failed items, each a fact as the review would write it."""
    order = Order.objects.create(number=f"JY{day:%Y%m%d}{next(_numbers):04d}", enterprise=enterprise,
                                 lab=w["orgs"]["lab"], product_name=category, product_category=category,
                                 state="reviewed", tested_on=day)
    for k in range(n):
        item = OrderItem.objects.create(order=order, item=f"项目{k}", value="9", unit="mg", limit="≤1", passed=False)
        InspectionResult.objects.create(order_item=item, product_category=category, enterprise=enterprise,
                                        district_id=enterprise.area_id, tested_on=day, item=item.item,
                                        order_number=order.number)


def rows(**filters):
    return set(sources.rows_for(Source.FAILED_INSPECTIONS, **{"categories": [], "area_ids": [], **filters}))


def test_known_failures_give_known_weekly_counts(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    hongshan, jiangan = w["areas"]["hongshan"].pk, w["areas"]["jiangan"].pk
    failures(w, own, "人造板", MONDAY)  # Monday
    failures(w, own, "人造板", MONDAY + dt.timedelta(days=6), n=2)  # the Sunday of the same week
    failures(w, own, "人造板", MONDAY + dt.timedelta(days=7))  # the next Monday: the next week
    failures(w, other, "人造板", MONDAY + dt.timedelta(days=2))
    failures(w, own, "玩具", MONDAY + dt.timedelta(days=1))
    failures(w, own, "人造板", MONDAY - dt.timedelta(days=1))  # before ``since``
    next_week = MONDAY + dt.timedelta(days=7)
    assert rows(since=MONDAY) == {
        CountRow(MONDAY, 3, "人造板", hongshan, own.pk),
        CountRow(next_week, 1, "人造板", hongshan, own.pk),
        CountRow(MONDAY, 1, "人造板", jiangan, other.pk),
        CountRow(MONDAY, 1, "玩具", hongshan, own.pk),
    }
    assert rows(since=MONDAY, categories=["玩具"]) == {CountRow(MONDAY, 1, "玩具", hongshan, own.pk)}
    assert rows(since=MONDAY, area_ids=[jiangan]) == {CountRow(MONDAY, 1, "人造板", jiangan, other.pk)}
    # a mid-week ``since`` serves whole weeks only, from the next Monday on
    assert rows(since=MONDAY + dt.timedelta(days=1)) == {CountRow(next_week, 1, "人造板", hongshan, own.pk)}
    assert sources.provider_name(Source.FAILED_INSPECTIONS).endswith("risk_sources.failed_inspection_counts")


def test_a_reviewed_order_with_a_failed_item_is_counted_with_the_firms_park(w):
    park = core.organization(OrgKind.PARK, name="测试园区", in_area=w["areas"]["hongshan"], industry=None)
    own = w["orgs"]["own"]
    own.park = park
    own.save()
    f.order_in("reviewed", w, fail=True)  # 甲醛释放量 fails, 含水率 passes
    week = week_monday(today())
    assert rows(since=week) == {CountRow(week, 1, "刨花板", own.area_id, own.pk, park.pk)}


def test_imported_counts_of_the_same_source_are_still_served(w):
    signal_service.load_counts(by=Actor.system("test"), source=Source.FAILED_INSPECTIONS, batch="t",
                               rows=[("电线电缆", w["areas"]["jiangan"].pk, None, None, MONDAY, 4)])
    failures(w, w["orgs"]["own"], "人造板", MONDAY)
    assert rows(since=MONDAY) == {CountRow(MONDAY, 4, "电线电缆", w["areas"]["jiangan"].pk, None, None),
                                  CountRow(MONDAY, 1, "人造板", w["areas"]["hongshan"].pk, w["orgs"]["own"].pk)}


def test_a_signal_on_failed_inspections_alarms_on_an_injected_spike(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    last = dt.date(2026, 6, 1)  # a Monday
    baseline = [1, 0, 2, 1, 1, 0, 2, 1, 0, 1, 2, 1]
    for k, n in enumerate(baseline + [9]):  # twelve ordinary weeks, then nine failures in one week
        day = last - dt.timedelta(weeks=len(baseline) - k, days=-2)  # Wednesdays
        if n:
            failures(w, own, "人造板", day, n=n)
        failures(w, other, "人造板", day, n=k % 2 + 1)  # the other district stays ordinary throughout
    signal = signal_service.create_signal(
        by=Actor.system("test"), name="人造板检验不合格", source=Source.FAILED_INSPECTIONS, method=Method.EARS_C1,
        grouping=Grouping.CATEGORY_DISTRICT, categories=["人造板"], monitor_weeks=4)
    run = signal_service.run_signal(by=Actor.system("test"), signal=signal, week=last)
    assert run.status == SignalRun.Status.OK, run.message
    assert run.series_count == 2
    alert = Alert.objects.get(signal=signal)  # one alarm: the spike, nowhere else
    assert (alert.week, alert.category, alert.area, alert.observed) == (last, "人造板", own.area, 9.0)
    assert alert.observed > alert.upperbound
