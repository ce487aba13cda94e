"""Supervision after certification (政府监管): surveillance audits and samples linked to the
inspection module, random selection of certified products, suspension, withdrawal,
reinstatement, violation records and the brand-strength weights. One transaction and one
audit event per change."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit

from ..models import (
    Certificate,
    CertificateStatus,
    EvaluationStandard,
    SamplingDraw,
    StrengthFactor,
    SurveillanceEvent,
    SurveillanceKind,
    Violation,
)


def _set_status(certificate: Certificate, status: str, reason: str, by: audit.Actor, action: str) -> Certificate:
    before = certificate.status
    certificate.status = status
    certificate.status_reason = reason[:300]
    certificate.status_changed_on = timezone.localdate()
    certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
    audit.record(by=by, action=action, obj=certificate, changes={"status": [before, status], "reason": [None, reason]})
    return certificate


def inspection_record(number: str):
    """The inspection module's report (BG…) or order (JY…) with this number, as
    (number, enterprise id), or None. Reports are looked up first: they are what a sample yields."""
    number = (number or "").strip().upper()
    if not number:
        return None
    try:
        from qualitycity.inspection.models import Order, Report
    except ImportError:
        return None
    report = Report.objects.filter(number=number).select_related("order").first()
    if report is not None:
        return report.number, report.order.enterprise_id
    order = Order.objects.filter(number=number).first()
    return (order.number, order.enterprise_id) if order is not None else None


def record_surveillance(*, by: audit.Actor, certificate: Certificate, kind: str, held_on: dt.date, passed: bool,
                        inspection_report: str = "", notes: str = "") -> SurveillanceEvent:
    """A failed audit or sample suspends the certificate at once. A sample names the
    inspection module's report or order, which must exist and belong to the certificate holder."""
    if kind not in SurveillanceKind.values:
        raise DomainError(_("监督类型应为 年度监督审核 或 产品抽检"), field="kind")
    if held_on > timezone.localdate():
        raise DomainError(_("监督日期不能晚于今天"), field="held_on")
    reference = (inspection_report or "").strip().upper()
    if kind == SurveillanceKind.SAMPLING and not reference:
        raise DomainError(_("产品抽检须填写检验报告编号（BG…）或检验委托单号（JY…）"), field="inspection_report")
    if reference:
        found = inspection_record(reference)
        if found is None:
            raise DomainError(_("检验检测模块中没有编号为“{reference}”的报告或委托单").format(reference=reference[:32]), field="inspection_report")
        if found[1] != certificate.enterprise_id:
            raise DomainError(_("{reference} 不是获证企业的检验记录").format(reference=reference), field="inspection_report")
        reference = found[0]
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.status == CertificateStatus.WITHDRAWN:
            raise DomainError(_("证书已撤销，不能再记录证后监督"))
        if held_on < cert.issued_on:
            raise DomainError(_("监督日期早于发证日期 {date}").format(date=cert.issued_on), field="held_on")
        event = SurveillanceEvent.objects.create(certificate=cert, kind=kind, held_on=held_on, passed=passed,
                                                 inspection_report=reference[:32], notes=notes[:300])
        audit.record(by=by, action="brands.surveillance.record", obj=cert,
                     changes={"kind": [None, kind], "passed": [None, passed], "inspection": [None, reference]})
        if not passed and cert.status == CertificateStatus.VALID:
            _set_status(cert, CertificateStatus.SUSPENDED, f"{held_on} {event.get_kind_display()}不合格：{notes}".strip(),
                        by, "brands.certificate.suspend")
    return event


def draw_sample(*, by: audit.Actor, size: int, seed: int | None = None, standard: EvaluationStandard | None = None,
                today: dt.date | None = None) -> SamplingDraw:
    """Draw ``size`` certificates at random from those valid today (optionally one
    standard's). The frame is sorted by number and the seed stored, so the draw can be
    repeated by anyone: ``random.Random(seed).sample(population, size)``."""
    today = today or timezone.localdate()
    if not isinstance(size, int) or size < 1:
        raise DomainError(_("抽样数量应为正整数"), field="size")
    frame = Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__gte=today)
    if standard is not None:
        frame = frame.filter(application__standard=standard)
    population = sorted(frame.values_list("number", flat=True))
    if not population:
        raise DomainError(_("当前没有有效证书可供抽样"))
    if size > len(population):
        raise DomainError(_("抽样数量 {size} 超过有效证书数 {n}").format(size=size, n=len(population)), field="size")
    seed = seed if seed is not None else random.SystemRandom().randrange(10**9)
    selected = random.Random(seed).sample(population, size)
    with transaction.atomic():
        draw = SamplingDraw.objects.create(number=next_number("MPCY"), drawn_on=today, seed=seed,
                                           population=population, selected=selected, standard=standard)
        audit.record(by=by, action="brands.sampling.draw", obj=draw,
                     changes={"seed": [None, seed], "selected": [None, selected]})
    return draw


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
        raise DomainError(_("请填写原因"), field="reason")
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.status not in allowed:
            raise DomainError(_("证书当前状态为“{status}”，不能执行此操作").format(status=cert.get_status_display()))
        return _set_status(cert, status, reason.strip(), by, action)


def record_violation(*, by: audit.Actor, enterprise: Organization, kind: str, occurred_on: dt.date,
                     description: str, serious: bool = True) -> Violation:
    if kind not in Violation.Kind.values:
        raise DomainError(_("违法记录类型不正确"), field="kind")
    if not (description or "").strip():
        raise DomainError(_("请填写违法事实"), field="description")
    with transaction.atomic():
        violation = Violation.objects.create(enterprise=enterprise, kind=kind, occurred_on=occurred_on,
                                             description=description.strip()[:300], serious=serious)
        audit.record(by=by, action="brands.violation.record", obj=violation, changes={"kind": [None, kind]})
    return violation


def set_strength_weights(*, by: audit.Actor, weights: dict[str, float]) -> list[StrengthFactor]:
    """The city office's weights of the brand-strength factors. Keys are the factors the
    score knows (``selectors.DEFAULT_FACTORS``); weights are 0–1 and must not all be 0."""
    from ..selectors import DEFAULT_FACTORS

    unknown = sorted(set(weights) - set(DEFAULT_FACTORS))
    if unknown:
        raise DomainError(_("未知的品牌强度因素：{factors}").format(factors="、".join(unknown)))
    for key, weight in weights.items():
        if not isinstance(weight, (int, float)) or not 0 <= weight <= 1:
            raise DomainError(_("“{factor}”的权重应在 0–1 之间").format(factor=DEFAULT_FACTORS[key][0]), field=key)
    current = {f.key: f.weight for f in StrengthFactor.objects.all()}
    merged = {k: weights.get(k, current.get(k, default)) for k, (_label, default) in DEFAULT_FACTORS.items()}
    if sum(merged.values()) <= 0:
        raise DomainError(_("权重不能全部为 0"))
    with transaction.atomic():
        factors = []
        for key, (label, _default) in DEFAULT_FACTORS.items():
            factor, _created = StrengthFactor.objects.update_or_create(key=key, defaults={"label": label,
                                                                                          "weight": merged[key]})
            factors.append(factor)
        audit.record(by=by, action="brands.strength.weights", object_type="brands.strengthfactor", object_id="all",
                     changes={k: [current.get(k), merged[k]] for k in merged if current.get(k) != merged[k]})
    return factors
