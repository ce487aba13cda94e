"""Reads for the order lists, the lab workspace and the city office statistics."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Count, Exists, F, OuterRef, Q

from qualitycity.core import permissions

from .models import Instrument, Order, OrderItem, OrderState
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


def _pct(values: list[int], q: float):
    return float(np.percentile(values, q)) if values else None


def statistics(user) -> dict:
    """Orders, pass rates and turnaround against the promise (median and p90), by district,
    industry and category; lab performance; park service-station use; flagged orders."""
    orders = permissions.scoped(user, "inspection.stats.view", Order.objects.all())
    failed = OrderItem.objects.filter(order=OuterRef("pk"), passed=False)
    reviewed_states = [OrderState.REVIEWED, OrderState.ISSUED, OrderState.RATED]

    def grouped(label_field: str):
        rows = (orders.values(label_field).annotate(
            n=Count("id"),
            reviewed=Count("id", filter=Q(state__in=reviewed_states)),
            failed=Count("id", filter=Q(state__in=reviewed_states, has_failed=True)),
        ).order_by("-n"))
        return rows

    orders = orders.annotate(has_failed=Exists(failed))
    out = {"total": orders.count()}
    for key, label in (("district", "enterprise__area__name"), ("industry", "enterprise__industry__name"),
                       ("category", "product_category")):
        rows = []
        for r in grouped(label)[:30]:
            rate = None if not r["reviewed"] else 100.0 * (r["reviewed"] - r["failed"]) / r["reviewed"]
            rows.append({"name": r[label] or "—", "n": r["n"], "reviewed": r["reviewed"], "pass_rate": rate})
        out[key] = rows
    done = list(orders.filter(working_days_used__isnull=False).values_list("lab__name", "working_days_used",
                                                                           "turnaround_days", "rating"))
    used = [d[1] for d in done]
    promised = [d[2] for d in done]
    out["turnaround"] = {"median": _pct(used, 50), "p90": _pct(used, 90), "promise_median": _pct(promised, 50),
                         "on_time": (100.0 * sum(u <= p for u, p in zip(used, promised, strict=True)) / len(used))
                         if used else None}
    labs: dict[str, dict] = {}
    for name, u, p, rating in done:
        lab = labs.setdefault(name, {"name": name, "used": [], "late": 0, "ratings": []})
        lab["used"].append(u)
        lab["late"] += u > p
        if rating:
            lab["ratings"].append(rating)
    out["labs"] = sorted(
        ({"name": v["name"], "n": len(v["used"]), "median": _pct(v["used"], 50), "p90": _pct(v["used"], 90),
          "late_pct": 100.0 * v["late"] / len(v["used"]),
          "rating": sum(v["ratings"]) / len(v["ratings"]) if v["ratings"] else None} for v in labs.values()),
        key=lambda x: -x["n"])[:30]
    out["parks"] = list(orders.filter(enterprise__park__isnull=False).values("enterprise__park__name").annotate(
        n=Count("id"), in_district=Count("id", filter=Q(lab__area=F("enterprise__park__area")))).order_by("-n"))
    flagged = []
    for o in orders.exclude(state__in=DONE_STATES).filter(due_on__lte=today() + dt.timedelta(days=7)).select_related("lab", "enterprise")[:200]:
        c = clock(o)
        if c["flag"]:
            o.clock = c
            flagged.append(o)
    out["flagged"] = flagged
    return out


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
