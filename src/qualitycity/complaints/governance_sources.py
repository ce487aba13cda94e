"""Figures this app lends to the annual assessment (``governance.sources``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from qualitycity.core import calendar
from qualitycity.core.models import OrgKind
from qualitycity.governance.sources import register

from .models import Demand, State


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)  # "the year" is the local calendar year
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


@register("complaints.handling_rate", label="投诉按期办结率", unit="%",
          description="当年受理（受理时间在当年）、主办单位为该部门（区政府：发生在本区）的诉求中，"
                      "按期办结（办结日期不晚于办结期限）的比例。仍在办理且未到期的诉求尚无结论，不计入；"
                      "已合并到其他诉求的不计入。没有受理的诉求时无数据。")
def handling_rate(subject, year):
    start, end = _year_bounds(int(year))
    demands = Demand.objects.filter(accepted_at__gte=start, accepted_at__lt=end).exclude(state=State.MERGED)
    if subject.kind == OrgKind.DISTRICT_GOVERNMENT:
        demands = demands.filter(area_id=subject.area_id)
    else:
        demands = demands.filter(lead_org=subject)
    today = calendar.local_date(dt.datetime.now(dt.UTC))
    # An open demand whose deadline is still ahead can yet be completed on time: leave it out.
    judged = demands.exclude(Q(closed_at=None) & (Q(handle_due=None) | Q(handle_due__gte=today)))
    total = judged.count()
    if not total:
        return None
    on_time = judged.filter(closed_at__isnull=False, closed_late=False).count()
    return round(100.0 * on_time / total, 2)
