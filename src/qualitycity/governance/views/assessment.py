"""Annual assessment pages: scheme, ranking, drill-down, adjustments and the PDF report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import sources
from ..models import Assessment, Criterion, Scheme
from ..services import assessment as service


@requires("governance.assessment.view")
def schemes(request):
    return render(request, "governance/assessment/schemes.html", {"schemes": Scheme.objects.all()})


def _results(request, scheme):
    return permissions.scoped(request.user, "governance.assessment.view",
                              scheme.assessments.select_related("subject").order_by("rank", "subject__name"))


@requires("governance.assessment.view")
def scheme_detail(request, scheme_id: int):
    scheme = get_object_or_404(Scheme, pk=scheme_id)
    can_manage = permissions.is_allowed(request.user, "governance.assessment.manage")
    errors = {}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "weights":
                weights = {k[7:]: v for k, v in request.POST.items() if k.startswith("weight_")}
                service.set_weights(by=by, scheme=scheme, weights=weights)
                messages.success(request, _("权重已保存"))
            else:
                service.compute(by=by, scheme=scheme)
                messages.success(request, _("考核得分已重新计算"))
            return redirect("governance:scheme", scheme_id=scheme.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
    criteria = list(scheme.criteria.all())
    for c in criteria:
        c.provider = sources.get(c.source) if c.source else None
    return render(request, "governance/assessment/scheme.html", {
        "scheme": scheme, "criteria": criteria, "results": _results(request, scheme), "can_manage": can_manage,
        "errors": errors, "weighted": [c for c in criteria if c.kind == Criterion.Kind.WEIGHTED]})


@requires("governance.assessment.view")
def result_detail(request, assessment_id: int):
    result = get_object_or_404(Assessment.objects.select_related("scheme", "subject"), pk=assessment_id)
    if not permissions.can(request.user, "governance.assessment.view", result):
        raise PermissionDenied
    can_manage = permissions.is_allowed(request.user, "governance.assessment.manage")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "manual":
                criterion = get_object_or_404(Criterion, pk=request.POST.get("criterion"), scheme=result.scheme)
                service.set_manual_value(by=by, criterion=criterion, subject=result.subject,
                                         value=request.POST.get("value", ""), note=request.POST.get("note", ""))
                service.compute(by=by, scheme=result.scheme)
            else:
                service.adjust(by=by, assessment=result, delta=request.POST.get("delta", ""),
                               reason=request.POST.get("reason", ""))
            messages.success(request, _("已保存并重新计算"))
            return redirect("governance:result", assessment_id=result.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "governance/assessment/result.html", {
        "result": result, "scores": result.scores.select_related("criterion").order_by("criterion__sort_order"),
        "adjustments": result.adjustments.select_related("made_by"), "can_manage": can_manage})


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


@requires("governance.assessment.view")
def scheme_pdf(request, scheme_id: int):
    """The assessment report, rendered from the live results at the moment of download."""
    scheme = get_object_or_404(Scheme, pk=scheme_id)
    results = list(_results(request, scheme).prefetch_related("scores__criterion"))
    html = render_to_string("governance/assessment/report_pdf.html", {
        "scheme": scheme, "results": results, "criteria": scheme.criteria.all(), "generated": timezone.now()},
        request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assessment-{scheme.year}-{scheme.pk}.pdf"'
    return response
