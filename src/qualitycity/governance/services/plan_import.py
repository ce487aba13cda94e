"""Importing a programme plan from Excel: every problem listed with its row, nothing half-written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Organization
from qualitycity.core.models.organizations import GOVERNMENT_KINDS
from qualitycity.core.services import audit

from ..models import Plan, PlanItem, Target
from ..models.plans import district_of

COLUMNS = ["编号", "上级编号", "类型", "名称", "牵头单位", "配合单位", "开始日期", "截止日期", "指标", "目标值",
           "计量单位", "权重"]
KINDS = {"目标": PlanItem.Kind.GOAL, "任务": PlanItem.Kind.TASK, "里程碑": PlanItem.Kind.MILESTONE}


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def read_rows(content: bytes) -> list[dict]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
    except Exception as exc:  # openpyxl raises many types for a non-workbook
        raise DomainError(_("无法读取 Excel 文件：{error}").format(error=exc.__class__.__name__), field="file") from None
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip() for c in next(rows, ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected([{"line": 1, "column": c, "message": _("缺少此列")} for c in missing])
    index = {c: header.index(c) for c in COLUMNS}
    out = []
    for line, row in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in row):
            continue
        out.append({"line": line, **{c: (row[i] if i < len(row) else None) for c, i in index.items()}})
    return out


def import_plan(*, by: audit.Actor, name: str, year: int, content: bytes) -> Plan:
    from .plans import create_plan

    rows = read_rows(content)
    units = {o.name: o for o in Organization.objects.filter(kind__in=GOVERNMENT_KINDS)}
    problems, items, seen = [], [], {}

    def bad(line, column, message):
        problems.append({"line": line, "column": column, "message": message})

    if not rows:
        bad(2, "", _("文件没有数据行"))
    for row in rows:
        line = row["line"]
        code = str(row["编号"] or "").strip()
        parent = str(row["上级编号"] or "").strip()
        kind = KINDS.get(str(row["类型"] or "").strip())
        if not code:
            bad(line, "编号", _("编号不能为空"))
        elif code in seen:
            bad(line, "编号", _("编号 {code} 与第 {line} 行重复").format(code=code, line=seen[code]))
        else:
            seen[code] = line
        if kind is None:
            bad(line, "类型", _("类型“{kind}”无效，应为：目标、任务、里程碑").format(kind=row["类型"]))
        if parent and parent not in seen:
            bad(line, "上级编号", _("上级编号 {parent} 不存在或出现在本行之后").format(parent=parent))
        if kind != PlanItem.Kind.GOAL and not parent:
            bad(line, "上级编号", _("任务和里程碑必须有上级编号"))
        if not str(row["名称"] or "").strip():
            bad(line, "名称", _("名称不能为空"))
        lead = str(row["牵头单位"] or "").strip()
        if lead and lead not in units:
            bad(line, "牵头单位", _("未知单位“{unit}”").format(unit=lead))
        if kind == PlanItem.Kind.TASK and not lead:
            bad(line, "牵头单位", _("任务必须有牵头单位"))
        co = [u.strip() for u in str(row["配合单位"] or "").replace("，", "、").split("、") if u.strip()]
        for u in co:
            if u not in units:
                bad(line, "配合单位", _("未知单位“{unit}”").format(unit=u))
        dates = {}
        for col in ("开始日期", "截止日期"):
            try:
                dates[col] = _date(row[col])
            except ValueError:
                bad(line, col, _("日期“{value}”无法识别，请用 YYYY-MM-DD").format(value=row[col]))
        if dates.get("开始日期") and dates.get("截止日期") and dates["开始日期"] > dates["截止日期"]:
            bad(line, "截止日期", _("截止日期早于开始日期"))
        numbers = {}
        for col in ("目标值", "权重"):
            if row[col] in (None, ""):
                continue
            try:
                numbers[col] = Decimal(str(row[col]))
            except InvalidOperation:
                bad(line, col, _("“{value}”不是数字").format(value=row[col]))
        if row["指标"] and "目标值" not in numbers:
            bad(line, "目标值", _("填写了指标就必须填写目标值"))
        items.append((row, code, parent, kind, lead, co, dates, numbers))
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        plan = create_plan(by=by, name=name, year=year)
        created: dict[str, PlanItem] = {}
        for row, code, parent, kind, lead, co, dates, numbers in items:
            item = PlanItem.objects.create(
                plan=plan, parent=created.get(parent), kind=kind, code=code, title=str(row["名称"]).strip(),
                lead_unit=units.get(lead), start_on=dates.get("开始日期"), deadline=dates.get("截止日期"),
                weight=numbers.get("权重", Decimal(0)), district=district_of(units.get(lead)),
            )
            if co:
                item.co_units.set([units[u] for u in co])
            if row["指标"]:
                Target.objects.create(item=item, indicator=str(row["指标"]).strip()[:100],
                                      unit=str(row["计量单位"] or "")[:16], target_value=numbers["目标值"])
            created[code] = item
        audit.record(by=by, action="governance.plan.import", obj=plan, changes={"items": len(created)})
    return plan
