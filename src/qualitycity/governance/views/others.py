"""Service items, liaison and business-environment inspection pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Campaign, Finding, RateSnapshot, RegisterEntry, ServiceItem, Team
from ..services import inspections, liaison, service_items
from .assessment import render_pdf


@requires("governance.services.view")
def service_catalogue(request):
    qs = ServiceItem.objects.select_related("department")
    dept = request.GET.get("department", "")
    if dept.isdigit():
        qs = qs.filter(department_id=int(dept))
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(name__icontains=q)
    targets = service_items.targets()
    per_dept = []
    for d in Organization.objects.filter(kind=OrgKind.DEPARTMENT, pk__in=ServiceItem.objects.values("department")):
        per_dept.append({"dept": d, **service_items.rates(ServiceItem.objects.filter(department=d))})
    trend = list(RateSnapshot.objects.filter(department=None).values("taken_on", "immediate", "online", "one_visit"))
    trend = [{k: str(v) for k, v in row.items()} for row in trend]
    area_ids = None
    if not permissions.is_allowed(request.user, "governance.plans.manage"):
        scope = permissions.district_area_ids(request.user)
        area_ids = scope or None
    return render(request, "governance/services.html", {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")), "q": q, "department": dept if dept.isdigit() else "",
        "city": service_items.rates(ServiceItem.objects.all()), "targets": targets, "per_dept": per_dept,
        "trend": trend, "business": selectors.business_start(area_ids),
        "can_manage": permissions.is_allowed(request.user, "governance.services.manage")})


@requires("governance.services.view")
def service_trend(request, department_id: int):
    """One department's three rates over its snapshots, against the targets."""
    department = get_object_or_404(Organization, pk=department_id, kind=OrgKind.DEPARTMENT)
    return render(request, "governance/service_trend.html", {
        "department": department, "trend": selectors.department_rate_trend(department),
        "current": service_items.rates(ServiceItem.objects.filter(department=department)),
        "targets": service_items.targets()})


@requires("governance.services.manage")
def import_services(request):
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的文件"))
            n = service_items.import_items(by=Actor.from_request(request), content=upload.read())
            messages.success(request, _("已导入 %(n)s 个事项") % {"n": n})
            return redirect("governance:services")
        except ImportRejected as exc:
            problems = exc.problems
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "governance/import_services.html",
                  {"problems": problems, "columns": service_items.COLUMNS})


def _can_see_liaison(user):
    return permissions.is_allowed(user, "governance.liaison.view") or permissions.is_allowed(
        user, "governance.liaison.view_own_enterprise")


@requires("authenticated")
def liaison_dashboard(request):
    """Rule checked below: departments/districts/staff through liaison.view, enterprises
    through liaison.view_own_enterprise."""
    if not _can_see_liaison(request.user):
        raise PermissionDenied
    pairings = selectors.visible_pairings(request.user)
    return render(request, "governance/liaison.html", {
        "stats": selectors.liaison_dashboard(pairings),
        "can_pair": permissions.is_allowed(request.user, "governance.liaison.pair"),
        "page": Paginator(pairings.order_by("id"), 30).get_page(request.GET.get("page"))})


@requires("authenticated")
def tickets(request):
    tickets = selectors.visible_tickets(request.user)
    if not (permissions.is_allowed(request.user, "governance.tickets.view")
            or permissions.is_allowed(request.user, "governance.tickets.view_own_enterprise")):
        raise PermissionDenied
    if request.method == "POST":
        ticket = get_object_or_404(tickets, pk=request.POST.get("ticket"))
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "resolve":
                if not permissions.can(request.user, "governance.tickets.resolve", ticket):
                    raise PermissionDenied
                liaison.resolve_ticket(by=by, ticket=ticket, resolution=request.POST.get("resolution", ""))
            else:
                if not permissions.can(request.user, "governance.tickets.confirm", ticket):
                    raise PermissionDenied
                liaison.confirm_ticket(by=by, ticket=ticket, satisfied=request.POST.get("satisfied") == "1")
            messages.success(request, _("已保存"))
            return redirect("governance:tickets")
        except DomainError as exc:
            messages.error(request, exc.message)
    page = Paginator(tickets, 30).get_page(request.GET.get("page"))
    for t in page:
        t.can_resolve = t.status == "open" and permissions.can(request.user, "governance.tickets.resolve", t)
        t.can_confirm = t.status == "resolved" and permissions.can(request.user, "governance.tickets.confirm", t)
    # Staff open the work order in the complaints module; the enterprise, which has no access
    # there, follows it on the public status page by its tracking code.
    return render(request, "governance/tickets.html", {
        "page": page, "staff_links": permissions.is_allowed(request.user, "complaints.handle")})


def _findings(request):
    return permissions.scoped(request.user, "governance.inspections.view",
                              Finding.objects.select_related("team", "area", "department"))


@requires("governance.inspections.view")
def inspections_page(request):
    findings = _findings(request)
    if request.method == "POST":
        finding = get_object_or_404(findings, pk=request.POST.get("finding"))
        if not permissions.is_allowed(request.user, "governance.inspections.manage"):
            raise PermissionDenied
        try:
            inspections.close_finding(by=Actor.from_request(request), finding=finding,
                                      outcome=request.POST.get("outcome", ""))
            return redirect("governance:inspections")
        except DomainError as exc:
            messages.error(request, exc.message)
    campaigns = Campaign.objects.prefetch_related("teams__districts", "teams__departments")
    staff = permissions.is_allowed(request.user, "governance.inspections.manage")
    entries = RegisterEntry.objects.select_related("team", "area", "enterprise") if staff else (
        RegisterEntry.objects.filter(area_id__in=permissions.district_area_ids(request.user)))
    return render(request, "governance/inspections.html", {
        "campaigns": campaigns, "summary": selectors.inspection_summary(findings),
        "findings": findings[:200], "entries": entries.order_by("register", "-recorded_on")[:200], "staff": staff,
        "registers": RegisterEntry.Register.choices,
        "my_teams": set(permissions.scoped(request.user, "governance.inspections.team", Team.objects.all())
                        .values_list("pk", flat=True))})


@requires("governance.inspections.view")
def bulletin(request, fmt: str = "html"):
    """The periodic bulletin (通报): the campaign's findings by category and their disposal."""
    findings = _findings(request)
    context = {"summary": selectors.inspection_summary(findings), "generated": timezone.now(),
               "findings": findings.order_by("category", "found_on"), "campaigns": Campaign.objects.all()}
    if fmt == "pdf":
        html = render_to_string("governance/bulletin_pdf.html", context, request=request)
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="bulletin.pdf"'
        return response
    return render(request, "governance/bulletin.html", context)
