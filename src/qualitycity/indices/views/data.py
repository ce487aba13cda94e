"""Indicator data pages: the grid, Excel import, platform computation, data quality."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor
from qualitycity.core.tabular import write_xlsx

from .. import selectors, sources
from ..models import Framework, Value
from ..services import compute
from ..services import data as data_service


def _year(year: int) -> int:
    if year not in data_service.YEARS:
        raise Http404
    return year


@requires("indices.view")
def grid(request, pk: int, year: int):
    fw = get_object_or_404(Framework, pk=pk)
    year = _year(year)
    areas, inds, rows = data_service.matrix(fw, year)
    synthetic = Value.objects.filter(indicator__framework=fw, year=year, synthetic=True).exists()
    errors = request.session.pop("indices_grid_errors", {})
    typed = request.session.pop("indices_grid_typed", {})
    table = [{"area": a, "cells": [{"key": f"v_{ind.pk}_{a.pk}",
                                    "value": typed.get(f"v_{ind.pk}_{a.pk}", "" if v is None else f"{v:g}"),
                                    "error": (errors.get(f"v_{ind.pk}_{a.pk}") or [""])[0]}
                                   for ind, v in zip(inds, row, strict=True)]}
             for a, row in zip(areas, rows, strict=True)]
    return render(request, "indices/data.html", {
        "fw": fw, "year": year, "inds": inds, "table": table, "synthetic": synthetic,
        "problems": request.session.pop("indices_import_problems", None),
        "can_manage": permissions.is_allowed(request.user, "indices.manage"),
        "years": selectors.offered_years(fw)})


@require_POST
@requires("indices.manage")
def save_grid(request, pk: int, year: int):
    fw = get_object_or_404(Framework, pk=pk)
    year = _year(year)
    entries = {}
    for key, text in request.POST.items():
        if key.startswith("v_"):
            try:
                _v, ind_id, area_id = key.split("_")
                entries[(int(ind_id), int(area_id))] = text
            except ValueError:
                continue
    try:
        n = data_service.save_manual(by=Actor.from_request(request), framework=fw, year=year, entries=entries)
        messages.success(request, _("已保存 %(n)s 个单元格") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
        request.session["indices_grid_errors"] = exc.errors
        request.session["indices_grid_typed"] = {k: v for k, v in request.POST.items() if k.startswith("v_")}
    return redirect("indices:data", pk=fw.pk, year=year)


@require_POST
@requires("indices.manage")
def import_values(request, pk: int, year: int):
    fw = get_object_or_404(Framework, pk=pk)
    year = _year(year)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("请选择要导入的文件"))
        n = data_service.import_values(by=Actor.from_request(request), framework=fw, year=year,
                                       filename=upload.name, content=upload.read())
        messages.success(request, _("导入成功：写入 %(n)s 个单元格") % {"n": n})
    except ImportRejected as exc:
        messages.error(request, exc.message)
        request.session["indices_import_problems"] = exc.problems
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:data", pk=fw.pk, year=year)


@requires("indices.view")
def template_xlsx(request, pk: int, year: int):
    fw = get_object_or_404(Framework, pk=pk)
    areas, inds, rows = data_service.matrix(fw, _year(year))
    header = [data_service.DISTRICT_COLUMN] + [i.code for i in inds]
    body = write_xlsx(header, ([a.name, *("" if v is None else v for v in row)] for a, row in
                               zip(areas, rows, strict=True)), title=str(year))
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{fw.code}-{year}.xlsx"'
    return response


@require_POST
@requires("indices.manage")
def fill_platform(request, pk: int, year: int):
    fw = get_object_or_404(Framework, pk=pk)
    try:
        n, kept = data_service.fill_from_platform(by=Actor.from_request(request), framework=fw, year=_year(year))
        messages.success(request, _("已从平台计算 %(n)s 个单元格") % {"n": n})
        if kept:
            messages.info(request, _("以下指标的平台模块当年没有数据，保留原有数值：%(c)s") % {"c": "、".join(kept)})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:data", pk=fw.pk, year=year)


@requires("indices.view")
def quality(request, pk: int, year: int):
    fw = get_object_or_404(Framework, pk=pk)
    table, areas, inds = compute.engine_table(fw, _year(year))
    report = compute.quality_report(table, inds)
    try:  # coherence needs the imputed, normalised matrix: one run without the Monte Carlo
        coherence, coherence_error = compute.run(fw, year, replications=0, sobol_base=0)["coherence"], ""
    except DomainError as exc:
        coherence, coherence_error = None, exc.message
    return render(request, "indices/quality.html", {"fw": fw, "year": year, "report": report,
                                                    "providers": {p.key: p for p in sources.providers()},
                                                    "inds": inds, "coherence": coherence,
                                                    "coherence_error": coherence_error})


@require_POST
@requires("indices.manage")
def compute_year(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    try:
        year = int(request.POST.get("year", ""))
        result = compute.compute_result(by=Actor.from_request(request), framework=fw, year=year)
        messages.success(request, _("已计算 %(y)s 年指数") % {"y": year})
        return redirect("indices:result", number=result.number)
    except ValueError:
        messages.error(request, _("请选择年份"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:framework", pk=fw.pk)
