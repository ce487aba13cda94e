"""Enqueue periodic jobs whose slot has come (see ``core/schedule.py``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ScheduledRun
from ..schedule import Periodic, all_periodic

log = logging.getLogger(__name__)


def enqueue_due(*, now: dt.datetime | None = None, jobs: list[Periodic] | None = None) -> list[ScheduledRun]:
    """Enqueue every job whose latest slot has no run yet; return the runs created.

    The row is written before the task is enqueued, in one transaction, so that a crash
    between the two leaves neither (the next sweep retries) and two schedulers never both
    enqueue: the unique (job, slot) constraint lets only one insert win.
    """
    now = now or timezone.now()
    created = []
    for job in all_periodic() if jobs is None else jobs:
        slot = job.latest_slot(now)
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = job.task.enqueue()
                run.task_result_id = str(getattr(result, "id", ""))
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler took this slot
        except Exception:
            # a queue that is down must not stop the other jobs; no row was kept, so the
            # next sweep tries this slot again
            log.exception("could not enqueue %s for %s", job.name, slot)
            continue
        log.info("enqueued %s for %s", job.name, slot)
        created.append(run)
    return created
