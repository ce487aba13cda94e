"""People, memberships and personal access tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from ..errors import DomainError
from ..models import ApiToken, Membership, Organization, Role, User
from . import audit


def add_membership(*, by: audit.Actor, user: User, organization: Organization, role: str, title: str = ""):
    if role not in Role.values or role in (Role.CITIZEN, Role.SYSTEM_ADMIN):
        raise DomainError(f"不能在机构中授予角色“{role}”", field="role")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization=organization, role=role, defaults={"title": title}
        )
        if created:
            audit.record(by=by, action="membership.add", obj=membership, changes={"role": [None, role]})
    return membership


def create_api_token(*, by: audit.Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the plain key, which is never stored and shown once."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise DomainError("令牌名称必填，且不超过 64 个字符", field="name")
    key = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), hint=key[:8])
        audit.record(by=by, action="api_token.create", obj=token, changes={"name": [None, name]})
    return token, key


def revoke_api_token(*, by: audit.Actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(by=by, action="api_token.revoke", obj=token)
    return token


def user_for_token(key: str) -> User | None:
    """Resolve a presented token; revoked and unknown tokens give ``None``."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy LIMS client should not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
