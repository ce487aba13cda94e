"""The ``complaints`` feed of the risk early-warning module (see ``qualitycity.risk.sources``).

Weekly counts of demands per category × district × respondent enterprise (when the
respondent was matched to the directory), counted in the database.  The week is the
Monday of the ISO week of the *local* (Asia/Shanghai) date of receipt: a complaint filed
at 07:00 on a Monday in Wuhan is 23:00 on Sunday in UTC and must not fall into the
previous week.  ``TruncWeek`` with ``tzinfo`` does this on SQLite and PostgreSQL alike.

Every demand counts, merged duplicates included: ten people reporting the same shop is a
stronger signal than one.  Complaint counts supplied from outside the platform (imported
into the risk app under the same source, e.g. the national 12315 platform) keep being
served alongside, so registering this feed never silently drops them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncWeek

from qualitycity.risk.sources import CountRow, imported_counts, register

from .models import Demand


def weekly_demand_counts(*, categories=(), area_ids=(), since: dt.date | None = None):
    """``(week_monday, category_name, area_id, respondent_id, n)`` rows from the Demand table."""
    zone = ZoneInfo(settings.TIME_ZONE)
    qs = Demand.objects.all()
    if since is not None:
        qs = qs.filter(received_at__gte=dt.datetime.combine(since, dt.time(), zone))
    if categories:
        qs = qs.filter(category__name__in=list(categories))
    if area_ids:
        qs = qs.filter(area_id__in=list(area_ids))
    rows = (qs.annotate(week=TruncWeek("received_at", tzinfo=zone))
            .values("week", "category__name", "area_id", "respondent_id")
            .annotate(n=Count("id"))
            .order_by())
    for r in rows.iterator(chunk_size=5000):
        week = r["week"]
        yield (week.date() if isinstance(week, dt.datetime) else week), r["category__name"], r["area_id"], \
            r["respondent_id"], r["n"]


@register("complaints")
def complaint_counts(*, source, categories, area_ids, since) -> Iterable[CountRow]:
    for week, category, area_id, enterprise_id, n in weekly_demand_counts(
            categories=categories, area_ids=area_ids, since=since):
        yield CountRow(week=week, count=n, category=category, area_id=area_id, enterprise_id=enterprise_id)
    yield from imported_counts(source=source, categories=categories, area_ids=area_ids, since=since)
