"""Every state change of the brand lifecycle: apply, declare, submit, review, decide,
supervise, suspend, withdraw, reinstate. Each runs in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, Organization, OrgKind
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.core.services.attachments import store_attachment

from .models import (
    Application,
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    Declaration,
    EvaluationStandard,
    SurveillanceEvent,
    Violation,
)

VIOLATION_LOOKBACK_DAYS = 730  # serious violations in the last two years block an application
CERTIFICATE_YEARS = 3
DECIDABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def blocking_violations(enterprise: Organization, *, today: dt.date | None = None) -> list[Violation]:
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=VIOLATION_LOOKBACK_DAYS)
    return list(enterprise.quality_violations.filter(serious=True, occurred_on__gte=since))


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("standard", "enterprise").get(pk=application.pk)


def create_application(
    *, by: audit.Actor, enterprise: Organization, standard: EvaluationStandard, product: str,
    certification_body: Organization,
) -> Application:
    product = (product or "").strip()
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise DomainError("只有企业可以申请武汉名品", field="enterprise")
    if not product:
        raise DomainError("请填写申请认证的产品或产品线", field="product")
    if not standard.is_active:
        raise DomainError(f"评价规范 {standard.code} 已停止使用", field="standard")
    if certification_body.kind != OrgKind.CERTIFICATION_BODY:
        raise DomainError("请选择一家认证机构", field="certification_body")
    with transaction.atomic():
        app = Application.objects.create(
            number=next_number("MPSQ"), enterprise=enterprise, standard=standard, product=product[:120],
            certification_body=certification_body,
        )
        audit.record(by=by, action="brands.application.create", obj=app, changes={"product": [None, product]})
    return app


def declare(*, by: audit.Actor, application: Application, requirement_id: int, statement: str,
            evidence: Attachment | None = None, evidence_file: tuple[str, bytes] | None = None) -> Declaration:
    """Save the self-declaration for one requirement. ``evidence_file`` (name, bytes) is
    stored in the same transaction, so a refused declaration leaves no stray attachment."""
    statement = (statement or "").strip()
    if not statement:
        raise DomainError("自我声明不能为空", field="statement")
    with transaction.atomic():
        app = _locked(application)
        if app.status != ApplicationStatus.DRAFT:
            raise DomainError("申请已提交，不能再修改声明")
        requirement = app.standard.requirements.filter(pk=requirement_id).first()
        if requirement is None:
            raise DomainError("该要求不属于此评价规范", field="requirement")
        if evidence_file is not None:
            evidence = store_attachment(by=by, filename=evidence_file[0], content=evidence_file[1],
                                        organization=app.enterprise)
        declaration, _ = Declaration.objects.update_or_create(
            application=app, requirement=requirement,
            defaults={"statement": statement[:4000], **({"evidence": evidence} if evidence else {})},
        )
        audit.record(by=by, action="brands.application.declare", obj=app,
                     changes={f"requirement:{requirement.pk}": [None, statement[:80]]})
    return declaration


def submit(*, by: audit.Actor, application: Application) -> Application:
    """Refused, saying why, when evidence is missing or the enterprise has a recent
    serious violation on record."""
    with transaction.atomic():
        app = _locked(application)
        if app.status != ApplicationStatus.DRAFT:
            raise DomainError(f"申请当前状态为“{app.get_status_display()}”，不能提交")
        violations = blocking_violations(app.enterprise)
        if violations:
            v = violations[0]
            raise DomainError(f"企业近两年有严重质量违法记录（{v.occurred_on}：{v.description}），暂不能申请武汉名品")
        declared = {d.requirement_id: d for d in app.declarations.all()}
        missing = [r.text for r in app.standard.requirements.all() if r.pk not in declared or declared[r.pk].evidence_id is None]
        if missing:
            raise DomainError(f"以下 {len(missing)} 项要求缺少自我声明或证明材料：{'；'.join(missing[:5])}")
        app.status = ApplicationStatus.SUBMITTED
        app.submitted_at = timezone.now()
        app.save(update_fields=["status", "submitted_at"])
        audit.record(by=by, action="brands.application.submit", obj=app, changes={"status": ["draft", "submitted"]})
    return app


def score(*, by: audit.Actor, application: Application, scores: dict[int, int], comments: dict[int, str] | None = None,
          audited_on: dt.date | None = None) -> Application:
    """The certification body's scores per requirement (requirement id → score)."""
    comments = comments or {}
    with transaction.atomic():
        app = _locked(application)
        if app.status not in DECIDABLE:
            raise DomainError(f"申请当前状态为“{app.get_status_display()}”，不能评分")
        requirements = {r.pk: r for r in app.standard.requirements.all()}
        for req_id, value in scores.items():
            requirement = requirements.get(req_id)
            if requirement is None:
                raise DomainError(f"要求 {req_id} 不属于此评价规范")
            if not 0 <= value <= requirement.max_score:
                raise DomainError(f"“{requirement.text}”的评分应在 0–{requirement.max_score} 之间", field=str(req_id))
            Declaration.objects.filter(application=app, requirement_id=req_id).update(
                score=value, score_comment=comments.get(req_id, "")[:300]
            )
        app.status = ApplicationStatus.UNDER_REVIEW
        app.audited_on = audited_on or app.audited_on
        app.save(update_fields=["status", "audited_on"])
        audit.record(by=by, action="brands.application.score", obj=app, changes={"scores": [None, scores]})
    return app


