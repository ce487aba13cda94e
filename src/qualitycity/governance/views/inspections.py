"""Business-environment inspection data entry: campaigns and teams, register entries,
findings, and following each finding to closure. Writes go through ``services.inspections``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.complaints.models import Category as ComplaintCategory
from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from ..models import Campaign, Finding, RegisterEntry, Team
from ..services import inspections as inspection_services
from .liaison import parse_date

RULE_MANAGE = "governance.inspections.manage"


def _districts():
    return Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("code")


def _departments():
    return Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("name")


@requires(RULE_MANAGE)
def team_new(request):
    """Open a campaign if needed, then set up a team: leader, members, districts, departments."""
    errors, typed = {}, {}
    if request.method == "POST":
        by = Actor.from_request(request)
        try:
            if request.POST.get("action") == "campaign":
                campaign = inspection_services.create_campaign(by=by, name=request.POST.get("campaign_name", ""),
                                                               year=request.POST.get("campaign_year", ""))
                messages.success(request, _("已新建专项巡查：%(c)s") % {"c": campaign})
                return redirect(f"{request.path}?campaign={campaign.pk}")
            raw = request.POST.get("campaign", "")
            campaign = Campaign.objects.filter(pk=raw).first() if raw.isdigit() else None
            if campaign is None:
                raise DomainError(_("请选择专项巡查"), field="campaign")
            district_ids = [v for v in request.POST.getlist("districts") if v.isdigit()]
            dept_ids = [v for v in request.POST.getlist("departments") if v.isdigit()]
            team = inspection_services.create_team(
                by=by, campaign=campaign, name=request.POST.get("name", ""), leader=request.POST.get("leader", ""),
                members=request.POST.get("members", ""), districts=_districts().filter(pk__in=district_ids),
                departments=_departments().filter(pk__in=dept_ids))
            messages.success(request, _("巡查组已建立"))
            return redirect("governance:team", team_id=team.pk)
        except DomainError as exc:
            errors, typed = exc.errors, request.POST
            messages.error(request, exc.message)
    chosen = {
        "districts": set(typed.getlist("districts")) if typed else set(),
        "departments": set(typed.getlist("departments")) if typed else set(),
        "campaign": typed.get("campaign") if typed else request.GET.get("campaign", ""),
    }
    return render(request, "governance/inspections/team_new.html", {
        "campaigns": Campaign.objects.order_by("-year", "-id"), "districts": _districts(),
        "departments": _departments(), "errors": errors, "typed": typed, "chosen": chosen,
        "this_year": timezone.localdate().year})


def _visible_entries(user, qs):
    """Register entries: the office sees all; others the entries in their own districts
    (the same reading as the inspections page)."""
    if permissions.is_allowed(user, RULE_MANAGE):
        return qs
    return qs.filter(area_id__in=permissions.district_area_ids(user))


def _enterprise(raw: str):
    """The inspected enterprise, by its full name or unified social credit code (optional)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    found = Organization.objects.filter(kind=OrgKind.ENTERPRISE).filter(
        Q(credit_code=raw.upper()) | Q(name=raw)).first()
    if found is None:
        raise DomainError(_("未找到企业“%(n)s”，请填写企业全称或统一社会信用代码") % {"n": raw}, field="enterprise")
    return found


def _post_entry(request, team: Team, by):
    area_id = request.POST.get("area", "")
    area = Area.objects.filter(pk=area_id).first() if area_id.isdigit() else None
    if area is None:
        raise DomainError(_("请选择区"), field="area")
    raw_date = request.POST.get("recorded_on", "")
    return inspection_services.add_entry(
        by=by, team=team, register=request.POST.get("register", ""), title=request.POST.get("title", ""), area=area,
        enterprise=_enterprise(request.POST.get("enterprise", "")), detail=request.POST.get("detail", ""),
        recorded_on=parse_date(raw_date, "recorded_on") if raw_date else None,
        category=request.POST.get("complaint_category", "") or inspection_services.COMPLAINT_CATEGORY,
        contact_name=request.POST.get("contact_name", ""), contact_phone=request.POST.get("contact_phone", ""))


