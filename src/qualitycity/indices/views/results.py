"""Result pages (internal and public), publishing, and the annual PDF report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.attachments import read_attachment
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Release, Result
from ..services import publishing

FACTOR_LABELS = {"normalization": gettext_noop("标准化方法"), "weighting": gettext_noop("赋权方案"),
                 "aggregation": gettext_noop("加总方法"), "exclusion": gettext_noop("剔除单项指标"),
                 "weight noise": gettext_noop("权重扰动")}


def _context(request, result: Result, p: dict, *, public: bool, release: Release | None = None) -> dict:
    charts = selectors.chart_data(result, p, published_only=public)
    if charts.get("sensitivity"):
        charts["sensitivity"] = {**charts["sensitivity"],
                                 "labels": [_(FACTOR_LABELS.get(f, f)) for f in charts["sensitivity"]["factors"]]}
    charts["labels"] = {"score": _("综合得分"), "median": _("全市中位数"), "s1": _("一阶指数 S1"),
                        "st": _("总效应指数 ST"), "rank": _("排名")}
    versions = _versions(result)
    if public:
        versions = [v for v in versions if v.status != Release.Status.PENDING]
    return {
        "result": result, "p": p, "public": public, "rows": selectors.ranking_rows(p), "charts": charts,
        "dimensions": p["dimensions"], "release": release, "versions": versions,
        "current": next((v for v in versions if v.status == Release.Status.PUBLIC), None),
        "can_manage": not public and permissions.is_allowed(request.user, "indices.manage"),
        "pdf_url": ("indices:public_pdf" if public else "indices:result_pdf"),
    }


@requires("indices.view")
def result_detail(request, number: str):
    result = get_object_or_404(Result.objects.select_related("framework"), number=number)
    return render(request, "indices/result.html", _context(request, result, result.payload, public=False))


def _versions(result: Result) -> list[Release]:
    if not hasattr(result, "_versions"):
        result._versions = list(result.releases.select_related("publication").order_by("-version"))
    return result._versions


def _public_release(number: str, version: int | None = None) -> Release:
    """The current public release of a result, or one given version that was public (maybe superseded)."""
    result = Result.objects.select_related("framework").filter(number=number).first()
    shown = [v for v in _versions(result) if v.status != Release.Status.PENDING] if result is not None else []
    for v in shown:
        if (version is None and v.status == Release.Status.PUBLIC) or v.version == version:
            v.result = result
            return v
    raise Http404


@requires("indices.public")
def public_list(request):
    return render(request, "indices/public_list.html", {"releases": selectors.published()})


@requires("indices.public")
def public_detail(request, number: str, version: int | None = None):
    release = _public_release(number, version)
    return render(request, "indices/result.html",
                  _context(request, release.result, release.payload, public=True, release=release))


@require_POST
@requires("indices.manage")
def publish(request, number: str):
    """Hand the result to the portal's publishing workflow (approval by the city office)."""
    result = get_object_or_404(Result, number=number)
    try:
        release = publishing.request_publication(by=Actor.from_request(request), result=result,
                                                 note=request.POST.get("note", ""))
        messages.success(request, _("已提交第 %(v)s 版，待市质量强市办在门户审批发布") % {"v": release.version})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:result", number=number)


def _pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@requires("indices.view")
def result_pdf(request, number: str):
    result = get_object_or_404(Result.objects.select_related("framework"), number=number)
    return _pdf_response(publishing.render_pdf(result, result.payload, public=False), result.number)


@requires("indices.public")
def public_pdf(request, number: str):
    release = _public_release(number)
    if release.publication.pdf_id:  # the very file the portal published
        return _pdf_response(read_attachment(release.publication.pdf), f"{number}-v{release.version}")
    return _pdf_response(publishing.render_pdf(release.result, release.payload, public=True), number)
