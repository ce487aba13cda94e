"""The inspection API: report verification (public) and LIMS access to orders and results.

Mounted at ``/api/v1/`` itself (``API_PREFIX = "/"``) so the public verification address
is exactly ``POST /api/v1/reports/verify``. Writes honour an ``Idempotency-Key`` header:
the first answer is stored and replayed for a retry with the same key, so nothing is
created twice.
"""


import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import selectors
from .models import Order, Service
from .services import catalogue, idempotency, orders, reports

API_PREFIX = "/"
router = Router(tags=["inspection"])


class ItemIn(Schema):
    item: str
    method_no: str = ""


class OrderIn(Schema):
    enterprise_id: int | None = None
    product_name: str
    product_category: str = ""
    description: str = ""
    items: list[ItemIn]
    lab_id: int | None = None


class ResultIn(Schema):
    item: str
    value: str = ""
    unit: str = ""
    limit: str = ""
    passed: bool | None = None
    external_provider: str = ""
    hazard: str = ""


class ResultsIn(Schema):
    results: list[ResultIn]


class TransitionIn(Schema):
    action: str
    note: str = ""
    quote: str = ""
    sample_condition: str = ""
    sampling_plan: str = ""
    sampling_date: str = ""
    rating: int | None = None


class ServiceItemIn(Schema):
    product: str = ""
    item: str
    method_no: str = ""


class ServiceIn(Schema):
    category: str
    title: str
    turnaround_days: int
    items: list[ServiceItemIn] = []
    service_standard: str = ""
    price: str | int | float | None = None  # yuan, e.g. "800" or "1250.50"; omit when a price rule applies
    price_rule: str = ""
    materials: str = ""
    accreditation_ref: str = ""


class ServiceCreateIn(ServiceIn):
    provider_id: int | None = None  # needed only by users who manage several providers
    publish: bool = False


class WithdrawIn(Schema):
    reason: str = ""


def service_out(service: Service) -> dict:
    return {
        "number": service.number,
        "provider_id": service.provider_id,
        "provider": service.provider.name,
        "category": service.category,
        "category_label": str(service.get_category_display()),
        "title": service.title,
        "status": service.status,
        "status_label": str(service.get_status_display()),
        "status_reason": service.status_reason,
        "service_standard": service.service_standard,
        "price": str(service.price) if service.price is not None else None,
        "price_rule": service.price_rule,
        "turnaround_days": service.turnaround_days,
        "materials": service.materials,
        "accreditation_ref": service.accreditation_ref,
        "items": [{"product": i.product, "item": i.item, "method_no": i.method_no} for i in service.items.all()],
        "published_at": service.published_at.isoformat() if service.published_at else None,
    }


def order_out(order: Order) -> dict:
    clock = orders.clock(order)
    return {
        "number": order.number,
        "state": order.state,
        "state_label": str(order.get_state_display()),
        "enterprise": order.enterprise.name,
        "lab": order.lab.name,
        "product_name": order.product_name,
        "product_category": order.product_category,
        "turnaround_days": order.turnaround_days,
        "due_on": order.due_on.isoformat() if order.due_on else None,
        "flag": clock["flag"],
        "quote": str(order.quote) if order.quote is not None else None,
        "created_at": order.created_at.isoformat(),
        "items": [{"item": i.item, "method_no": i.method_no, "value": i.value, "unit": i.unit, "limit": i.limit,
                   "passed": i.passed, "warning": i.warning} for i in order.items.all()],
        "reports": [r.number for r in order.reports.all()],
    }


