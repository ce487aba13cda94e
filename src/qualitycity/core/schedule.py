"""Periodic jobs: which task runs when, declared next to the task itself.

Each app's ``tasks.py`` may hold ``SCHEDULE = [Periodic(...), ...]``. The cron expression is
read in the platform's time zone (Asia/Shanghai), because offices think of "Monday 07:00"
locally. ``qcity scheduler`` (started by ``qcity serve``) enqueues each job once per slot
through :func:`qualitycity.core.services.schedule.enqueue_due`; the worker runs it.

Only the latest slot that has passed is ever enqueued: a scheduler that was down for a week
runs a daily job once on restart, not seven times. The jobs are idempotent anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from zoneinfo import ZoneInfo

from croniter import croniter
from django.conf import settings


@dataclass(frozen=True)
class Periodic:
    task: object  # a django_tasks Task
    cron: str  # five-field cron expression, local time
    description: str = ""

    @property
    def name(self) -> str:
        return self.task.module_path

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        """The most recent cron time at or before ``now`` (aware, UTC)."""
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        # croniter's get_prev is strictly before its start; nudge by a second so that a
        # scheduler waking exactly on the slot still sees it as due.
        prev = croniter(self.cron, local + dt.timedelta(seconds=1)).get_prev(dt.datetime)
        return prev.astimezone(dt.UTC)


def _app_modules():
    yield "qualitycity.core"
    for app in settings.DOMAIN_APPS:
        yield f"qualitycity.{app}"


def all_periodic() -> list[Periodic]:
    """Every job declared in an app's ``tasks.SCHEDULE``, in app order."""
    jobs: list[Periodic] = []
    for package in _app_modules():
        name = f"{package}.tasks"
        if find_spec(name) is None:
            continue
        jobs.extend(getattr(import_module(name), "SCHEDULE", []))
    return jobs


def validate(cron: str) -> None:
    if not croniter.is_valid(cron):
        raise ValueError(f"not a cron expression: {cron!r}")
