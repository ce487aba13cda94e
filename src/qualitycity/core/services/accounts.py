"""People, memberships and personal access tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..models import ApiToken, Membership, Organization, Role, User
from . import audit


def add_membership(*, by: audit.Actor, user: User, organization: Organization, role: str, title: str = ""):
    _grantable(role)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization=organization, role=role, defaults={"title": title}
        )
        if created:
            audit.record(by=by, action="membership.add", obj=membership, changes={"role": [None, role]})
    return membership


def _grantable(role: str) -> None:
    if role not in Role.values or role in (Role.CITIZEN, Role.SYSTEM_ADMIN):
        raise DomainError(_("不能在机构中授予角色“%(role)s”") % {"role": role}, field="role")


def remove_membership(*, by: audit.Actor, membership: Membership) -> None:
    """Revoke a role: the membership row goes, the event keeps who held what where."""
    with transaction.atomic():
        row = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if row is None:
            return
        audit.record(
            by=by, action="membership.remove", obj=row,
            changes={"user": [row.user_id, None], "organization": [row.organization_id, None], "role": [row.role, None]},
        )
        row.delete()


def change_role(*, by: audit.Actor, membership: Membership, role: str, title: str | None = None) -> Membership:
    _grantable(role)
    with transaction.atomic():
        row = Membership.objects.select_for_update().get(pk=membership.pk)
        before = audit.snapshot(row, ["role", "title"])
        clash = Membership.objects.filter(user_id=row.user_id, organization_id=row.organization_id, role=role)
        if role != row.role and clash.exists():
            raise DomainError(_("该用户在此机构已有这个角色"), field="role")
        row.role = role
        if title is not None:
            row.title = title[:32]
        row.save(update_fields=["role", "title"])
        changes = audit.diff(before, audit.snapshot(row, ["role", "title"]))
        if changes:
            audit.record(by=by, action="membership.change", obj=row, changes=changes)
    return row


# Fields whose values never go into an event: the hash, and the login bookkeeping.
_USER_SECRET = {"password"}
_USER_NOISE = {"last_login"}


def save_user(*, by: audit.Actor, user: User) -> User:
    """Save a user edited by staff (the admin). Users are deactivated, never deleted:
    audit events point at them."""
    with transaction.atomic():
        before = audit.snapshot(User.objects.get(pk=user.pk)) if user.pk else {}
        created = user.pk is None
        user.save()
        changes = audit.diff(before, audit.snapshot(user))
        for name in _USER_NOISE:
            changes.pop(name, None)
        for name in _USER_SECRET & set(changes):
            changes[name] = ["…", "…（已更改）"]
        if created or changes:
            audit.record(by=by, action="user.create" if created else "user.update", obj=user, changes=changes)
    return user


def set_password(*, by: audit.Actor, user: User, password: str, how: str = "reset") -> User:
    """Set a new password (reset by email, or by staff); the event says how, never what."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(by=by, action=f"user.password_{how}", obj=user)
    return user


def record_password_change(*, by: audit.Actor, user: User, how: str) -> None:
    """For Django's own forms that save the password themselves (the admin's password
    page): call inside the same transaction as that save."""
    with transaction.atomic():
        audit.record(by=by, action=f"user.password_{how}", obj=user)


def create_api_token(*, by: audit.Actor, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the plain key, which is never stored and shown once."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise DomainError(_("令牌名称必填，且不超过 64 个字符"), field="name")
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
