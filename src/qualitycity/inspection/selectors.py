"""Reads for the order lists, the lab workspace and the city office statistics."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.models import Organization, Role
from qualitycity.core.models.organizations import PROVIDER_KINDS
from qualitycity.core.workbench import Card, Line

from .models import Instrument, Order, OrderItem, OrderState, Service
from .services.catalogue import today
from .services.matching import OPEN_STATES
from .services.orders import DONE_STATES, clock


def visible_orders(user):
    """Orders the user may read: as the placing enterprise, as the lab, or as government."""
    base = Order.objects.select_related("enterprise", "lab")
    parts = []
    for rule in ("inspection.orders.view", "inspection.lab.work"):
        if permissions.is_allowed(user, rule):
            condition = permissions.scope_filter(user, rule)
            if condition is None:
                return base
            parts.append(condition)
    if not parts:
        return base.none()
    combined = parts[0]
    for p in parts[1:]:
        combined |= p
    return base.filter(combined)


def managed_services(user):
    """Services the user may edit, publish and withdraw: their own organization's, or all
    of them for the city office."""
    return permissions.scoped(user, "inspection.services.manage",
                              Service.objects.select_related("provider").prefetch_related("items"))


def manageable_providers(user):
    """The providers on whose behalf the user may create services."""
    qs = Organization.objects.filter(kind__in=PROVIDER_KINDS).order_by("name", "id")
    if permissions.scope_filter(user, "inspection.services.manage") is None:
        return qs
    return qs.filter(pk__in=permissions.organization_ids(user, Role.PROVIDER_STAFF))


def party_of(user, order: Order) -> str:
    """``enterprise``, ``lab`` or ``viewer``: which side of the order the user acts for."""
    if order.enterprise_id in permissions.organization_ids(user, "enterprise"):
        return "enterprise"
    if order.lab_id in permissions.organization_ids(user, "provider"):
        return "lab"
    return "viewer"


def lab_workspace(lab_ids: list[int] | None) -> dict:
    qs = Order.objects.select_related("enterprise")
    if lab_ids is not None:
        qs = qs.filter(lab_id__in=lab_ids)
    inbox = list(qs.filter(state__in=[OrderState.REQUESTED, OrderState.NEEDS_INFO]).order_by("created_at")[:100])
    work = list(qs.filter(state__in=OPEN_STATES).order_by("due_on", "created_at")[:200])
    for o in work:
        o.clock = clock(o)
    by_state = dict(qs.filter(state__in=OPEN_STATES).values_list("state").annotate(n=Count("id")))
    return {
        "inbox": inbox,
        "work": work,
        "backlog": sum(by_state.values()),
        "by_state": [(OrderState(s).label, n) for s, n in by_state.items()],
        "at_risk": sum(1 for o in work if o.clock["flag"] == "at_risk"),
        "overdue": sum(1 for o in work if o.clock["flag"] == "overdue"),
    }


def percentile_from_counts(counts, q: float) -> float | None:
    """``numpy.percentile(values, q)`` (its default "linear" method, Hyndman & Fan 1996
    type 7) computed from a histogram ``{value: count}`` instead of the values, so the
    database only sends one row per distinct value. Same arithmetic as numpy's ``_lerp``,
    hence the same float to the last bit."""
    pairs = sorted((v, n) for v, n in dict(counts).items() if n)
    total = sum(n for _v, n in pairs)
    if not total:
        return None
    position = (total - 1) * (q / 100)
    if position >= total - 1:
        return float(pairs[-1][0])
    below = math.floor(position)
    gamma = position - below
    a = b = None
    seen = 0
    for value, n in pairs:  # the order statistics at ``below`` and ``below + 1``
        if a is None and seen + n > below:
            a = value
        if seen + n > below + 1:
            b = value
            break
        seen += n
    diff = b - a
    return float(b - diff * (1 - gamma)) if gamma >= 0.5 else float(a + diff * gamma)


def statistics(user) -> dict:
    """Orders, pass rates and turnaround against the promise (median and p90), by district,
    industry and category; lab performance; park service-station use; flagged orders.

    Every panel is one aggregate query: percentiles come from per-value histograms
    (working days are small integers), so the cost does not grow with the number of rows
    sent to Python. The figures equal the former row-by-row computation; ties are ordered
    by name."""
    orders = permissions.scoped(user, "inspection.stats.view", Order.objects.all())
    out = {"total": orders.count()}
    enterprise = Organization.objects.filter(pk=OuterRef("enterprise_id")).order_by()
    # The enterprise's district and industry as scalar subqueries by primary key rather than
    # joins: the database then reads the order table once, in order, instead of fetching
    # order rows one by one through the enterprise index (about 3x faster on SQLite).
    for key, group in (("district", Subquery(enterprise.values("area__name")[:1])),
                       ("industry", Subquery(enterprise.values("industry__name")[:1])),
                       ("category", F("product_category"))):
        out[key] = _pass_rates(orders, group)
    done = orders.filter(working_days_used__isnull=False).order_by()
    out["turnaround"] = _turnaround(done)
    out["labs"] = _lab_performance(done)
    out["parks"] = list(orders.filter(enterprise__park__isnull=False).values("enterprise__park__name").annotate(
        n=Count("id"), in_district=Count("id", filter=Q(lab__area=F("enterprise__park__area")))
    ).order_by("-n", "enterprise__park__name"))
    flagged = []
    for o in orders.exclude(state__in=DONE_STATES).filter(due_on__lte=today() + dt.timedelta(days=7)).select_related("lab", "enterprise")[:200]:
        c = clock(o)
        if c["flag"]:
            o.clock = c
            flagged.append(o)
    out["flagged"] = flagged
    return out


def _pass_rates(orders, group, limit: int = 30) -> list[dict]:
    """Orders, reviewed orders and the share of reviewed orders without a failed item, per
    group: one query (conditional counts; the failed-item check uses a partial index)."""
    reviewed = Q(state__in=[OrderState.REVIEWED, OrderState.ISSUED, OrderState.RATED])
    has_failed = Exists(OrderItem.objects.filter(order=OuterRef("pk"), passed=False))
    rows = orders.order_by().annotate(group=group, has_failed=has_failed).values("group").annotate(
        n=Count("id"), reviewed=Count("id", filter=reviewed), failed=Count("id", filter=reviewed & Q(has_failed=True)))
    out = [{"name": r["group"] or "—", "n": r["n"], "reviewed": r["reviewed"],
            "pass_rate": None if not r["reviewed"] else 100.0 * (r["reviewed"] - r["failed"]) / r["reviewed"]}
           for r in rows]
    return sorted(out, key=lambda r: (-r["n"], r["name"]))[:limit]


def _turnaround(done) -> dict:
    """Median and p90 of working days used, median promise, on-time share: one query for
    the joint histogram of (days used, days promised)."""
    used, promised = Counter(), Counter()
    on_time = total = 0
    for u, p, n in done.values_list("working_days_used", "turnaround_days").annotate(n=Count("id")):
        used[u] += n
        promised[p] += n
        on_time += n if u <= p else 0
        total += n
    return {"median": percentile_from_counts(used, 50), "p90": percentile_from_counts(used, 90),
            "promise_median": percentile_from_counts(promised, 50),
            "on_time": 100.0 * on_time / total if total else None}


def _lab_performance(done, limit: int = 30) -> list[dict]:
    """Per lab: reports, median and p90 of days used, share late, mean rating; one query
    for the per-lab histogram of (days used, days promised) with rating sums."""
    rated = Q(rating__gt=0)
    labs: dict[str, dict] = {}
    for name, u, p, n, ratings, rating_sum in done.values_list("lab__name", "working_days_used", "turnaround_days"
                                                               ).annotate(n=Count("id"), ratings=Count("id", filter=rated),
                                                                          rating_sum=Sum("rating", filter=rated)):
        lab = labs.setdefault(name, {"used": Counter(), "n": 0, "late": 0, "ratings": 0, "rating_sum": 0})
        lab["used"][u] += n
        lab["n"] += n
        lab["late"] += n if u > p else 0
        lab["ratings"] += ratings
        lab["rating_sum"] += rating_sum or 0
    rows = [{"name": name, "n": v["n"], "median": percentile_from_counts(v["used"], 50),
             "p90": percentile_from_counts(v["used"], 90), "late_pct": 100.0 * v["late"] / v["n"],
             "rating": v["rating_sum"] / v["ratings"] if v["ratings"] else None} for name, v in labs.items()]
    return sorted(rows, key=lambda r: (-r["n"], r["name"]))[:limit]


def instrument_overview(user) -> dict:
    """The regulator's view: overdue instruments per district and enterprise, verification rate."""
    qs = permissions.scoped(user, "inspection.instruments.regulate", Instrument.objects.all())
    on = today()
    total = qs.count()
    overdue = qs.filter(next_due_on__lt=on)
    return {
        "total": total,
        "overdue": overdue.count(),
        "rate": 100.0 * (total - overdue.count()) / total if total else None,
        "by_district": list(overdue.values("enterprise__area__name").annotate(n=Count("id")).order_by("-n")),
        "by_enterprise": list(overdue.values("enterprise__name").annotate(n=Count("id")).order_by("-n")[:50]),
    }


