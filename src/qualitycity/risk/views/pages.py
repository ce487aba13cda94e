"""Read pages: dashboard (map + ranking), alerts, signals with their chart, register,
enterprise profile."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from qualitycity.core import permissions
from qualitycity.core.models import Organization
from qualitycity.core.models.organizations import GOVERNMENT_KINDS, OrgKind
from qualitycity.core.permissions import requires

from .. import selectors
from ..models import ActionKind, AlertStatus, Signal
from ..models import Alert as AlertModel


def scoped_alert(request, number: str) -> AlertModel:
    alert = selectors.alerts(request.user).filter(number=number).first()
    if alert is None:
        raise Http404  # outside the user's scope looks exactly like "does not exist"
    return alert


@requires("risk.view")
def index(request):
    return render(request, "risk/index.html", {
        "district_data": selectors.open_by_district(request.user),
        "top": selectors.top_risks(request.user),
        "open_count": selectors.alerts(request.user, status="open").count(),
        "can_manage": permissions.is_allowed(request.user, "risk.manage"),
    })


@requires("risk.view")
def alert_list(request):
    status = request.GET.get("status", "open")
    qs = selectors.alerts(request.user, status=status)
    return render(request, "risk/alerts.html", {
        "alerts": qs[:200], "status": status, "statuses": AlertStatus.choices})


@requires("risk.view")
def alert_detail(request, number: str):
    alert = scoped_alert(request, number)
    can_handle = permissions.can(request.user, "risk.handle", alert)
    return render(request, "risk/alert.html", {
        "alert": alert, "can_handle": can_handle,
        "assessments": alert.assessments.all(), "actions": alert.actions.select_related("department"),
        "action_kinds": ActionKind.choices, "severities": range(1, 5),
        "departments": Organization.objects.filter(kind__in=GOVERNMENT_KINDS).exclude(kind=OrgKind.CITY_OFFICE),
        "errors": request.session.pop("risk_form_errors", {}),
    })


@requires("risk.view")
def signal_list(request):
    return render(request, "risk/signals.html", {
        "signals": Signal.objects.all(), "can_manage": permissions.is_allowed(request.user, "risk.manage")})


@requires("risk.view")
def signal_detail(request, number: str):
    signal = get_object_or_404(Signal, number=number)
    chart = selectors.chart_series(request.user, signal, request.GET.get("series", ""))
    payload = None
    if chart:
        s = chart["series"]
        payload = {"weeks": s["weeks"], "observed": s["observed"], "expected": s["expected"],
                   "upper": s["upper"], "alarm": s["alarm"], "label": s["label"]}
    return render(request, "risk/signal.html", {
        "signal": signal, "chart": chart, "payload": payload,
        "runs": signal.runs.all()[:10], "alerts": selectors.alerts(request.user, signal=signal)[:50],
        "can_manage": permissions.is_allowed(request.user, "risk.manage")})


@requires("risk.register.view")
def register(request):
    return render(request, "risk/register.html", {"entries": selectors.register(request.user)[:200]})


@requires("risk.enterprise.view")
def enterprise(request, pk: int):
    org = get_object_or_404(Organization, pk=pk, kind=OrgKind.ENTERPRISE)
    if not permissions.can(request.user, "risk.enterprise.view", org):
        raise Http404
    return render(request, "risk/enterprise.html", selectors.enterprise_profile(request.user, org))

