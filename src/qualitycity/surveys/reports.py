"""The PDF report of a project's results (WeasyPrint), from live or frozen results.

Bars are drawn in HTML so no script is needed, and the page uses the CJK system font."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import selectors
from .models import Project
from .views.common import results_context


def render_pdf(project: Project, results: dict, *, published_only: bool, request=None, note: str = "") -> bytes:
    from weasyprint import HTML

    context = results_context(project, results=results, published_only=published_only)
    context["quotas"] = selectors.quota_progress(project)
    context["release_note"] = note
    html = render_to_string("surveys/report_pdf.html", context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url).write_pdf()
