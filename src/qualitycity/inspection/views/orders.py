"""Enterprise and shared order pages: one-click request, my orders, the order page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import OrderState, Report, ScopeEntry
from ..services import orders, reports
from ..services.matching import match_labs
from ..services.statemachine import ACTION_LABELS, TRANSITIONS, allowed_actions


def _enterprise(request) -> Organization:
    ids = permissions.organization_ids(request.user, "enterprise")
    if not ids:
        raise PermissionDenied
    return Organization.objects.select_related("area").get(pk=ids[0])


def _items_from(post) -> list[dict]:
    names = post.getlist("item")
    methods = post.getlist("method_no") or [""] * len(names)
    return [{"item": n, "method_no": m} for n, m in zip(names, methods + [""] * len(names), strict=False) if n.strip()]


@requires("inspection.orders.create")
def order_new(request):
    """Step 1: describe the product and tick items; step 2: see ranked labs and confirm."""
    enterprise = _enterprise(request)
    form = {"product_name": "", "product_category": "", "description": ""}
    matches, items, error = None, [], ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        items = _items_from(request.POST)
        if request.POST.get("confirm"):
            lab_id = request.POST.get("lab") or ""
            try:
                order = orders.create_order(
                    by=Actor.from_request(request), enterprise=enterprise, items=items,
                    lab=Organization.objects.filter(pk=lab_id).first() if lab_id.isdigit() else None, **form)
                messages.success(request, _("已提交报检，订单号 %(n)s") % {"n": order.number})
                return redirect("inspection:order", number=order.number)
            except DomainError as exc:
                error = exc.message
        else:
            matches = match_labs(enterprise=enterprise, items=items) if items else []
            if not items:
                error = _("请至少选择一个检测项目")
            elif not matches:
                error = _("没有资质能力范围覆盖全部所选项目的检验检测机构，请减少项目或分开报检")
    known = ScopeEntry.objects.order_by().values_list("item", flat=True).distinct()[:200]
    return render(request, "inspection/order_new.html", {
        "enterprise": enterprise, "form": form, "items": items, "matches": matches, "error": error,
        "known_items": sorted(set(known)), "chosen": {i["item"] for i in items},
    })


@requires("inspection.orders.list")
def order_list(request):
    qs = selectors.visible_orders(request.user)
    state = request.GET.get("state", "")
    if state in OrderState.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()[:40]
    if q:
        qs = qs.filter(number__startswith=q.upper()) if q.upper().startswith("JY") else qs.filter(
            product_name__contains=q)
    page = Paginator(qs.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    for o in page.object_list:
        o.clock = orders.clock(o)
    return render(request, "inspection/orders.html", {"page": page, "states": OrderState.choices, "state": state,
                                                      "q": q})


def _visible(request, number: str):
    order = selectors.visible_orders(request.user).filter(number=number).first()
    if order is None:
        raise Http404
    return order


@requires("inspection.orders.list")
def order_detail(request, number: str):
    order = _visible(request, number)
    party = selectors.party_of(request.user, order)
    actions = allowed_actions(order.state, party) if party != "viewer" else []
    return render(request, "inspection/order.html", {
        "order": order, "party": party, "items": order.items.all(), "clock": orders.clock(order),
        "events": order.events.select_related("actor"), "reports": order.reports.defer("pdf"),
        "actions": actions,
        "action_labels": ACTION_LABELS,
    })


@requires("inspection.orders.list")
def order_action(request, number: str):
    if request.method != "POST":
        return redirect("inspection:order", number=number)
    order = _visible(request, number)
    party = selectors.party_of(request.user, order)
    action = request.POST.get("action", "")
    by = Actor.from_request(request)
    try:
        if action == "results":
            if party != "lab":
                raise PermissionDenied
            rows = [{"item": it.item, "value": request.POST.get(f"value_{it.pk}", ""),
                     "unit": request.POST.get(f"unit_{it.pk}", ""), "limit": request.POST.get(f"limit_{it.pk}", ""),
                     "passed": {"1": True, "0": False}.get(request.POST.get(f"passed_{it.pk}", "")),
                     "external_provider": request.POST.get(f"ext_{it.pk}", ""),
                     "hazard": request.POST.get(f"hazard_{it.pk}", "")} for it in order.items.all()]
            warnings = orders.enter_results(by=by, order=order, results=rows)
            for w in warnings:
                messages.warning(request, w)
            messages.success(request, _("结果已保存"))
        elif action in ("revoke_report", "amend_report"):
            if party != "lab":
                raise PermissionDenied
            report = get_object_or_404(Report, order=order, number=request.POST.get("report", ""))
            fn = reports.revoke_report if action == "revoke_report" else reports.amend_report
            fn(by=by, report=report, reason=request.POST.get("note", ""))
            messages.success(request, str(ACTION_LABELS[action]))
        else:
            if action in TRANSITIONS and TRANSITIONS[action][2] != party:
                raise PermissionDenied
            data = {k: request.POST.get(k, "") for k in ("note", "quote", "sample_condition", "sampling_plan",
                                                          "sampling_date", "rating")}
            orders.transition(by=by, order=order, action=action, **{k: v for k, v in data.items() if v})
            messages.success(request, str(ACTION_LABELS.get(action, action)))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("inspection:order", number=order.number)


@requires("inspection.lab.work")
def report_amend(request, number: str):
    """The lab issues an amended report, optionally with corrected result rows."""
    report = get_object_or_404(Report.objects.defer("pdf").select_related("order"), number=number)
    order = _visible(request, report.order.number)
    if selectors.party_of(request.user, order) != "lab":
        raise PermissionDenied  # only the lab that issued the report corrects it
    items = list(order.items.all())
    form, errors = {"reason": ""}, []
    if request.method == "POST":
        form["reason"] = request.POST.get("reason", "").strip()
        rows = [{"item": it.item, "value": request.POST.get(f"value_{it.pk}", ""),
                 "unit": request.POST.get(f"unit_{it.pk}", ""), "limit": request.POST.get(f"limit_{it.pk}", ""),
                 "passed": {"1": True, "0": False}.get(request.POST.get(f"passed_{it.pk}", "")),
                 "hazard": request.POST.get(f"hazard_{it.pk}", "")} for it in items]
        try:
            new = reports.amend_report(by=Actor.from_request(request), report=report, reason=form["reason"],
                                       results=rows)
            messages.success(request, _("已发布更正报告 %(new)s，原报告 %(old)s 已被替代") % {
                "new": new.number, "old": report.number})
            return redirect("inspection:order", number=order.number)
        except DomainError as exc:
            errors = [m for messages_ in (exc.errors or {"__all__": [exc.message]}).values() for m in messages_]
            for it in items:  # show what was typed, not the stored values
                it.value, it.unit, it.limit, it.hazard = (request.POST.get(f"{f}_{it.pk}", "")
                                                          for f in ("value", "unit", "limit", "hazard"))
    return render(request, "inspection/report_amend.html", {"report": report, "order": order, "items": items,
                                                            "form": form, "errors": errors})


@requires("inspection.orders.list")
def report_pdf(request, number: str):
    report = get_object_or_404(Report.objects.select_related("order"), number=number)
    _visible(request, report.order.number)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response
