"""Background tasks of the core directory. Tasks call services; they never write models."""

from django_tasks import task

from .services.notifications import notify


@task()
def send_notification(*, user_id: int, title: str, body: str = "", link: str = "", channels: list[str] | None = None):
    """Deliver a notification from a worker, so a slow mail or SMS gateway never blocks a request."""
    from .models import User

    user = User.objects.get(pk=user_id)
    note = notify(user=user, title=title, body=body, link=link, channels=tuple(channels or ["inbox"]))
    return note.pk if note else None
