"""Background tasks of the complaints module; they call services only."""

from django_tasks import task


@task()
def supervision_sweep():
    """Run daily (e.g. from cron through `qcity complaints supervise`, or enqueued)."""
    from .services import supervision

    return supervision.sweep()
