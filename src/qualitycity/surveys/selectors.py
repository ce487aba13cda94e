"""Reads of the surveys app: quota progress, ranked results, the district index."""

from __future__ import annotations

from collections import Counter

from qualitycity.core.models import Area

from .itembank import AGE_BANDS, SERVICE_INDUSTRIES, SEXES
from .models import Project, Response

DIMENSIONS = {"district": "district__name", "sex": "sex", "age": "age_band"}


def quota_progress(project: Project) -> dict[str, list[dict]]:
    """Per dimension (district, sex, age band): target, collected, share done.
    Excluded responses do not count towards a quota."""
    qs = project.responses.exclude(review=Response.Review.EXCLUDED)
    labels = {"sex": dict(SEXES), "age": dict(AGE_BANDS)}
    out = {}
    for dim, field in DIMENSIONS.items():
        done = Counter(dict(_grouped(qs, field)))
        targets = project.quotas.get(dim, {})
        cats = list(targets) + [c for c in done if c not in targets]
        out[dim] = [{"category": c, "label": str(labels.get(dim, {}).get(c, c)), "target": targets.get(c),
                     "done": done.get(c, 0),
                     "percent": round(100 * done.get(c, 0) / targets[c], 1) if targets.get(c) else None}
                    for c in cats]
    return out


def _grouped(qs, field):
    from django.db.models import Count

    return qs.values_list(field).annotate(n=Count("id")).values_list(field, "n")


def target_label(project: Project) -> str:
    if project.target_kind == Project.Target.INDUSTRY:
        return str(dict(SERVICE_INDUSTRIES).get(project.industry, project.industry))
    if project.target_kind == Project.Target.DISTRICT:
        return project.area.name if project.area_id else ""
    return project.service_name


def ranking(target_kind: str, year: int, *, published_only: bool = False) -> list[dict]:
    """Projects of one kind and year with results, ranked by satisfaction index (1 = best),
    with the change from the same target's project of the year before."""
    qs = Project.objects.filter(target_kind=target_kind, year__in=(year, year - 1))
    # Public figures come from the approved snapshot only: re-estimating a published project
    # changes its live ``results`` but nothing public until a new release is published.
    field = "public_results" if published_only else "results"
    qs = qs.filter(published=True).exclude(public_results={}) if published_only else qs.exclude(results={})
    projects = list(qs.select_related("area"))
    last = {p.target_key: getattr(p, field)["satisfaction"] for p in projects if p.year == year - 1}
    rows = [p for p in projects if p.year == year]
    rows.sort(key=lambda p: -getattr(p, field)["satisfaction"])
    out = []
    for rank, p in enumerate(rows, start=1):
        res = getattr(p, field)
        prev = last.get(p.target_key)
        out.append({"project": p, "label": target_label(p), "index": res["satisfaction"],
                    "ci": res.get("ci"), "rank": rank, "of": len(rows), "previous": prev,
                    "change": res["satisfaction"] - prev if prev is not None else None,
                    "n": res.get("n")})
    return out


def project_rank(project: Project, *, published_only: bool = False) -> dict | None:
    return next((row for row in ranking(project.target_kind, project.year, published_only=published_only)
                 if row["project"].pk == project.pk), None)


def district_government_index(district: Area | str | int, year: int) -> dict | None:
    """The citizens' satisfaction index of a district government's services in a year.

    For the quality development index and the annual assessment.  ``district`` is an
    :class:`~qualitycity.core.models.Area`, its name or its primary key.  Returns
    ``None`` when that year's survey of the district has no published results;
    otherwise a dict::

        {"district": "洪山区", "year": 2026, "index": 78.4,       # 0–100 (ACSI-style)
         "ci": [76.9, 79.8] or None,                           # 95 % bootstrap percentile CI
         "rank": 3, "of": 15,                                  # among published districts
         "change": 1.2 or None,                                # vs the year before
         "n": 240, "project": "SV202611260001"}

    Only *published* results are returned — the snapshot of the release the city office
    approved and published on the portal — so a score never counts before it has been
    released, and a re-estimate counts only once its correction is published.
    """
    if isinstance(district, Area):
        area_id = district.pk
    elif isinstance(district, int):
        area_id = district
    else:
        area_id = Area.objects.filter(name=str(district)).values_list("pk", flat=True).first()
    if area_id is None:
        return None
    for row in ranking(Project.Target.DISTRICT, int(year), published_only=True):
        p = row["project"]
        if p.area_id == area_id:
            return {"district": p.area.name, "year": p.year, "index": row["index"], "ci": row["ci"],
                    "rank": row["rank"], "of": row["of"], "change": row["change"], "n": row["n"],
                    "project": p.number}
    return None
