"""武汉名品 pages: the public registry and check, enterprise applications, the
certification body's review, and supervision for the government."""

from __future__ import annotations

import datetime as dt
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .models import (
    Application,
    ApplicationStatus,
    Certificate,
    EvaluationStandard,
    SamplingDraw,
    SurveillanceKind,
)


@requires("brands.public")
def index(request):
    q = request.GET.get("q", "")[:100]
    district = request.GET.get("district", "")[:32]
    status = request.GET.get("status", "")[:16]
    return render(request, "brands/index.html", {
        "rows": selectors.registry(q, district, status), "q": q, "district": district, "status": status,
        "districts": sorted(selectors.certificates_per_district()),
    })


@requires("brands.public")
def check(request, number: str = ""):
    number = number or request.GET.get("number", "")
    # "No such certificate" is a valid answer to show, so the page is a 200; the API says 404.
    certificate = selectors.check(number) if number else None
    strength = selectors.brand_strength(certificate.enterprise) if certificate else None
    return render(request, "brands/check.html", {"number": number, "certificate": certificate, "strength": strength})


@requires("brands.public")
def standards(request):
    """The published evaluation standards: what a 名品 has to meet."""
    return render(request, "brands/standards.html", {
        "standards": EvaluationStandard.objects.filter(is_active=True).prefetch_related("requirements"),
        "factors": selectors.factor_rows(),
    })


@requires("brands.public")
def qr(request, number: str):
    certificate = selectors.check(number)
    if certificate is None:
        raise Http404
    url = request.build_absolute_uri(reverse("brands:certificate", args=[certificate.number]))
    buffer = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@requires("brands.apply")
def applications(request):
    qs = permissions.scoped(request.user, "brands.apply", Application.objects.select_related("standard", "enterprise"))
    enterprises = Organization.objects.filter(pk__in=permissions.organization_ids(request.user), kind=OrgKind.ENTERPRISE)
    if request.method == "POST":
        enterprise = enterprises.filter(pk=request.POST.get("enterprise") or 0).first()
        standard = EvaluationStandard.objects.filter(pk=request.POST.get("standard") or 0).first()
        body = Organization.objects.filter(pk=request.POST.get("certification_body") or 0,
                                           kind=OrgKind.CERTIFICATION_BODY).first()
        try:
            if enterprise is None or standard is None or body is None:
                raise DomainError(_("请选择企业、评价规范和认证机构"))
            app = services.create_application(by=Actor.from_request(request), enterprise=enterprise, standard=standard,
                                              product=request.POST.get("product", ""), certification_body=body)
            return redirect("brands:application", number=app.number)
        except DomainError as exc:
            messages.error(request, exc.message)
    renewable = Certificate.objects.filter(
        enterprise__in=enterprises, status="valid",
        valid_until__range=(timezone.localdate(), timezone.localdate() + dt.timedelta(days=services.RENEWAL_WINDOW_DAYS)),
    ).exclude(renewal_applications__status__in=[s for s in ApplicationStatus.values if s != "rejected"])
    # told before filling in the form, not only when it is refused
    blocked = [(e.name, blockers[0], len(blockers)) for e in enterprises
               if (blockers := services.blocking_violations(e))]
    return render(request, "brands/applications.html", {
        "applications": qs, "enterprises": enterprises, "renewable": renewable, "blocked": blocked,
        "standards": EvaluationStandard.objects.filter(is_active=True),
        "bodies": Organization.objects.filter(kind=OrgKind.CERTIFICATION_BODY).order_by("name"),
    })


@require_POST
@requires("brands.apply")
def renew(request, number: str):
    certificate = get_object_or_404(Certificate, number=number,
                                    enterprise__in=permissions.organization_ids(request.user))
    try:
        app = services.start_renewal(by=Actor.from_request(request), certificate=certificate)
        messages.success(request, _("已创建换证申请，请完成自我声明后提交"))
        return redirect("brands:application", number=app.number)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("brands:applications")


@requires("brands.review")
def review_inbox(request):
    qs = permissions.scoped(request.user, "brands.review", Application.objects.select_related("standard", "enterprise"))
    return render(request, "brands/review.html", {"applications": qs.exclude(status=ApplicationStatus.DRAFT)})


def _visible_application(request, number: str) -> tuple[Application, bool, bool]:
    app = get_object_or_404(Application.objects.select_related("standard", "enterprise", "certification_body"),
                            number=number)
    is_applicant = permissions.can(request.user, "brands.apply", app)
    is_reviewer = permissions.can(request.user, "brands.review", app) and not is_applicant
    if not (is_applicant or is_reviewer):
        raise Http404
    return app, is_applicant, is_reviewer


@requires("authenticated")
def application(request, number: str):
    """Applicants and their certification body; the object checks decide which."""
    app, is_applicant, is_reviewer = _visible_application(request, number)
    declarations = {d.requirement_id: d for d in app.declarations.select_related("evidence")}
    rows = [(r, declarations.get(r.pk)) for r in app.standard.requirements.all()]
    return render(request, "brands/application.html", {
        "app": app, "rows": rows, "is_applicant": is_applicant, "is_reviewer": is_reviewer,
        "editable": is_applicant and app.status == ApplicationStatus.DRAFT,
        "decidable": is_reviewer and app.status in services.DECIDABLE,
        "certificate": getattr(app, "certificate", None),
    })


