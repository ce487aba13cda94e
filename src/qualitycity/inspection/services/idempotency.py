"""Remembering answers to writes sent with an ``Idempotency-Key``, so a retried request
from a lab system replays the first answer instead of acting twice."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import IdempotencyRecord


def stored_answer(*, user, key: str, endpoint: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, key=key, endpoint=endpoint).first()


def remember_answer(*, user, key: str, endpoint: str, status: int, body) -> tuple[IdempotencyRecord, bool]:
    """Store the answer; if a concurrent twin stored one first, return that one instead.
    Returns ``(record, stored_now)``. Request bookkeeping, not a domain change, so it
    writes no audit event."""
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(user=user, key=key, endpoint=endpoint, status=status, body=body)
        return record, True
    except IntegrityError:
        return IdempotencyRecord.objects.get(user=user, key=key, endpoint=endpoint), False
