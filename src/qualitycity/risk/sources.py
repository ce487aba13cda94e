"""Where a signal's weekly counts come from: a small registry of *sources*.

A source is a function ``(*, source, categories, area_ids, since) -> Iterable[CountRow]``
yielding weekly count rows at the finest grain it has (category × district × enterprise
× park × week).  The signal's grouping then sums them into series, so a source never needs
to know how it will be grouped.

Imported data (injury reports, recalls, risk-monitoring sampling, and any counts of
complaints or failed inspections supplied from outside) are served from
:class:`~qualitycity.risk.models.WeeklyCount` by :func:`imported_counts`.

How the complaints and inspection apps plug in (they own their models; this app never
imports them)::

    # qualitycity/complaints/risk_sources.py   (found automatically by autodiscover())
    from qualitycity.risk.sources import CountRow, register

    @register("complaints")
    def complaint_counts(*, source, categories, area_ids, since):
        # one row per (product category, district, enterprise, ISO week) from the
        # complaints app's own facts, e.g. a values()/annotate(Count) query
        for f in weekly_complaint_facts(since=since, categories=categories, area_ids=area_ids):
            yield CountRow(week=f.week_monday, count=f.n, category=f.category,
                           area_id=f.area_id, enterprise_id=f.enterprise_id)

and likewise ``@register("failed_inspections")`` in ``qualitycity/inspection/risk_sources.py``.
Until such a function is registered, those sources fall back to imported counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec


@dataclass(frozen=True)
class CountRow:
    week: dt.date  # Monday of the ISO week
    count: int
    category: str
    area_id: int | None
    enterprise_id: int | None = None
    park_id: int | None = None


SourceFunc = Callable[..., Iterable[CountRow]]
_REGISTRY: dict[str, SourceFunc] = {}
_discovered = False


def register(source: str):
    """Decorator: serve the counts of ``source`` (a ``models.Source`` value)."""

    def decorate(func):
        existing = _REGISTRY.get(source)
        if existing is not None and existing is not func:
            raise ValueError(f"risk source {source!r} registered twice")
        _REGISTRY[source] = func
        return func

    return decorate


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    from django.conf import settings

    for app in settings.DOMAIN_APPS:
        name = f"qualitycity.{app}.risk_sources"
        if find_spec(f"qualitycity.{app}") and find_spec(name):
            import_module(name)
    _discovered = True


def imported_counts(*, source, categories, area_ids, since) -> Iterable[CountRow]:
    from .models import WeeklyCount

    qs = WeeklyCount.objects.filter(source=source, week__gte=since)
    if categories:
        qs = qs.filter(category__in=categories)
    if area_ids:
        qs = qs.filter(area_id__in=area_ids)
    for week, count, category, area_id, ent, park in qs.values_list(
            "week", "count", "category", "area_id", "enterprise_id", "park_id").iterator(chunk_size=5000):
        yield CountRow(week, count, category, area_id, ent, park)


def rows_for(source: str, *, categories, area_ids, since) -> Iterable[CountRow]:
    autodiscover()
    func = _REGISTRY.get(source, imported_counts)
    return func(source=source, categories=categories, area_ids=area_ids, since=since)


def provider_name(source: str) -> str:
    autodiscover()
    func = _REGISTRY.get(source)
    return "imported" if func is None else f"{func.__module__}.{func.__name__}"
