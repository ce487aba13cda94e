"""Public portal pages (no login) and the publishing desk of the city office."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.attachments import read_attachment
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .models import CorrectionRequest, Dataset, Publication, PublicationStatus


@requires("portal.public")
def home(request):
    """Every figure here comes from a published publication, never from live tables."""
    registry = selectors.published_brand_registry()
    return render(request, "portal/home.html", {
        "latest": selectors.latest_everything(limit=8),
        "pass_rate": selectors.sampling_pass_rate(),
        "published_count": selectors.public_publications().filter(status=PublicationStatus.PUBLISHED).count(),
        "certified": registry[0] if registry else None,
        "district_data": registry[1] if registry else [],
        "headlines": selectors.headlines(),
        "quick_links": selectors.quick_links(request.user),
    })


@requires("portal.public")
def surveys(request):
    return render(request, "portal/surveys.html", {"projects": selectors.open_surveys()})


@requires("portal.public")
def reports(request):
    return render(request, "portal/reports.html", {"archive": selectors.archive()})


@requires("portal.public")
def report(request, series: str, version: int):
    pub = get_object_or_404(selectors.public_publications(), series=series, version=version)
    newer = Publication.objects.filter(series=series, status=PublicationStatus.PUBLISHED, version__gt=version).first()
    rows, columns = _table(pub, 200)
    return render(request, "portal/report.html", {
        "pub": pub, "newer": newer, "rows": rows, "columns": columns,
        "versions": Publication.objects.filter(series=series, status__in=selectors.PUBLIC_STATES).order_by("-version"),
    })


@requires("portal.public")
def report_pdf(request, series: str, version: int):
    """The module's own PDF when it supplied one, otherwise one rendered here with
    WeasyPrint and the CJK font, from the same published data as the web page."""
    pub = get_object_or_404(selectors.public_publications(), series=series, version=version)
    if pub.pdf_id:
        body = read_attachment(pub.pdf)
    else:
        from django.template.loader import render_to_string
        from weasyprint import HTML

        rows, columns = _table(pub, 500)
        charts = [{**c, "bars": _bars(c)} for c in pub.charts]
        html = render_to_string("portal/report_pdf.html", {"pub": pub, "rows": rows, "columns": columns,
                                                           "charts": charts}, request=request)
        body = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{series}-v{version}.pdf"'
    return response


def _table(pub: Publication, limit: int) -> tuple[list[list[tuple[str, object]]], list[str]]:
    """Rows as lists in dictionary order, headed by the dictionary's descriptions (what a
    reader understands), not the field keys (what a program reads)."""
    if not hasattr(pub, "dataset"):
        return [], []
    fields = [f["field"] for f in pub.dataset.dictionary]
    headers = [f.get("description") or f["field"] for f in pub.dataset.dictionary]
    return [[(h, row.get(k, "")) for k, h in zip(fields, headers, strict=True)] for row in pub.dataset.rows[:limit]], headers


def _bars(chart: dict) -> list[tuple[str, float, float]]:
    """(label, value, width %) so the PDF draws bars in plain HTML, without a script."""
    values = [float(v or 0) for v in chart.get("values", [])]
    top = max(values, default=0) or 1.0
    return [(label, value, 100 * value / top) for label, value in zip(chart.get("labels", []), values, strict=False)]


@requires("portal.public")
def correction(request, series: str, version: int):
    pub = get_object_or_404(selectors.public_publications(), series=series, version=version)
    if request.method == "POST":
        try:
            services.request_correction(by=Actor.from_request(request), publication=pub,
                                        entry=request.POST.get("entry", ""), reason=request.POST.get("reason", ""),
                                        contact=request.POST.get("contact", ""))
            messages.success(request, _("已收到您的更正申请，我们将核实后答复。"))
            return redirect("portal:report", series=series, version=version)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "portal/correction.html", {"pub": pub})


@requires("portal.public")
def open_data(request):
    return render(request, "portal/open_data.html", {"datasets": selectors.public_datasets()})


@requires("portal.public")
def dataset_page(request, slug: str):
    dataset = get_object_or_404(selectors.public_datasets(), slug=slug)
    rows, columns = _table(dataset.publication, 50)
    return render(request, "portal/dataset.html", {"ds": dataset, "rows": rows, "columns": columns})


@requires("portal.public")
def dataset_download(request, slug: str, fmt: str):
    dataset = get_object_or_404(selectors.public_datasets(), slug=slug)
    fields = [f["field"] for f in dataset.dictionary]
    if fmt == "json":
        body = {"dataset": dataset.slug, "title": dataset.publication.title, "license": dataset.license,
                "dictionary": dataset.dictionary, "rows": dataset.rows}
        response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(dataset.rows)
        response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    else:
        return HttpResponse(_("格式应为 csv 或 json"), status=400)
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


@requires("portal.publish")
def desk(request):
    accepted = (CorrectionRequest.objects.filter(status=CorrectionRequest.Status.ACCEPTED, corrected_by=None)
                .select_related("publication"))
    return render(request, "portal/desk.html", {
        "pending": Publication.objects.filter(status__in=[PublicationStatus.DRAFT, PublicationStatus.APPROVED]),
        "corrections": CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN).select_related("publication"),
        "to_correct": [(c, _current_rows(c.publication)) for c in accepted],
        "years": range(timezone.localdate().year, timezone.localdate().year - 3, -1),
        # the last complete quarter is what is usually published
        "last_quarter": (timezone.localdate().month - 1) // 3 or 4,
    })


def _current_rows(publication: Publication) -> tuple[list[tuple[int, str]], list[dict]]:
    """(row number, first value) choices and the dictionary of the version now published."""
    current = Publication.objects.filter(series=publication.series, status=PublicationStatus.PUBLISHED).first()
    if current is None or not hasattr(current, "dataset"):
        return [], []
    rows = [(i, " · ".join(str(v) for v in list(r.values())[:3])) for i, r in enumerate(current.dataset.rows, 1)]
    return rows, current.dataset.dictionary


@require_POST
@requires("portal.publish")
def prepare_sampling(request):
    """Ask the inspection module for a quarter's sampling results (its own builder)."""
    from qualitycity.inspection.portal_sources import prepare_sampling_results

    try:
        pub = prepare_sampling_results(by=Actor.from_request(request), year=int(request.POST.get("year", "")),
                                       q=int(request.POST.get("quarter", "")))
        messages.success(request, _("已准备：%(t)s（第 %(v)d 版），请审批") % {"t": pub.title, "v": pub.version})
    except ValueError:
        messages.error(request, _("请选择年份和季度"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:desk")


@require_POST
@requires("portal.publish")
def correction_version(request, pk: int):
    item = get_object_or_404(CorrectionRequest, pk=pk)
    try:
        row = int(request.POST.get("row", ""))
    except ValueError:
        messages.error(request, _("请选择要更正的行"))
        return redirect("portal:desk")
    try:
        changes = {request.POST.get(f"field{i}", ""): request.POST.get(f"value{i}", "") for i in ("", "2")}
        pub = services.prepare_corrected_version(by=Actor.from_request(request), correction=item, row=row,
                                                 changes=changes, note=request.POST.get("note", ""))
        messages.success(request, _("已准备更正版本 v%(v)d，请审批后发布") % {"v": pub.version})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:desk")


@require_POST
@requires("portal.publish")
def desk_action(request, pk: int):
    pub = get_object_or_404(Publication, pk=pk)
    by = Actor.from_request(request)
    try:
        if request.POST.get("action") == "approve":
            services.approve(by=by, publication=pub)
        elif request.POST.get("action") == "publish":
            services.publish(by=by, publication=pub)
        else:
            raise DomainError(_("未知操作"))
        messages.success(request, _("已处理：%(t)s") % {"t": pub.title})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:desk")


@require_POST
@requires("portal.publish")
def correction_action(request, pk: int):
    item = get_object_or_404(CorrectionRequest, pk=pk)
    try:
        services.resolve_correction(by=Actor.from_request(request), correction=item,
                                    accepted=request.POST.get("accepted") == "1", reply=request.POST.get("reply", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:desk")


__all__ = ["Dataset"]
