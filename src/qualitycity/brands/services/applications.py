"""The application lifecycle: apply (or renew), declare, submit, review, decide. Each runs in
one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, Organization, OrgKind
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.core.services.attachments import store_attachment

from ..models import (
    Application,
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    Declaration,
    EvaluationStandard,
)

VIOLATION_LOOKBACK_DAYS = 730  # serious violations in the last two years block an application
CERTIFICATE_YEARS = 3
DECIDABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
# Results that count: the lab's four-eyes review has approved them (amended reports have
# already corrected the item's verdict, so a corrected failure no longer blocks).
_APPROVED_ORDER_STATES = ("reviewed", "issued", "rated")


@dataclass(frozen=True)
class Blocker:
    """Why an enterprise may not apply: a failed inspection in the platform or a recorded case."""

    occurred_on: dt.date
    description: str
    reference: str = ""

    def __str__(self) -> str:
        ref = f"（{self.reference}）" if self.reference else ""
        return f"{self.occurred_on} {self.description}{ref}"


def _failed_inspections(enterprise: Organization, since: dt.date) -> list[Blocker]:
    """Failed items of the inspection module with a recorded hazard (a safety failure, hence
    serious); a failed item without a hazard, e.g. a moisture content, does not block."""
    try:
        from qualitycity.inspection.models import OrderItem
    except ImportError:  # the inspection app is optional
        return []
    items = (OrderItem.objects.filter(order__enterprise=enterprise, passed=False, order__state__in=_APPROVED_ORDER_STATES,
                                      order__tested_on__gte=since)
             .exclude(hazard="").select_related("order").order_by("-order__tested_on", "id"))
    return [Blocker(i.order.tested_on, _("检验不合格：{product}“{item}”项目（危害：{hazard}）").format(product=i.order.product_name, item=i.item, hazard=i.hazard),
                    _("检验委托单 {number}").format(number=i.order.number)) for i in items[:20]]


def blocking_violations(enterprise: Organization, *, today: dt.date | None = None) -> list[Blocker]:
    """Serious quality violations of the last two years: failed inspections recorded in the
    platform's inspection module, and the violations staff entered (enforcement cases,
    failed government sampling), newest first."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=VIOLATION_LOOKBACK_DAYS)
    recorded = [Blocker(v.occurred_on, f"{v.get_kind_display()}：{v.description}")
                for v in enterprise.quality_violations.filter(serious=True, occurred_on__gte=since)]
    return sorted(recorded + _failed_inspections(enterprise, since), key=lambda b: b.occurred_on, reverse=True)


def _refuse_if_blocked(enterprise: Organization) -> None:
    blockers = blocking_violations(enterprise)
    if blockers:
        more = _("等 {n} 条").format(n=len(blockers)) if len(blockers) > 1 else ""
        raise DomainError(_("企业近两年有严重质量违法记录（{violation}{more}），暂不能申请武汉名品").format(violation=blockers[0], more=more), field="enterprise")


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("standard", "enterprise").get(pk=application.pk)


def create_application(
    *, by: audit.Actor, enterprise: Organization, standard: EvaluationStandard, product: str,
    certification_body: Organization, renews: Certificate | None = None, today: dt.date | None = None,
) -> Application:
    """Blocked at once, saying why, when the enterprise has a recent serious violation (and
    again at submit, in case one was recorded in between)."""
    product = (product or "").strip()
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise DomainError(_("只有企业可以申请武汉名品"), field="enterprise")
    if not product:
        raise DomainError(_("请填写申请认证的产品或产品线"), field="product")
    if not standard.is_active:
        raise DomainError(_("评价规范 {code} 已停止使用").format(code=standard.code), field="standard")
    if certification_body.kind != OrgKind.CERTIFICATION_BODY:
        raise DomainError(_("请选择一家认证机构"), field="certification_body")
    if renews is not None:
        _check_renewable(renews, enterprise, today=today)
    _refuse_if_blocked(enterprise)
    with transaction.atomic():
        app = Application.objects.create(
            number=next_number("MPSQ"), enterprise=enterprise, standard=standard, product=product[:120],
            certification_body=certification_body, renews=renews,
        )
        audit.record(by=by, action="brands.application.create", obj=app, changes={"product": [None, product]})
    return app