def workbench(user, role):
    """Home-page card: an enterprise's orders in progress, or a lab's new requests."""
    def line(o: Order, who) -> Line:
        return Line(f"{o.number} · {o.product_name} · {who}", reverse("inspection:order", args=[o.number]),
                    o.get_state_display())

    if role == Role.ENTERPRISE_MEMBER and permissions.is_allowed(user, "inspection.orders.list"):
        orders = visible_orders(user).filter(enterprise_id__in=permissions.organization_ids(user, role))
        return Card(_("我的检验订单"), reverse("inspection:orders"),
                    figure=orders.exclude(state__in=DONE_STATES).count(), figure_label=_("办理中"),
                    lines=[line(o, o.lab.name) for o in orders.order_by("-created_at")[:4]],
                    action=(_("一键送检"), reverse("inspection:index")), empty=_("还没有检验订单。"))
    if role == Role.PROVIDER_STAFF and permissions.is_allowed(user, "inspection.lab.work"):
        waiting = Order.objects.select_related("enterprise").filter(
            lab_id__in=permissions.organization_ids(user, role),
            state__in=[OrderState.REQUESTED, OrderState.NEEDS_INFO])
        return Card(_("待受理的委托"), reverse("inspection:lab"), figure=waiting.count(), figure_label=_("件"),
                    lines=[line(o, o.enterprise.name) for o in waiting.order_by("created_at")[:4]],
                    action=(_("实验室工作台"), reverse("inspection:lab")), empty=_("没有待受理的委托。"))
    return None


