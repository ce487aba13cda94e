"""Reads of the directory that need more than a plain queryset."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import permissions
from .models import Area, Industry, Organization, OrgKind
from .services.directory import CATEGORY_KINDS

CATEGORY_RULES = {
    "enterprise": "directory.enterprises",
    "provider": "directory.providers",
    "government": "directory.government",
}


def organizations(user, category: str, *, district: str = "", industry: str = "", size_class: str = "",
                  kind: str = "", q: str = "", park: str = "") -> QuerySet:
    """The organizations of a category the user may see, filtered. One query, however
    many rows: related names come in through ``select_related``."""
    qs = Organization.objects.filter(kind__in=CATEGORY_KINDS[category]).select_related("area", "industry", "park")
    qs = permissions.scoped(user, f"{CATEGORY_RULES[category]}.view", qs)
    # Filters resolve to literal ids first (two tiny queries), so PostgreSQL sees
    # `area_id = 5` and uses the (kind, area, industry) index; with subqueries it guessed
    # wrong and walked every firm of the industry.
    if district:
        areas = Area.objects.filter(pk=int(district)) if district.isdigit() and len(district) < 6 else (
            Area.objects.filter(Q(code=district) | Q(name=district))
        )
        qs = qs.filter(area_id__in=list(areas.values_list("id", flat=True)))
    if industry:
        industry = industry.upper()
        industries = Industry.objects.filter(parent__code=industry) if len(industry) == 1 else (
            Industry.objects.filter(code=industry)
        )
        qs = qs.filter(industry_id__in=list(industries.values_list("id", flat=True)))
    if size_class:
        qs = qs.filter(size_class=size_class)
    if kind:
        qs = qs.filter(kind=kind)
    if park:
        qs = qs.filter(park__name=park) if not park.isdigit() else qs.filter(park_id=int(park))
    if q:
        q = q.strip()[:100]
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code=q.upper()))
    return qs.order_by("id")


def paginate(qs: QuerySet, page: int, page_size: int) -> tuple[int, list]:
    page_size = max(1, min(page_size, 100))
    page = max(1, page)
    total = qs.count()
    start = (page - 1) * page_size
    return total, list(qs[start : start + page_size])


def enterprise_counts_by_district(user) -> list[dict]:
    """Enterprise counts per district for the city map, within the user's scope."""
    qs = permissions.scoped(user, "directory.enterprises.view", Organization.objects.filter(kind=OrgKind.ENTERPRISE))
    counts = dict(qs.values_list("area_id").annotate(n=Count("id")).values_list("area_id", "n"))
    return [
        {"name": area.name, "code": area.code, "kind": area.kind, "value": counts.get(area.pk, 0)}
        for area in Area.objects.exclude(kind=Area.Kind.CITY)
    ]


def counts_by_kind(user) -> dict[str, int]:
    qs = Organization.objects.values_list("kind").annotate(n=Count("id"))
    return {kind: n for kind, n in qs}


def industry_choices() -> list[Industry]:
    return list(Industry.objects.filter(level=Industry.Level.SECTION).order_by("code"))
