"""Enterprises follow standards and fields, and hear about changes in time.

A change reaches an enterprise when it follows the standard itself, or follows a field
the standard belongs to (an ICS code or its parent, a CCS code, an industry), or —
implicitly — when the standard lists the enterprise's own industry.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Industry, Membership, Organization, OrgKind, Role
from qualitycity.core.services import audit
from qualitycity.core.services.notifications import notify

from .. import facet_cache
from ..models import CcsCode, ChangeEvent, ChangeKind, Follow, IcsCode, Standard, Status

UPCOMING_NOTICE_DAYS = 30


def _enterprise(user, organization_id: int | None) -> Organization:
    orgs = Organization.objects.filter(
        kind=OrgKind.ENTERPRISE,
        memberships__user=user, memberships__role=Role.ENTERPRISE_MEMBER,
    ).distinct()
    if organization_id is not None:
        orgs = orgs.filter(pk=organization_id)
    org = orgs.order_by("pk").first()
    if org is None:
        raise DomainError(_("只有企业用户可以关注标准"), field="organization")
    return org


@transaction.atomic
def follow(*, by: audit.Actor, standard: Standard | None = None, target: str = Follow.Target.STANDARD,
           code: str = "", organization_id: int | None = None) -> Follow:
    org = _enterprise(by.user, organization_id)
    if target == Follow.Target.STANDARD:
        if standard is None:
            raise DomainError(_("请选择要关注的标准"), field="standard")
        item, created = Follow.objects.get_or_create(organization=org, target=target, standard=standard, code="")
    else:
        code = (code or "").strip().upper() if target == Follow.Target.CCS else (code or "").strip()
        exists = {
            Follow.Target.ICS: IcsCode.objects.filter(code=code),
            Follow.Target.CCS: CcsCode.objects.filter(code=code),
            Follow.Target.INDUSTRY: Industry.objects.filter(code=code),
        }.get(target)
        if exists is None:
            raise DomainError(_("不支持的关注类型“{target}”").format(target=target), field="target")
        if not code or not exists.exists():
            raise DomainError(_("分类代码“{code}”不存在").format(code=code), field="code")
        item, created = Follow.objects.get_or_create(organization=org, target=target, standard=None, code=code)
    if created:
        item.created_by = by.user
        item.save(update_fields=["created_by"])
        audit.record(by=by, action="standards.follow", obj=item, changes={"organization": org.pk, "target": str(item)})
    return item


@transaction.atomic
def unfollow(*, by: audit.Actor, follow_id: int) -> None:
    item = Follow.objects.filter(
        pk=follow_id, organization__memberships__user=by.user,
        organization__memberships__role=Role.ENTERPRISE_MEMBER,
    ).first()
    if item is None:
        raise DomainError(_("该关注不存在或不属于您的企业"))
    audit.record(by=by, action="standards.unfollow", obj=item, changes={"target": str(item)})
    item.delete()


def followers_of(std: Standard) -> set[int]:
    """Ids of the enterprises that follow this standard, explicitly or through a field."""
    ics_codes = list(std.ics.values_list("code", flat=True))
    # An ICS follow on "29" or "29.060" covers 29.060.20: compare against every ancestor.
    ancestors = {code[:i] for code in ics_codes for i in range(2, len(code) + 1) if i == len(code) or code[i] == "."}
    industry_codes = list(std.industries.values_list("code", flat=True))
    ccs_codes = [std.ccs.code, std.ccs.parent_code, std.ccs.code[:1]] if std.ccs_id else []
    orgs = set(Follow.objects.filter(target=Follow.Target.STANDARD, standard=std).values_list("organization", flat=True))
    orgs |= set(Follow.objects.filter(target=Follow.Target.ICS, code__in=ancestors).values_list("organization", flat=True))
    orgs |= set(Follow.objects.filter(target=Follow.Target.CCS, code__in=ccs_codes).values_list("organization", flat=True))
    orgs |= set(
        Follow.objects.filter(target=Follow.Target.INDUSTRY, code__in=industry_codes).values_list("organization", flat=True)
    )
    if industry_codes:  # implicit: the enterprise's own industry
        orgs |= set(
            Organization.objects.filter(kind=OrgKind.ENTERPRISE, industry__code__in=industry_codes).values_list("pk", flat=True)
        )
    return orgs


def dispatch(events: list[ChangeEvent]) -> int:
    """Notify every member of every following enterprise, once per event. Runs inside the
    caller's transaction, so a rolled-back import announces nothing."""
    sent = 0
    if not events or not Membership.objects.filter(role=Role.ENTERPRISE_MEMBER).exists():
        return 0
    for event in events:
        orgs = followers_of(event.standard)
        if not orgs:
            continue
        users = {m.user for m in Membership.objects.filter(
            organization__in=orgs, role=Role.ENTERPRISE_MEMBER).select_related("user")}
        link = reverse("standards:detail", args=[event.standard.number])
        when = f"（{event.effective_on} 起）" if event.effective_on else ""
        for user in users:
            notify(user=user, title=f"标准变更：{event.summary}"[:200], body=f"{event.get_kind_display()}{when}",
                   link=link, category="standards")
            sent += 1
    return sent


@transaction.atomic
def announce_upcoming(*, by: audit.Actor, today: dt.date | None = None, days: int = UPCOMING_NOTICE_DAYS) -> int:
    """An event (and notifications) for each standard whose implementation date falls within
    ``days`` and that has not been announced yet; run daily by the task."""
    today = today or timezone.localdate()
    due = Standard.objects.filter(
        status=Status.UPCOMING, implemented_on__gte=today, implemented_on__lte=today + dt.timedelta(days=days)
    ).exclude(changes__kind=ChangeKind.UPCOMING)
    events = [
        ChangeEvent.objects.create(standard=s, kind=ChangeKind.UPCOMING, effective_on=s.implemented_on,
                                   summary=f"{s.number} 将于 {s.implemented_on} 实施")
        for s in due
    ]
    # Standards whose date has come are now in force.
    started = Standard.objects.filter(status=Status.UPCOMING, implemented_on__lte=today)
    started_count = started.update(status=Status.CURRENT)
    if events or started_count:
        facet_cache.catalogue_changed()
        audit.record(by=by, action="standards.announce_upcoming", object_type="standards.standard",
                     changes={"announced": len(events), "now_current": started_count})
    dispatch(events)
    return len(events)


def weekly_digest(*, today: dt.date | None = None) -> int:
    """Email each enterprise member the week's changes to what their firm follows."""
    since = timezone.now() - dt.timedelta(days=7)
    per_user: dict = {}
    for event in ChangeEvent.objects.filter(recorded_at__gte=since).select_related("standard"):
        orgs = followers_of(event.standard)
        for m in Membership.objects.filter(organization__in=orgs, role=Role.ENTERPRISE_MEMBER).select_related("user"):
            per_user.setdefault(m.user, []).append(event)
    with transaction.atomic():
        for user, events in per_user.items():
            body = "\n".join(f"- {e.summary}" + (f"（{e.effective_on} 起）" if e.effective_on else "") for e in events)
            notify(user=user, title=f"本周标准动态：{len(events)} 项变更", body=body,
                   link=reverse("standards:mine"), category="standards.digest", channels=("email",))
    return len(per_user)
