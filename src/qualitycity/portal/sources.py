"""What other modules publish, gathered for the portal.

Two ways in:
- reports a module publishes on its own public pages (satisfaction results, the quality
  index) are listed through the adapters in ``module_reports``;
- aggregate reports that the portal itself publishes with versions and open data
  (the complaint bulletin) are prepared here from the module's selectors, then approved
  and published through ``portal.services`` like any other publication.

Every adapter tolerates a module that is not installed or not migrated yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .models import PublicationKind


@dataclass(frozen=True)
class ModuleReport:
    title: str
    kind: str
    kind_label: str
    year: int
    url: str
    pdf_url: str
    published_on: dt.date | None
    number: str = ""
    source_module: str = ""


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _surveys() -> list[ModuleReport]:
    Project = _model("surveys.Project")
    if Project is None:
        return []
    return [
        ModuleReport(p.title, PublicationKind.SATISFACTION, str(PublicationKind.SATISFACTION.label), p.year,
                     _url("surveys:public_detail", p.number), "", p.published_at.date() if p.published_at else None,
                     p.number, "surveys")
        for p in Project.objects.filter(published=True).order_by("-year", "number")
    ]


def _indices() -> list[ModuleReport]:
    Result = _model("indices.Result")
    if Result is None:
        return []
    return [
        ModuleReport(f"{r.framework} {r.year}", PublicationKind.QUALITY_INDEX, str(PublicationKind.QUALITY_INDEX.label),
                     r.year, _url("indices:public", r.number), _url("indices:public_pdf", r.number),
                     r.published_at.date() if r.published_at else None, r.number, "indices")
        for r in Result.objects.filter(published=True).select_related("framework").order_by("-year")
    ]


def _in_portal(report: ModuleReport, series: list[tuple[str, str, str]]) -> bool:
    """A module that publishes through the portal workflow names its series after the report's
    number (e.g. ``satisfaction-sv202506300001``) or keeps its title; either way the portal's
    own versioned publication is shown and the module's listing is skipped, so nothing is
    listed twice."""
    number = report.number.lower()
    return any(module == report.source_module and ((number and number in name) or title == report.title)
               for name, module, title in series)


def module_reports() -> list[ModuleReport]:
    from .models import Publication

    reports = []
    for adapter in (_surveys, _indices):
        try:
            reports.extend(adapter())
        except Exception:  # a module mid-migration must not take the portal down
            continue
    # only once the portal's version is public, so a report never vanishes while its draft waits
    series = list(Publication.objects.filter(source_module__in={r.source_module for r in reports},
                                             status__in=["published", "superseded"])
                  .values_list("series", "source_module", "title").distinct())
    return [r for r in reports if r.url and not _in_portal(r, series)]


BULLETIN_DICTIONARY = [
    {"field": "department", "type": "string", "description": "主办单位"},
    {"field": "volume", "type": "integer", "description": "本期受理诉求件数"},
    {"field": "on_time_acceptance", "type": "number", "description": "按期受理率（0–1）"},
    {"field": "on_time_completion", "type": "number", "description": "按期办结率（0–1）"},
    {"field": "satisfaction", "type": "number", "description": "回访满意率（满意+基本满意，0–1）"},
    {"field": "reopen_rate", "type": "number", "description": "重办率（0–1）"},
    {"field": "score", "type": "number", "description": "通报综合得分（0–100）"},
    {"field": "rank", "type": "integer", "description": "排名"},
]


def _bulletin_series(period) -> str:
    """A quarter and its first month start on the same day, so the series says which it is."""
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    if months == 3:
        return f"complaint-bulletin-{period.start.year}q{(period.start.month - 1) // 3 + 1}"
    return f"complaint-bulletin-{period.start:%Y%m}"


def complaint_bulletin_publication(period) -> dict | None:
    """Arguments for ``services.prepare_publication`` from a complaints bulletin:
    aggregates per department only, never a demand or a person."""
    if _model("complaints.Demand") is None:
        return None
    from qualitycity.complaints.selectors import bulletin

    data = bulletin(period, by="department")
    rows = [{"department": r["name"], "volume": r["volume"], "on_time_acceptance": r["on_time_acceptance"],
             "on_time_completion": r["on_time_completion"], "satisfaction": r["satisfaction"],
             "reopen_rate": r["reopen_rate"], "score": r["score"], "rank": r["rank"]} for r in data["rows"]]
    if not rows:
        return None
    top = rows[:15]
    return {
        "series": _bulletin_series(period), "kind": PublicationKind.COMPLAINT_BULLETIN,
        "title": f"{period.label}诉求办理督办通报", "year": period.start.year, "period": period.label,
        "source_module": "complaints", "rows": rows, "dictionary": BULLETIN_DICTIONARY,
        "summary": f"本期共受理诉求 {data['total']} 件（上期 {data['total_prev']} 件）。",
        "charts": [{"title": "各单位通报得分（前 15 名）", "type": "bar", "labels": [r["department"] for r in top],
                    "values": [r["score"] for r in top]}],
    }
