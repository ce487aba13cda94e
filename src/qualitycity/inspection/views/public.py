"""The public report-verification page (the QR code on every report points here)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires

from ..services import reports

MAX_UPLOAD = 25 * 1024 * 1024


@requires("inspection.reports.verify")
def verify(request, number: str = ""):
    result, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        number = request.POST.get("number", "").strip()
        if upload is not None:
            try:
                if upload.size > MAX_UPLOAD:
                    raise DomainError(_("文件过大"), field="file")
                result = reports.verify_pdf(upload.read())
            except DomainError as exc:
                error = exc.message
        elif number:
            result = reports.verify_number(number)
        else:
            error = _("请输入报告编号或上传报告 PDF")
    elif number or request.GET.get("number"):
        number = number or request.GET["number"]
        result = reports.verify_number(number)
    return render(request, "inspection/verify.html", {"result": result, "error": error, "number": number})
