"""Reads for the risk pages: scoped alert lists, the district map, the ranking, the chart
of a signal, an enterprise's risk profile and the home-page card."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.models import Area, Role
from qualitycity.core.workbench import Card, Line

from .models import LEVEL_RANK, OPEN_STATUSES, Alert, Assessment, SignalRun


def alerts(user, *, status: str = "", signal=None):
    qs = permissions.scoped(user, "risk.view", Alert.objects.select_related("signal", "area", "department"))
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if signal is not None:
        qs = qs.filter(signal=signal)
    return qs


def open_by_district(user) -> list[dict]:
    """Open alerts per district (all districts listed, zero included) for the map."""
    counts = dict(alerts(user, status="open").exclude(area=None).values("area").annotate(n=Count("pk"))
                  .values_list("area", "n"))
    return [{"name": a.name, "kind": "district", "value": counts.get(a.pk, 0)}
            for a in Area.objects.exclude(kind=Area.Kind.CITY)]


def top_risks(user, limit: int = 10) -> list[dict]:
    """Open alerts ranked by assessed risk level, then by how far the count exceeds the
    bound (observed / upper bound), then by p-value."""
    rows = []
    qs = alerts(user, status="open").prefetch_related("assessments")
    for a in qs[:500]:
        assessed = [x.level for x in a.assessments.all()]
        level = max(assessed, key=lambda v: LEVEL_RANK[v]) if assessed else ""
        excess = a.observed / a.upperbound if a.upperbound else float(a.observed)
        rows.append({"alert": a, "level": level, "excess": excess,
                     "key": (LEVEL_RANK.get(level, -1), excess, -(a.pvalue if a.pvalue is not None else 1.0))})
    rows.sort(key=lambda r: r["key"], reverse=True)
    return rows[:limit]


def latest_run(signal):
    return SignalRun.objects.filter(signal=signal, status=SignalRun.Status.OK).first()


def chart_series(user, signal, key: str = "") -> dict | None:
    """The stored results of the latest run for one series (default: the series with the
    most recent alarm), for the ECharts time series.  District officers get only series
    of their district."""
    run = latest_run(signal)
    if run is None or not run.results:
        return None
    visible = {a.series_key for a in alerts(user, signal=signal)}
    results = run.results
    if permissions.scope_filter(user, "risk.view") is not None:
        area_ids = set(permissions.district_area_ids(user))
        results = [r for r in results if _area_of_key(r["key"]) in area_ids or r["key"] in visible]
    if not results:
        return None
    chosen = next((r for r in results if r["key"] == key), None)
    if chosen is None:
        alarmed = [r for r in results if any(r["alarm"])]
        chosen = max(alarmed, key=lambda r: max(i for i, v in enumerate(r["alarm"]) if v)) if alarmed else results[0]
    return {"run": run, "series": chosen, "choices": [(r["key"], r["label"]) for r in results]}


def _area_of_key(key: str):
    part = key.rsplit("|", 1)[-1] if "|" in key else ""
    return int(part[1:]) if part.startswith("a") and part[1:].isdigit() else None


def register(user):
    return permissions.scoped(user, "risk.register.view",
                              Assessment.objects.select_related("alert", "enterprise", "area"))


def enterprise_profile(user, org) -> dict:
    """What the platform knows about an enterprise's quality risk.  Failed inspections,
    complaints and certifications come from their apps through ``PROFILE_HOOKS`` once they
    expose them; this app contributes alerts and assessments."""
    alert_qs = Alert.objects.filter(Q(enterprise=org)).select_related("signal")
    sections = []
    for hook in PROFILE_HOOKS:
        section = hook(org)
        if section:
            sections.append(section)
    return {"org": org, "alerts": alert_qs[:50], "assessments": Assessment.objects.filter(enterprise=org)[:50],
            "open_alerts": alert_qs.filter(status__in=OPEN_STATUSES).count(), "sections": sections}


# Other apps append callables ``(organization) -> {"title": str, "rows": [(label, value), ...]}``
# (e.g. the inspection app: failed samples in the last 3 years; complaints: complaints
# per year; certifications).  Kept as a plain list so that no app imports another's models.
PROFILE_HOOKS: list = []


def workbench(user, role):
    """Home-page card: the open alerts in the user's scope, the most serious first; for a
    department officer, the alerts assigned to their department."""
    if role not in (Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER) \
            or not permissions.is_allowed(user, "risk.view"):
        return None
    if role == Role.DEPARTMENT_OFFICER:
        mine = permissions.scoped(user, "risk.handle", Alert.objects.filter(status__in=OPEN_STATUSES))
        count, shown = mine.count(), list(mine.order_by("-week", "-pk")[:4])
        title = _("分派本部门的预警")
    else:
        count, shown = alerts(user, status="open").count(), [r["alert"] for r in top_risks(user, limit=4)]
        title = _("待处置的风险预警")
    return Card(title, reverse("risk:alerts") + "?status=open", figure=count, figure_label=_("条"),
                lines=[Line(f"{a.number} · {a.series_label}", reverse("risk:alert", args=[a.number]),
                            a.get_status_display()) for a in shown],
                action=(_("风险监测"), reverse("risk:index")), empty=_("没有未办结的预警。"))