def review(*, by: audit.Actor, application: Application, scores: dict[int, int], audited_on: dt.date | None = None,
           outcome: str = "", note: str = "", conditions: str = "") -> Application:
    """The review form: the scores and, when given, the conclusion, as one change — a
    conclusion that is refused leaves the scores as they were."""
    with transaction.atomic():
        app = score(by=by, application=application, scores=scores, audited_on=audited_on)
        if outcome:
            app = decide(by=by, application=app, outcome=outcome, note=note, conditions=conditions)
    return app


def decide(*, by: audit.Actor, application: Application, outcome: str, note: str = "", conditions: str = "",
           today: dt.date | None = None) -> Application:
    """``outcome`` is certify, conditional or reject. Certifying needs every requirement
    scored at or above its pass mark."""
    today = today or timezone.localdate()
    if outcome not in ("certify", "conditional", "reject"):
        raise DomainError("认证结论应为 认证、有条件认证 或 不予认证", field="outcome")
    with transaction.atomic():
        app = _locked(application)
        if app.status not in DECIDABLE:
            raise DomainError(f"申请当前状态为“{app.get_status_display()}”，不能作出认证结论")
        if outcome != "reject":
            failing = [d.requirement.text for d in app.declarations.select_related("requirement")
                       if d.score is None or d.score < d.requirement.pass_score]
            if failing:
                raise DomainError(f"有 {len(failing)} 项要求未评分或未达合格分，不能认证：{'；'.join(failing[:5])}")
            if outcome == "conditional" and not conditions.strip():
                raise DomainError("有条件认证须写明条件", field="conditions")
        before = app.status
        app.status = {"certify": ApplicationStatus.CERTIFIED, "conditional": ApplicationStatus.CERTIFIED_WITH_CONDITIONS,
                      "reject": ApplicationStatus.REJECTED}[outcome]
        app.decided_at = timezone.now()
        app.decision_note = note[:2000]
        app.save(update_fields=["status", "decided_at", "decision_note"])
        if outcome != "reject":
            Certificate.objects.create(
                number=next_number("WHMP"), application=app, enterprise=app.enterprise,
                scope=f"{app.product}（{app.standard.code}）"[:200], conditions=conditions[:300], issued_on=today,
                valid_until=today.replace(year=today.year + CERTIFICATE_YEARS) - dt.timedelta(days=1),
            )
        audit.record(by=by, action="brands.application.decide", obj=app, changes={"status": [before, app.status]})
    return app


def _set_status(certificate: Certificate, status: str, reason: str, by: audit.Actor, action: str) -> Certificate:
    before = certificate.status
    certificate.status = status
    certificate.status_reason = reason[:300]
    certificate.status_changed_on = timezone.localdate()
    certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
    audit.record(by=by, action=action, obj=certificate, changes={"status": [before, status], "reason": [None, reason]})
    return certificate


def record_surveillance(*, by: audit.Actor, certificate: Certificate, kind: str, held_on: dt.date, passed: bool,
                        inspection_report: str = "", notes: str = "") -> SurveillanceEvent:
    """A failed audit or sample suspends the certificate at once."""
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.status == CertificateStatus.WITHDRAWN:
            raise DomainError("证书已撤销，不能再记录证后监督")
        event = SurveillanceEvent.objects.create(certificate=cert, kind=kind, held_on=held_on, passed=passed,
                                                 inspection_report=inspection_report[:32], notes=notes[:300])
        audit.record(by=by, action="brands.surveillance.record", obj=cert, changes={"passed": [None, passed]})
        if not passed and cert.status == CertificateStatus.VALID:
            _set_status(cert, CertificateStatus.SUSPENDED, f"{held_on} {event.get_kind_display()}不合格：{notes}".strip(),
                        by, "brands.certificate.suspend")
    return event


def suspend(*, by: audit.Actor, certificate: Certificate, reason: str) -> Certificate:
    return _change(certificate, CertificateStatus.SUSPENDED, reason, by, {CertificateStatus.VALID}, "brands.certificate.suspend")


def withdraw(*, by: audit.Actor, certificate: Certificate, reason: str) -> Certificate:
    allowed = {CertificateStatus.VALID, CertificateStatus.SUSPENDED}
    return _change(certificate, CertificateStatus.WITHDRAWN, reason, by, allowed, "brands.certificate.withdraw")


def reinstate(*, by: audit.Actor, certificate: Certificate, reason: str) -> Certificate:
    allowed = {CertificateStatus.SUSPENDED}
    return _change(certificate, CertificateStatus.VALID, reason, by, allowed, "brands.certificate.reinstate")


def _change(certificate, status, reason, by, allowed, action) -> Certificate:
    if not (reason or "").strip():
        raise DomainError("请填写原因", field="reason")
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.status not in allowed:
            raise DomainError(f"证书当前状态为“{cert.get_status_display()}”，不能执行此操作")
        return _set_status(cert, status, reason.strip(), by, action)


def record_violation(*, by: audit.Actor, enterprise: Organization, kind: str, occurred_on: dt.date,
                     description: str, serious: bool = True) -> Violation:
    if kind not in Violation.Kind.values:
        raise DomainError("违法记录类型不正确", field="kind")
    with transaction.atomic():
        violation = Violation.objects.create(enterprise=enterprise, kind=kind, occurred_on=occurred_on,
                                             description=description[:300], serious=serious)
        audit.record(by=by, action="brands.violation.record", obj=violation, changes={"kind": [None, kind]})
    return violation
