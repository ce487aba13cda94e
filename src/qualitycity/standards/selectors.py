"""Reads: one standard with its edition chain and timeline, "my standards" (and its
home-page card), and the standardization-work figures for the city office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualitycity.core import permissions
from qualitycity.core.models import Organization, OrgKind, Role
from qualitycity.core.workbench import Card, Line

from . import numbers
from .models import Adoption, Follow, Kind, Replacement, Standard, StandardBody, Status

SOON_DAYS = 90


def get_standard(number: str) -> Standard:
    """By canonical number; a typed form (gb/t19001—2016) is normalized first."""
    try:
        canonical = numbers.parse(number).canonical
    except numbers.StandardNumberError:
        canonical = number.strip()
    std = Standard.objects.select_related("ccs", "adopted").filter(number=canonical).first()
    if std is None:
        std = Standard.objects.select_related("ccs", "adopted").filter(number=number.strip()).first()
    if std is None:
        raise Standard.DoesNotExist(number)
    return std


def chain(std: Standard, limit: int = 50) -> list[Standard]:
    """Every edition linked to this one by replacements, oldest first (breadth-first over
    both directions, so branching histories — one standard replacing two — are kept)."""
    seen = {std.pk}
    frontier = [std.pk]
    while frontier and len(seen) < limit:
        links = Replacement.objects.filter(Q(old_id__in=frontier) | Q(new_id__in=frontier)).values_list("old_id", "new_id")
        frontier = [i for pair in links for i in pair if i not in seen]
        seen.update(frontier)
    editions = list(Standard.objects.filter(pk__in=seen))
    return sorted(editions, key=lambda s: (s.implemented_on or s.published_on or dt.date(int(s.year) if len(s.year) == 4
                                                                                            else 1900, 1, 1), s.number))


def replaces(std: Standard) -> list[Standard]:
    return [r.old for r in Replacement.objects.filter(new=std).select_related("old")]


def replaced_by(std: Standard) -> list[Standard]:
    return [r.new for r in Replacement.objects.filter(old=std).select_related("new")]


def related(std: Standard, limit: int = 8) -> list[Standard]:
    codes = list(std.ics.values_list("pk", flat=True))
    if not codes:
        return []
    return list(
        Standard.objects.filter(ics__in=codes, status__in=(Status.CURRENT, Status.UPCOMING))
        .exclude(pk=std.pk).exclude(base_number=std.base_number).distinct().order_by("-implemented_on", "number")[:limit]
    )


@dataclass
class TimelineItem:
    on: dt.date | None
    label: str
    number: str = ""
    future: bool = False


def timeline(std: Standard) -> list[TimelineItem]:
    today = timezone.localdate()
    items = []
    if std.published_on:
        items.append(TimelineItem(std.published_on, gettext_noop("发布")))
    if std.implemented_on:
        items.append(TimelineItem(std.implemented_on, gettext_noop("实施")))
    for old in replaces(std):
        items.append(TimelineItem(std.implemented_on, gettext_noop("代替"), old.number))
    for new in replaced_by(std):
        items.append(TimelineItem(new.implemented_on, gettext_noop("被代替"), new.number))
    if std.abolished_on:
        items.append(TimelineItem(std.abolished_on, gettext_noop("废止")))
    for item in items:
        item.future = bool(item.on and item.on > today)
    return sorted(items, key=lambda i: (i.on or dt.date.max, i.label))


def my_organizations(user) -> list[Organization]:
    return list(Organization.objects.filter(
        kind=OrgKind.ENTERPRISE, memberships__user=user, memberships__role=Role.ENTERPRISE_MEMBER).distinct())


@dataclass
class MyStandard:
    standard: Standard
    ends_on: dt.date | None
    ending_soon: bool
    replacements: list[Standard]
    via: str


def my_standards(user) -> tuple[list[MyStandard], list[Follow]]:
    """Every standard the user's enterprise follows explicitly, those that stop being valid
    within 90 days first (each with what replaces it), then the rest by number."""
    follows = list(permissions.scoped(user, "standards.follow", Follow.objects.all()).select_related("standard"))
    today = timezone.localdate()
    soon = today + dt.timedelta(days=SOON_DAYS)
    rows = []
    for f in follows:
        if f.standard is None:
            continue
        std = f.standard
        newer = replaced_by(std)
        ends = std.abolished_on or min((n.implemented_on for n in newer if n.implemented_on), default=None)
        ending_soon = bool(ends and ends <= soon and (std.status in (Status.CURRENT, Status.UPCOMING) or ends >= today))
        rows.append(MyStandard(std, ends, ending_soon, newer, "standard"))
    rows.sort(key=lambda r: (not r.ending_soon, r.ends_on or dt.date.max, r.standard.number))
    return rows, [f for f in follows if f.standard is None]


def workbench(user, role):
    """Home-page card: the standards an enterprise follows, those about to stop being valid
    first, each with the date it ends."""
    if role != Role.ENTERPRISE_MEMBER or not permissions.is_allowed(user, "standards.follow"):
        return None
    rows, _fields = my_standards(user)
    lines = []
    for r in rows[:4]:
        badge = (_("%(date)s 起失效") % {"date": r.ends_on.isoformat()} if r.ending_soon
                 else r.standard.get_status_display())
        lines.append(Line(f"{r.standard.number} {r.standard.title}",
                          reverse("standards:detail", args=[r.standard.number]), badge))
    return Card(_("我关注的标准"), reverse("standards:mine"), figure=sum(1 for r in rows if r.ending_soon),
                figure_label=_("项即将失效"), lines=lines, action=(_("查标准"), reverse("standards:index")),
                empty=_("还没有关注标准。关注后，标准被代替或废止时会及时提醒您。"))


@dataclass
class WorkFigures:
    by_kind: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    by_industry: list[tuple[str, int]]
    consistency: list[dict]
    bodies: list[StandardBody]


def consistency_rate(standards) -> tuple[int, int, float]:
    """Share of national standards that adopt an international standard IDT or MOD — the
    'consistency degree with international standards' (与国际标准一致性程度) indicator."""
    national = standards.filter(kind=Kind.NATIONAL, status__in=(Status.CURRENT, Status.UPCOMING))
    total = national.count()
    adopted = national.filter(adoption__in=(Adoption.IDT, Adoption.MOD)).count()
    return adopted, total, (adopted / total if total else 0.0)


def work_figures(user, *, target: float = 0.90) -> WorkFigures:
    bodies = permissions.scoped(
        user, "standards.work", StandardBody.objects.filter(role__in=(StandardBody.Role.DRAFTER, StandardBody.Role.COMMITTEE))
    ).select_related("standard", "organization__area", "organization__industry")
    ids = bodies.values("standard_id")
    led = Standard.objects.filter(pk__in=ids)
    by_kind = [(Kind(r["kind"]).label, r["n"]) for r in led.values("kind").annotate(n=Count("id")).order_by("-n")]
    by_district = [(r["organization__area__name"], r["n"]) for r in bodies.values("organization__area__name")
                   .annotate(n=Count("standard", distinct=True)).order_by("-n")]
    by_industry = [(r["organization__industry__name"] or "—", r["n"]) for r in bodies.values("organization__industry__name")
                   .annotate(n=Count("standard", distinct=True)).order_by("-n")[:20]]
    consistency = []
    from .models import CcsCode

    for letter in CcsCode.objects.filter(level=1).order_by("code"):
        adopted, total, rate = consistency_rate(Standard.objects.filter(ccs__code__startswith=letter.code))
        if total:
            consistency.append({"code": letter.code, "name": letter.name, "adopted": adopted, "total": total,
                                "rate": rate, "target": target, "meets": rate >= target})
    return WorkFigures(by_kind, by_district, by_industry, consistency, list(bodies.order_by("-standard__published_on")[:50]))
