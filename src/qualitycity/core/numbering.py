"""Human-readable numbers for work orders, reports and certificates: a prefix, the local
date and a daily sequence, e.g. ``SQ202611260001``. Primary keys stay internal."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import NumberSequence


def next_number(prefix: str, *, day: dt.date | None = None, width: int = 4) -> str:
    """Must run inside the caller's transaction: the row lock makes two concurrent
    requests get different numbers, and a rollback gives the number back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must be called inside transaction.atomic()")
    day = day or timezone.localdate()
    key = f"{prefix}{day:%Y%m%d}"
    sequence, _ = NumberSequence.objects.select_for_update().get_or_create(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{key}{sequence.last:0{width}d}"
