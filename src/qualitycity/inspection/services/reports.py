"""Test reports that cannot be forged: render (WeasyPrint), sign (PAdES, pyHanko), verify.

The PDF carries what ISO/IEC 17025:2017 clause 7.8.2.1 requires (see the template
``inspection/report_pdf.html``). Each report is signed with its lab's key and the SHA-256
of the signed file is stored; verification by upload needs all three of: a valid,
trusted signature covering the whole file, a hash equal to a report we issued, and that
report still being valid.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.calendar import get_calendar, local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit

from ..models import Order, OrderEvent, OrderState, Report, ReportStatus
from . import keys
from .common import next_number

FONT_FAMILY = "WenQuanYi Micro Hei"


def public_base_url() -> str:
    return os.environ.get("QCITY_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")


def verify_url(number: str) -> str:
    return f"{public_base_url()}/verify/{number}/"


def _qr_data_uri(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def report_html(*, order: Order, number: str, issued_at, authorised_by, supersedes: Report | None = None,
                amendment_note: str = "", corrections: list[dict] | None = None) -> str:
    """The report as HTML, laid out for print (the page boxes carry number and page x of y)."""
    context = {
        "order": order,
        "lab": order.lab,
        "items": list(order.items.all()),
        "number": number,
        "issued_at": issued_at,
        "authorised_by": authorised_by,
        "reviewed_by": order.reviewed_by,
        "entered_by": order.entered_by,
        "supersedes": supersedes,
        "amendment_note": amendment_note,
        "corrections": corrections or [],
        "qr": _qr_data_uri(verify_url(number)),
        "verify_url": verify_url(number),
        "font": FONT_FAMILY,
        "has_external": any(i.external_provider for i in order.items.all()),
    }
    return render_to_string("inspection/report_pdf.html", context)


def render_pdf(**kwargs) -> bytes:
    """The unsigned report PDF (WeasyPrint, CJK font embedded)."""
    from weasyprint import HTML

    return HTML(string=report_html(**kwargs)).write_pdf()


def sign_pdf(*, lab, pdf: bytes) -> bytes:
    """Sign with the lab's key as a PAdES baseline signature (ETSI EN 319 142-1, B-B level)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = keys.ensure_lab_key(lab)
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path), ca_chain_files=(str(keys.ca_paths()[1]),))
    if signer is None:
        raise DomainError(_("{name} 的签名密钥无法读取，请联系管理员").format(name=lab.name), field="key")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name="QCitySignature", subfilter=fields.SigSeedSubFilter.PADES,
                                        reason="检验检测报告签发", location=lab.address or lab.name)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


def _build(*, by, order: Order, supersedes: Report | None = None, amendment_note: str = "",
           corrections: list[dict] | None = None) -> Report:
    issued_at = timezone.now()
    number = next_number("BG", moment=issued_at)
    pdf = render_pdf(order=order, number=number, issued_at=issued_at, authorised_by=by.user, supersedes=supersedes,
                     amendment_note=amendment_note, corrections=corrections)
    signed = sign_pdf(lab=order.lab, pdf=pdf)
    return Report.objects.create(number=number, order=order, pdf=signed, sha256=hashlib.sha256(signed).hexdigest(),
                                 issued_at=issued_at, authorised_by=by.user, supersedes=supersedes,
                                 amendment_note=amendment_note[:300], corrections=corrections or [])


