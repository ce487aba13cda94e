"""Background tasks of the risk app; each calls a service.

``run_weekly_signals`` is the weekly job: ``qcity scheduler`` enqueues it on Monday morning
(see SCHEDULE), or a cron job can run ``qcity risk_weekly``.  It is idempotent per
week: a signal already evaluated for the last complete week is skipped.
"""

from django_tasks import task

from qualitycity.core.schedule import Periodic
from qualitycity.core.services.audit import Actor


@task()
def run_weekly_signals():
    from .services.signals import run_weekly

    runs = run_weekly(by=Actor.system("task:run_weekly_signals"))
    return {"runs": len(runs), "alarms": sum(r.alarm_count for r in runs)}


@task()
def run_one_signal(signal_id: int):
    """On-demand run from the API, off the request thread."""
    from .models import Signal
    from .services.signals import run_signal

    run = run_signal(by=Actor.system("task:run_one_signal"), signal=Signal.objects.get(pk=signal_id))
    return {"run": run.pk, "status": run.status, "alarms": run.alarm_count}


SCHEDULE = [
    Periodic(run_weekly_signals, "0 7 * * 1", "每周一 07:00 运行全部监测信号（上一完整周）"),
]
