"""Write views: every one calls a service; domain errors become messages on the page."""

from __future__ import annotations

from fractions import Fraction

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Area, Organization
from qualitycity.core.models.organizations import GOVERNMENT_KINDS, OrgKind
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from ..models import Action, Grouping, Method, Signal, Source
from ..services import alerts as alert_service
from ..services import signals as signal_service
from .pages import scoped_alert


def _handled_alert(request, number):
    alert = scoped_alert(request, number)
    if not permissions.can(request.user, "risk.handle", alert):
        raise PermissionDenied
    return alert


def _fail(request, alert, exc: DomainError):
    messages.error(request, exc.message)
    request.session["risk_form_errors"] = exc.errors
    return redirect("risk:alert", number=alert.number)


@require_POST
@requires("risk.handle")
def triage(request, number: str):
    alert = _handled_alert(request, number)
    try:
        alert_service.triage(by=Actor.from_request(request), alert=alert,
                             confirm=request.POST.get("decision") == "confirm", note=request.POST.get("note", ""))
    except DomainError as exc:
        return _fail(request, alert, exc)
    return redirect("risk:alert", number=alert.number)


@require_POST
@requires("risk.handle")
def assign(request, number: str):
    alert = _handled_alert(request, number)
    try:
        alert_service.assign(by=Actor.from_request(request), alert=alert,
                             department_id=request.POST.get("department") or None,
                             working_days=_int(request.POST.get("working_days"), "working_days"))
    except DomainError as exc:
        return _fail(request, alert, exc)
    return redirect("risk:alert", number=alert.number)


def _int(text, field):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise DomainError(_("请填写整数"), field=field) from None


def _probability(token: str, n: int, step: int) -> float:
    """A step probability written as 0.01, 1/100 or 1%."""
    t = token.strip().replace("％", "%")
    try:
        if t.endswith("%"):
            return float(t[:-1]) / 100
        return float(Fraction(t))
    except (ValueError, ZeroDivisionError):
        raise DomainError(_("场景 %(n)s 第 %(s)s 步的概率“%(t)s”无法识别：请写成 0.01、1/100 或 1%%") % {
            "n": n, "s": step, "t": token}, field="scenarios") from None


def parse_scenarios(post) -> list[dict]:
    scenarios = []
    for n in range(1, 4):
        desc = post.get(f"s{n}_description", "").strip()
        steps_text = post.get(f"s{n}_steps", "").strip()
        if not desc and not steps_text:
            continue
        tokens = [t for t in steps_text.replace("，", ",").replace(";", ",").split(",") if t.strip()]
        scenarios.append({"description": desc, "severity": post.get(f"s{n}_severity"),
                          "steps": [_probability(t, n, i) for i, t in enumerate(tokens, start=1)]})
    return scenarios


@require_POST
@requires("risk.handle")
def assess(request, number: str):
    alert = _handled_alert(request, number)
    try:
        alert_service.assess(by=Actor.from_request(request), alert=alert, product=request.POST.get("product", ""),
                             hazard=request.POST.get("hazard", ""), consumer=request.POST.get("consumer", ""),
                             scenarios=parse_scenarios(request.POST))
    except DomainError as exc:
        return _fail(request, alert, exc)
    return redirect("risk:alert", number=alert.number)


@require_POST
@requires("risk.handle")
def add_action(request, number: str):
    alert = _handled_alert(request, number)
    try:
        alert_service.add_action(by=Actor.from_request(request), alert=alert, kind=request.POST.get("kind", ""),
                                 description=request.POST.get("description", ""),
                                 department_id=request.POST.get("department") or None,
                                 working_days=_int(request.POST.get("working_days", "10"), "working_days"))
    except DomainError as exc:
        return _fail(request, alert, exc)
    return redirect("risk:alert", number=alert.number)


@require_POST
@requires("risk.handle")
def action_done(request, number: str, action_id: int):
    alert = _handled_alert(request, number)
    action = get_object_or_404(Action, pk=action_id, alert=alert)
    try:
        alert_service.complete_action(by=Actor.from_request(request), action=action)
    except DomainError as exc:
        return _fail(request, alert, exc)
    return redirect("risk:alert", number=alert.number)


@require_POST
@requires("risk.handle")
def close(request, number: str):
    alert = _handled_alert(request, number)
    try:
        alert_service.close(by=Actor.from_request(request), alert=alert, note=request.POST.get("note", ""))
    except DomainError as exc:
        return _fail(request, alert, exc)
    return redirect("risk:alert", number=alert.number)


@requires("risk.manage")
def signal_new(request):
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        try:
            params = {}
            for line in request.POST.get("parameters", "").splitlines():
                if line.strip():
                    key, _sep, value = line.partition("=")
                    if not _sep:
                        raise DomainError(_("参数请按“名称=值”每行一个填写：%(l)s") % {"l": line}, field="parameters")
                    params[key.strip()] = value.strip()
            signal = signal_service.create_signal(
                by=Actor.from_request(request), name=request.POST.get("name", ""),
                source=request.POST.get("source", ""), grouping=request.POST.get("grouping", ""),
                method=request.POST.get("method", ""), parameters=params,
                categories=request.POST.get("categories", "").replace("，", ",").split(","),
                area_ids=request.POST.getlist("areas"),
                monitor_weeks=_int(request.POST.get("monitor_weeks", "26"), "monitor_weeks"),
                department_id=request.POST.get("department") or None,
                response_days=_int(request.POST.get("response_days", "5"), "response_days"))
            return redirect("risk:signal", number=signal.number)
        except DomainError as exc:
            errors = exc.errors or {"__all__": [exc.message]}
            messages.error(request, exc.message)
    return render(request, "risk/signal_form.html", {
        "errors": errors, "values": values, "sources": Source.choices, "groupings": Grouping.choices,
        "methods": Method.choices, "areas": Area.objects.exclude(kind=Area.Kind.CITY),
        "departments": Organization.objects.filter(kind__in=GOVERNMENT_KINDS).exclude(kind=OrgKind.CITY_OFFICE)},
        status=400 if errors else 200)


@require_POST
@requires("risk.manage")
def signal_run(request, number: str):
    signal = get_object_or_404(Signal, number=number)
    run = signal_service.run_signal(by=Actor.from_request(request), signal=signal, trigger="manual")
    if run.status == run.Status.OK:
        messages.success(request, _("已运行：%(s)s 个序列，%(a)s 个报警") % {"s": run.series_count, "a": run.alarm_count})
    else:
        messages.error(request, _("未能运行：%(m)s") % {"m": run.message})
    return redirect("risk:signal", number=signal.number)


@requires("risk.manage")
def import_counts(request):
    problems, status = None, 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的文件"), field="file")
            n = signal_service.import_counts(by=Actor.from_request(request), source=request.POST.get("source", ""),
                                             filename=upload.name, content=upload.read())
            messages.success(request, _("已导入 %(n)s 行周计数") % {"n": n})
            return redirect("risk:import")
        except ImportRejected as exc:
            problems, status = exc.problems, 400
            messages.error(request, exc.message)
        except DomainError as exc:
            status = 400
            messages.error(request, exc.message)
    return render(request, "risk/import.html", {"sources": Source.choices, "problems": problems}, status=status)
