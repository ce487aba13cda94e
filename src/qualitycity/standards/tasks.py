"""Background tasks of the standards library: run daily and weekly by the worker's
scheduler (or cron: `qcity standards announce`, `qcity standards digest`)."""

from django_tasks import task

from qualitycity.core.services.audit import Actor

from .services import follows


@task()
def announce_upcoming() -> int:
    """Daily: announce standards coming into force within 30 days; start those whose date came."""
    return follows.announce_upcoming(by=Actor.system("task"))


@task()
def weekly_digest() -> int:
    """Weekly: email every follower the week's changes."""
    return follows.weekly_digest()
