"""Automatic lab matching for an inspection order."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Min, Q

from qualitycity.core.models import Organization, OrgKind
from qualitycity.methods.labrank import Candidate, haversine_km, rank

from ..models import Category, OrderState, ServiceStatus
from .catalogue import covers, valid_scope

OPEN_STATES = [OrderState.ACCEPTED, OrderState.SAMPLING, OrderState.RECEIVED, OrderState.TESTING,
               OrderState.RESULTS_ENTERED, OrderState.REVIEWED]
DEFAULT_TURNAROUND = 7
LABELS = {"turnaround": "承诺时限", "backlog": "在检订单", "distance": "距离", "rating": "评价"}


@dataclass
class Match:
    lab: Organization
    turnaround_days: int
    backlog: int
    distance_km: float
    rating: float | None
    score: float
    reasons: list[str]
    service_id: int | None


def _distance(a, b) -> float:
    if a.pk == b.pk:
        return 0.0
    if None in (a.center_lng, a.center_lat, b.center_lng, b.center_lat):
        return 10.0  # another district with no known centre: a nominal city-scale distance
    return haversine_km(a.center_lng, a.center_lat, b.center_lng, b.center_lat)


def match_labs(*, enterprise: Organization, items: list[dict], kinds=(OrgKind.TESTING_LAB,)) -> list[Match]:
    """Labs whose valid accredited scope covers *every* item, best first, with reasons."""
    if not items:
        return []
    wanted = {i["item"] for i in items}
    entries_by_lab: dict[int, list] = {}
    for entry in valid_scope().filter(item__in=wanted, lab__kind__in=kinds):
        entries_by_lab.setdefault(entry.lab_id, []).append(entry)
    lab_ids = [lab_id for lab_id, entries in entries_by_lab.items()
               if all(covers(entries, i["item"], i.get("method_no", "")) for i in items)]
    if not lab_ids:
        return []
    labs = Organization.objects.filter(pk__in=lab_ids).select_related("area").annotate(
        backlog=Count("lab_orders", filter=Q(lab_orders__state__in=OPEN_STATES)),
        mean_rating=Avg("lab_orders__rating"),
        turnaround=Min("services__turnaround_days", filter=Q(services__status=ServiceStatus.PUBLISHED,
                                                              services__category__in=[Category.TESTING, Category.METROLOGY])),
    )
    services = {}
    for lab in labs:
        svc = lab.services.filter(status=ServiceStatus.PUBLISHED, category__in=[Category.TESTING, Category.METROLOGY],
                                  items__item__in=wanted).order_by("turnaround_days").first()
        services[lab.pk] = svc
    labs = {lab.pk: lab for lab in labs}
    candidates = [
        Candidate(key=lab.pk, turnaround_days=float(lab.turnaround or DEFAULT_TURNAROUND), backlog=lab.backlog,
                  distance_km=_distance(enterprise.area, lab.area),
                  rating=float(lab.mean_rating) if lab.mean_rating is not None else None)
        for lab in sorted(labs.values(), key=lambda o: o.pk)
    ]
    out = []
    for c in rank(candidates):
        lab = labs[c.key]
        rating = "暂无评价" if c.rating is None else f"平均评价 {c.rating:.1f} 分"
        reasons = [
            f"资质认定范围覆盖全部 {len(items)} 个检测项目",
            f"承诺 {int(c.turnaround_days)} 个工作日出报告",
            f"当前在检订单 {c.backlog} 个",
            "与企业同区" if c.distance_km == 0 else f"距离约 {c.distance_km:.0f} 公里（{lab.area.name}）",
            rating,
            "扣分：" + "，".join(f"{LABELS[k]} {v:.2f}" for k, v in c.parts.items() if v) if c.score else "各项均为最优",
        ]
        svc = services.get(lab.pk)
        out.append(Match(lab=lab, turnaround_days=int(c.turnaround_days), backlog=c.backlog, distance_km=c.distance_km,
                         rating=c.rating, score=c.score, reasons=reasons, service_id=svc.pk if svc else None))
    return out
