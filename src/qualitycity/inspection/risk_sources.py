"""The ``failed_inspections`` feed of the risk early-warning module (see
``qualitycity.risk.sources``; found there by ``autodiscover()``).

One :class:`~qualitycity.risk.sources.CountRow` per product category × district ×
enterprise × ISO week: the number of failed test results (``InspectionResult`` facts,
one per failed item of a reviewed order, see README.md here). ``tested_on`` is already
the local (Asia/Shanghai) date the test finished, so the week is simply the Monday on or
before it. The database counts per day; the days are summed into weeks here, which needs
no week-truncation SQL and so reads the same on SQLite and PostgreSQL.

The enterprise's current park rides along (``park_id``) so a signal may group by park.
Counts of failed inspections supplied from outside the platform (imported into the risk
app under the same source) keep being served alongside, so registering this feed never
silently drops them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from qualitycity.risk.sources import CountRow, imported_counts, register

from .models import InspectionResult


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_whole_week(since: dt.date) -> dt.date:
    """The first Monday on or after ``since``: like imported counts, only weeks starting
    at ``since`` or later are served, never a partial week before it."""
    return since + dt.timedelta(days=(7 - since.weekday()) % 7)


def weekly_failed_counts(*, categories=(), area_ids=(), since: dt.date | None = None) -> Counter:
    """``{(week_monday, category, district_id, enterprise_id, park_id): failed results}``."""
    qs = InspectionResult.objects.all()
    if since is not None:
        qs = qs.filter(tested_on__gte=first_whole_week(since))
    if categories:
        qs = qs.filter(product_category__in=list(categories))
    if area_ids:
        qs = qs.filter(district_id__in=list(area_ids))
    daily = (qs.values_list("tested_on", "product_category", "district_id", "enterprise_id", "enterprise__park_id")
             .annotate(n=Count("id")).order_by())
    weekly: Counter = Counter()
    for day, category, district_id, enterprise_id, park_id, n in daily.iterator(chunk_size=5000):
        weekly[(week_monday(day), category, district_id, enterprise_id, park_id)] += n
    return weekly


@register("failed_inspections")
def failed_inspection_counts(*, source, categories, area_ids, since) -> Iterable[CountRow]:
    weekly = weekly_failed_counts(categories=categories, area_ids=area_ids, since=since)
    for (week, category, district_id, enterprise_id, park_id), n in sorted(
            weekly.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3], kv[0][4] or 0)):
        yield CountRow(week=week, count=n, category=category, area_id=district_id, enterprise_id=enterprise_id,
                       park_id=park_id)
    yield from imported_counts(source=source, categories=categories, area_ids=area_ids, since=since)
