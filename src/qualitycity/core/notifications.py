"""Sending notifications: in-app centre, email and SMS behind one interface.

Modules call ``services.notifications.notify``; how a message leaves the platform is
configured here (``EMAIL_BACKEND``, ``SMS_GATEWAY``), never in the modules.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("qualitycity.sms")


class SmsGateway:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSmsGateway(SmsGateway):
    """Development gateway: writes the message to the log instead of sending it."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LoggingSmsGateway.sent.append((phone, text))
        logger.info("SMS to %s: %s", mask_phone(phone), text)


def sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()


def mask_phone(phone: str) -> str:
    """138****1234: the default way a phone number is shown."""
    digits = phone or ""
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)
