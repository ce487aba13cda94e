"""Storing uploads safely: size limit, magic-byte allowlist, checksum, outside the web root."""

from __future__ import annotations

import hashlib
from pathlib import Path

import puremagic
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..models import Attachment
from . import audit

# Detected type -> file extensions a user may give it. The detected type decides.
ALLOWED_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "text/csv": {".csv"},
    "text/plain": {".txt", ".csv"},
    "video/mp4": {".mp4", ".m4v"},
}
MP4_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash"}


def detect_type(content: bytes, filename: str) -> str | None:
    """The content type proved by the bytes, or ``None`` when nothing allowed matches.

    Office files are ZIP containers, so the magic bytes only say "zip"; we accept the
    declared Office extension when the ZIP holds that format's main part."""
    suffix = Path(filename).suffix.lower()
    head = content[:8]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content[4:8] == b"ftyp" and content[8:12] in MP4_BRANDS:
        return "video/mp4"  # ISO base media file: a size, then the "ftyp" box with a brand
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".xlsx" and b"xl/" in content[:65536]:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if suffix == ".docx" and b"word/" in content[:65536]:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return None
    try:
        guesses = puremagic.magic_string(content[:4096])
    except puremagic.PureError:
        guesses = []
    if guesses and not any(g.extension in {".txt", ".csv"} for g in guesses):
        return None  # bytes say it is some other binary format
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if b"\x00" in content:
        return None
    return "text/csv" if suffix == ".csv" else "text/plain"


def store_attachment(*, by: audit.Actor, filename: str, content: bytes, organization=None) -> Attachment:
    filename = Path(filename or "upload").name[:200]
    limit = settings.ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise DomainError(_("文件过大：%(size)d 字节，上限 %(limit)d 字节") % {"size": len(content), "limit": limit}, field="file")
    if not content:
        raise DomainError(_("文件是空的"), field="file")
    detected = detect_type(content, filename)
    suffix = Path(filename).suffix.lower()
    if detected is None or suffix not in ALLOWED_TYPES.get(detected, set()):
        shown = detected or _("未知或不允许的格式")
        raise DomainError(
            _("文件“%(name)s”的实际内容（%(kind)s）与扩展名不符或不在允许范围内：仅接受 PDF、PNG、JPEG、XLSX、DOCX、CSV、TXT、MP4")
            % {"name": filename, "kind": shown},
            field="file",
        )
    digest = hashlib.sha256(content).hexdigest()
    relative = Path(digest[:2]) / digest
    target = Path(settings.MEDIA_ROOT) / relative
    with transaction.atomic():
        attachment = Attachment.objects.create(
            original_name=filename,
            content_type=detected,
            size=len(content),
            sha256=digest,
            storage_path=str(relative),
            uploaded_by=by.user,
            organization=organization,
        )
        audit.record(by=by, action="attachment.upload", obj=attachment, changes={"sha256": [None, digest]})
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".part")
            tmp.write_bytes(content)
            tmp.replace(target)  # atomic on POSIX: readers never see half a file
    return attachment


def read_attachment(attachment: Attachment) -> bytes:
    path = Path(settings.MEDIA_ROOT) / attachment.storage_path
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise DomainError(_("附件校验失败：存储的文件与记录的 SHA-256 不一致"))
    return content