def issue_report(*, by, order: Order) -> Report:
    """Issue the report of a reviewed order and move the order to ``issued``."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("lab", "enterprise", "reviewed_by",
                                                                 "entered_by").get(pk=order.pk)
        if order.state != OrderState.REVIEWED:
            raise DomainError(_("订单 {number} 当前状态为“{state}”，审核通过后才能签发报告").format(number=order.number, state=order.get_state_display()),
                              field="action")
        report = _build(by=by, order=order)
        before = order.state
        order.state = OrderState.ISSUED
        order.issued_at = report.issued_at
        if order.received_at:
            order.working_days_used = get_calendar().working_days_between(local_date(order.received_at),
                                                                          local_date(report.issued_at))
        order.save(update_fields=["state", "issued_at", "working_days_used", "updated_at"])
        OrderEvent.objects.create(order=order, at=report.issued_at, actor=by.user, actor_label=by.display[:64],
                                  action="issue", from_state=before, to_state=order.state, note=report.number)
        audit.record(by=by, action="inspection.report.issue", obj=report,
                     changes={"order": order.number, "sha256": report.sha256, "state": [before, order.state]})
        from qualitycity.core.models import Role

        from .orders import _notify_org

        _notify_org(order.enterprise, Role.ENTERPRISE_MEMBER, f"检验报告 {report.number} 已签发",
                    f"/inspection/orders/{order.number}/")
    return report


def _locked_valid(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.VALID:
        raise DomainError(_("报告 {number} 当前为“{status}”，不能再次更正或撤销").format(number=report.number, status=report.get_status_display()),
                          field="report")
    return report


def revoke_report(*, by, report: Report, reason: str) -> Report:
    if not reason.strip():
        raise DomainError(_("请填写撤销原因"), field="reason")
    with transaction.atomic():
        report = _locked_valid(report)
        report.status = ReportStatus.REVOKED
        report.status_changed_at = timezone.now()
        report.status_reason = reason.strip()[:300]
        report.save(update_fields=["status", "status_changed_at", "status_reason"])
        OrderEvent.objects.create(order=report.order, at=report.status_changed_at, actor=by.user,
                                  actor_label=by.display[:64], action="revoke_report", from_state=OrderState.ISSUED,
                                  to_state=report.order.state, note=f"{report.number}：{report.status_reason}")
        audit.record(by=by, action="inspection.report.revoke", obj=report,
                     changes={"status": ["valid", "revoked"], "reason": report.status_reason})
    return report


def amend_report(*, by, report: Report, reason: str, results: list[dict] | None = None) -> Report:
    """Issue an amended report (ISO/IEC 17025:2017 7.8.8) that supersedes ``report``.

    ``results`` may carry corrected result rows (see ``orders.correct_results``): the
    order's results are corrected, the new report lists each change next to the reason,
    and the failed-result facts follow. The old report keeps its signed PDF and verifies
    as superseded, pointing to the new one. A refused correction changes nothing."""
    from .orders import correct_results

    reason = str(reason or "").strip()
    if not reason:
        raise DomainError(_("请填写更正原因"), field="reason")
    if len(reason) > 250:
        raise DomainError(_("更正原因不能超过 250 个字"), field="reason")
    with transaction.atomic():
        old = _locked_valid(report)
        order = Order.objects.select_for_update(of=("self",)).select_related(
            "lab", "enterprise", "reviewed_by", "entered_by").get(pk=old.order_id)
        corrections = correct_results(order=order, results=results) if results else []
        new = _build(by=by, order=order, supersedes=old, amendment_note=reason, corrections=corrections)
        old.status = ReportStatus.SUPERSEDED
        old.status_changed_at = new.issued_at
        old.status_reason = f"已被更正报告 {new.number} 替代：{reason}"[:300]
        old.save(update_fields=["status", "status_changed_at", "status_reason"])
        changed = "、".join(c["item"] for c in corrections)
        OrderEvent.objects.create(order=order, at=new.issued_at, actor=by.user, actor_label=by.display[:64],
                                  action="amend_report", from_state=order.state, to_state=order.state,
                                  note=(f"{old.number} → {new.number}：{reason}" +
                                        (f"（更正结果：{changed}）" if changed else ""))[:300])
        audit.record(by=by, action="inspection.report.amend", obj=new,
                     changes={"supersedes": old.number, "reason": reason, "sha256": new.sha256,
                              "corrections": corrections})
    return new


# ---- verification -------------------------------------------------------------------

@dataclass
class Verification:
    authentic: bool
    number: str = ""
    status: str = ""  # valid / superseded / revoked / unknown
    status_label: str = ""
    changed_at: object = None
    reason: str = ""
    lab: str = ""
    issued_at: object = None
    superseded_by: str = ""
    supersedes: str = ""  # the report this amended report replaces
    message: str = ""

    def as_dict(self) -> dict:
        return {
            "authentic": self.authentic, "number": self.number, "status": self.status,
            "status_label": self.status_label, "changed_at": self.changed_at.isoformat() if self.changed_at else None,
            "reason": self.reason, "lab": self.lab, "issued_at": self.issued_at.isoformat() if self.issued_at else None,
            "superseded_by": self.superseded_by, "supersedes": self.supersedes, "message": self.message,
        }


def _describe(report: Report, authentic: bool, message: str = "", *, prefix: str = "") -> Verification:
    """The report's current state; ``message`` defaults to a sentence about that state."""
    successor = Report.objects.filter(supersedes=report).values_list("number", flat=True).first() or ""
    predecessor = (Report.objects.filter(pk=report.supersedes_id).values_list("number", flat=True).first() or ""
                   ) if report.supersedes_id else ""
    if not message:
        if report.status == ReportStatus.VALID:
            message = "报告有效"
        elif report.status == ReportStatus.SUPERSEDED:
            message = f"报告已被更正，以更正报告 {successor} 为准" if successor else "报告已被更正"
        else:
            message = f"报告{report.get_status_display()}"
    return Verification(
        authentic=authentic, number=report.number, status=report.status, status_label=str(report.get_status_display()),
        changed_at=report.status_changed_at, reason=report.status_reason, lab=report.order.lab.name,
        issued_at=report.issued_at, superseded_by=successor, supersedes=predecessor, message=prefix + message,
    )


