"""Pages without login: the one-time questionnaire link and the published results."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.attachments import read_attachment
from qualitycity.core.services.audit import Actor

from .. import selectors, services
from ..models import Project
from ..reports import render_pdf
from ..services.collection import token_for
from .common import project_for, results_context
from .staff import answer_form_context

_SALT = "surveys.opened"


@requires("surveys.respond")
def respond(request, secret: str):
    """The mobile questionnaire behind a one-time link or QR code."""
    token = token_for(secret)
    if token is None:
        raise Http404
    project = token.project
    if token.used_at is not None:
        return render(request, "surveys/respond_done.html", {"project": project, "reused": True}, status=410)
    if project.status != Project.Status.COLLECTING:
        return render(request, "surveys/respond_done.html", {"project": project, "closed": True}, status=410)
    errors = {}
    if request.method == "POST":
        try:
            seconds = _elapsed(request.POST.get("opened", ""))
            services.submit_web(
                by=Actor.from_request(request), secret=secret,
                answers={q.code: request.POST.get(q.code) for q in project.questions.all()},
                district=request.POST.get("district"), sex=request.POST.get("sex", ""),
                age_band=request.POST.get("age_band", ""), open_answer=request.POST.get("OPEN", ""),
                duration_seconds=seconds)
            return render(request, "surveys/respond_done.html", {"project": project})
        except DomainError as exc:
            errors = exc.errors or {"__all__": [exc.message]}
    context = answer_form_context(project, errors, request.POST)
    context["opened"] = signing.TimestampSigner(salt=_SALT).sign("open")
    return render(request, "surveys/respond.html", context, status=400 if errors else 200)


def _elapsed(value: str) -> float | None:
    """Seconds since the form was opened, from the signed timestamp it carried; a forged
    or missing stamp gives ``None`` (unknown time is never called a speeder)."""
    import time

    signer = signing.TimestampSigner(salt=_SALT)
    try:
        signer.unsign(value, max_age=24 * 3600)
        stamp = signing.b62_decode(value.rsplit(signer.sep, 1)[0].rsplit(signer.sep, 1)[1])
    except (signing.BadSignature, IndexError, ValueError):
        return None
    return max(0.0, time.time() - stamp)


@requires("surveys.public")
def public_index(request):
    """Published rankings: service industries and district governments, by year."""
    years = sorted(set(Project.objects.filter(published=True).values_list("year", flat=True)), reverse=True)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else (years[0] if years else None)
    tables = []
    if year:
        for kind, label in ((Project.Target.INDUSTRY, _("服务行业满意度")), (Project.Target.DISTRICT, _("区政府服务满意度")),
                            (Project.Target.SERVICE, _("指定服务满意度"))):
            rows = selectors.ranking(kind, year, published_only=True)
            if rows:
                tables.append({"label": label, "rows": rows})
    return render(request, "surveys/public_index.html", {"years": years, "year": year, "tables": tables})


@requires("surveys.public")
def public_detail(request, number: str):
    """The approved snapshot, never the live estimate (see services.release)."""
    project = get_object_or_404(Project.objects.select_related("area", "public_release__publication"),
                                number=number, published=True)
    context = results_context(project, published_only=True)
    context["release"] = project.public_release
    return render(request, "surveys/public_detail.html", context)


@requires("surveys.public")
def public_pdf(request, number: str):
    """The PDF stored with the published release, so the public downloads exactly what was approved."""
    project = get_object_or_404(Project.objects.select_related("public_release__pdf"), number=number, published=True)
    release = project.public_release
    if release is not None and release.pdf_id:
        body = read_attachment(release.pdf)
    else:  # a release prepared without a stored PDF: render it from the same frozen results
        body = render_pdf(project, project.public_results, published_only=True, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.number}.pdf"'
    return response


@requires("surveys.view")
def report_pdf(request, number: str):
    """The PDF of the live results, for staff (WeasyPrint)."""
    project = project_for(request, number)
    if not project.results:
        return HttpResponse(_("尚未计算结果"), status=409)
    pdf = render_pdf(project, project.results, published_only=False, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{project.number}.pdf"'
    return response
