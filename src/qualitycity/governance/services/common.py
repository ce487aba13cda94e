from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qualitycity.core.calendar import local_date


def next_number(model, prefix: str, when: dt.datetime | None = None) -> str:
    """Human-readable number ``PREFIXyyyymmddNNNN``, counted per prefix and day.
    Called inside the writer's transaction; the unique constraint catches a race."""
    day = local_date(when or timezone.now()).strftime("%Y%m%d")
    stem = f"{prefix}{day}"
    last = model.objects.filter(number__startswith=stem).order_by("-number").values_list("number", flat=True).first()
    n = int(last[len(stem):]) + 1 if last else 1
    return f"{stem}{n:04d}"