def verify_number(number: str) -> Verification:
    """The current state of a report by its number (no PDF needed)."""
    report = Report.objects.select_related("order__lab").defer("pdf").filter(number=number.strip().upper()).first()
    if report is None:
        return Verification(False, number=number.strip()[:20], status="unknown", status_label="不存在",
                            message="平台没有签发过此编号的报告")
    return _describe(report, report.status == ReportStatus.VALID)


def _signature_problem(data: bytes) -> str:
    """Empty when the PDF holds an intact, trusted PAdES signature over the whole file."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return "文件中没有数字签名"
        roots = [load_cert_from_pemder(str(keys.ca_paths()[1]))] if keys.ca_paths()[1].exists() else []
        status = validate_pdf_signature(signatures[-1], ValidationContext(trust_roots=roots))
    except Exception as exc:  # a damaged file is simply not authentic
        return f"文件已损坏或签名无法解析（{type(exc).__name__}）"
    if not status.intact or not status.valid:
        return "签名与文件内容不符：文件在签名后被修改"
    if not status.trusted:
        return "签名证书不受平台信任"
    if status.coverage.name != "ENTIRE_FILE":
        return "签名未覆盖整个文件：签名后有追加内容"
    return ""


def verify_pdf(data: bytes) -> Verification:
    """Verify an uploaded PDF: signature, hash, and the report's current status."""
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("上传的文件不是 PDF"), field="file")
    digest = hashlib.sha256(data).hexdigest()
    report = Report.objects.select_related("order__lab").defer("pdf").filter(sha256=digest).first()
    if report is None:
        problem = _signature_problem(data)
        return Verification(False, status="unknown", status_label="不是真实报告",
                            message="文件与平台签发的任何报告都不一致（哪怕改动一个字节也会如此）" +
                                    (f"；{problem}" if problem else ""))
    problem = _signature_problem(data)
    if problem:
        return _describe(report, False, problem)
    if report.status == ReportStatus.VALID:
        return _describe(report, True, "签名有效，文件与签发时完全一致")
    return _describe(report, False, prefix="文件真实，但")