def recommendation_signals(enterprise: Organization, *, before: dt.datetime | None = None, limit: int = 200) -> dict:
    """What the enterprise's orders and failed tests tell the recommender (consult.recommendations).

    Returns data, never sentences: consult words the reasons in its own catalogue. ``before``
    keeps only what was known at that moment, so the offline evaluation cannot see the
    action it is trying to predict. Failures are the reviewed ``InspectionResult`` facts
    (one per failed item), not raw items still waiting for the four-eyes review.
    """
    from qualitycity.core.calendar import local_date

    from .models import InspectionResult

    orders = Order.objects.filter(enterprise=enterprise).exclude(state=OrderState.DECLINED)
    failures = InspectionResult.objects.filter(enterprise=enterprise)
    if before is not None:
        orders = orders.filter(created_at__lt=before)
        failures = failures.filter(tested_on__lt=local_date(before))
    order_rows = orders.order_by("-created_at").values_list(
        "number", "product_category", "service_id", "lab_id", "created_at")[:limit]
    failure_rows = failures.order_by("-tested_on").values_list(
        "order_number", "product_category", "item", "tested_on")[:limit]
    return {
        "orders": [{"number": n, "product": p, "service": s, "lab": lab, "at": at}
                   for n, p, s, lab, at in order_rows],
        "failures": [{"order": n, "product": p, "item": i, "tested_on": d} for n, p, i, d in failure_rows],
    }
