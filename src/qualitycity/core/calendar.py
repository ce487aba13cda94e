"""The platform's working-day calendar: ``chinese-calendar`` for the years it covers,
plus the holidays admins maintain in the database. Every deadline in every module is
computed here (``deadline_for``), never with plain date arithmetic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from qualitycity.methods.workdays import WorkdayCalendar

from .models import CalendarDay

CACHE_KEY = "qcity:workday-calendar:v1"


def _package_days():
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    holidays = {d for d in chinese_calendar.holidays if d.weekday() < 5}
    return holidays, set(chinese_calendar.workdays), years


def get_calendar() -> WorkdayCalendar:
    calendar = cache.get(CACHE_KEY)
    if calendar is None:
        holidays, workdays, years = _package_days()
        for day in CalendarDay.objects.all():  # the database overrides the package
            holidays.discard(day.date)
            workdays.discard(day.date)
            (workdays if day.is_workday else holidays).add(day.date)
            years.add(day.date.year)
        calendar = WorkdayCalendar.build(holidays, workdays, years)
        cache.set(CACHE_KEY, calendar, 3600)
    return calendar


def invalidate() -> None:
    cache.delete(CACHE_KEY)


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date of an aware datetime in the platform's time zone."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: deadlines are computed from aware datetimes only")
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    warning: str = ""  # set when a year in the span has no official holiday data


def deadline_for(received_at: dt.datetime, working_days: int) -> Deadline:
    """Due date ``working_days`` working days after the local date of receipt."""
    calendar = get_calendar()
    start = local_date(received_at)
    due = calendar.add_working_days(start, working_days)
    missing = calendar.uncovered_years_between(start, due)
    years = "、".join(map(str, missing))
    warning = _("%(years)s 年尚无法定节假日数据，期限仅按周末计算，请管理员补录") % {"years": years} if missing else ""
    return Deadline(due, warning)
