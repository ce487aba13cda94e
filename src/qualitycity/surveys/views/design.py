"""Staff pages for a project's design: quotas, fieldwork agency, population margins, and
the live quota fragment the project page polls."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.models.organizations import PROVIDER_KINDS
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors, services
from ..itembank import AGE_BANDS, SEXES
from ..services.design import DIMENSIONS, categories, dimension_label, parse_margins_table
from .common import margin_rows, project_for


def _labels(dim: str) -> dict:
    return {"sex": dict(SEXES), "age": dict(AGE_BANDS)}.get(dim, {})


def quota_fields(project=None, data=None) -> list[dict]:
    """Inputs for every quota cell, filled from the posted form or the project's quotas."""
    quotas = project.quotas if project is not None else {}
    out = []
    for dim in DIMENSIONS:
        cells = []
        for cat in categories(dim, project):
            name = f"quota:{dim}:{cat}"
            value = data.get(name, "") if data is not None else quotas.get(dim, {}).get(cat, "")
            cells.append({"name": name, "label": str(_labels(dim).get(cat, cat)), "value": value})
        out.append({"dimension": dimension_label(dim), "cells": cells})
    return out


def quotas_from_post(post, project=None) -> dict:
    """Blank cells mean no quota; anything else goes to the service, which names bad values."""
    quotas: dict[str, dict] = {}
    for dim in DIMENSIONS:
        for cat in categories(dim, project):
            raw = (post.get(f"quota:{dim}:{cat}") or "").strip()
            if raw:
                quotas.setdefault(dim, {})[cat] = int(raw) if raw.isdigit() else raw
    return quotas


def agencies():
    return Organization.objects.filter(kind__in=PROVIDER_KINDS).order_by("name")


def agency_from_post(post):
    raw = post.get("fieldwork_agency") or ""
    return Organization.objects.filter(pk=int(raw)).first() if raw.isdigit() else None


@requires("surveys.manage")
def edit(request, number: str):
    """Quotas per district, sex and age band, and the third party that runs the fieldwork."""
    project = project_for(request, number, "surveys.manage")
    errors = []
    if request.method == "POST":
        try:
            services.set_design(by=Actor.from_request(request), project=project,
                                quotas=quotas_from_post(request.POST, project),
                                fieldwork_agency=agency_from_post(request.POST))
            messages.success(request, _("配额与调查执行机构已保存"))
            return redirect("surveys:detail", number=number)
        except DomainError as exc:
            errors = (exc.errors or {}).get("quotas") or [exc.message]
    data = request.POST if request.method == "POST" else None
    return render(request, "surveys/edit.html", {
        "project": project, "errors": errors, "quota_fields": quota_fields(project, data),
        "agencies": agencies(),
        "agency_id": str(data.get("fieldwork_agency", "")) if data is not None else str(project.fieldwork_agency_id or ""),
    }, status=400 if errors else 200)


def _margin_fields(project, data=None) -> list[dict]:
    out = []
    for dim in DIMENSIONS:
        if dim == "district" and project.target_kind == project.Target.DISTRICT:
            continue
        shares = project.margins.get(dim, {})
        total = sum(shares.values()) or 1.0
        cells = []
        for cat in categories(dim, project):
            name = f"margin:{dim}:{cat}"
            if data is not None:
                value = data.get(name, "")
            else:
                value = f"{100 * shares[cat] / total:g}" if cat in shares else ""
            cells.append({"name": name, "label": str(_labels(dim).get(cat, cat)), "value": value})
        out.append({"dimension": dimension_label(dim), "cells": cells})
    return out


def _margins_from_post(post, project) -> dict:
    margins: dict[str, dict] = {}
    for dim in DIMENSIONS:
        cells = {cat: (post.get(f"margin:{dim}:{cat}") or "").strip() for cat in categories(dim, project)}
        if any(cells.values()):  # a dimension left wholly blank is not raked on
            margins[dim] = {cat: value for cat, value in cells.items() if value}
    return margins


@requires("surveys.manage")
def margins(request, number: str):
    """Population margins for raking: typed as percentages, or uploaded as a table."""
    project = project_for(request, number, "surveys.manage")
    error = None
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is not None:
                values = parse_margins_table(upload.name, upload.read())
            else:
                values = _margins_from_post(request.POST, project)
            services.set_margins(by=Actor.from_request(request), project=project, margins=values)
            messages.success(request, _("总体边际已保存；重新估计后生效"))
            return redirect("surveys:margins", number=number)
        except DomainError as exc:
            error = exc.message
    data = request.POST if request.method == "POST" and "file" not in request.FILES else None
    return render(request, "surveys/margins.html", {
        "project": project, "error": error, "fields": _margin_fields(project, data),
        "current": margin_rows(project.margins)}, status=400 if error else 200)


@requires("surveys.view")
def quota_progress(request, number: str):
    """The quota cards alone, which the project page refreshes while collection runs."""
    project = project_for(request, number)
    return render(request, "surveys/_quotas.html", {"project": project,
                                                    "quotas": selectors.quota_progress(project)})
