"""Open311 api keys: shown once, stored as SHA-256."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit

from ..models import Open311Key
from ..open311 import hash_key


def create_key(*, by: audit.Actor, name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请给密钥起一个名字"), field="name")
    if Open311Key.objects.filter(name=name).exists():
        raise DomainError(_("名为“{name}”的密钥已存在").format(name=name), field="name")
    key = "o311_" + secrets.token_urlsafe(24)
    with transaction.atomic():
        row = Open311Key.objects.create(name=name, key_hash=hash_key(key))
        audit.record(by=by, action="complaints.open311_key", obj=row, changes={"name": [None, name]})
    return key
