"""Risk-monitoring API (/api/v1/risk/…): signals, runs on demand, alerts and triage.

Thin: reads go through the permission layer's scoping, writes through the services.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from qualitycity.core import permissions
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from .models import Alert, Signal
from .services import alerts as alert_service
from .services import signals as signal_service

router = Router(tags=["risk"])
MAX_ROWS = 500


class SignalOut(Schema):
    number: str
    name: str
    source: str
    grouping: str
    method: str
    parameters: dict
    monitor_weeks: int
    active: bool
    last_run_at: dt.datetime | None


class RunOut(Schema):
    status: str
    week: dt.date | None
    series_count: int
    alarm_count: int
    message: str


class AlertOut(Schema):
    number: str
    signal: str
    series_label: str
    category: str
    district: str | None
    week: dt.date
    observed: float
    expected: float | None
    upperbound: float | None
    pvalue: float | None
    status: str
    department: str | None
    due_on: dt.date | None

    @staticmethod
    def resolve_signal(obj):
        return obj.signal.number

    @staticmethod
    def resolve_district(obj):
        return obj.area.name if obj.area_id else None

    @staticmethod
    def resolve_department(obj):
        return obj.department.name if obj.department_id else None


class TriageIn(Schema):
    confirm: bool
    note: str = ""


@router.get("/signals", response=list[SignalOut])
@api_requires("risk.view")
def list_signals(request):
    return list(Signal.objects.order_by("number")[:MAX_ROWS])


@router.post("/signals/{number}/run", response=RunOut)
@api_requires("risk.manage")
def run_signal(request, number: str):
    """Runs now and answers with the outcome; a failed run (e.g. too few weeks) says why."""
    signal = get_object_or_404(Signal, number=number)
    return signal_service.run_signal(by=Actor.from_request(request), signal=signal, trigger="manual")


@router.get("/alerts", response=list[AlertOut])
@api_requires("risk.view")
def list_alerts(request, status: str = "", signal: str = "", since: dt.date | None = None):
    qs = Alert.objects.select_related("signal", "area", "department").order_by("-week", "number")
    if status:
        qs = qs.filter(status__in=status.split(","))
    if signal:
        qs = qs.filter(signal__number=signal)
    if since:
        qs = qs.filter(week__gte=since)
    return list(permissions.scoped(request.user, "risk.view", qs)[:MAX_ROWS])


def _alert(request, number: str, rule: str) -> Alert:
    qs = permissions.scoped(request.user, "risk.view", Alert.objects.select_related("signal", "area", "department"))
    alert = get_object_or_404(qs, number=number)
    if not permissions.can(request.user, rule, alert):
        raise PermissionDenied
    return alert


@router.get("/alerts/{number}", response=AlertOut)
@api_requires("risk.view")
def get_alert(request, number: str):
    return _alert(request, number, "risk.view")


@router.post("/alerts/{number}/triage", response=AlertOut)
@api_requires("risk.handle")
def triage_alert(request, number: str, body: TriageIn):
    alert = _alert(request, number, "risk.handle")
    return alert_service.triage(by=Actor.from_request(request), alert=alert, confirm=body.confirm, note=body.note)
