"""Staff pages: the department work queue, the demand detail with its timeline and the
actions the user's rules allow, the audited contact reveal, and supervision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.notifications import mask_phone
from qualitycity.core.pagination import CappedPaginator
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Category, Demand, DemandType, RejectionGround, State
from ..services import actions, classify, supervision, workflow


def _demand(request, number: str, rule: str = "complaints.view") -> Demand:
    demand = selectors.visible(request.user, rule).filter(number=number).first()
    if demand is None:
        raise Http404
    return demand


@requires("complaints.view")
def index(request):
    filters = {k: request.GET.get(k, "").strip() for k in ("state", "category", "district", "q")}
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.queue(request.user, overdue=overdue, **filters)
    page = CappedPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "complaints/index.html", {
        "page": page, "filters": filters, "overdue": overdue, "states": State.choices,
        "categories": Category.objects.all(), "areas": Area.objects.exclude(kind=Area.Kind.CITY),
        "can_intake": permissions.is_allowed(request.user, "complaints.intake"),
        "can_dispatch": permissions.is_allowed(request.user, "complaints.dispatch"),
    })


@requires("complaints.view")
def detail(request, number: str):
    demand = _demand(request, number)
    user = request.user
    if not permissions.is_allowed(user, "complaints.handle"):
        # a citizen's own demand: the public view, never internal notes or staff data
        return redirect("complaints:track_code", code=demand.tracking_code)
    can_handle = permissions.can(user, "complaints.handle", demand)
    can_dispatch = permissions.is_allowed(user, "complaints.dispatch")
    similar = classify.similar_open(demand) if can_dispatch and demand.is_open else []
    return render(request, "complaints/detail.html", {
        "d": demand,
        "events": demand.events.select_related("organization"),
        "assignments": demand.assignments.filter(active=True).select_related("organization"),
        "flags": demand.flags.select_related("organization").order_by("-created_at"),
        "phone": mask_phone(demand.contact_phone),
        "can_handle": can_handle and demand.state != State.RETURNED,
        "can_dispatch": can_dispatch,
        "can_reveal": permissions.can(user, "complaints.personal", demand) and not demand.anonymous,
        "grounds": RejectionGround.objects.filter(is_active=True),
        "departments": Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT]).order_by("kind", "name"),
        "similar": similar,
        "suggestion": demand.suggestion or {},
        "types": DemandType.choices,
        "categories": Category.objects.all(),
        "areas": Area.objects.exclude(kind=Area.Kind.CITY),
    })


@require_POST
@requires("complaints.handle")
def act(request, number: str, action: str):
    """Every button on the detail page posts here; the service decides if it is allowed now."""
    rule = "complaints.dispatch" if action in actions.DISPATCH_ACTIONS else "complaints.handle"
    if not permissions.is_allowed(request.user, rule):
        raise PermissionDenied
    demand = _demand(request, number, rule)
    by = Actor.from_request(request)
    duplicates = []
    if action == "merge":
        duplicates = list(selectors.visible(request.user, rule).filter(number__in=request.POST.getlist("duplicates")))
    if action not in actions.DISPATCH_ACTIONS | actions.HANDLE_ACTIONS:
        raise Http404
    try:
        actions.perform(by=by, demand=demand, action=action, data=request.POST, duplicates=duplicates)
        messages.success(request, _("已保存"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("complaints:detail", number=number)


@require_POST
@requires("complaints.personal")
def reveal(request, number: str):
    demand = _demand(request, number, "complaints.personal")
    if demand.anonymous:
        raise PermissionDenied
    return JsonResponse(workflow.reveal_contact(by=Actor.from_request(request), demand=demand))


@require_POST
@requires("complaints.dispatch")
def sweep(request):
    counts = supervision.sweep(by=Actor.from_request(request))
    messages.success(request, _("督办巡检完成：提醒 %(reminder)d，黄牌 %(yellow)d，红牌 %(red)d") % counts)
    return redirect("complaints:index")
