"""Background tasks of the consultation module: they call services, never write models."""

from django_tasks import task

from qualitycity.core.schedule import Periodic

from . import services


@task()
def check_first_response_deadlines() -> dict:
    """Run every hour from the scheduler: reminders on the due day, reassignment after it."""
    return services.process_deadlines()


SCHEDULE = [
    Periodic(check_first_response_deadlines, "5 * * * *", "每小时检查专家首次响应时限"),
]
