"""Governance API (/api/v1/governance/…): thin operations over services and selectors."""


import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from qualitycity.core import permissions
from qualitycity.core.models import Role
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import selectors
from .models import Assessment, Period, PlanItem, ProgressReport, ServiceItem
from .services import plans, service_items

router = Router(tags=["governance"])


class TaskOut(Schema):
    id: int
    code: str
    title: str
    lead_unit: str
    deadline: dt.date | None
    weight: float
    completed_on: dt.date | None

    @staticmethod
    def resolve_lead_unit(obj):
        return obj.lead_unit.name if obj.lead_unit_id else ""


class ReportIn(Schema):
    period: int
    narrative: str
    percent_complete: int = 0
    values: dict[str, str] = {}


class ReportOut(Schema):
    id: int
    number: str
    item: str
    unit: str
    period: str
    status: str
    late: bool
    percent_complete: int
    review_comment: str

    @staticmethod
    def resolve_item(obj):
        return obj.item.code

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_period(obj):
        return str(obj.period)


class ReviewIn(Schema):
    accept: bool
    comment: str = ""


class ResultOut(Schema):
    subject: str
    scheme: int
    total: float
    computed: float
    adjustment: float
    rank: int | None
    vetoed: bool

    @staticmethod
    def resolve_subject(obj):
        return obj.subject.name

    @staticmethod
    def resolve_scheme(obj):
        return obj.scheme_id


@router.get("/tasks", response=list[TaskOut])
@api_requires("governance.tasks.view")
def list_tasks(request, plan: int | None = None):
    qs = PlanItem.objects.filter(kind=PlanItem.Kind.TASK).select_related("lead_unit").order_by("plan", "code")
    if plan:
        qs = qs.filter(plan_id=plan)
    return list(permissions.scoped(request.user, "governance.tasks.view", qs)[:1000])


@router.get("/reports", response=list[ReportOut])
@api_requires("governance.reports.view")
def list_reports(request, status: str = ""):
    qs = ProgressReport.objects.select_related("item", "unit", "period__plan")
    if status:
        qs = qs.filter(status=status)
    return list(permissions.scoped(request.user, "governance.reports.view", qs)[:500])


@router.post("/tasks/{item_id}/reports", response={201: ReportOut})
@api_requires("governance.reports.submit")
def submit_report(request, item_id: int, body: ReportIn):
    item = get_object_or_404(permissions.scoped(request.user, "governance.reports.submit", PlanItem.objects.all()),
                             pk=item_id)
    own = set(permissions.organization_ids(request.user, Role.DEPARTMENT_OFFICER)) | set(
        permissions.organization_ids(request.user, Role.DISTRICT_OFFICER))
    candidates = [item.lead_unit_id, *item.co_units.values_list("pk", flat=True)]
    unit_id = next((u for u in candidates if u in own), None)
    if unit_id is None:
        raise PermissionDenied(_("只能为本单位的任务报送"))
    period = get_object_or_404(Period, pk=body.period, plan=item.plan)
    report = plans.submit_report(by=Actor.from_request(request), item=item, period=period,
                                 unit=item.co_units.model.objects.get(pk=unit_id), narrative=body.narrative,
                                 percent_complete=body.percent_complete, values=body.values)
    return Status(201, report)


@router.post("/reports/{report_id}/review", response=ReportOut)
@api_requires("governance.reports.review")
def review_report(request, report_id: int, body: ReviewIn):
    report = get_object_or_404(ProgressReport, pk=report_id)
    return plans.review_report(by=Actor.from_request(request), report=report, accept=body.accept,
                               comment=body.comment)


@router.get("/assessment/results", response=list[ResultOut])
@api_requires("governance.assessment.view")
def assessment_results(request, scheme: int | None = None):
    qs = Assessment.objects.select_related("subject").order_by("scheme", "rank")
    if scheme:
        qs = qs.filter(scheme_id=scheme)
    return list(permissions.scoped(request.user, "governance.assessment.view", qs))


@router.get("/service-rates")
@api_requires("governance.services.view")
def service_rates(request):
    return {"city": service_items.rates(ServiceItem.objects.all()), "targets": service_items.targets()}


@router.get("/liaison/dashboard")
@api_requires("authenticated")
def liaison_dashboard(request):
    """Scoped inside: staff/departments/districts by liaison.view, enterprises by their own rule."""
    if not (permissions.is_allowed(request.user, "governance.liaison.view")
            or permissions.is_allowed(request.user, "governance.liaison.view_own_enterprise")):
        raise PermissionDenied
    stats = selectors.liaison_dashboard(selectors.visible_pairings(request.user))
    stats["rating_avg"] = float(stats["rating_avg"]) if stats["rating_avg"] is not None else None
    return stats
