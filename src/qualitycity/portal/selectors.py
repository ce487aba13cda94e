"""Reads for the public portal: only what has been published."""

from __future__ import annotations

import datetime as dt

from qualitycity.core import nav

from .models import Dataset, Publication, PublicationKind, PublicationStatus

PUBLIC_STATES = (PublicationStatus.PUBLISHED, PublicationStatus.SUPERSEDED)


def public_publications():
    return Publication.objects.filter(status__in=PUBLIC_STATES).select_related("pdf")


def latest(kind: str | None = None, limit: int = 6):
    qs = public_publications().filter(status=PublicationStatus.PUBLISHED).order_by("-published_on", "-id")
    return list((qs.filter(kind=kind) if kind else qs)[:limit])


def archive() -> dict[int, list]:
    """Portal publications and the reports modules publish on their own pages, by year."""
    from .sources import module_reports

    years: dict[int, list] = {}
    for pub in public_publications().order_by("-year", "kind", "series", "-version"):
        years.setdefault(pub.year, []).append(pub)
    for report in module_reports():
        years.setdefault(report.year, []).append(report)
    return dict(sorted(years.items(), reverse=True))


def public_datasets():
    return Dataset.objects.filter(publication__status__in=PUBLIC_STATES).select_related("publication").order_by(
        "-publication__year", "slug")


def sampling_pass_rate() -> tuple[float, int] | None:
    """Pass rate of the latest published supervision sampling results."""
    pub = next(iter(latest(PublicationKind.SAMPLING_RESULTS, 1)), None)
    if pub is None or not hasattr(pub, "dataset"):
        return None
    rows = pub.dataset.rows
    if not rows:
        return None
    passed = sum(1 for r in rows if r.get("result") == "合格")
    return 100 * passed / len(rows), len(rows)


def quick_links(user) -> list[dict]:
    """The public services other modules offer (``AppConfig.public_links``)."""
    return [link for link in nav.public_links(user) if link["app"] != "portal"]


def latest_everything(limit: int = 8) -> list:
    """The newest published items, portal publications and module reports together."""
    from .sources import module_reports

    items = latest(limit=limit) + [r for r in module_reports() if r.published_on]
    return sorted(items, key=lambda item: item.published_on or dt.date.min, reverse=True)[:limit]
