"""Intake pages: the citizens' form (phone-friendly, throttled, honeypot), the staff
hotline entry, the staff e-mail import, and the public status page by tracking code."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..forms import DemandForm
from ..models import Rating, State
from ..services import email_import, intake, workflow

THROTTLE = (5, 600)  # submissions per IP per window (seconds)
MAILBOX_FILES = 20  # files per e-mail import upload


def _throttled(request) -> bool:
    ip = Actor.from_request(request).ip or "unknown"
    key = f"qcity:complaints:submit:{ip}"
    count = cache.get_or_set(key, 0, THROTTLE[1])
    if count >= THROTTLE[0]:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, THROTTLE[1])
    return False


def _submit(request, form, channel):
    data = form.cleaned_data
    upload = data.get("attachment")
    files = [(upload.name, upload.read())] if upload else []
    try:
        return intake.submit(
            by=Actor.from_request(request), channel=channel, demand_type=data["demand_type"], category=data["category"],
            description=data["description"], district=data["district"], address=data["address"],
            respondent_name=data["respondent_name"], anonymous=data["anonymous"], contact_name=data["contact_name"],
            contact_phone=data["contact_phone"], files=files,
        )
    except DomainError as exc:
        for field, messages in exc.errors.items():
            target = field if field in form.fields else ("attachment" if field == "file" else None)
            for message in messages:
                form.add_error(target, message)
        if not exc.errors:
            form.add_error(None, exc.message)
        return None


@requires("complaints.submit")
def new(request):
    form = DemandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):  # the honeypot: people never fill it
            return redirect("complaints:track")
        if _throttled(request):
            form.add_error(None, _("提交过于频繁，请稍后再试"))
        else:
            demand = _submit(request, form, "web")
            if demand:
                return render(request, "complaints/submitted.html", {"demand": demand})
    return render(request, "complaints/new.html", {"form": form, "staff": False})


@requires("complaints.intake")
def hotline(request):
    form = DemandForm(request.POST or None, request.FILES or None, staff=True)
    if request.method == "POST" and form.is_valid():
        demand = _submit(request, form, form.cleaned_data["channel"])
        if demand:
            return redirect("complaints:detail", number=demand.number)
    return render(request, "complaints/new.html", {"form": form, "staff": True})


@requires("complaints.intake")
def email_upload(request):
    """Staff upload .eml files or an mbox; every message is reported: filed, duplicate or refused."""
    report, error = None, ""
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        # an mbox may hold many messages, each with attachments: allow a few attachment sizes
        limit = 5 * settings.ATTACHMENT_MAX_BYTES
        if not uploads:
            error = _("请选择邮件文件（.eml）或邮箱文件（mbox）")
        elif len(uploads) > MAILBOX_FILES:
            error = _("一次最多上传 %(n)d 个文件") % {"n": MAILBOX_FILES}
        elif any(u.size > limit for u in uploads):
            error = _("文件过大：单个文件上限 %(mb)d MB") % {"mb": limit // 1048576}
        else:
            try:
                report = email_import.import_files(
                    by=Actor.from_request(request), files=[(u.name, u.read()) for u in uploads],
                    default_district=request.POST.get("district", "").strip() or None)
            except DomainError as exc:
                error = exc.message
    return render(request, "complaints/email_import.html", {
        "report": report, "error": error, "areas": Area.objects.exclude(kind=Area.Kind.CITY),
        "district": request.POST.get("district", ""),
    })


@requires("complaints.track")
def track(request, code: str = ""):
    code = (code or request.GET.get("code", "")).strip().upper()
    if code and not request.path.rstrip("/").endswith(code):
        return redirect("complaints:track_code", code=code)
    view = selectors.public_view(code) if code else None
    error = ""
    if code and view is None:
        error = _("没有找到查询码为 %(code)s 的诉求，请核对后重试") % {"code": code}
    if view and request.method == "POST":
        try:
            workflow.rate(by=Actor.from_request(request), demand=view["demand"], rating=request.POST.get("rating", ""),
                          comment=request.POST.get("comment", ""))
            return redirect("complaints:track_code", code=code)
        except DomainError as exc:
            error = exc.message
    return render(request, "complaints/track.html", {
        "code": code, "view": view, "error": error, "ratings": Rating.choices,
        "can_rate": bool(view and view["demand"].state == State.REPLIED),
    })
