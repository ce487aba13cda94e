"""Email intake (电子邮件渠道): demands from RFC 5322 messages (``.eml``) or mbox files.

Each message becomes one demand through ``intake.submit`` with channel ``email``:
subject + body → description, the sender → contact name and e-mail (the reply goes to it;
a phone number in the text may be someone else's, so it is left for staff to read), the
attachments → core attachments (its allowlist decides).

- **One message, one transaction.** A message is imported whole or not at all; one bad
  message does not stop the others in the same mailbox, and each outcome is reported.
- **Duplicates.** The Message-ID is kept as the demand's ``external_ref``; a message that
  was already imported is skipped and names the demand it became.  A message without a
  Message-ID is identified by the SHA-256 of its bytes.
- **Attachments the allowlist refuses** are not stored (no row, no file) and are reported,
  both to whoever imports and on the demand's internal timeline, so staff know to ask
  the complainant for them in another format; the demand itself is still filed, because a
  citizen's complaint must not be lost over a file type.
- **Where and what.** The district is the first district named in the text, else the
  importer's default, else the classifier's suggestion; type and category come from the
  classifier (default: 投诉 / 其他).  Staff confirm or correct them like any other demand.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import mailbox
import mimetypes
import tempfile
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError, MessageDefect
from email.message import EmailMessage
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area
from qualitycity.core.services import attachments as attachment_service
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor

from ..models import Category, Channel, Demand, DemandType
from . import classify, common, intake

# defects after which the parser's guess at the structure cannot be trusted, in words
FATAL_DEFECTS = {
    "MissingHeaderBodySeparatorDefect": gettext_noop("邮件头与正文之间缺少空行"),
    "NoBoundaryInMultipartDefect": gettext_noop("多部分邮件没有声明分隔符（boundary）"),
    "StartBoundaryNotFoundDefect": gettext_noop("找不到多部分邮件的分隔线，邮件可能被截断或改动"),
    "CloseBoundaryNotFoundDefect": gettext_noop("多部分邮件没有结束分隔线，邮件可能被截断"),
    "MultipartInvariantViolationDefect": gettext_noop("声明为多部分的邮件实际不是多部分结构"),
    "InvalidBase64PaddingDefect": gettext_noop("Base64 编码内容损坏"),
    "InvalidBase64CharactersDefect": gettext_noop("Base64 编码内容含非法字符"),
    "InvalidBase64LengthDefect": gettext_noop("Base64 编码内容长度错误"),
}
FULL_TEXT_NAME = "邮件全文.txt"


@dataclass
class ParsedEmail:
    message_id: str
    subject: str
    body: str
    sender_name: str
    sender_email: str
    sent_at: dt.datetime | None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class ImportReport:
    """What happened to each message: created, skipped as a duplicate, or rejected."""

    created: list[tuple[str, str]] = field(default_factory=list)  # (message label, demand number)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (message label, existing number)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (message label, reason)
    refused_attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (label, filename, reason)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.duplicates) + len(self.rejected)


# ---- reading files ----------------------------------------------------------------------


def split_file(filename: str, content: bytes) -> list[tuple[str, bytes]]:
    """``[(label, raw message)]``: an mbox holds many messages, anything else is one."""
    name = Path(filename or "upload.eml").name
    if not content.startswith(b"From "):  # the mbox separator line; RFC 5322 headers never start so
        return [(name, content)]
    with tempfile.TemporaryDirectory() as tmp:  # mailbox reads from a path only
        path = Path(tmp) / "upload.mbox"
        path.write_bytes(content)
        box = mailbox.mbox(path, create=False)
        try:
            return [(f"{name}#{i}", box.get_bytes(key)) for i, key in enumerate(box.keys(), 1)]
        finally:
            box.close()


def _decoded_text(part) -> str:
    try:
        text = part.get_content()
    except LookupError:
        raise DomainError(_("邮件正文的字符集“{charset}”无法识别").format(charset=part.get_content_charset())) from None
    except (ValueError, UnicodeError, AssertionError) as exc:
        raise DomainError(_("邮件正文无法解码：{exc}").format(exc=exc)) from None
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return strip_tags(text) if part.get_content_subtype() == "html" else text


def _defects(msg) -> list[str]:
    found = []
    for part in msg.walk():
        found += [type(d).__name__ for d in part.defects if isinstance(d, MessageDefect)]
    return found


def parse_message(raw: bytes) -> ParsedEmail:
    """Read one message; a message that is not a usable e-mail raises ``DomainError``
    with the reason in plain words."""
    if not raw or not raw.strip():
        raise DomainError(_("文件是空的，不是邮件"))
    if b"\x00" in raw[:4096]:
        raise DomainError(_("不是邮件文件（RFC 5322 .eml 或 mbox）：内容是二进制数据"))
    try:
        msg: EmailMessage = email.message_from_bytes(raw, policy=policy.default)
        if not msg.keys():
            raise DomainError(_("不是邮件：没有任何邮件头（From、Subject 等）"))
        fatal = sorted({_(FATAL_DEFECTS[d]) for d in _defects(msg) if d in FATAL_DEFECTS})
        if fatal:
            raise DomainError(_("邮件结构损坏：{items}。无法可靠读取正文和附件，请取得完整的原邮件后重新导入").format(items='；'.join(fatal)))
        sender = msg["From"]
        addresses = getattr(sender, "addresses", ()) if sender is not None else ()
        if not addresses or not addresses[0].addr_spec or "@" not in addresses[0].addr_spec:
            raise DomainError(_("邮件缺少有效的发件人地址（From），无法答复诉求人"))
        subject = str(msg["Subject"] or "").strip()
        body_part = msg.get_body(preferencelist=("plain", "html"))
        body = _decoded_text(body_part).strip() if body_part is not None else ""
        date_header = msg["Date"]
        sent_at = getattr(date_header, "datetime", None) if date_header is not None else None
        attachments = []
        for i, part in enumerate(msg.iter_attachments(), 1):
            name = part.get_filename() or f"附件{i}{mimetypes.guess_extension(part.get_content_type()) or ''}"
            payload = part.get_payload(decode=True)
            attachments.append((name, payload if isinstance(payload, bytes) else b""))
        message_id = str(msg["Message-ID"] or "").strip()
    except (HeaderParseError, IndexError, TypeError) as exc:
        raise DomainError(_("邮件头无法解析：{exc}").format(exc=exc)) from None
    if not subject and not body:
        raise DomainError(_("邮件既没有主题也没有正文"))
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = None  # a date without zone cannot be placed in time: use the import time
    return ParsedEmail(
        message_id=message_id or f"<sha256:{hashlib.sha256(raw).hexdigest()}>",
        subject=subject, body=body, sender_name=addresses[0].display_name.strip(),
        sender_email=addresses[0].addr_spec.strip(), sent_at=sent_at, attachments=attachments,
    )


# ---- filing -------------------------------------------------------------------------------


def _district_named_in(text: str) -> Area | None:
    areas = sorted(Area.objects.exclude(kind=Area.Kind.CITY), key=lambda a: -len(a.name))
    return next((a for a in areas if a.name in text), None)


def _top(suggestion: dict, key: str):
    values = suggestion.get(key) or []
    return values[0][0] if values else None


def _classify(text: str) -> dict:
    try:
        return classify.suggest(text)
    except Exception:  # a broken model must never stop intake
        return {}


def _description(parsed: ParsedEmail) -> tuple[str, list[tuple[str, bytes]]]:
    """Subject + body; a text over the limit is cut, and the full text kept as a file."""
    text = f"{parsed.subject}\n\n{parsed.body}".strip() if parsed.subject else parsed.body
    if len(text) <= intake.MAX_DESCRIPTION:
        return text, []
    note = f"……（邮件全文共 {len(text)} 字，见附件“{FULL_TEXT_NAME}”）"
    return text[: intake.MAX_DESCRIPTION - len(note)] + note, [(FULL_TEXT_NAME, text.encode("utf-8"))]


def file_email(*, by: Actor, parsed: ParsedEmail, label: str, report: ImportReport, default_district=None) -> Demand | None:
    """File one parsed message as a demand (all or nothing); duplicates are skipped."""
    existing = Demand.objects.filter(channel=Channel.EMAIL, external_ref=parsed.message_id[:255]).first()
    if existing is not None:
        report.duplicates.append((label, existing.number))
        return None
    description, extra_files = _description(parsed)
    suggestion = _classify(description)
    area = _district_named_in(description) or (intake.resolve_area(default_district) if default_district else None)
    district = area or _top(suggestion, "district")
    if not district:
        raise DomainError(_("无法确定诉求所在区：邮件中没有提到区名；请指定默认区后重新导入"), field="district")
    category = _top(suggestion, "category")
    if not category or not Category.objects.filter(code=category, is_active=True).exists():
        category = "other"
    demand_type = _top(suggestion, "type")
    if demand_type not in DemandType.values:
        demand_type = DemandType.COMPLAINT
    received_at = parsed.sent_at if parsed.sent_at and parsed.sent_at <= timezone.now() else None
    refused = []
    with transaction.atomic():
        demand = intake.submit(
            by=by, channel=Channel.EMAIL, demand_type=demand_type, category=category, description=description,
            district=district, title=parsed.subject[:100], contact_name=parsed.sender_name[:32],
            contact_email=parsed.sender_email, at=received_at, external_ref=parsed.message_id[:255],
        )
        # after submit: it takes the day's number before the audit chain, and storing an
        # attachment writes to the audit chain, so this order is the one every intake uses
        stored = []
        for name, content in [*parsed.attachments, *extra_files]:
            try:
                with transaction.atomic():  # a refused file leaves no row behind
                    stored.append(attachment_service.store_attachment(by=by, filename=name, content=content))
            except DomainError as exc:
                refused.append((name, exc.message))
        if stored:
            demand.attachments.add(*stored)
        if refused:
            common.add_event(demand, kind="note", by=by, text="邮件附件未保存（格式或大小不符合要求），请联系诉求人另行提供："
                             + "；".join(f"{name}：{reason}" for name, reason in refused))
        audit.record(by=by, action="complaints.import_email", obj=demand, changes={
            "message_id": [None, parsed.message_id], "attachments": [None, [a.original_name for a in stored]],
            "refused": [None, [name for name, _reason in refused]]})
    report.created.append((label, demand.number))
    report.refused_attachments += [(label, name, reason) for name, reason in refused]
    return demand


def import_files(*, by: Actor, files: list[tuple[str, bytes]], default_district=None) -> ImportReport:
    """Import every message of every file; each message succeeds or fails on its own."""
    if default_district:
        intake.resolve_area(default_district)  # an unknown default district stops before anything is read
    report = ImportReport()
    for filename, content in files:
        try:
            messages = split_file(filename, content)
        except (OSError, mailbox.Error) as exc:
            report.rejected.append((filename, _("无法读取邮箱文件：{exc}").format(exc=exc)))
            continue
        for label, raw in messages:
            try:
                file_email(by=by, parsed=parse_message(raw), label=label, report=report,
                           default_district=default_district)
            except DomainError as exc:
                report.rejected.append((label, exc.message))
            except IntegrityError:  # imported concurrently by someone else a moment ago
                report.duplicates.append((label, ""))
    return report
