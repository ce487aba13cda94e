"""Government service items: Excel import, rate snapshots and targets."""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.services import audit

from ..models import RateSnapshot, RateTarget, ServiceItem

COLUMNS = ["事项编码", "事项名称", "实施部门", "马上办", "网上办", "一次办", "法定时限", "承诺时限", "申请材料"]
YES = {"是", "Y", "y", "1", "√", "TRUE", "True", "true"}
NO = {"否", "N", "n", "0", "", "FALSE", "False", "false", "None"}
DEFAULT_TARGETS = {"immediate": 50, "online": 45, "one_visit": 80}


def import_items(*, by: audit.Actor, content: bytes) -> int:
    """Create or update items by code; the whole file is refused if any row is bad."""
    try:
        rows = list(load_workbook(io.BytesIO(content), read_only=True, data_only=True).active.iter_rows(values_only=True))
    except Exception as exc:
        raise DomainError(_("无法读取 Excel 文件：{error}").format(error=exc.__class__.__name__), field="file") from None
    header = [str(c or "").strip() for c in (rows[0] if rows else ())]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected([{"line": 1, "column": c, "message": _("缺少此列")} for c in missing])
    ix = {c: header.index(c) for c in COLUMNS}
    departments = {o.name: o for o in Organization.objects.filter(kind=OrgKind.DEPARTMENT)}
    problems, parsed, seen = [], [], set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in row):
            continue
        cells = {c: (row[i] if i < len(row) else None) for c, i in ix.items()}
        get = cells.get
        code, name, dept = (str(get(c) or "").strip() for c in ("事项编码", "事项名称", "实施部门"))

        def bad(col, msg, line=line):
            problems.append({"line": line, "column": col, "message": msg})

        if not code:
            bad("事项编码", _("不能为空"))
        elif code in seen:
            bad("事项编码", _("编码 {code} 在文件中重复").format(code=code))
        seen.add(code)
        if not name:
            bad("事项名称", _("不能为空"))
        if dept not in departments:
            bad("实施部门", _("未知部门“{department}”").format(department=dept))
        flags = {}
        for col, key in (("马上办", "immediate"), ("网上办", "online"), ("一次办", "one_visit")):
            raw = str(get(col) if get(col) is not None else "").strip()
            if raw in YES:
                flags[key] = True
            elif raw in NO:
                flags[key] = False
            else:
                bad(col, _("“{value}”应为 是/否").format(value=raw))
        limits = {}
        for col in ("法定时限", "承诺时限"):
            try:
                limits[col] = int(str(get(col)).strip())
                if limits[col] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                bad(col, _("“{value}”不是非负整数（工作日）").format(value=get(col)))
        if len(limits) == 2 and limits["承诺时限"] > limits["法定时限"]:
            bad("承诺时限", _("承诺时限不能长于法定时限"))
        parsed.append((code, name, departments.get(dept), flags, limits, str(get("申请材料") or "")))
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        for code, name, dept, flags, limits, materials in parsed:
            ServiceItem.objects.update_or_create(code=code, defaults={
                "name": name, "department": dept, **flags, "legal_limit_days": limits["法定时限"],
                "promised_limit_days": limits["承诺时限"], "materials": materials})
        audit.record(by=by, action="governance.service_items.import", object_type="governance.serviceitem",
                     changes={"rows": len(parsed)})
    return len(parsed)


def rates(qs) -> dict:
    """The three rates (in percent) of a queryset of items."""
    agg = qs.aggregate(n=Count("id"), immediate=Count("id", filter=Q(immediate=True)),
                       online=Count("id", filter=Q(online=True)), one_visit=Count("id", filter=Q(one_visit=True)))
    n = agg["n"]
    return {"items": n, **{k: round(100.0 * agg[k] / n, 2) if n else 0.0 for k in DEFAULT_TARGETS}}


def targets() -> dict:
    configured = {t.key: float(t.target_percent) for t in RateTarget.objects.all()}
    return {k: configured.get(k, v) for k, v in DEFAULT_TARGETS.items()}


def set_target(*, by: audit.Actor, key: str, percent) -> RateTarget:
    if key not in DEFAULT_TARGETS:
        raise DomainError(_("未知比率"), field="key")
    try:
        value = float(percent)
    except (TypeError, ValueError):
        raise DomainError(_("“{value}”不是数字").format(value=percent), field="percent") from None
    if not 0 <= value <= 100:
        raise DomainError(_("目标须在 0 到 100 之间"), field="percent")
    with transaction.atomic():
        obj, _created = RateTarget.objects.update_or_create(key=key, defaults={"target_percent": value})
        audit.record(by=by, action="governance.rate_target.set", obj=obj, changes={"percent": value})
    return obj


def take_snapshot(*, by: audit.Actor, on: dt.date) -> int:
    """Record today's rates per department and citywide, for the trend chart."""
    with transaction.atomic():
        RateSnapshot.objects.filter(taken_on=on).delete()
        snaps = [RateSnapshot(taken_on=on, department=None, **rates(ServiceItem.objects.all()))]
        dept_ids = ServiceItem.objects.order_by().values_list("department_id", flat=True).distinct()
        for dept_id in dept_ids:
            snaps.append(RateSnapshot(taken_on=on, department_id=dept_id,
                                      **rates(ServiceItem.objects.filter(department_id=dept_id))))
        RateSnapshot.objects.bulk_create(snaps)
        audit.record(by=by, action="governance.rates.snapshot", object_type="governance.ratesnapshot",
                     changes={"on": on.isoformat(), "rows": len(snaps)})
    return len(snaps)
