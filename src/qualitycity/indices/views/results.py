"""Result pages (internal and public), publishing, and the annual PDF report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Result
from ..services import compute

FACTOR_LABELS = {"normalization": N_("标准化方法"), "weighting": N_("赋权方案"), "aggregation": N_("加总方法"),
                 "exclusion": N_("剔除单项指标"), "weight noise": N_("权重扰动")}


def _context(request, result: Result, *, public: bool) -> dict:
    p = result.payload
    charts = selectors.chart_data(result, published_only=public)
    if charts.get("sensitivity"):
        charts["sensitivity"] = {**charts["sensitivity"],
                                 "labels": [_(FACTOR_LABELS.get(f, f)) for f in charts["sensitivity"]["factors"]]}
    charts["labels"] = {"score": _("综合得分"), "median": _("全市中位数"), "s1": _("一阶指数 S1"),
                        "st": _("总效应指数 ST"), "rank": _("排名")}
    return {
        "result": result, "p": p, "public": public, "rows": selectors.ranking(result), "charts": charts,
        "dimensions": p["dimensions"],
        "can_manage": not public and permissions.is_allowed(request.user, "indices.manage"),
        "pdf_url": ("indices:public_pdf" if public else "indices:result_pdf"),
    }


@requires("indices.view")
def result_detail(request, number: str):
    result = get_object_or_404(Result.objects.select_related("framework"), number=number)
    return render(request, "indices/result.html", _context(request, result, public=False))


def _published(number: str) -> Result:
    result = Result.objects.select_related("framework").filter(number=number, published=True).first()
    if result is None:
        raise Http404
    return result


@requires("indices.public")
def public_list(request):
    return render(request, "indices/public_list.html", {"results": selectors.published()})


@requires("indices.public")
def public_detail(request, number: str):
    return render(request, "indices/result.html", _context(request, _published(number), public=True))


@require_POST
@requires("indices.manage")
def publish(request, number: str):
    result = get_object_or_404(Result, number=number)
    published = request.POST.get("published") == "1"
    compute.set_published(by=Actor.from_request(request), result=result, published=published)
    messages.success(request, _("已公开") if published else _("已撤回公开"))
    return redirect("indices:result", number=number)


def _pdf(request, result: Result, public: bool) -> HttpResponse:
    from weasyprint import HTML

    rows = selectors.ranking(result)
    top = max((r["score"] for r in rows), default=1) or 1
    html = render_to_string("indices/report.html", {
        "result": result, "p": result.payload, "rows": rows, "public": public, "svg_h": 22 * len(rows) + 8,
        "bars": [{"unit": r["unit"], "score": r["score"], "w": 360 * r["score"] / top, "y": 22 * i}
                 for i, r in enumerate(rows)],
        "factors": list(zip([_(FACTOR_LABELS.get(f, f)) for f in result.payload.get("sensitivity", {}).get("factors", [])],
                            result.payload.get("sensitivity", {}).get("S1", []),
                            result.payload.get("sensitivity", {}).get("ST", []), strict=False)),
    }, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{result.number}.pdf"'
    return response


@requires("indices.view")
def result_pdf(request, number: str):
    return _pdf(request, get_object_or_404(Result.objects.select_related("framework"), number=number), False)


@requires("indices.public")
def public_pdf(request, number: str):
    return _pdf(request, _published(number), True)
