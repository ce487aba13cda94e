"""Background tasks of the complaints module; they call services only."""

from django_tasks import task

from qualitycity.core.schedule import Periodic


@task()
def supervision_sweep():
    """Daily (see SCHEDULE), or from cron through `qcity complaints supervise`."""
    from .services import supervision

    return supervision.sweep()


SCHEDULE = [
    Periodic(supervision_sweep, "10 8 * * *", "每天 08:10 按时限催办、督办（工作日历）"),
]
