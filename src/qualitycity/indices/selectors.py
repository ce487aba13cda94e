"""Reads behind the result pages, the PDF and the API."""

from __future__ import annotations

import statistics

from .models import Result


def ranking(result: Result) -> list[dict]:
    """One row per district, best first, with its rank interval and dimension scores."""
    p = result.payload
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


def trends(result: Result, *, published_only: bool) -> dict:
    """Scores of every district in every computed (or published) year of the framework."""
    qs = Result.objects.filter(framework_id=result.framework_id).order_by("year")
    if published_only:
        qs = qs.filter(published=True)
    years, series = [], {}
    for r in qs.only("year", "payload"):
        years.append(r.year)
        for unit, score in zip(r.payload["units"], r.payload["score"], strict=True):
            series.setdefault(unit, {})[r.year] = score
    return {"years": years, "series": [{"name": u, "data": [s.get(y) for y in years]} for u, s in series.items()]}


def chart_data(result: Result, *, published_only: bool) -> dict:
    p = result.payload
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


def published() -> list[Result]:
    return list(Result.objects.filter(published=True).select_related("framework").order_by("-year", "id"))