@require_POST
@requires("brands.apply")
def declare(request, number: str):
    app, is_applicant, _reviewer = _visible_application(request, number)
    if not is_applicant:
        raise permissions.PermissionDenied
    requirement = request.POST.get("requirement", "")
    if not requirement.isdigit():
        messages.error(request, _("请选择要声明的评价要求"))
        return redirect("brands:application", number=number)
    upload = request.FILES.get("evidence")
    try:
        services.declare(by=Actor.from_request(request), application=app, requirement_id=int(requirement),
                         statement=request.POST.get("statement", ""),
                         evidence_file=(upload.name, upload.read()) if upload else None)
        messages.success(request, _("已保存自我声明"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("brands:application", number=number)


@require_POST
@requires("brands.apply")
def submit(request, number: str):
    app, is_applicant, _reviewer = _visible_application(request, number)
    if not is_applicant:
        raise permissions.PermissionDenied
    try:
        services.submit(by=Actor.from_request(request), application=app)
        messages.success(request, _("申请已提交认证机构"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("brands:application", number=number)


@require_POST
@requires("brands.review")
def decide(request, number: str):
    app, _applicant, is_reviewer = _visible_application(request, number)
    if not is_reviewer:
        raise permissions.PermissionDenied
    try:
        scores = {int(k[6:]): int(v) for k, v in request.POST.items() if k.startswith("score-") and v != ""}
        audited = request.POST.get("audited_on") or None
        audited_on = dt.date.fromisoformat(audited) if audited else None
    except ValueError:
        messages.error(request, _("评分和日期须为有效数字和日期"))
        return redirect("brands:application", number=number)
    outcome = request.POST.get("outcome", "")
    try:
        services.review(by=Actor.from_request(request), application=app, scores=scores, audited_on=audited_on,
                        outcome=outcome, note=request.POST.get("note", ""),
                        conditions=request.POST.get("conditions", ""), findings=request.POST.get("findings", ""))
        messages.success(request, _("已作出认证结论") if outcome else _("评分已保存"))
    except DomainError as exc:
        messages.error(request, _("未保存：%(reason)s") % {"reason": exc.message})
    return redirect("brands:application", number=number)


@requires("brands.supervise")
def supervision(request):
    certificates = permissions.scoped(request.user, "brands.supervise",
                                      Certificate.objects.select_related("enterprise__area"))
    return render(request, "brands/supervision.html", {
        "schedule": selectors.audit_schedule(certificates.order_by("-issued_on", "-id")[:300]),
        "overdue": selectors.overdue_audits(certificates),
        "draws": SamplingDraw.objects.select_related("standard")[:5],
        "can_draw": permissions.is_allowed(request.user, "brands.sample"),
        "standards": EvaluationStandard.objects.all(),
        "stats": selectors.statistics(), "kinds": SurveillanceKind.choices,
        "can_change_status": permissions.primary_role(request.user) in permissions.STAFF_ROLES
        or permissions.primary_role(request.user) == "department",
    })


@require_POST
@requires("brands.supervise")
def certificate_action(request, number: str):
    certificate = get_object_or_404(
        permissions.scoped(request.user, "brands.supervise", Certificate.objects.all()), number=number
    )
    by = Actor.from_request(request)
    action = request.POST.get("action", "")
    try:
        if action == "surveillance":
            services.record_surveillance(
                by=by, certificate=certificate, kind=request.POST.get("kind", SurveillanceKind.SAMPLING),
                held_on=dt.date.fromisoformat(request.POST.get("held_on", "")), passed=request.POST.get("passed") == "1",
                inspection_report=request.POST.get("inspection_report", ""), notes=request.POST.get("notes", ""),
            )
        elif action in ("suspend", "withdraw", "reinstate"):
            if permissions.primary_role(request.user) == "provider":
                raise permissions.PermissionDenied
            getattr(services, action)(by=by, certificate=certificate, reason=request.POST.get("reason", ""))
        else:
            raise DomainError(_("未知操作"))
        messages.success(request, _("已更新证书 %(n)s") % {"n": certificate.number})
    except ValueError:
        messages.error(request, _("请填写有效日期"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("brands:supervision")


@require_POST
@requires("brands.sample")
def draw(request):
    standard = EvaluationStandard.objects.filter(pk=request.POST.get("standard") or 0).first()
    try:
        size = int(request.POST.get("size", ""))
        seed_text = request.POST.get("seed", "").strip()
        seed = int(seed_text) if seed_text else None
    except ValueError:
        messages.error(request, _("抽样数量和随机种子须为整数"))
        return redirect("brands:supervision")
    try:
        result = services.draw_sample(by=Actor.from_request(request), size=size, seed=seed, standard=standard)
        messages.success(request, _("已抽取 %(n)d 张证书（%(no)s）") % {"n": len(result.selected), "no": result.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("brands:supervision")
