"""Notify a user through the in-app centre and, optionally, email and SMS."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from ..models import Notification, User
from ..notifications import sms_gateway

CHANNELS = ("inbox", "email", "sms")


def notify(
    *, user: User, title: str, body: str = "", link: str = "", category: str = "", channels=("inbox",)
) -> Notification | None:
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channels: {sorted(unknown)}")
    note = None
    if "inbox" in channels:
        note = Notification.objects.create(recipient=user, title=title, body=body, link=link, category=category)

    def deliver():
        # Outside the transaction: a message must never announce a change that rolled back.
        if "email" in channels and user.email:
            send_mail(title, f"{body}\n\n{link}".strip(), None, [user.email], fail_silently=True)
        if "sms" in channels and user.phone:
            sms_gateway().send(user.phone, f"【质量强市】{title}")

    transaction.on_commit(deliver)
    return note


def mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    with transaction.atomic():
        qs = Notification.objects.filter(recipient=user, read_at=None)
        if notification_ids is not None:
            qs = qs.filter(pk__in=notification_ids)
        return qs.update(read_at=timezone.now())
