"""Signal definitions, imported counts and signal runs (alarms → alerts)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.calendar import deadline_for, local_date
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Area, Organization
from qualitycity.core.models.organizations import OrgKind
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.core.tabular import read_table

from .. import detection, sources
from ..models import Alert, Grouping, Method, Signal, SignalRun, Source, WeeklyCount

WEEK = dt.timedelta(days=7)


def _department(org_id):
    if org_id in (None, ""):
        return None
    org = Organization.objects.filter(pk=org_id, kind__in=[OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT]).first()
    if org is None:
        raise DomainError(_("处置部门必须是市直成员单位或区人民政府"), field="department")
    return org


def create_signal(*, by: Actor, name: str, source: str, grouping: str = Grouping.CATEGORY_DISTRICT,
                  method: str = Method.FARRINGTON, parameters: dict | None = None, categories=(),
                  area_ids=(), monitor_weeks: int = 26, department_id=None, response_days: int = 5) -> Signal:
    errors = {}
    if not (name or "").strip():
        errors["name"] = [_("请填写信号名称")]
    if source not in Source.values:
        errors["source"] = [_("未知的数据来源")]
    if grouping not in Grouping.values:
        errors["grouping"] = [_("未知的分组方式")]
    if method not in Method.values:
        errors["method"] = [_("未知的检测方法")]
    if not 1 <= int(monitor_weeks) <= 104:
        errors["monitor_weeks"] = [_("监测周数须在 1 到 104 之间")]
    if not 1 <= int(response_days) <= 60:
        errors["response_days"] = [_("处置时限须在 1 到 60 个工作日之间")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    try:
        params = detection.clean_parameters(method, parameters or {})
    except detection.DetectionError as exc:
        raise DomainError(str(exc), field="parameters") from None
    areas = list(Area.objects.filter(pk__in=[int(a) for a in area_ids]))
    with transaction.atomic():
        signal = Signal.objects.create(
            number=next_number("XH"), name=name.strip(), source=source, grouping=grouping, method=method,
            parameters=params, categories=[c.strip() for c in categories if c.strip()],
            monitor_weeks=int(monitor_weeks), department=_department(department_id),
            response_days=int(response_days))
        signal.areas.set(areas)
        audit.record(by=by, action="risk.signal.create", obj=signal,
                     changes={"after": audit.snapshot(signal), "areas": [a.pk for a in areas]})
    return signal


def set_active(*, by: Actor, signal: Signal, active: bool) -> Signal:
    with transaction.atomic():
        before = signal.active
        signal.active = bool(active)
        signal.save(update_fields=["active"])
        audit.record(by=by, action="risk.signal.active", obj=signal, changes={"active": [before, signal.active]})
    return signal


# ---- imported counts -------------------------------------------------------------------

COLUMNS = {
    "week": ("周", "week"),
    "category": ("产品类别", "category"),
    "district": ("区", "district"),
    "count": ("数量", "count"),
    "enterprise": ("企业统一社会信用代码", "enterprise"),
    "park": ("园区", "park"),
}


def _column(header, key):
    for name in COLUMNS[key]:
        if name in header:
            return name
    return None


def import_counts(*, by: Actor, source: str, filename: str, content: bytes) -> int:
    """Import weekly counts from CSV/Excel (columns 周, 产品类别, 区, 数量; optional
    企业统一社会信用代码, 园区).  All or nothing: any bad row rejects the whole file with
    every problem listed by line."""
    if source not in Source.values:
        raise DomainError(_("未知的数据来源"), field="source")
    table = read_table(filename, content)
    cols = {k: _column(table.header, k) for k in COLUMNS}
    missing = [COLUMNS[k][0] for k in ("week", "category", "district", "count") if cols[k] is None]
    if missing:
        raise DomainError(_("缺少必需的列：%(cols)s（需要 周、产品类别、区、数量）") % {"cols": "、".join(missing)},
                          field="file")
    if not table.rows:
        raise DomainError(_("文件中没有数据行"), field="file")
    areas = {a.name: a for a in Area.objects.all()}
    orgs = {o.credit_code: o for o in Organization.objects.filter(kind=OrgKind.ENTERPRISE).exclude(credit_code=None)}
    parks = {o.name: o for o in Organization.objects.filter(kind=OrgKind.PARK)}
    problems: list[dict] = []
    parsed = []
    seen: dict[tuple, int] = {}

    def bad(line, field, message):
        problems.append({"line": line, "field": field, "message": message})

    for line, rec in table.rows:
        text = (rec.get(cols["week"]) or "").strip()
        try:
            week = dt.date.fromisoformat(text[:10])
        except ValueError:
            bad(line, "周", _("“%(v)s”不是日期，请写成 2026-01-05 这样的周一日期") % {"v": text})
            continue
        if week.weekday() != 0:
            bad(line, "周", _("%(d)s 不是周一：周以其第一天（周一）表示") % {"d": week})
            continue
        category = (rec.get(cols["category"]) or "").strip()
        if not category:
            bad(line, "产品类别", _("产品类别为空"))
            continue
        area = areas.get((rec.get(cols["district"]) or "").strip())
        if area is None:
            bad(line, "区", _("未知的区“%(v)s”") % {"v": rec.get(cols["district"])})
            continue
        raw = (rec.get(cols["count"]) or "").strip()
        if raw == "":
            bad(line, "数量", _("数量缺失：没有发生请填 0"))
            continue
        try:
            value = float(raw)
        except ValueError:
            bad(line, "数量", _("数量“%(v)s”不是数字") % {"v": raw})
            continue
        if not math.isfinite(value) or value < 0:
            bad(line, "数量", _("数量不能为负数（%(v)s）") % {"v": raw})
            continue
        if value != int(value):
            bad(line, "数量", _("数量必须是整数（%(v)s）") % {"v": raw})
            continue
        ent = park = None
        if cols["enterprise"] and (rec.get(cols["enterprise"]) or "").strip():
            ent = orgs.get(rec[cols["enterprise"]].strip())
            if ent is None:
                bad(line, "企业统一社会信用代码", _("平台上没有信用代码为“%(v)s”的企业") % {"v": rec[cols["enterprise"]]})
                continue
        if cols["park"] and (rec.get(cols["park"]) or "").strip():
            park = parks.get(rec[cols["park"]].strip())
            if park is None:
                bad(line, "园区", _("未知的园区“%(v)s”") % {"v": rec[cols["park"]]})
                continue
        key = (category, area.pk, ent.pk if ent else None, park.pk if park else None, week)
        if key in seen:
            bad(line, "周", _("重复的周：%(d)s 已在第 %(l)s 行出现（同一类别、区、企业、园区）") % {"d": week, "l": seen[key]})
            continue
        seen[key] = line
        parsed.append((line, key, int(value)))
    # gaps: within the file every series must cover its weeks without holes, since a
    # missing week would otherwise be read as zero and could hide (or fake) an outbreak
    by_series = defaultdict(list)
    for line, key, _v in parsed:
        by_series[key[:4]].append((key[4], line))
    for skey, weeks in by_series.items():
        weeks.sort()
        for (a, _la), (b, lb) in zip(weeks, weeks[1:], strict=False):
            if b - a != WEEK:
                bad(lb, "周", _("“%(c)s / %(a)s”的周不连续：%(x)s 与 %(y)s 之间缺少 %(n)s 周；没有发生请填 0") % {
                    "c": skey[0], "a": next(n for n, ar in areas.items() if ar.pk == skey[1]),
                    "x": a, "y": b, "n": (b - a).days // 7 - 1})
    if parsed and not problems:
        existing = WeeklyCount.objects.filter(source=source, week__in={k[4] for _l, k, _v in parsed})
        have = {(w.category, w.area_id, w.enterprise_id, w.park_id, w.week) for w in existing}
        for line, key, _v in parsed:
            if key in have:
                bad(line, "周", _("%(d)s 的数据已导入过（同一来源、类别、区、企业、园区）") % {"d": key[4]})
    if problems:
        problems.sort(key=lambda p: p["line"])
        raise ImportRejected(problems)
    batch = f"{source}-{timezone.now():%Y%m%d%H%M%S}"
    with transaction.atomic():
        WeeklyCount.objects.bulk_create(
            [WeeklyCount(source=source, category=k[0], area_id=k[1], enterprise_id=k[2], park_id=k[3],
                         week=k[4], count=v, batch=batch) for _l, k, v in parsed], batch_size=2000)
        audit.record(by=by, action="risk.counts.import", object_type="risk.weeklycount", object_id=batch,
                     changes={"source": source, "file": filename, "rows": len(parsed)})
    return len(parsed)


# ---- running signals -------------------------------------------------------------------

def last_complete_week(now: dt.datetime | None = None) -> dt.date:
    today = local_date(now or timezone.now())
    return detection.monday(today) - WEEK


def _f(x):
    return None if x is None or not np.isfinite(x) else float(x)


def run_signal(*, by: Actor, signal: Signal, trigger: str = "manual", week: dt.date | None = None) -> SignalRun:
    """Evaluate one signal up to ``week`` (default: the last complete week) and turn every
    alarm into an alert (once per series and week).  A signal that cannot be evaluated
    (too little history, bad parameters) gives a failed run with the reason and no alert."""
    last = detection.monday(week) if week else last_complete_week()
    hist = detection.history_weeks(signal.method, signal.parameters)
    first = last - (hist + signal.monitor_weeks) * WEEK
    area_ids = list(signal.areas.values_list("pk", flat=True))
    rows = sources.rows_for(signal.source, categories=signal.categories, area_ids=area_ids, since=first)
    keys, y, dates = detection.pivot(rows, signal.grouping, first, last)
    # trim leading weeks before any data: series start when the source starts reporting
    nonzero = np.nonzero(y.sum(axis=1) > 0)[0]
    start = int(nonzero[0]) if nonzero.size else y.shape[0]
    y, dates = y[start:], dates[start:]
    run = SignalRun(signal=signal, started_at=timezone.now(), week=last, trigger=trigger, series_count=len(keys))
    created = []
    if not keys or y.shape[0] == 0:
        run.status, run.message = SignalRun.Status.FAILED, _("没有可用的数据：该来源在所选范围内没有任何计数")
        result = None
    else:
        try:
            result = detection.detect(signal.method, signal.parameters, y, dates,
                                      min(signal.monitor_weeks, y.shape[0]), [k.key for k in keys])
            run.status = SignalRun.Status.OK
            run.message = "\n".join(result.notes)
        except detection.DetectionError as exc:
            run.status, run.message, result = SignalRun.Status.FAILED, str(exc), None
    labels = _labels(keys)
    if result is not None:
        weeks = [str(dates[i]) for i in result.weeks]
        run.results = [{
            "key": k.key, "label": labels[k.key], "weeks": weeks,
            "observed": [_f(v) for v in result.observed[:, j]],
            "expected": [_f(v) for v in result.expected[:, j]],
            "upper": [_f(v) for v in result.upperbound[:, j]],
            "alarm": [bool(v) for v in result.alarm[:, j]],
        } for j, k in enumerate(keys)]
        run.alarm_count = int(result.alarm.sum())
    with transaction.atomic():
        run.save()
        if result is not None:
            existing = set(Alert.objects.filter(signal=signal).values_list("series_key", "week"))
            deadline = deadline_for(timezone.now(), signal.response_days)
            for i, j in zip(*np.nonzero(result.alarm), strict=True):
                k = keys[j]
                wk = dates[result.weeks[i]].astype(dt.date)
                if (k.key, wk) in existing:
                    continue
                alert = Alert.objects.create(
                    number=next_number("YJ"), signal=signal, run=run, series_key=k.key,
                    series_label=labels[k.key], category=k.category, area_id=k.area_id,
                    enterprise_id=k.enterprise_id, week=wk, observed=float(result.observed[i, j]),
                    expected=_f(result.expected[i, j]), upperbound=_f(result.upperbound[i, j]),
                    pvalue=_f(result.pvalue[i, j]), department=signal.department,
                    due_on=deadline.due_on, due_warning=deadline.warning)
                created.append(alert.number)
        signal.last_run_at = run.started_at
        signal.save(update_fields=["last_run_at"])
        audit.record(by=by, action="risk.signal.run", obj=signal, changes={
            "run": run.pk, "trigger": trigger, "week": str(last), "status": run.status,
            "series": run.series_count, "alarms": run.alarm_count, "alerts": created,
            "source": sources.provider_name(signal.source)})
    return run


def _labels(keys) -> dict[str, str]:
    area_names = dict(Area.objects.filter(pk__in={k.area_id for k in keys if k.area_id}).values_list("pk", "name"))
    org_ids = {k.enterprise_id for k in keys if k.enterprise_id} | {k.park_id for k in keys if k.park_id}
    org_names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    out = {}
    for k in keys:
        where = (org_names.get(k.enterprise_id) if k.enterprise_id else org_names.get(k.park_id) if k.park_id
                 else area_names.get(k.area_id) if k.area_id else _("全市"))
        out[k.key] = f"{k.category} · {where}"
    return out


def run_weekly(*, by: Actor, week: dt.date | None = None) -> list[SignalRun]:
    """The weekly job: every active signal not yet evaluated for that week."""
    last = detection.monday(week) if week else last_complete_week()
    done = set(SignalRun.objects.filter(week=last, trigger="weekly").values_list("signal_id", flat=True))
    return [run_signal(by=by, signal=s, trigger="weekly", week=last)
            for s in Signal.objects.filter(active=True).exclude(pk__in=done)]


def load_counts(*, by: Actor, source: str, rows: list[tuple], batch: str) -> int:
    """Bulk-load already-validated counts ``(category, area_id, enterprise_id, park_id,
    week, count)`` (the demo generator and trusted feeds); one audit event per batch."""
    if source not in Source.values:
        raise DomainError(_("未知的数据来源"), field="source")
    with transaction.atomic():
        WeeklyCount.objects.bulk_create(
            [WeeklyCount(source=source, category=c, area_id=a, enterprise_id=e, park_id=p, week=w, count=n,
                         batch=batch) for c, a, e, p, w, n in rows], batch_size=5000)
        audit.record(by=by, action="risk.counts.load", object_type="risk.weeklycount", object_id=batch,
                      changes={"source": source, "rows": len(rows)})
    return len(rows)
