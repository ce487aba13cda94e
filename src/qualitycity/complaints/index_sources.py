"""Indicators this app lends to the quality development index (``qualitycity.indices.sources``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from qualitycity.core import calendar
from qualitycity.indices.sources import register

from .models import Demand, State


@register("complaints.on_time_rate", label="诉求按期办结率", unit="%",
          description="受理时间在当年（本地时间）、发生在该区的诉求中，办结日期不晚于办结期限的比例 × 100。"
                      "仍在办理且期限未到的诉求尚无结论，不计入；已合并到其他诉求的不计入；"
                      "该区当年没有可判定的诉求时无数据。口径与年度考核的“投诉按期办结率”相同，只是按发生地区统计。")
def on_time_rate(area, year: int) -> float | None:
    zone = ZoneInfo(settings.TIME_ZONE)
    start, end = dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)
    demands = Demand.objects.filter(area=area, accepted_at__gte=start, accepted_at__lt=end).exclude(state=State.MERGED)
    today = calendar.local_date(dt.datetime.now(dt.UTC))
    judged = demands.exclude(Q(closed_at=None) & (Q(handle_due=None) | Q(handle_due__gte=today)))
    total = judged.count()
    if not total:
        return None
    on_time = judged.filter(closed_at__isnull=False, closed_late=False).count()
    return round(100.0 * on_time / total, 2)
