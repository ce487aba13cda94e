"""Helpers shared by the survey pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from qualitycity.core import permissions

from .. import selectors
from ..itembank import CONSTRUCT_LABELS, CONSTRUCTS, FLAG_LABELS
from ..models import Project


def project_for(request, number: str, rule: str = "surveys.view") -> Project:
    """The project if the user's scope under ``rule`` includes it; otherwise 404, so an
    out-of-scope officer cannot even learn that the number exists."""
    project = get_object_or_404(Project.objects.select_related("area"), number=number)
    if not permissions.can(request.user, rule, project):
        raise Http404
    return project


def chart_data(project: Project) -> dict:
    """What the ECharts charts and the PDF draw: construct indices and the IPMA map."""
    res = project.results
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


def results_context(project: Project, *, published_only: bool = False) -> dict:
    res = project.results or {}
    labels = dict(CONSTRUCT_LABELS)
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
        "chart": chart_data(project),
        "flag_rows": [(str(FLAG_LABELS.get(k, k)), n) for k, n in res.get("counts", {}).get("flags", {}).items()],
    }