def declare(*, by: audit.Actor, application: Application, requirement_id: int, statement: str,
            evidence: Attachment | None = None, evidence_file: tuple[str, bytes] | None = None) -> Declaration:
    """Save the self-declaration for one requirement. ``evidence_file`` (name, bytes) is
    stored in the same transaction, so a refused declaration leaves no stray attachment."""
    statement = (statement or "").strip()
    if not statement:
        raise DomainError(_("自我声明不能为空"), field="statement")
    with transaction.atomic():
        app = _locked(application)
        if app.status != ApplicationStatus.DRAFT:
            raise DomainError(_("申请已提交，不能再修改声明"))
        requirement = app.standard.requirements.filter(pk=requirement_id).first()
        if requirement is None:
            raise DomainError(_("该要求不属于此评价规范"), field="requirement")
        if evidence_file is not None:
            evidence = store_attachment(by=by, filename=evidence_file[0], content=evidence_file[1],
                                        organization=app.enterprise)
        declaration, _created = Declaration.objects.update_or_create(
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
            raise DomainError(_("申请当前状态为“{status}”，不能提交").format(status=app.get_status_display()))
        _refuse_if_blocked(app.enterprise)
        declared = {d.requirement_id: d for d in app.declarations.all()}
        missing = [r.text for r in app.standard.requirements.all() if r.pk not in declared or declared[r.pk].evidence_id is None]
        if missing:
            raise DomainError(_("以下 {n} 项要求缺少自我声明或证明材料：{requirements}").format(
                n=len(missing), requirements="；".join(missing[:5])))
        app.status = ApplicationStatus.SUBMITTED
        app.submitted_at = timezone.now()
        app.save(update_fields=["status", "submitted_at"])
        audit.record(by=by, action="brands.application.submit", obj=app, changes={"status": ["draft", "submitted"]})
    return app


def score(*, by: audit.Actor, application: Application, scores: dict[int, int], comments: dict[int, str] | None = None,
          audited_on: dt.date | None = None, findings: str = "") -> Application:
    """The certification body's scores per requirement (requirement id → score)."""
    comments = comments or {}
    with transaction.atomic():
        app = _locked(application)
        if app.status not in DECIDABLE:
            raise DomainError(_("申请当前状态为“{status}”，不能评分").format(status=app.get_status_display()))
        requirements = {r.pk: r for r in app.standard.requirements.all()}
        for req_id, value in scores.items():
            requirement = requirements.get(req_id)
            if requirement is None:
                raise DomainError(_("要求 {requirement} 不属于此评价规范").format(requirement=req_id))
            if not 0 <= value <= requirement.max_score:
                raise DomainError(_("“{requirement}”的评分应在 0–{max} 之间").format(requirement=requirement.text, max=requirement.max_score),
                                  field=str(req_id))
            Declaration.objects.filter(application=app, requirement_id=req_id).update(
                score=value, score_comment=comments.get(req_id, "")[:300]
            )
        app.status = ApplicationStatus.UNDER_REVIEW
        app.audited_on = audited_on or app.audited_on
        app.audit_findings = (findings or "").strip()[:4000] or app.audit_findings
        app.save(update_fields=["status", "audited_on", "audit_findings"])
        audit.record(by=by, action="brands.application.score", obj=app, changes={"scores": [None, scores]})
    return app


def review(*, by: audit.Actor, application: Application, scores: dict[int, int], audited_on: dt.date | None = None,
           outcome: str = "", note: str = "", conditions: str = "", findings: str = "") -> Application:
    """The review form: the scores and, when given, the conclusion, as one change — a
    conclusion that is refused leaves the scores as they were."""
    with transaction.atomic():
        app = score(by=by, application=application, scores=scores, audited_on=audited_on, findings=findings)
        if outcome:
            app = decide(by=by, application=app, outcome=outcome, note=note, conditions=conditions)
    return app


def decide(*, by: audit.Actor, application: Application, outcome: str, note: str = "", conditions: str = "",
           today: dt.date | None = None) -> Application:
    """``outcome`` is certify, conditional or reject. Certifying needs every requirement
    scored at or above its pass mark."""
    today = today or timezone.localdate()
    if outcome not in ("certify", "conditional", "reject"):
        raise DomainError(_("认证结论应为 认证、有条件认证 或 不予认证"), field="outcome")
    with transaction.atomic():
        app = _locked(application)
        if app.status not in DECIDABLE:
            raise DomainError(_("申请当前状态为“{status}”，不能作出认证结论").format(status=app.get_status_display()))
        if outcome != "reject":
            failing = [d.requirement.text for d in app.declarations.select_related("requirement")
                       if d.score is None or d.score < d.requirement.pass_score]
            if failing:
                raise DomainError(_("有 {n} 项要求未评分或未达合格分，不能认证：{requirements}").format(
                    n=len(failing), requirements="；".join(failing[:5])))
            if outcome == "conditional" and not conditions.strip():
                raise DomainError(_("有条件认证须写明条件"), field="conditions")
        before = app.status
        app.status = {"certify": ApplicationStatus.CERTIFIED, "conditional": ApplicationStatus.CERTIFIED_WITH_CONDITIONS,
                      "reject": ApplicationStatus.REJECTED}[outcome]
        app.decided_at = timezone.now()
        app.decision_note = note[:2000]
        app.save(update_fields=["status", "decided_at", "decision_note"])
        if outcome != "reject":
            new = Certificate.objects.create(
                number=next_number("WHMP"), application=app, enterprise=app.enterprise,
                scope=f"{app.product}（{app.standard.code}）"[:200], conditions=conditions[:300], issued_on=today,
                valid_until=_years_later(today, CERTIFICATE_YEARS) - dt.timedelta(days=1), renewed_from=app.renews,
            )
            if app.renews_id:
                _close_renewed(by, app.renews, new, today)
        audit.record(by=by, action="brands.application.decide", obj=app, changes={"status": [before, app.status]})
    return app


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


RENEWAL_WINDOW_DAYS = 180  # a renewal may start six months before expiry


def _check_renewable(certificate: Certificate, enterprise: Organization, *, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if certificate.enterprise_id != enterprise.pk:
        raise DomainError(_("只能为本企业的证书申请换证"), field="renews")
    if certificate.status != CertificateStatus.VALID:
        raise DomainError(_("证书 {number} 当前为“{status}”，不能换证；暂停的证书须先恢复，撤销的证书须重新申请").format(
            number=certificate.number, status=certificate.get_status_display()), field="renews")
    if certificate.valid_until < today:
        raise DomainError(_("证书 {number} 已于 {date} 到期，不能换证，请重新申请").format(
            number=certificate.number, date=certificate.valid_until),
                          field="renews")
    if certificate.valid_until - today > dt.timedelta(days=RENEWAL_WINDOW_DAYS):
        raise DomainError(_("证书 {number} 有效期至 {date}，到期前 6 个月内才能申请换证").format(
            number=certificate.number, date=certificate.valid_until),
                          field="renews")
    if certificate.renewal_applications.exclude(status=ApplicationStatus.REJECTED).exists():
        raise DomainError(_("证书 {number} 已有换证申请").format(number=certificate.number), field="renews")


def start_renewal(*, by: audit.Actor, certificate: Certificate, certification_body: Organization | None = None,
                  today: dt.date | None = None) -> Application:
    """A renewal is a new application for the same product and standard (re-assessed in
    full); certifying it issues a new certificate with ``renewed_from`` and closes the old one."""
    today = today or timezone.localdate()
    certificate = Certificate.objects.select_related("application__standard", "enterprise").get(pk=certificate.pk)
    old = certificate.application
    _check_renewable(certificate, certificate.enterprise, today=today)
    return create_application(by=by, enterprise=certificate.enterprise, standard=old.standard, product=old.product,
                              certification_body=certification_body or old.certification_body, renews=certificate,
                              today=today)


def _close_renewed(by: audit.Actor, old: Certificate, new: Certificate, today: dt.date) -> None:
    """The old certificate ends the day before the new one starts, so exactly one is valid."""
    old = Certificate.objects.select_for_update().get(pk=old.pk)
    before = old.valid_until
    old.valid_until = min(old.valid_until, today - dt.timedelta(days=1))
    old.status_reason = f"已换发新证 {new.number}"[:300]
    old.status_changed_on = today
    old.save(update_fields=["valid_until", "status_reason", "status_changed_on"])
    audit.record(by=by, action="brands.certificate.renew", obj=old,
                 changes={"valid_until": [str(before), str(old.valid_until)], "renewed_by": [None, new.number]})
