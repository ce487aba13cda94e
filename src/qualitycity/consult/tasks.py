"""Background tasks of the consultation module: they call services, never write models."""

from django_tasks import task

from . import services


@task()
def check_first_response_deadlines() -> dict:
    """Run every hour from the scheduler: reminders on the due day, reassignment after it."""
    return services.process_deadlines()