def _post_finding(request, team: Team, by):
    area_id, dept_id = request.POST.get("area", ""), request.POST.get("department", "")
    area = Area.objects.filter(pk=area_id).first() if area_id.isdigit() else None
    department = Organization.objects.filter(pk=dept_id).first() if dept_id.isdigit() else None
    raw_date = request.POST.get("found_on", "")
    return inspection_services.record_finding(
        by=by, team=team, category=request.POST.get("category", ""), description=request.POST.get("description", ""),
        area=area, department=department, disposal=request.POST.get("disposal", ""),
        found_on=parse_date(raw_date, "found_on") if raw_date else None)


@requires("governance.inspections.team")
def team_detail(request, team_id: int):
    """A team's registers and findings; the office adds entries and findings here."""
    team = get_object_or_404(Team.objects.select_related("campaign"), pk=team_id)
    if not permissions.can(request.user, "governance.inspections.team", team):
        raise PermissionDenied
    staff = permissions.is_allowed(request.user, RULE_MANAGE)
    errors, typed, form = {}, {}, ""
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        form = request.POST.get("action", "")
        if form not in ("entry", "finding"):
            return HttpResponseBadRequest(_("未知操作"))
        try:
            by = Actor.from_request(request)
            if form == "entry":
                entry = _post_entry(request, team, by)
                if entry.demand_number:
                    messages.success(request, _("已登记：%(t)s，已转诉求受理，编号 %(n)s") % {
                        "t": entry.title, "n": entry.demand_number})
                else:
                    messages.success(request, _("已登记：%(t)s") % {"t": entry.title})
            else:
                finding = _post_finding(request, team, by)
                messages.success(request, _("巡查问题 %(n)s 已登记，办结期限 %(d)s") % {
                    "n": finding.number, "d": finding.due_on.isoformat()})
            return redirect("governance:team", team_id=team.pk)
        except DomainError as exc:
            errors, typed = exc.errors, request.POST
            messages.error(request, exc.message)
    findings = permissions.scoped(request.user, "governance.inspections.view",
                                  team.findings.select_related("area", "department"))
    return render(request, "governance/inspections/team.html", {
        "team": team, "staff": staff, "errors": errors, "typed": typed, "form": form,
        "entries": _visible_entries(request.user, team.entries.select_related("area", "enterprise")),
        "findings": findings, "team_districts": team.districts.order_by("code"),
        "team_departments": team.departments.order_by("name"),
        "responsible": Organization.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT]).order_by("kind", "name"),
        "registers": RegisterEntry.Register.choices, "categories": Finding.Category.choices,
        "complaint_categories": ComplaintCategory.objects.filter(is_active=True),
        "complaint_category": typed.get("complaint_category") or inspection_services.COMPLAINT_CATEGORY,
        "complaint_links": permissions.is_allowed(request.user, "complaints.handle"),
        "disposals": Finding.Disposal.choices, "today": timezone.localdate()})


@requires("governance.inspections.view")
def finding_detail(request, finding_id: int):
    """Follow one finding to closure: its disposal, deadline and outcome; the office closes it."""
    finding = get_object_or_404(Finding.objects.select_related("team__campaign", "area", "department"), pk=finding_id)
    if not permissions.can(request.user, "governance.inspections.view", finding):
        raise PermissionDenied
    staff = permissions.is_allowed(request.user, RULE_MANAGE)
    errors = {}
    if request.method == "POST":
        if not staff:
            raise PermissionDenied
        try:
            inspection_services.close_finding(by=Actor.from_request(request), finding=finding,
                                              outcome=request.POST.get("outcome", ""))
            messages.success(request, _("巡查问题已办结"))
            return redirect("governance:finding", finding_id=finding.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
    today = timezone.localdate()
    return render(request, "governance/inspections/finding.html", {
        "finding": finding, "staff": staff, "errors": errors, "today": today,
        "overdue": finding.status == Finding.Status.OPEN and finding.due_on < today,
        "can_see_team": permissions.can(request.user, "governance.inspections.team", finding.team)})
