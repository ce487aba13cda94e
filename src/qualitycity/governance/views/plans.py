"""Pages for plans, tasks, progress reports, review, supervision and rectification."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Role
from qualitycity.core.permissions import requires
from qualitycity.core.services import attachments
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Period, Plan, PlanItem, ProgressReport, Rectification, SupervisionRound
from ..services import plan_import, plans


def _current_plan(request):
    plan_id = request.GET.get("plan")
    qs = Plan.objects.all()
    return get_object_or_404(qs, pk=plan_id) if plan_id else qs.first()


@requires("governance.tasks.view")
def index(request):
    plan = _current_plan(request)
    context = {"plans": Plan.objects.all(), "plan": plan}
    if plan:
        context["board"] = selectors.board(request.user, plan)
        context["can_manage"] = permissions.is_allowed(request.user, "governance.plans.manage")
    return render(request, "governance/index.html", context)


@requires("governance.tasks.view")
def timeline(request, plan_id: int):
    plan = get_object_or_404(Plan, pk=plan_id)
    rows = selectors.gantt(request.user, plan)
    return render(request, "governance/timeline.html", {"plan": plan, "rows": rows, "count": len(rows)})


@requires("governance.plans.manage")
def import_plan(request):
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的文件"))
            plan = plan_import.import_plan(by=Actor.from_request(request), name=request.POST.get("name", ""),
                                           year=int(request.POST.get("year") or timezone.localdate().year),
                                           content=upload.read())
            messages.success(request, _("计划已导入"))
            return redirect(f"{_index_url()}?plan={plan.pk}")
        except ImportRejected as exc:
            problems = exc.problems
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "governance/import_plan.html", {"problems": problems, "columns": plan_import.COLUMNS})


def _index_url():
    from django.urls import reverse

    return reverse("governance:index")


def _my_units(user, item):
    """The user's organizations that may report on this item (lead or co-unit)."""
    own = set(permissions.organization_ids(user, Role.DEPARTMENT_OFFICER)) | set(
        permissions.organization_ids(user, Role.DISTRICT_OFFICER))
    allowed = {item.lead_unit_id, *item.co_units.values_list("pk", flat=True)}
    return [u for u in item.co_units.model.objects.filter(pk__in=own & allowed)]


@requires("governance.tasks.view")
def task_detail(request, item_id: int):
    item = get_object_or_404(PlanItem.objects.select_related("plan", "lead_unit"), pk=item_id)
    if not permissions.can(request.user, "governance.tasks.view", item):
        raise PermissionDenied
    units = _my_units(request.user, item)
    errors = {}
    if request.method == "POST":
        if not units or not permissions.can(request.user, "governance.reports.submit", item):
            raise PermissionDenied
        period = get_object_or_404(Period, pk=request.POST.get("period"), plan=item.plan)
        values = {k[6:]: v for k, v in request.POST.items() if k.startswith("value_")}
        try:
            by = Actor.from_request(request)
            files = [attachments.store_attachment(by=by, filename=f.name, content=f.read(), organization=units[0])
                     for f in request.FILES.getlist("evidence")]
            report = plans.submit_report(by=by, item=item, period=period, unit=units[0],
                                         narrative=request.POST.get("narrative", ""),
                                         percent_complete=int(request.POST.get("percent_complete") or 0),
                                         values=values, attachments=files)
            messages.success(request, _("进展报告 %(n)s 已报送") % {"n": report.number})
            return redirect("governance:task", item_id=item.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("完成进度须为整数"))
    reports = permissions.scoped(request.user, "governance.reports.view",
                                 item.reports.select_related("period", "unit"))
    return render(request, "governance/task.html", {
        "item": item, "targets": item.targets.all(), "reports": reports, "units": units, "errors": errors,
        "periods": item.plan.periods.filter(closed=False), "co_units": item.co_units.all(),
        "findings": item.findings.all(),
    })


@requires("governance.reports.view")
def report_list(request):
    qs = permissions.scoped(request.user, "governance.reports.view",
                            ProgressReport.objects.select_related("item", "period", "unit"))
    status = request.GET.get("status", "")
    if status in ProgressReport.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "governance/reports.html", {"page": page, "status": status,
                                                       "statuses": ProgressReport.Status.choices})


@requires("governance.reports.view")
def report_detail(request, report_id: int):
    report = get_object_or_404(ProgressReport.objects.select_related("item", "period", "unit"), pk=report_id)
    if not permissions.can(request.user, "governance.reports.view", report):
        raise PermissionDenied
    can_review = permissions.is_allowed(request.user, "governance.reports.review")
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        try:
            plans.review_report(by=Actor.from_request(request), report=report,
                                accept=request.POST.get("decision") == "accept", comment=request.POST.get("comment", ""))
            messages.success(request, _("审核结果已保存"))
            return redirect("governance:report", report_id=report.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "governance/report.html", {
        "report": report, "values": report.values.select_related("target"), "evidence": report.evidence.all(),
        "can_review": can_review and report.status == ProgressReport.Status.SUBMITTED})


@requires("governance.plans.manage")
def chase(request, plan_id: int):
    if request.method != "POST":
        return redirect("governance:index")
    count = plans.chase_late_reports(by=Actor.from_request(request))
    messages.success(request, _("已催报 %(n)s 项任务") % {"n": count})
    return redirect(f"{_index_url()}?plan={plan_id}")


@requires("governance.supervision.manage")
def rounds(request, plan_id: int):
    plan = get_object_or_404(Plan, pk=plan_id)
    if request.method == "POST":
        try:
            rnd = plans.start_round(by=Actor.from_request(request), plan=plan,
                                    quarter=int(request.POST.get("quarter") or 1), name=request.POST.get("name", ""),
                                    sample_size=int(request.POST.get("sample_size") or 0),
                                    seed=int(timezone.now().timestamp()))
            return redirect("governance:round", round_id=rnd.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("抽查数量须为整数"))
    return render(request, "governance/rounds.html", {"plan": plan, "rounds": plan.rounds.all()})


@requires("governance.supervision.manage")
def round_detail(request, round_id: int):
    rnd = get_object_or_404(SupervisionRound, pk=round_id)
    if request.method == "POST":
        try:
            item = get_object_or_404(PlanItem, pk=request.POST.get("item"))
            plans.record_finding(by=Actor.from_request(request), round=rnd, item=item,
                                 finding=request.POST.get("finding", ""))
            messages.success(request, _("督查发现已登记，整改事项已派发"))
            return redirect("governance:round", round_id=rnd.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(request, "governance/round.html", {
        "round": rnd, "sampled": rnd.sampled.select_related("lead_unit"),
        "findings": rnd.findings.select_related("item", "owner")})


@requires("governance.rectifications.view")
def rectifications(request):
    qs = permissions.scoped(request.user, "governance.rectifications.view",
                            Rectification.objects.select_related("item", "owner", "round"))
    if request.method == "POST":
        rect = get_object_or_404(qs, pk=request.POST.get("rect"))
        if not permissions.can(request.user, "governance.rectifications.close", rect):
            raise PermissionDenied
        try:
            plans.close_rectification(by=Actor.from_request(request), rect=rect, note=request.POST.get("note", ""))
            messages.success(request, _("整改事项已销号"))
            return redirect("governance:rectifications")
        except DomainError as exc:
            messages.error(request, exc.message)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "governance/rectifications.html", {"page": page, "today": timezone.localdate()})