def idempotent(func):
    """Replay the stored answer for a repeated ``Idempotency-Key`` (per user and endpoint)."""

    @functools.wraps(func)
    def wrapped(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()[:128]
        if not key:
            return func(request, *args, **kwargs)
        endpoint = f"{request.method} {request.path}"
        stored = idempotency.stored_answer(user=request.user, key=key, endpoint=endpoint)
        if stored:
            return Status(stored.status, stored.body)
        result = func(request, *args, **kwargs)
        record, stored_now = idempotency.remember_answer(user=request.user, key=key, endpoint=endpoint,
                                                         status=result.status_code, body=result.value)
        # a concurrent twin that stored first decides the answer
        return result if stored_now else Status(record.status, record.body)

    return wrapped


def _lab_order(request, number: str) -> Order:
    qs = permissions.scoped(request.user, "inspection.lab.work", Order.objects.select_related("enterprise", "lab"))
    return get_object_or_404(qs, number=number)


@router.post("/reports/verify", response={200: dict, 400: dict})
@api_requires("inspection.reports.verify")
def verify_upload(request, file: File[UploadedFile]):
    """Verify an uploaded report PDF (multipart field ``file``)."""
    data = file.read(25 * 1024 * 1024 + 1)
    return Status(200, reports.verify_pdf(data).as_dict())


@router.get("/reports/{number}/verification", response=dict)
@api_requires("inspection.reports.verify")
def verify_number(request, number: str):
    return reports.verify_number(number).as_dict()


@router.get("/inspection/orders", response=dict)
@api_requires("inspection.lab.work")
def lab_orders(request, state: str = "", page: int = 1, page_size: int = 50):
    """Orders addressed to the caller's lab (a LIMS polls this)."""
    qs = permissions.scoped(request.user, "inspection.lab.work", Order.objects.select_related("enterprise", "lab"))
    if state:
        qs = qs.filter(state=state)
    page_size = max(1, min(page_size, 200))
    rows = qs.prefetch_related("items", "reports")[(max(page, 1) - 1) * page_size: max(page, 1) * page_size]
    return {"count": qs.count(), "results": [order_out(o) for o in rows]}


@router.get("/inspection/orders/{number}", response=dict)
@api_requires("inspection.orders.list")
def get_order(request, number: str):
    qs = Order.objects.select_related("enterprise", "lab").filter(number=number)
    visible = permissions.scoped(request.user, "inspection.orders.view", qs) if permissions.is_allowed(
        request.user, "inspection.orders.view") else qs.none()
    if permissions.is_allowed(request.user, "inspection.lab.work"):
        visible = visible | permissions.scoped(request.user, "inspection.lab.work", qs)
    order = visible.first()
    if order is None:
        raise Http404
    return order_out(order)


@router.post("/inspection/orders", response={201: dict, 400: dict})
@api_requires("inspection.orders.create")
@idempotent
def create_order(request, payload: OrderIn):
    ids = permissions.organization_ids(request.user, "enterprise")
    enterprise_id = payload.enterprise_id or (ids[0] if ids else None)
    if enterprise_id not in ids:
        raise DomainError(_("只能为本企业报检"), field="enterprise_id")
    lab = get_object_or_404(Organization, pk=payload.lab_id) if payload.lab_id else None
    order = orders.create_order(by=Actor.from_request(request), enterprise=Organization.objects.get(pk=enterprise_id),
                                product_name=payload.product_name, product_category=payload.product_category,
                                description=payload.description, items=[i.dict() for i in payload.items], lab=lab)
    return Status(201, order_out(order))


@router.post("/inspection/orders/{number}/results", response={200: dict, 400: dict})
@api_requires("inspection.lab.work")
@idempotent
def push_results(request, number: str, payload: ResultsIn):
    """A LIMS pushes per-item results; the answer lists plausibility warnings."""
    order = _lab_order(request, number)
    warnings = orders.enter_results(by=Actor.from_request(request), order=order,
                                    results=[r.dict() for r in payload.results])
    order.refresh_from_db()
    return Status(200, {**order_out(order), "warnings": warnings})


@router.post("/inspection/orders/{number}/transitions", response={200: dict, 400: dict})
@api_requires("inspection.lab.work")
@idempotent
def lab_transition(request, number: str, payload: TransitionIn):
    """Move an order as the lab (accept, receive, submit_results, approve, issue, …)."""
    order = _lab_order(request, number)
    from .services.statemachine import TRANSITIONS

    if payload.action in TRANSITIONS and TRANSITIONS[payload.action][2] != "lab":
        raise DomainError(_("这一步由企业完成，实验室不能代为操作"), field="action")
    data = payload.dict(exclude={"action"})
    order = orders.transition(by=Actor.from_request(request), order=order, action=payload.action,
                              **{k: v for k, v in data.items() if v not in ("", None)})
    return Status(200, order_out(order))


# ---- providers manage their own catalogue entries ----------------------------------------

def _managed_service(request, number: str) -> Service:
    return get_object_or_404(selectors.managed_services(request.user), number=number)


def _service_fields(payload: ServiceIn) -> dict:
    data = payload.dict(include=set(ServiceIn.model_fields) - {"items"})
    return {**data, "items": [i.dict() for i in payload.items]}


@router.get("/inspection/services", response=dict)
@api_requires("inspection.services.manage")
def my_services(request, status: str = ""):
    """The services the caller may manage (their own provider's; all for the city office)."""
    qs = selectors.managed_services(request.user)
    if status:
        qs = qs.filter(status=status)
    return {"count": qs.count(), "results": [service_out(s) for s in qs.order_by("id")[:500]]}


@router.post("/inspection/services", response={201: dict, 400: dict})
@api_requires("inspection.services.manage")
@idempotent
def create_service(request, payload: ServiceCreateIn):
    """Create a service as a draft, or published at once with ``"publish": true``."""
    providers = selectors.manageable_providers(request.user)
    if payload.provider_id is None:
        only = list(providers[:2])
        if len(only) != 1:
            raise DomainError(_("请指定服务机构 provider_id"), field="provider_id")
        provider = only[0]
    else:
        provider = providers.filter(pk=payload.provider_id).first()
        if provider is None:
            raise PermissionDenied(_("只能为本机构创建服务"))
    service = catalogue.create_service(by=Actor.from_request(request), provider=provider, publish=payload.publish,
                                       **_service_fields(payload))
    return Status(201, service_out(Service.objects.select_related("provider").get(pk=service.pk)))


@router.put("/inspection/services/{number}", response={200: dict, 400: dict})
@api_requires("inspection.services.manage")
@idempotent
def update_service(request, number: str, payload: ServiceIn):
    """Replace a service's fields and items (a published service must still pass the checks)."""
    service = catalogue.update_service(by=Actor.from_request(request), service=_managed_service(request, number),
                                       **_service_fields(payload))
    return Status(200, service_out(service))


@router.post("/inspection/services/{number}/publish", response={200: dict, 400: dict})
@api_requires("inspection.services.manage")
@idempotent
def publish_service(request, number: str):
    service = catalogue.publish_service(by=Actor.from_request(request), service=_managed_service(request, number))
    return Status(200, service_out(service))


@router.post("/inspection/services/{number}/withdraw", response={200: dict, 400: dict})
@api_requires("inspection.services.manage")
@idempotent
def withdraw_service(request, number: str, payload: WithdrawIn | None = None):
    service = catalogue.withdraw_service(by=Actor.from_request(request), service=_managed_service(request, number),
                                         reason=payload.reason if payload else "")
    return Status(200, service_out(service))
