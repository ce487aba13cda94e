"""Reads for boards, timelines, dashboards and statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.complaints.models import Rating as DemandRating
from qualitycity.core import permissions
from qualitycity.core.models import Role
from qualitycity.core.workbench import Card, Line

from .models import (
    BusinessStartCase,
    Finding,
    LiaisonTicket,
    Pairing,
    Period,
    Plan,
    PlanItem,
    ProgressReport,
    Rating,
    Visit,
)

RED, AMBER, GREEN = "red", "amber", "green"


def visible_tasks(user, plan):
    qs = plan.items.filter(kind=PlanItem.Kind.TASK).select_related("lead_unit").order_by("code")
    return permissions.scoped(user, "governance.tasks.view", qs)


def task_status(item: PlanItem, latest: ProgressReport | None, due_periods: list[Period], today: dt.date) -> str:
    """Red: deadline passed unfinished, or the latest due report is missing or returned.
    Amber: the last report was late, or the deadline is within 30 days and progress < 80%.
    Green: otherwise (including completed tasks)."""
    if item.completed_on:
        return GREEN
    if item.deadline and item.deadline < today:
        return RED
    if due_periods and (latest is None or latest.period_id != due_periods[-1].pk or latest.status == "returned"):
        return RED
    if latest is not None and latest.late:
        return AMBER
    if item.deadline and (item.deadline - today).days <= 30 and (latest is None or latest.percent_complete < 80):
        return AMBER
    return GREEN


def board(user, plan, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    tasks = list(visible_tasks(user, plan))
    due = list(plan.periods.filter(due_on__lt=today).order_by("quarter"))
    latest: dict[int, ProgressReport] = {}
    for r in ProgressReport.objects.filter(item__in=tasks).select_related("period__plan").order_by(
            "period__quarter", "submitted_at"):
        latest[r.item_id] = r
    rows = []
    by_unit: dict[str, Counter] = defaultdict(Counter)
    for t in tasks:
        status = task_status(t, latest.get(t.pk), due, today)
        rows.append({"item": t, "status": status, "latest": latest.get(t.pk)})
        by_unit[t.lead_unit.name if t.lead_unit else "—"][status] += 1
    units = [{"unit": u, "red": c[RED], "amber": c[AMBER], "green": c[GREEN], "total": sum(c.values())}
             for u, c in sorted(by_unit.items(), key=lambda kv: (-kv[1][RED], -kv[1][AMBER], kv[0]))]
    totals = Counter(r["status"] for r in rows)
    return {"tasks": rows, "units": units, "totals": totals}


def gantt(user, plan) -> list[dict]:
    rows = []
    for t in visible_tasks(user, plan):
        start = t.start_on or dt.date(plan.year, 1, 1)
        end = t.deadline or dt.date(plan.year, 12, 31)
        rows.append({"code": t.code, "title": t.title, "start": start.isoformat(), "end": end.isoformat(),
                     "done": bool(t.completed_on), "unit": t.lead_unit.name if t.lead_unit else ""})
    return rows


def liaison_dashboard(pairings) -> dict:
    """Coverage, issues raised and resolved, resolution time and satisfaction. A ticket's
    state is its complaints demand's: resolved once the department replied (办结), closed
    once the enterprise rated it; resolution time runs from filing to the reply, in days."""
    pairings = pairings.order_by()
    total = pairings.count()
    visited = pairings.filter(visits__isnull=False).distinct().count()
    tickets = LiaisonTicket.objects.filter(pairing__in=pairings)
    status = LiaisonTicket.Status
    closed = list(tickets.filter(demand__state__in=LiaisonTicket.states_of(status.CLOSED)).values_list(
        "demand__received_at", "demand__closed_at"))
    days = [(r - o).total_seconds() / 86400 for o, r in closed if r]
    rating = Rating.objects.filter(pairing__in=pairings).aggregate(avg=Avg("score"), n=Count("id"))
    return {
        "pairs": total, "visited": visited, "coverage": round(100.0 * visited / total, 1) if total else 0.0,
        "visits": Visit.objects.filter(pairing__in=pairings).count(),
        "issues": tickets.count(),
        "resolved": tickets.filter(demand__state__in=LiaisonTicket.states_of(status.RESOLVED, status.CLOSED)).count(),
        "closed": len(closed), "median_days": round(statistics.median(days), 1) if days else None,
        "satisfied": tickets.filter(demand__rating__in=[DemandRating.SATISFIED, DemandRating.BASIC]).count(),
        "rating_avg": rating["avg"], "ratings": rating["n"],
    }


def business_start(area_ids=None, target_days: float = 4.5) -> dict:
    """Working days per case, from the first step's start to the last step's finish, counted
    on the shared calendar (China's 企业开办 targets, e.g. 4.5 days, are in working days).
    A step finished on the day it started counts 0 days."""
    from qualitycity.core.calendar import get_calendar

    calendar = get_calendar()
    cases = BusinessStartCase.objects.prefetch_related("steps")
    if area_ids is not None:
        cases = cases.filter(area_id__in=area_ids)
    days, per_step = [], defaultdict(list)
    for case in cases:
        steps = list(case.steps.all())
        if not steps:
            continue
        start = min(s.started_on for s in steps)
        end = max(s.finished_on for s in steps)
        days.append(calendar.working_days_between(start, end))
        for s in steps:
            per_step[s.name].append(calendar.working_days_between(s.started_on, s.finished_on))
    return {
        "cases": len(days),
        "median_days": statistics.median(days) if days else None,
        "within_target": round(100.0 * sum(d <= target_days for d in days) / len(days), 1) if days else None,
        "target_days": target_days,
        "steps": [{"name": k, "median": statistics.median(v)} for k, v in per_step.items()],
    }


def inspection_summary(findings) -> dict:
    by_cat = findings.values("category").annotate(n=Count("id"), closed=Count("id", filter=Q(status="closed")))
    labels = dict(Finding.Category.choices)
    return {"by_category": [{"label": labels[r["category"]], "n": r["n"], "closed": r["closed"]} for r in by_cat],
            "total": findings.count(), "closed": findings.filter(status="closed").count()}


def visible_pairings(user):
    qs = Pairing.objects.select_related("cadre", "enterprise", "enterprise__area", "cadre__department")
    if permissions.is_allowed(user, "governance.liaison.view"):
        return permissions.scoped(user, "governance.liaison.view", qs)
    return permissions.scoped(user, "governance.liaison.view_own_enterprise", qs)


def visible_tickets(user):
    qs = LiaisonTicket.objects.select_related("enterprise", "demand__lead_org")
    condition = Q(pk__in=[])
    for rule in ("governance.tickets.view", "governance.tickets.view_own_enterprise"):
        if permissions.is_allowed(user, rule):
            q = permissions.scope_filter(user, rule)
            if q is None:
                return qs
            condition |= q
    return qs.filter(condition)


def pairable_enterprises(user, year: int):
    """Enterprises the user may pair (``governance.liaison.pair`` scope) that have no cadre in ``year``."""
    from qualitycity.core.models import Organization, OrgKind

    qs = Organization.objects.filter(kind=OrgKind.ENTERPRISE).exclude(
        pk__in=Pairing.objects.filter(year=year).values("enterprise_id")).select_related("area", "industry__parent")
    return permissions.scoped(user, "governance.liaison.pair", qs).order_by("name")


def cadres_with_load(year: int) -> list:
    """Every cadre with ``load`` = pairs held in ``year``; loaded once per page, ranked per row."""
    from .models import Cadre

    return list(Cadre.objects.select_related("department", "home_area").annotate(
        load=Count("pairings", filter=Q(pairings__year=year))))


def rank_cadres(cadres: list, enterprise, limit: int = 20) -> list:
    """Cadres to offer for one enterprise: same industry section and home district first, then
    the lighter workload: the preferences the automatic matching weighs."""
    section = enterprise.industry.section_code if enterprise.industry_id else ""
    return sorted(cadres, key=lambda c: (c.industry_section != section, c.home_area_id != enterprise.area_id,
                                         c.load, c.name))[:limit]


def department_rate_trend(department) -> list[dict]:
    """The three rates of one department at each snapshot, oldest first (for the trend chart)."""
    from .models import RateSnapshot

    rows = RateSnapshot.objects.filter(department=department).order_by("taken_on").values(
        "taken_on", "items", "immediate", "online", "one_visit")
    return [{"taken_on": r["taken_on"].isoformat(), "items": r["items"],
             **{k: float(r[k]) for k in ("immediate", "online", "one_visit")}} for r in rows]


def workbench(user, role):
    """Home-page card: the current plan's tasks in the user's scope that are red (late or
    missing a report), then amber, for the office, the districts and the member units."""
    if role not in (Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER) \
            or not permissions.is_allowed(user, "governance.tasks.view"):
        return None
    plan = Plan.objects.first()
    if plan is None:
        return None
    rows = board(user, plan)["tasks"]
    urgent = [r for r in rows if r["status"] == RED] + [r for r in rows if r["status"] == AMBER]
    labels = {RED: _("滞后"), AMBER: _("预警")}
    return Card(_("%(plan)s：需督办的任务") % {"plan": plan.name}, reverse("governance:index") + f"?plan={plan.pk}",
                figure=sum(1 for r in rows if r["status"] == RED), figure_label=_("项滞后"),
                lines=[Line(f"{r['item'].code} {r['item'].title}", reverse("governance:task", args=[r["item"].pk]),
                             labels[r["status"]]) for r in urgent[:4]],
                action=(_("任务看板"), reverse("governance:index") + f"?plan={plan.pk}"),
                empty=_("本计划的任务都在按期推进。"))
