"""Where assessment criteria get their numbers: a small registry of providers.

A provider is a named function ``(subject, year) -> float | None`` plus a description of
how the number is computed. ``subject`` is a ``core.Organization`` — a department or a
district government (its district is ``subject.area``). The assessment shows the
description next to every automatic value, so the office can defend the figure.

Return ``None`` when the module has no data for that subject and year: the criterion then
falls back to the value entered by hand (every criterion can be entered by hand), and the
drill-down says so. Never return 0 for "unknown".

How the complaints, surveys and indices apps register theirs, once they have the data::

    # qualitycity/<app>/governance_sources.py  (imported by autodiscover() below)
    from qualitycity.governance.sources import register

    @register("complaints.handling_rate", label="投诉按期办结率", unit="%",
              description="当年受理、责任单位为该对象（或发生在该区）的投诉中按期办结的比例。")
    def handling_rate(subject, year):
        ...

Keys the default scheme already expects: ``surveys.satisfaction_index`` (0–100),
``complaints.handling_rate`` (%), ``indices.quality_index`` (0–100). Until those exist
the scheme uses manual entry for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    description: str
    func: Callable
    unit: str = ""


_REGISTRY: dict[str, Provider] = {}
_discovered = False


def register(key: str, *, label: str, description: str, unit: str = ""):
    def decorate(func):
        existing = _REGISTRY.get(key)
        if existing is not None and existing.func is not func:
            raise ValueError(f"governance source {key!r} registered twice")
        _REGISTRY[key] = Provider(key, label, description, func, unit)
        return func

    return decorate


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    for app in settings.DOMAIN_APPS:
        name = f"qualitycity.{app}.governance_sources"
        if find_spec(f"qualitycity.{app}") and find_spec(name):
            import_module(name)


def get(key: str) -> Provider | None:
    autodiscover()
    return _REGISTRY.get(key)


def all_providers() -> list[Provider]:
    autodiscover()
    return sorted(_REGISTRY.values(), key=lambda p: p.key)


def value(key: str, subject, year: int) -> tuple[float | None, Provider | None]:
    provider = get(key)
    if provider is None:
        return None, None
    return provider.func(subject, year), provider


# ---- providers over data the platform holds now: our own plans, and the core directory ---------


def _tasks(subject, year):
    from .models import PlanItem

    return PlanItem.objects.filter(plan__year=year, kind=PlanItem.Kind.TASK, lead_unit=subject)


@register("governance.task_completion", label="任务完成率", unit="%",
          description="当年计划中由该单位牵头、截止日期已到的任务中，按期完成（完成日期不晚于截止日期）的比例。"
                      "没有到期任务时无数据。")
def task_completion(subject, year):
    cutoff = min(dt.date.today(), dt.date(year, 12, 31))
    due = [t for t in _tasks(subject, year) if t.deadline and t.deadline <= cutoff]
    if not due:
        return None
    done = sum(1 for t in due if t.completed_on and t.completed_on <= t.deadline)
    return round(100.0 * done / len(due), 2)


@register("governance.indicator_attainment", label="指标达成度", unit="%",
          description="该单位牵头任务的每个指标，取最近一份已通过报告中的实际值与目标值之比（封顶 100%），再取平均。")
def indicator_attainment(subject, year):
    from qualitycity.methods.scorecard import attainment

    from .models import IndicatorValue

    latest: dict[int, IndicatorValue] = {}
    values = (IndicatorValue.objects.filter(report__item__in=_tasks(subject, year), report__status="accepted")
              .select_related("target", "report").order_by("report__submitted_at"))
    for v in values:
        latest[v.target_id] = v
    if not latest:
        return None
    scores = [attainment(float(v.value), float(v.target.target_value), v.target.lower_is_better)
              for v in latest.values()]
    return round(sum(scores) / len(scores), 2)


@register("governance.supervision", label="督查整改", unit="分",
          description="100 分起，当年督查发现的每个问题扣 5 分，逾期未销号的再扣 5 分，最低 0 分。")
def supervision(subject, year):
    from .models import Rectification

    items = list(Rectification.objects.filter(owner=subject, round__plan__year=year))
    today = dt.date.today()
    overdue = sum(1 for r in items if r.status == "open" and r.due_on < today)
    return max(0.0, 100.0 - 5 * len(items) - 5 * overdue)


@register("governance.report_timeliness", label="按时报送率", unit="%",
          description="该单位当年报送的季度进展报告中按时（不晚于截止日）报送的比例。")
def report_timeliness(subject, year):
    from .models import ProgressReport

    reports = ProgressReport.objects.filter(unit=subject, period__plan__year=year)
    total = reports.count()
    if not total:
        return None
    return round(100.0 * reports.filter(late=False).count() / total, 2)


@register("core.registered_enterprises", label="名录企业数", unit="家",
          description="企业名录中登记在该区的企业数（仅对区政府有意义；部门返回无数据）。")
def registered_enterprises(subject, year):
    from qualitycity.core.models import Organization, OrgKind

    if subject.kind != OrgKind.DISTRICT_GOVERNMENT:
        return None
    return float(Organization.objects.filter(kind=OrgKind.ENTERPRISE, area=subject.area).count())
