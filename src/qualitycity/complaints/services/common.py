"""Helpers shared by the complaint services: numbers, deadlines, timeline, notices."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import calendar, numbering
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Membership, Role
from qualitycity.core.notifications import sms_gateway
from qualitycity.core.services.audit import Actor
from qualitycity.core.services.notifications import notify

from ..models import Demand, Event, TimeLimit
from . import lookups

# No 0/O/1/I/L: a code read out over the phone must not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def now_or(at: dt.datetime | None) -> dt.datetime:
    if at is not None and at.tzinfo is None:
        raise DomainError(_("时间必须带时区"))
    return at or timezone.now()


def next_number(received_at: dt.datetime) -> str:
    """SQyyyymmddNNNN by the local day of receipt (shared core numbering, row-locked)."""
    return numbering.next_number("SQ", day=calendar.local_date(received_at))


def tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def time_limit(demand_type: str, on: dt.date) -> TimeLimit:
    """The limits in force on ``on``: the row with the latest effective date not after it."""
    limits = lookups.tables().limits.get(demand_type, ())  # newest first
    limit = next((row for row in limits if row.effective_from <= on), None)
    if limit is None:
        raise DomainError(_("未配置“{demand_type}”类诉求在 {on} 适用的办理时限，请管理员补充").format(demand_type=demand_type, on=on), field="demand_type")
    return limit


def set_accept_due(demand: Demand) -> None:
    limit = time_limit(demand.demand_type, calendar.local_date(demand.received_at))
    due = calendar.deadline_for(demand.received_at, limit.accept_days)
    demand.accept_due = due.due_on
    demand.deadline_warning = due.warning


def set_handle_due(demand: Demand, start: dt.datetime) -> None:
    """The completion deadline, counted from acceptance (or receipt, for consultations)."""
    limit = time_limit(demand.demand_type, calendar.local_date(demand.received_at))
    origin = demand.received_at if limit.handle_from_receipt else start
    due = calendar.deadline_for(origin, limit.handle_days)
    demand.handle_due = due.due_on
    demand.deadline_warning = due.warning


def add_event(demand: Demand, *, kind: str, by: Actor, text: str = "", public: bool = False, org=None, at=None) -> Event:
    return Event.objects.create(
        demand=demand, at=at or timezone.now(), kind=kind, text=text, public=public, actor_label=by.display[:64],
        organization=org,
    )


def org_users(org_ids, roles=lookups.ANNOUNCED_ROLES):
    if tuple(roles) == lookups.ANNOUNCED_ROLES:
        return lookups.tables().recipients(org_ids)
    ids = {m.user for m in Membership.objects.filter(organization_id__in=list(org_ids), role__in=roles).select_related("user")}
    return sorted(ids, key=lambda u: u.pk)


def city_office_users():
    return org_users_by_role(Role.CITY_OFFICE)


def org_users_by_role(role):
    return sorted({m.user for m in Membership.objects.filter(role=role).select_related("user")}, key=lambda u: u.pk)


def tell_departments(demand: Demand, org_ids, title: str, body: str = "") -> None:
    for user in org_users(org_ids):
        notify(user=user, title=title, body=body, link=f"/complaints/d/{demand.number}/", category="complaints")


def tell_complainant(demand: Demand, message: str) -> None:
    """Keep the complainant informed: in-app if they have an account, SMS otherwise."""
    if demand.submitted_by_id:
        notify(user=demand.submitted_by, title=message, link=f"/complaints/track/{demand.tracking_code}/", category="complaints")
    elif demand.contact_phone:
        phone = demand.contact_phone
        transaction.on_commit(lambda: sms_gateway().send(phone, f"【质量强市】{message}"))
