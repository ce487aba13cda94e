"""The PDF certificate, rendered with WeasyPrint from an HTML template."""

from __future__ import annotations

from django.template.loader import render_to_string

from .models import Certificate


def certificate_pdf(cert: Certificate, *, verify_url: str) -> bytes:
    from weasyprint import HTML  # imported late: loading Pango takes a moment

    html = render_to_string("training/certificate_pdf.html", {"c": cert, "verify_url": verify_url})
    return HTML(string=html).write_pdf()
