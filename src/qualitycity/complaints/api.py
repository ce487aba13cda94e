"""/api/v1/complaints/…: demands, actions, public tracking and bulletins. Thin: every
write goes through the services, every read through the selectors."""


import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.notifications import mask_phone
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import selectors
from .models import Category, Demand
from .services import actions, intake

router = Router(tags=["complaints"])


class DemandOut(Schema):
    number: str
    channel: str
    demand_type: str
    category: str
    title: str
    description: str
    state: str
    state_label: str
    district: str
    address: str
    respondent: str
    lead_org: str | None
    anonymous: bool
    contact_name: str
    contact_phone: str  # always masked here; unmasking is a separate, audited request
    received_at: dt.datetime
    accept_due: dt.date | None
    handle_due: dt.date | None
    deadline_warning: str
    rating: str
    public_reply: str

    @staticmethod
    def of(d: Demand) -> dict:
        return {
            "number": d.number, "channel": d.channel, "demand_type": d.demand_type, "category": d.category.code,
            "title": d.title, "description": d.description, "state": d.state, "state_label": str(d.get_state_display()),
            "district": d.area.name, "address": d.address, "respondent": d.respondent_name,
            "lead_org": d.lead_org.name if d.lead_org else None, "anonymous": d.anonymous,
            "contact_name": (d.contact_name[:1] + "*" * (len(d.contact_name) - 1)) if d.contact_name else "",
            "contact_phone": mask_phone(d.contact_phone), "received_at": d.received_at, "accept_due": d.accept_due,
            "handle_due": d.handle_due, "deadline_warning": d.deadline_warning, "rating": d.rating,
            "public_reply": d.public_reply,
        }


class DemandPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[DemandOut]


class DemandFilters(Schema):
    state: str = ""
    category: str = ""
    district: str = ""
    q: str = ""
    overdue: bool = False
    page: int = 1
    page_size: int = 20


class DemandIn(Schema):
    demand_type: str
    category: str
    description: str
    district: str
    title: str = ""
    address: str = ""
    lat: float | None = None
    lng: float | None = None
    respondent_name: str = ""
    anonymous: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


class Created(Schema):
    number: str
    tracking_code: str
    state: str


class ActionIn(Schema):
    action: str
    note: str = ""
    reason: str = ""
    reply: str = ""
    text: str = ""
    public: bool = False
    ground: int | None = None
    lead: int | None = None
    uphold: bool = False
    duplicates: list[str] = []
    demand_type: str = ""
    category: str = ""
    district: str = ""
    unit: str = ""


class TrackOut(Schema):
    number: str
    state: str
    state_label: str
    category: str
    lead_org: str | None
    public_reply: str
    events: list[dict]


@router.get("/demands", response=DemandPage)
@api_requires("complaints.view")
def list_demands(request, filters: Query[DemandFilters]):
    size = max(1, min(filters.page_size, 100))
    page = max(1, filters.page)
    qs = selectors.queue(request.user, state=filters.state, category=filters.category, district=filters.district,
                         q=filters.q, overdue=filters.overdue)
    rows = list(qs[(page - 1) * size: page * size])
    return {"count": qs.count(), "page": page, "page_size": size, "results": [DemandOut.of(d) for d in rows]}


@router.post("/demands", response={201: Created})
@api_requires("complaints.submit")
def create_demand(request, payload: DemandIn):
    demand = intake.submit(by=Actor.from_request(request), channel="api", **payload.dict())
    return Status(201, {"number": demand.number, "tracking_code": demand.tracking_code, "state": demand.state})


def _get(request, number: str, rule: str = "complaints.view") -> Demand:
    demand = selectors.visible(request.user, rule).filter(number=number).first()
    if demand is None:
        raise Http404
    return demand


@router.get("/demands/{number}", response=DemandOut)
@api_requires("complaints.view")
def get_demand(request, number: str):
    return DemandOut.of(_get(request, number))


@router.post("/demands/{number}/actions", response=DemandOut)
@api_requires("complaints.handle")
def act(request, number: str, payload: ActionIn):
    if payload.action not in actions.DISPATCH_ACTIONS | actions.HANDLE_ACTIONS:
        raise DomainError(_("未知的操作：“{action}”").format(action=payload.action), field="action")
    rule = "complaints.dispatch" if payload.action in actions.DISPATCH_ACTIONS else "complaints.handle"
    if not permissions.is_allowed(request.user, rule):
        raise PermissionDenied
    demand = _get(request, number, rule)
    data = payload.dict()
    duplicates = list(selectors.visible(request.user, rule).filter(number__in=payload.duplicates)) if payload.duplicates else []
    actions.perform(by=Actor.from_request(request), demand=demand, action=payload.action, data=data, duplicates=duplicates)
    return DemandOut.of(_get(request, number))


@router.get("/track/{code}", response=TrackOut)
@api_requires("complaints.track")
def track(request, code: str):
    view = selectors.public_view(code)
    if view is None:
        raise Http404
    d, shown = view["demand"], view["shown"]
    return {
        "number": d.number, "state": d.state, "state_label": str(d.get_state_display()), "category": d.category.name,
        "lead_org": shown.lead_org.name if shown.lead_org else None, "public_reply": shown.public_reply,
        "events": [{"at": e.at.isoformat(), "text": e.text} for e in view["events"]],
    }


@router.get("/categories", response=list[dict])
@api_requires("complaints.track")
def categories(request):
    return [{"code": c.code, "name": c.name, "group": c.group} for c in Category.objects.filter(is_active=True)]


@router.get("/bulletins", response=dict)
@api_requires("complaints.bulletins")
def bulletins(request, start: str = "", kind: str = "month", by: str = "department"):
    try:
        first = dt.date.fromisoformat(start + "-01" if len(start) == 7 else start) if start else None
    except ValueError:
        raise DomainError(_("“{start}”不是月份（YYYY-MM）").format(start=start), field="start") from None
    if first is None:
        first = selectors._add_months(dt.date.today().replace(day=1), -1)
    period = selectors.period_of(first, 3 if kind == "quarter" else 1)
    data = selectors.bulletin(period, by="district" if by == "district" else "department")
    return {"period": period.label, "start": period.start.isoformat(), "end": period.end.isoformat(),
            "total": data["total"], "total_prev": data["total_prev"], "rows": data["rows"],
            "top_categories": data["top_categories"], "top_respondents": data["top_respondents"],
            "hot_spots": data["hot_spots"]}
