"""The working-day calendar every deadline uses: weekends, official holidays and the
make-up working days (调休) of the State Council's annual holiday notice.

Pure Python: the caller supplies the holiday and make-up dates (the platform seeds them
from the ``chinese-calendar`` package and lets admins add later years). For a year with
no holiday data the calendar counts weekends only and says so through ``is_covered``,
so a deadline in that year can carry a visible warning instead of a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkdayCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)  # weekdays that are days off
    makeup_workdays: frozenset[dt.date] = field(default_factory=frozenset)  # weekend days that are worked
    covered_years: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def build(cls, holidays: Iterable[dt.date], makeup_workdays: Iterable[dt.date], covered_years: Iterable[int]):
        return cls(frozenset(holidays), frozenset(makeup_workdays), frozenset(covered_years))

    def is_covered(self, day: dt.date) -> bool:
        """Whether official holiday data exists for the day's year."""
        return day.year in self.covered_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date that is ``days`` working days after ``start``. Counting begins the
        day after ``start`` (the receipt day does not count), as the complaint and
        inspection rules count time limits. ``days = 0`` returns ``start``."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += dt.timedelta(days=1)
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            count += self.is_workday(current)
        return count

    def uncovered_years_between(self, start: dt.date, end: dt.date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if y not in self.covered_years]
