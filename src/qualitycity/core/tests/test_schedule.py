import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_tasks import task

from qualitycity.core.models import ScheduledRun
from qualitycity.core.schedule import Periodic, all_periodic, validate
from qualitycity.core.services.schedule import enqueue_due

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
calls: list[str] = []


@task()
def record_call():
    calls.append("ran")
    return len(calls)


class UnreachableQueue:
    """A task whose queue is down (e.g. Redis unreachable): enqueue() itself fails."""

    module_path = "tests.unreachable"

    def enqueue(self):
        raise ConnectionError("queue unreachable")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_the_slot_is_read_in_local_time_and_includes_the_exact_minute():
    weekly = Periodic(record_call, "0 7 * * 1")
    monday_seven = at(2026, 11, 23, 7, 0)
    assert weekly.latest_slot(monday_seven) == monday_seven.astimezone(dt.UTC)
    assert weekly.latest_slot(at(2026, 11, 23, 6, 59)) == at(2026, 11, 16, 7, 0).astimezone(dt.UTC)


def test_a_job_is_enqueued_once_per_slot_and_again_when_the_next_slot_comes():
    calls.clear()
    daily = Periodic(record_call, "30 6 * * *")
    assert len(enqueue_due(now=at(2026, 11, 23, 9, 0), jobs=[daily])) == 1
    assert enqueue_due(now=at(2026, 11, 23, 23, 0), jobs=[daily]) == []
    assert len(enqueue_due(now=at(2026, 11, 24, 6, 30), jobs=[daily])) == 1
    assert calls == ["ran", "ran"]
    assert list(ScheduledRun.objects.values_list("slot", flat=True).order_by("slot")) == [
        at(2026, 11, 23, 6, 30).astimezone(dt.UTC),
        at(2026, 11, 24, 6, 30).astimezone(dt.UTC),
    ]


def test_a_scheduler_that_was_down_for_a_week_runs_a_daily_job_once():
    calls.clear()
    daily = Periodic(record_call, "30 6 * * *")
    enqueue_due(now=at(2026, 11, 16, 7, 0), jobs=[daily])
    enqueue_due(now=at(2026, 11, 23, 7, 0), jobs=[daily])
    assert calls == ["ran", "ran"] and ScheduledRun.objects.count() == 2


def test_a_job_that_cannot_be_enqueued_leaves_no_run_behind_and_does_not_stop_the_others():
    calls.clear()
    down, fine = Periodic(UnreachableQueue(), "0 * * * *"), Periodic(record_call, "0 * * * *")
    created = enqueue_due(now=at(2026, 11, 23, 9, 5), jobs=[down, fine])
    assert [run.job for run in created] == [fine.name] and calls == ["ran"]
    assert not ScheduledRun.objects.filter(job=down.name).exists()


def test_the_apps_declare_their_periodic_jobs_with_valid_cron_times():
    jobs = all_periodic()
    for job in jobs:
        validate(job.cron)
    names = {job.name for job in jobs}
    assert "qualitycity.risk.tasks.run_weekly_signals" in names
    assert "qualitycity.standards.tasks.announce_upcoming" in names
