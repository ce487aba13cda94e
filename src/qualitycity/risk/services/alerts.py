"""The alert lifecycle: triage, assignment, risk assessment (the risk register), actions,
closing.  Each step checks the state it starts from and records an audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.calendar import deadline_for
from qualitycity.core.errors import DomainError
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.methods import risk_matrix

from ..models import Action, ActionKind, Alert, AlertStatus, Assessment
from .signals import _department


def _expect(alert: Alert, *states):
    if alert.status not in states:
        raise DomainError(_("预警 %(n)s 当前状态为“%(s)s”，不能进行此操作") % {
            "n": alert.number, "s": alert.get_status_display()})


def _save(by, alert, action, before, **extra):
    alert.save()
    audit.record(by=by, action=action, obj=alert,
                 changes={**audit.diff(before, audit.snapshot(alert)), **extra})


def triage(*, by: Actor, alert: Alert, confirm: bool, note: str = "") -> Alert:
    """Confirm the alert for assessment, or dismiss it as a false alarm (reason required)."""
    note = (note or "").strip()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        _expect(alert, AlertStatus.NEW)
        before = audit.snapshot(alert)
        if confirm:
            alert.status, alert.triage_note = AlertStatus.TRIAGED, note
        else:
            if not note:
                raise DomainError(_("排除预警须填写理由"), field="note")
            alert.status, alert.dismiss_reason, alert.closed_at = AlertStatus.DISMISSED, note, timezone.now()
        _save(by, alert, "risk.alert.confirm" if confirm else "risk.alert.dismiss", before)
    return alert


def assign(*, by: Actor, alert: Alert, department_id, working_days: int) -> Alert:
    """Hand the alert to a department, due ``working_days`` working days from now."""
    if not 1 <= int(working_days) <= 60:
        raise DomainError(_("处置时限须在 1 到 60 个工作日之间"), field="working_days")
    dept = _department(department_id)
    if dept is None:
        raise DomainError(_("请选择处置部门"), field="department")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if not alert.is_open:
            raise DomainError(_("预警已办结或已排除，不能再指派"))
        before = audit.snapshot(alert)
        deadline = deadline_for(timezone.now(), int(working_days))
        alert.department, alert.due_on, alert.due_warning = dept, deadline.due_on, deadline.warning
        _save(by, alert, "risk.alert.assign", before)
    return alert


def assess(*, by: Actor, alert: Alert | None, product: str, hazard: str, consumer: str = "",
           scenarios: list[dict]) -> Assessment:
    """Assess the risk (Decision (EU) 2019/417 method) and enter it in the risk register.
    With an alert, the alert moves to "assessed"."""
    errors = {}
    if not (product or "").strip():
        errors["product"] = [_("请填写产品")]
    if not (hazard or "").strip():
        errors["hazard"] = [_("请填写危险源")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    try:
        level, results = risk_matrix.assess(scenarios)
    except risk_matrix.RiskInputError as exc:
        raise DomainError(str(exc), field="scenarios") from None
    stored = [{"description": r.description, "severity": r.severity, "steps": [float(s) for s in sc["steps"]],
               "probability": r.probability, "band": r.band, "level": r.level}
              for r, sc in zip(results, scenarios, strict=True)]
    with transaction.atomic():
        if alert is not None:
            alert = Alert.objects.select_for_update().get(pk=alert.pk)
            _expect(alert, AlertStatus.TRIAGED, AlertStatus.ASSESSED)
        a = Assessment.objects.create(
            number=next_number("FX"), alert=alert, product=product.strip(), hazard=hazard.strip(),
            consumer=(consumer or "").strip(), scenarios=stored, level=level,
            area=alert.area if alert else None, enterprise=alert.enterprise if alert else None,
            assessed_by=by.user, assessed_at=timezone.now())
        audit.record(by=by, action="risk.assessment.create", obj=a, changes={"after": audit.snapshot(a)})
        if alert is not None and alert.status != AlertStatus.ASSESSED:
            before = audit.snapshot(alert)
            alert.status = AlertStatus.ASSESSED
            _save(by, alert, "risk.alert.assessed", before, assessment=a.number)
    return a


def add_action(*, by: Actor, alert: Alert, kind: str, description: str, department_id=None,
               working_days: int = 10) -> Action:
    if kind not in ActionKind.values:
        raise DomainError(_("未知的处置措施"), field="kind")
    if not (description or "").strip():
        raise DomainError(_("请填写措施内容"), field="description")
    if not 1 <= int(working_days) <= 120:
        raise DomainError(_("完成期限须在 1 到 120 个工作日之间"), field="working_days")
    dept = _department(department_id)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        _expect(alert, AlertStatus.ASSESSED, AlertStatus.ACTION)
        action = Action.objects.create(
            alert=alert, kind=kind, description=description.strip(), department=dept or alert.department,
            due_on=deadline_for(timezone.now(), int(working_days)).due_on)
        audit.record(by=by, action="risk.action.create", obj=action,
                     changes={"alert": alert.number, "after": audit.snapshot(action)})
        if alert.status != AlertStatus.ACTION:
            before = audit.snapshot(alert)
            alert.status = AlertStatus.ACTION
            _save(by, alert, "risk.alert.action", before)
    return action


def complete_action(*, by: Actor, action: Action) -> Action:
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.done_at:
            raise DomainError(_("该措施已完成"))
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        audit.record(by=by, action="risk.action.done", obj=action, changes={"alert": action.alert.number})
    return action


def close(*, by: Actor, alert: Alert, note: str = "") -> Alert:
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        _expect(alert, AlertStatus.ACTION)
        if alert.actions.filter(done_at__isnull=True).exists():
            raise DomainError(_("仍有未完成的处置措施，不能办结"))
        before = audit.snapshot(alert)
        alert.status, alert.closed_at = AlertStatus.CLOSED, timezone.now()
        _save(by, alert, "risk.alert.close", before, note=note)
    return alert
