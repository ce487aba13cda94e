"""Maintaining holidays and make-up working days."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from .. import calendar
from ..errors import DomainError, ImportRejected
from ..models import CalendarDay
from ..tabular import read_table
from . import audit

KIND_WORDS = {"休": False, "假": False, "holiday": False, "off": False, "班": True, "workday": True, "work": True}


def set_day(*, by: audit.Actor, date: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    with transaction.atomic():
        day, created = CalendarDay.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name})
        audit.record(by=by, action="calendar.set_day", obj=day, changes={"is_workday": [None, is_workday]})
    transaction.on_commit(calendar.invalidate)
    return day


def import_days(*, by: audit.Actor, filename: str, content: bytes) -> int:
    """CSV/Excel with columns ``date,kind,name`` (kind: 休/holiday or 班/workday). All or nothing."""
    table = read_table(filename, content)
    problems, rows = [], []
    for line, raw in table.rows:
        text_date, kind, name = raw.get("date", ""), raw.get("kind", "").strip().lower(), raw.get("name", "")
        try:
            day = dt.date.fromisoformat(text_date.strip())
        except ValueError:
            problems.append({"line": line, "column": "date", "message": _("“%(v)s”不是日期（YYYY-MM-DD）") % {"v": text_date[:40]}})
            continue
        if kind not in KIND_WORDS:
            problems.append({"line": line, "column": "kind", "message": _("“%(v)s”应为 休/holiday 或 班/workday") % {"v": kind[:40]}})
            continue
        rows.append((day, KIND_WORDS[kind], name[:64]))
    if not table.rows:
        raise DomainError(_("文件没有数据行"))
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        for day, is_workday, name in rows:
            CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
        audit.record(by=by, action="calendar.import", object_type="calendar", changes={"rows": [None, len(rows)]})
    transaction.on_commit(calendar.invalidate)
    return len(rows)
