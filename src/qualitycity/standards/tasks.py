"""Background tasks of the standards library, enqueued by `qcity scheduler` (see SCHEDULE)
or from cron with `qcity standards announce` / `qcity standards digest`."""

from django_tasks import task

from qualitycity.core.schedule import Periodic
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


SCHEDULE = [
    Periodic(announce_upcoming, "30 6 * * *", "每天 06:30 提示 30 日内实施的标准"),
    Periodic(weekly_digest, "0 8 * * 1", "每周一 08:00 向关注者发送标准变更周报"),
]
