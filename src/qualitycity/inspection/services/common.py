"""Helpers shared by the inspection services: human-readable numbers, method numbers."""

from __future__ import annotations

from django.utils import timezone

from qualitycity.core.calendar import local_date
from qualitycity.core.numbering import next_number as core_next_number


def normalize_method(text: str) -> str:
    """A standard/method number in the standards library's canonical form when that library
    is installed (``qualitycity.standards.numbers.normalize``), otherwise as typed."""
    text = (text or "").strip()
    try:
        from qualitycity.standards.numbers import normalize
    except ImportError:
        return " ".join(text.split())
    try:
        return normalize(text) or text
    except Exception:  # a library still under construction must not block an order
        return text


def next_number(prefix: str, *, moment=None) -> str:
    """``<prefix><yyyymmdd><4-digit sequence>`` by the local (Asia/Shanghai) date, from the
    shared row-locked sequence in ``core.numbering`` (callers run inside a transaction)."""
    return core_next_number(prefix, day=local_date(moment or timezone.now()))
