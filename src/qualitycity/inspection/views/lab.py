"""The lab workspace, the city statistics and the metrology register."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Instrument
from ..services import metrology


@requires("inspection.lab.work")
def lab(request):
    scope = permissions.scope_filter(request.user, "inspection.lab.work")
    lab_ids = None if scope is None else permissions.organization_ids(request.user, "provider")
    return render(request, "inspection/lab.html", selectors.lab_workspace(lab_ids))


@requires("inspection.stats.view")
def stats(request):
    return render(request, "inspection/stats.html", {"s": selectors.statistics(request.user)})


@requires("inspection.instruments.own")
def instruments(request):
    ids = permissions.organization_ids(request.user, "enterprise")
    qs = permissions.scoped(request.user, "inspection.instruments.own", Instrument.objects.select_related(
        "enterprise", "verification_order"))
    form = {}
    if request.method == "POST" and ids:
        form = {k: request.POST.get(k, "").strip() for k in ("kind", "model", "serial_no", "location", "use",
                                                              "last_verified_on", "cycle_months", "certificate_no")}
        try:
            try:
                last = dt.date.fromisoformat(form["last_verified_on"])
                cycle = int(form["cycle_months"] or 12)
            except ValueError:
                raise DomainError(_("上次检定日期格式应为 YYYY-MM-DD，周期应为整数月"), field="last_verified_on") from None
            metrology.register_instrument(
                by=Actor.from_request(request), enterprise=Organization.objects.get(pk=ids[0]), last_verified_on=last,
                cycle_months=cycle, **{k: v for k, v in form.items() if k not in ("last_verified_on", "cycle_months")})
            messages.success(request, _("器具已登记"))
            return redirect("inspection:instruments")
        except DomainError as exc:
            messages.error(request, exc.message)
    today = metrology.today()
    rows = list(qs[:500])
    for inst in rows:
        inst.days_left = (inst.next_due_on - today).days
    return render(request, "inspection/instruments.html", {"rows": rows, "form": form, "can_register": bool(ids)})


@requires("inspection.instruments.own")
def instrument_order(request, pk: int):
    inst = get_object_or_404(permissions.scoped(request.user, "inspection.instruments.own", Instrument.objects), pk=pk)
    if request.method == "POST":
        try:
            order = metrology.order_verification(by=Actor.from_request(request), instrument=inst)
            messages.success(request, _("已委托检定，订单号 %(n)s") % {"n": order.number})
            return redirect("inspection:order", number=order.number)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("inspection:instruments")


@requires("inspection.instruments.regulate")
def regulator(request):
    return render(request, "inspection/regulator.html", {"o": selectors.instrument_overview(request.user)})
