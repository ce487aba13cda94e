"""Appending to and verifying the hash-chained audit trail."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from ..models import AuditEvent, AuditHead
from ..models.audit import GENESIS_HASH


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where; every service receives one as ``by``."""

    user: object | None = None
    ip: str | None = None
    label: str = ""

    @classmethod
    def from_request(cls, request) -> Actor:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
        user = request.user if request.user.is_authenticated else None
        return cls(user=user, ip=ip or None)

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(user=None, ip=None, label=label)

    @property
    def display(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        return self.label or "anonymous"


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The instance's concrete field values, as JSON-ready data."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict, after: dict) -> dict:
    """Only the fields that changed, as ``{field: [before, after]}``."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record(
    *,
    by: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the caller's transaction, so the event and the
    change it describes commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
        occurred_at=timezone.now().replace(microsecond=0),
        actor=by.user,
        actor_label=by.display,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=changes or {},
        ip_address=by.ip,
        prev_hash=head.last_hash,
    )
    event.hash = event.compute_hash()
    event.save()
    AuditHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order and report the first edited, missing or reordered event."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in events:
        if event.seq != expected_seq:
            return VerifyResult(False, checked, f"事件 #{expected_seq} 缺失（下一条为 #{event.seq}）", expected_seq)
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, f"事件 #{event.seq} 的前序哈希不符：链条在此之前被改动", event.seq)
        if event.compute_hash() != event.hash:
            return VerifyResult(False, checked, f"事件 #{event.seq} 内容被篡改：哈希不符", event.seq)
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq, last_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
    if last_seq != checked or last_hash != expected_prev:
        return VerifyResult(
            False, checked, f"链尾不符：记录应有 {last_seq} 条事件，实际可验证 {checked} 条（末尾事件被删除）", checked + 1
        )
    return VerifyResult(True, checked)
