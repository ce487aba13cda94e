"""A provider's own catalogue entries: list, create, edit, publish and withdraw."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Category, Service, ServiceStatus
from ..services import catalogue

FIELDS = ("category", "title", "service_standard", "price", "price_rule", "turnaround_days", "materials",
          "accreditation_ref")
BLANK_ITEM_ROWS = 3


def _managed(request, number: str) -> Service:
    """The user's own service, or 404: another provider's service does not exist for them."""
    return get_object_or_404(selectors.managed_services(request.user), number=number)


def _posted(post) -> tuple[dict, list[dict]]:
    form = {k: post.get(k, "").strip() for k in FIELDS}
    products, names, methods = post.getlist("item_product"), post.getlist("item_name"), post.getlist("item_method")
    rows = max(len(products), len(names), len(methods))

    def at(values, i):
        return values[i] if i < len(values) else ""

    items = [{"product": at(products, i), "item": at(names, i), "method_no": at(methods, i)} for i in range(rows)]
    return form, items


def _kwargs(form: dict) -> dict:
    return {k: form.get(k, "") for k in FIELDS}


def _render_form(request, *, service=None, form=None, items=None, errors=None, providers=None):
    items = list(items or [])
    problems = catalogue.publication_problems(service) if service and service.status != ServiceStatus.PUBLISHED else {}
    return render(request, "inspection/service_form.html", {
        "service": service, "form": form or {}, "errors": _messages(errors), "problems": _messages(problems),
        "items": items + [{}] * BLANK_ITEM_ROWS, "categories": Category.choices, "providers": providers,
    })


def _messages(errors: dict | None) -> list[str]:
    """Every message of a per-field error dict, in order (a template cannot iterate a dict
    with an "items" key)."""
    return [m for messages_ in (errors or {}).values() for m in messages_]


@requires("inspection.services.manage")
def my_services(request):
    status = request.GET.get("status", "")
    qs = selectors.managed_services(request.user)
    if status in ServiceStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("provider__name", "id"), 25).get_page(request.GET.get("page"))
    return render(request, "inspection/my_services.html", {
        "page": page, "statuses": ServiceStatus.choices, "status": status,
        "can_create": selectors.manageable_providers(request.user).exists(),
    })


@requires("inspection.services.manage")
def service_new(request):
    providers = list(selectors.manageable_providers(request.user))
    if not providers:
        raise PermissionDenied
    if request.method != "POST":
        return _render_form(request, form={"category": Category.TESTING, "provider": providers[0].pk},
                            providers=providers)
    form, items = _posted(request.POST)
    chosen = request.POST.get("provider", "")
    form["provider"] = int(chosen) if chosen.isdigit() else ""
    provider = next((p for p in providers if p.pk == form["provider"]), None)
    if provider is None:
        if len(providers) > 1:
            return _render_form(request, form=form, items=items, providers=providers,
                                errors={"provider": [_("请选择服务机构")]})
        provider = providers[0]
    publish = request.POST.get("publish") == "1"
    try:
        service = catalogue.create_service(by=Actor.from_request(request), provider=provider, items=items,
                                           publish=publish, **_kwargs(form))
    except DomainError as exc:
        return _render_form(request, form=form, items=items, providers=providers, errors=exc.errors or {
            "__all__": [exc.message]})
    messages.success(request, (_("服务 %(n)s 已发布") if publish else _("服务 %(n)s 已保存为草稿")) % {"n": service.number})
    return redirect("inspection:my_services")


@requires("inspection.services.manage")
def service_edit(request, number: str):
    service = _managed(request, number)
    if request.method != "POST":
        form = {k: getattr(service, k) if getattr(service, k) is not None else "" for k in FIELDS}
        items = [{"product": i.product, "item": i.item, "method_no": i.method_no} for i in service.items.all()]
        return _render_form(request, service=service, form=form, items=items)
    form, items = _posted(request.POST)
    try:
        catalogue.update_service(by=Actor.from_request(request), service=service, items=items, **_kwargs(form))
    except DomainError as exc:
        service.refresh_from_db()
        return _render_form(request, service=service, form=form, items=items,
                            errors=exc.errors or {"__all__": [exc.message]})
    messages.success(request, _("服务 %(n)s 已保存") % {"n": service.number})
    return redirect("inspection:my_services")


@requires("inspection.services.manage")
def service_action(request, number: str, action: str):
    service = _managed(request, number)
    if request.method != "POST" or action not in ("publish", "withdraw"):
        return redirect("inspection:my_services")
    by = Actor.from_request(request)
    try:
        if action == "publish":
            catalogue.publish_service(by=by, service=service)
            messages.success(request, _("服务 %(n)s 已发布") % {"n": service.number})
        else:
            catalogue.withdraw_service(by=by, service=service, reason=request.POST.get("reason", ""))
            messages.success(request, _("服务 %(n)s 已撤回") % {"n": service.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:my_services")
