"""Reads behind the result pages, the PDF and the API.

Internal pages read a result's own payload; public pages read the frozen payload of the
release the portal published, so the two can differ after a recompute."""

from __future__ import annotations

import statistics

from django.utils import timezone

from .models import Framework, Release, Result, Value


def ranking_rows(p: dict) -> list[dict]:
    """One row per district, best first, with its rank interval and dimension scores."""
    unc = p.get("uncertainty") or {}
    rows = []
    for i, unit in enumerate(p["units"]):
        rows.append({
            "unit": unit, "code": p["codes"][i], "score": p["score"][i], "rank": p["rank"][i],
            "median_rank": unc["median"][i] if unc else None,
            "p05": unc["p05"][i] if unc else None, "p95": unc["p95"][i] if unc else None,
            "dims": [p["groups"][d["code"]][i] for d in p["dimensions"]],
            "strengths": p["strengths"][unit],
        })
    return sorted(rows, key=lambda r: (r["rank"], r["unit"]))


def ranking(result: Result) -> list[dict]:
    return ranking_rows(result.payload)


def current_releases(framework_id: int) -> dict[int, Release]:
    """Year → the public release of that year's result (the latest published version)."""
    out: dict[int, Release] = {}
    for rel in (Release.objects.filter(result__framework_id=framework_id, status=Release.Status.PUBLIC)
                .select_related("result").order_by("result__year", "version")):
        out[rel.result.year] = rel
    return out


def trends(result: Result, *, published_only: bool) -> dict:
    """Scores of every district in every computed (or, for the public, published) year."""
    if published_only:
        payloads = [(y, rel.payload) for y, rel in sorted(current_releases(result.framework_id).items())]
    else:
        payloads = [(r.year, r.payload) for r in
                    Result.objects.filter(framework_id=result.framework_id).order_by("year").only("year", "payload")]
    years, series = [], {}
    for year, payload in payloads:
        years.append(year)
        for unit, score in zip(payload["units"], payload["score"], strict=True):
            series.setdefault(unit, {})[year] = score
    return {"years": years, "series": [{"name": u, "data": [s.get(y) for y in years]} for u, s in series.items()]}


def chart_data(result: Result, p: dict, *, published_only: bool) -> dict:
    dims = p["dimensions"]
    medians = [statistics.median(p["groups"][d["code"]]) for d in dims]
    return {
        "units": p["units"], "score": p["score"], "rank": p["rank"],
        "dimensions": [d["name"] for d in dims],
        "dimScores": {u: [p["groups"][d["code"]][i] for d in dims] for i, u in enumerate(p["units"])},
        "dimMedian": medians,
        "uncertainty": p.get("uncertainty"),
        "sensitivity": p.get("sensitivity"),
        "trends": trends(result, published_only=published_only),
    }


def published() -> list[Release]:
    """The public release of every published result, newest year first."""
    return list(Release.objects.filter(status=Release.Status.PUBLIC).select_related("result__framework")
                .order_by("-result__year", "result__framework_id"))


def offered_years(fw: Framework) -> list[int]:
    """Years that have data or a result, plus the year after the latest (to start entering it);
    the previous and current calendar years when the framework has nothing yet."""
    years = set(Value.objects.filter(indicator__framework=fw).values_list("year", flat=True).distinct())
    years |= set(fw.results.values_list("year", flat=True))
    if not years:
        this = timezone.localdate().year
        return [this - 1, this]
    return sorted(years | {max(years) + 1})
