"""Helpers shared by the survey pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from qualitycity.core import permissions

from .. import selectors
from ..itembank import AGE_BANDS, CONSTRUCT_LABELS, CONSTRUCTS, FLAG_LABELS, SEXES
from ..models import Project


def project_for(request, number: str, rule: str = "surveys.view") -> Project:
    """The project if the user's scope under ``rule`` includes it; otherwise 404, so an
    out-of-scope officer cannot even learn that the number exists."""
    project = get_object_or_404(Project.objects.select_related("area"), number=number)
    if not permissions.can(request.user, rule, project):
        raise Http404
    return project


def chart_data(res: dict) -> dict:
    """What the ECharts charts and the PDF draw: construct indices and the IPMA map."""
    if not res:
        return {}
    ipma = res.get("ipma", {})
    return {
        "constructs": [str(CONSTRUCT_LABELS[c]) for c in CONSTRUCTS if c in res["index"]],
        "index": [round(res["index"][c], 1) for c in CONSTRUCTS if c in res["index"]],
        "ipma": [{"name": str(CONSTRUCT_LABELS.get(n, n)), "value": [round(d["performance"], 1),
                                                                  round(d["importance"], 3)],
                  "priority": n in ipma.get("priority", [])} for n, d in ipma.get("drivers", {}).items()],
        "mean_importance": ipma.get("mean_importance"), "mean_performance": ipma.get("mean_performance"),
        "themes": res.get("themes", []),
    }


def results_context(project: Project, *, results: dict | None = None, published_only: bool = False) -> dict:
    """``published_only``: the public view — the approved snapshot and ranks among published
    projects; otherwise the live estimate (or the ``results`` given, e.g. a frozen release)."""
    if results is None:
        results = project.public_results if published_only else project.results
    res = results or {}
    labels = dict(CONSTRUCT_LABELS)
    weighting = res.get("weighting", {})
    return {
        "project": project,
        "target": selectors.target_label(project),
        "rank": selectors.project_rank(project, published_only=published_only) if res else None,
        "results": res,
        "construct_rows": [{"name": labels[c], "index": res["index"][c], "ave": res["quality"]["ave"].get(c),
                            "cr": res["quality"]["composite_reliability"].get(c),
                            "alpha": res["quality"]["cronbach_alpha"].get(c), "r2": res["r2"].get(c)}
                           for c in CONSTRUCTS if c in res.get("index", {})],
        "priority": [str(labels.get(n, n)) for n in res.get("ipma", {}).get("priority", [])],
        "chart": chart_data(res),
        "flag_rows": [(str(FLAG_LABELS.get(k, k)), n) for k, n in res.get("counts", {}).get("flags", {}).items()],
        "margin_rows": margin_rows(weighting.get("margins_used") or {}),
        "weighting": weighting,
        "public_view": published_only,
    }


def margin_rows(margins: dict) -> list[dict]:
    """The population shares raking used, for display: one row per dimension, as percentages."""
    names = {"district": _("区"), "sex": _("性别"), "age": _("年龄段")}
    labels = {"sex": dict(SEXES), "age": dict(AGE_BANDS)}
    rows = []
    for dim in ("district", "sex", "age"):
        shares = margins.get(dim)
        if not shares:
            continue
        total = sum(shares.values()) or 1.0
        rows.append({"dimension": str(names[dim]),
                     "cells": [(str(labels.get(dim, {}).get(k, k)), round(100 * v / total, 1)) for k, v in shares.items()]})
    return rows
