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
    from django.urls import reverse

    home = reverse("portal:home")
    return [link for link in nav.public_links(user) if link["url"] != home]


def latest_everything(limit: int = 8) -> list:
    """The newest published items, portal publications and module reports together."""
    from .sources import module_reports

    items = latest(limit=limit) + [r for r in module_reports() if r.published_on]
    return sorted(items, key=lambda item: item.published_on or dt.date.min, reverse=True)[:limit]


def published_brand_registry() -> tuple[int, list[dict]] | None:
    """Valid 名品 certificates per district as last published (not the live table): the home
    page shows what the city office has approved for publication."""
    pub = next(iter(latest(PublicationKind.BRAND_REGISTRY, 1)), None)
    if pub is None or not hasattr(pub, "dataset"):
        return None
    rows = [r for r in pub.dataset.rows if "district" in r and "valid_certificates" in r]
    return sum(int(r["valid_certificates"]) for r in rows), [
        {"name": r["district"], "value": r["valid_certificates"], "kind": "district"} for r in rows]


def headlines() -> list[dict]:
    """The latest published satisfaction report and quality index: title, first sentence of
    the published summary (the headline figure), and link. Falls back to the reports those
    modules publish on their own pages."""
    from .sources import module_reports

    out = []
    modules = module_reports()
    for kind in (PublicationKind.QUALITY_INDEX, PublicationKind.SATISFACTION):
        pub = next(iter(latest(kind, 1)), None)
        if pub is not None:
            first = pub.summary.replace("\n", "。").split("。")[0].strip()
            out.append({"label": pub.kind_label, "title": pub.title, "text": first, "url": pub.url})
            continue
        report = next((r for r in modules if r.kind == kind), None)
        if report is not None:
            out.append({"label": report.kind_label, "title": report.title, "text": "", "url": report.url})
    return out


def open_surveys() -> list:
    """Satisfaction surveys in their collection period today (read from the surveys app, if
    installed). People take part through the link they were sent (a sampled, one-time link),
    so the portal says so rather than offering an open questionnaire."""
    from django.apps import apps
    from django.utils import timezone

    try:
        Project = apps.get_model("surveys.Project")
    except LookupError:
        return []
    today = timezone.localdate()
    return list(Project.objects.filter(status="collecting", starts_on__lte=today, ends_on__gte=today)
                .order_by("ends_on", "number")[:20])
