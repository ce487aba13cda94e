"""The ``complaints`` feed of the risk module: weekly counts by local week, filters, and a
spike in the platform's own demands raising a risk alert."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qualitycity.complaints.models import Category, Demand
from qualitycity.complaints.risk_sources import complaint_counts
from qualitycity.core.services.audit import Actor
from qualitycity.risk import sources
from qualitycity.risk.models import Alert, Grouping, Method, SignalRun, Source, WeeklyCount
from qualitycity.risk.services import signals as signal_service

from . import factories

pytestmark = pytest.mark.django_db
WUHAN = ZoneInfo("Asia/Shanghai")
SYSTEM = Actor.system("test")


@pytest.fixture
def w():
    return factories.world()


def _rows(**filters):
    args = {"source": Source.COMPLAINTS, "categories": [], "area_ids": [], "since": dt.date(2020, 1, 1), **filters}
    return sorted((r.week, r.category, r.area_id, r.enterprise_id, r.count) for r in complaint_counts(**args))


def test_known_demands_give_known_weekly_counts_by_local_week(w):
    hongshan, jiangan, own = w["areas"]["hongshan"], w["areas"]["jiangan"], w["orgs"]["own"]
    monday, prev_monday = dt.date(2026, 3, 9), dt.date(2026, 3, 2)
    # 07:00 on Monday in Wuhan is Sunday 23:00 UTC: it belongs to the week of 9 March
    factories.demand(w, at=dt.datetime(2026, 3, 9, 7, 0, tzinfo=WUHAN))
    factories.demand(w, at=dt.datetime(2026, 3, 15, 23, 30, tzinfo=WUHAN))  # Sunday night, same week
    factories.demand(w, at=dt.datetime(2026, 3, 8, 23, 59, tzinfo=WUHAN))  # previous week
    factories.demand(w, district="江岸区", respondent_name="", at=dt.datetime(2026, 3, 10, 10, tzinfo=WUHAN))
    factories.demand(w, category="price", respondent_name="", at=dt.datetime(2026, 3, 11, 10, tzinfo=WUHAN))
    assert _rows() == sorted([
        (prev_monday, "食品安全", hongshan.pk, own.pk, 1),
        (monday, "食品安全", hongshan.pk, own.pk, 2),
        (monday, "食品安全", jiangan.pk, None, 1),
        (monday, "价格", hongshan.pk, None, 1),
    ])
    assert _rows(categories=["价格"]) == [(monday, "价格", hongshan.pk, None, 1)]
    assert _rows(area_ids=[jiangan.pk]) == [(monday, "食品安全", jiangan.pk, None, 1)]
    assert [r[0] for r in _rows(since=monday)] == [monday] * 3


def test_counts_imported_from_outside_are_still_served(w):
    WeeklyCount.objects.create(source=Source.COMPLAINTS, category="电动自行车", area=w["areas"]["hongshan"],
                               week=dt.date(2026, 3, 2), count=4)
    assert sources.provider_name(Source.COMPLAINTS) == "qualitycity.complaints.risk_sources.complaint_counts"
    rows = list(sources.rows_for(Source.COMPLAINTS, categories=[], area_ids=[], since=dt.date(2026, 1, 1)))
    assert [(r.category, r.count) for r in rows] == [("电动自行车", 4)]


def _bulk(w, week: dt.date, n: int, district: str):
    food = Category.objects.get(code="food")
    area = w["areas"][district]
    at = dt.datetime.combine(week + dt.timedelta(days=2), dt.time(10), WUHAN)
    Demand.objects.bulk_create([
        Demand(number=f"SQT{week:%Y%m%d}{district[:1]}{i:03d}", tracking_code=f"{district[:1]}{week:%y%m%d}{i:03d}",
               channel="web", demand_type="complaint", category=food, title="t", description="d", area=area,
               received_at=at)
        for i in range(n)
    ])


def test_a_signal_on_complaints_finds_an_injected_spike(w):
    last = dt.date(2026, 3, 2)
    weeks = [last - dt.timedelta(days=7 * i) for i in range(24, -1, -1)]
    pattern = [3, 4, 4, 3]  # a steady baseline: nothing but the spike stands out
    for i, week in enumerate(weeks):
        _bulk(w, week, pattern[i % len(pattern)], "jiangan")
        _bulk(w, week, 25 if week == last else pattern[(i + 1) % len(pattern)], "hongshan")
    signal = signal_service.create_signal(by=SYSTEM, name="食品投诉", source=Source.COMPLAINTS,
                                          method=Method.EARS_C1, grouping=Grouping.CATEGORY_DISTRICT, monitor_weeks=6)
    run = signal_service.run_signal(by=SYSTEM, signal=signal, week=last)
    assert run.status == SignalRun.Status.OK, run.message
    assert run.series_count == 2
    alerts = list(Alert.objects.filter(signal=signal).values_list("category", "area__name", "week"))
    assert alerts == [("食品安全", "洪山区", last)]
