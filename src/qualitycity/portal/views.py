"""Public portal pages (no login) and the publishing desk of the city office."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.brands.selectors import certificates_per_district
from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.attachments import read_attachment
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .models import CorrectionRequest, Dataset, Publication, PublicationStatus


@requires("portal.public")
def home(request):
    districts = certificates_per_district()
    return render(request, "portal/home.html", {
        "latest": selectors.latest_everything(limit=8),
        "pass_rate": selectors.sampling_pass_rate(),
        "published_count": selectors.public_publications().filter(status=PublicationStatus.PUBLISHED).count(),
        "certified": sum(districts.values()),
        "district_data": [{"name": k, "value": v, "kind": "district"} for k, v in districts.items()],
        "quick_links": selectors.quick_links(request.user),
    })


@requires("portal.public")
def reports(request):
    return render(request, "portal/reports.html", {"archive": selectors.archive()})


@requires("portal.public")
def report(request, series: str, version: int):
    pub = get_object_or_404(selectors.public_publications(), series=series, version=version)
    newer = Publication.objects.filter(series=series, status=PublicationStatus.PUBLISHED, version__gt=version).first()
    rows = pub.dataset.rows[:200] if hasattr(pub, "dataset") else []
    columns = [f["field"] for f in pub.dataset.dictionary] if hasattr(pub, "dataset") else []
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

        rows = pub.dataset.rows[:500] if hasattr(pub, "dataset") else []
        columns = [f["field"] for f in pub.dataset.dictionary] if hasattr(pub, "dataset") else []
        charts = [{**c, "bars": _bars(c)} for c in pub.charts]
        html = render_to_string("portal/report_pdf.html", {"pub": pub, "rows": rows, "columns": columns,
                                                           "charts": charts}, request=request)
        body = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{series}-v{version}.pdf"'
    return response


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
    return render(request, "portal/desk.html", {
        "pending": Publication.objects.filter(status__in=[PublicationStatus.DRAFT, PublicationStatus.APPROVED]),
        "corrections": CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN).select_related("publication"),
    })


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
