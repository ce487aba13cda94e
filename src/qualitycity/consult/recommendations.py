"""An enterprise's profile and history for the recommender; the catalogue is in
``recommend_catalogue`` and the scoring in ``methods.recommend`` (no Django).

The profile draws on the directory record (industry, size, growth stage, district, park) and
on what the platform knows of the enterprise: its consultations (topics, products, standards),
enrolments, orders (products tested), failed inspections and complaints against it. Orders
and failures come from ``inspection.selectors.recommendation_signals``, complaints from
``complaints.selectors.recommendation_signals``; they return data and the sentences are
written here. Every reading takes ``before`` so the offline evaluation sees only the past.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from importlib import import_module

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitycity.core.models import Organization
from qualitycity.methods.recommend import Profile, peer_counts, popularity_shares, recommend

from . import recommend_catalogue as cat
from .matching import standard_numbers
from .models import Case

SIGNAL_APPS = ("inspection", "complaints")
KIND_LABEL = {"service": gettext_lazy("服务"), "standard": gettext_lazy("标准"), "course": gettext_lazy("课程"),
              "expert": gettext_lazy("专家"), "programme": gettext_lazy("扶持项目")}
TOPIC = cat.TOPIC


def _provider(app: str):
    try:
        return getattr(import_module(f"qualitycity.{app}.selectors"), "recommendation_signals", None)
    except ImportError:  # a city may run without that module
        return None


def signal_data(enterprise: Organization, *, before=None) -> dict:
    out = {}
    for app in SIGNAL_APPS:
        provider = _provider(app)
        if provider:
            out.update(provider(enterprise, before=before))
    return out


def _industry_label(enterprise: Organization) -> str:
    industry = enterprise.industry
    if industry is None:
        return ""
    return f"{industry.section_code}{industry.code} {industry.name}"


def _listing(counter: Counter, limit: int = 3) -> str:
    return "、".join(f"{name} {n}" if n > 1 else name for name, n in counter.most_common(limit))


def signals_for(enterprise: Organization, data: dict, products: set[str]) -> dict[str, str]:
    """Signal -> the sentence shown as the reason, e.g. ``failed:电线电缆`` -> "因为贵企业生产
    电线电缆（C38 电气机械和器材制造业），2026 年有 2 批次样品不合格（导体电阻）"."""
    signals: dict[str, str] = {}
    industry = _industry_label(enterprise)
    failures = data.get("failures", [])
    if failures:
        latest = max(f["tested_on"].year for f in failures)
        recent = [f for f in failures if f["tested_on"].year == latest]
        by_product: dict[str, dict] = defaultdict(lambda: {"orders": set(), "items": Counter()})
        for f in recent:
            by_product[f["product"] or _("产品")]["orders"].add(f["order"])
            by_product[f["product"] or _("产品")]["items"][f["item"]] += 1
        for product, facts in by_product.items():
            sentence = _("因为贵企业生产%(product)s（%(industry)s），%(year)s 年有 %(n)s 批次样品不合格（%(items)s）") % {
                "product": product, "industry": industry or _("行业未登记"), "year": latest,
                "n": len(facts["orders"]), "items": _listing(facts["items"])}
            signals[f"failed:{product}"] = sentence
        batches = {f["order"] for f in recent}
        worst = max(by_product, key=lambda p: (len(by_product[p]["orders"]), p))
        signals["failed_inspection"] = signals[f"failed:{worst}"] if len(by_product) == 1 else _(
            "因为贵企业 %(year)s 年有 %(n)s 批次样品不合格（%(products)s）") % {
            "year": latest, "n": len(batches),
            "products": _listing(Counter({p: len(v["orders"]) for p, v in by_product.items()}))}
        if enterprise.industry_id:
            # the same sentence reaches the courses and experts of the firm's own industry
            signals[f"failed_industry:{enterprise.industry.code}"] = signals["failed_inspection"]
    ordered = Counter(o["product"] for o in data.get("orders", []) if o["product"])
    for product, n in ordered.items():
        if f"failed:{product}" not in signals:
            signals[f"product:{product}"] = _("贵企业委托检验过%(product)s（%(n)s 次）") % {"product": product, "n": n}
    for product in products - set(ordered):
        if f"failed:{product}" not in signals:
            signals[f"product:{product}"] = _("与贵企业问诊中提到的产品“%(product)s”相关") % {"product": product}
    complaints = data.get("complaints", [])
    if complaints:
        latest = max(c["at"].year for c in complaints)
        recent = [c for c in complaints if c["at"].year == latest]
        signals["complaint"] = _("因为 %(year)s 年有 %(n)s 件针对贵企业的投诉举报（%(kinds)s）") % {
            "year": latest, "n": len(recent), "kinds": _listing(Counter(c["category_name"] for c in recent))}
    if enterprise.park_id:
        signals["park"] = _("贵企业位于%(park)s，园区质量服务站就近提供") % {"park": enterprise.park.name}
    return signals


def _follows(enterprise: Organization, *, before=None):
    from qualitycity.standards.models import Follow

    follows = Follow.objects.filter(organization=enterprise, target=Follow.Target.STANDARD, standard__isnull=False)
    if before is not None:
        follows = follows.filter(created_at__lt=before)
    return follows.values_list("created_at", "standard__base_number")


def events(enterprise: Organization, *, before=None, index: cat.ServiceIndex | None = None) -> list[tuple]:
    """The enterprise's past actions as (time, catalogue key), oldest first: enrolments (courses),
    consultations (the expert who took them), orders (the service) and followed standards."""
    from qualitycity.training.models import Enrollment

    enrolments = Enrollment.objects.filter(organization=enterprise)
    cases = Case.objects.filter(enterprise=enterprise).exclude(expert=None)
    if before is not None:
        enrolments, cases = enrolments.filter(enrolled_at__lt=before), cases.filter(created_at__lt=before)
    out = [(t, f"course:{c}") for t, c in enrolments.values_list("enrolled_at", "course_id")]
    out += [(t, f"expert:{e}") for t, e in cases.values_list("created_at", "expert_id")]
    out += [(t, f"standard:{base}") for t, base in _follows(enterprise, before=before)]
    index = index or cat.services()
    for order in signal_data(enterprise, before=before).get("orders", []):
        key = index.key_for(order["service"], order["lab"], order["product"])
        if key:
            out.append((order["at"], key))
    return sorted(out)


def _products(cases, data: dict, known: set[str]) -> set[str]:
    """Products the enterprise makes, as the catalogue names them: from what it had tested and
    from the product field of its questions (matched against the catalogue's product names)."""
    found = {o["product"] for o in data.get("orders", []) if o["product"]}
    found |= {f["product"] for f in data.get("failures", []) if f["product"]}
    for text in cases.exclude(product="").values_list("product", flat=True):
        found |= {p for p in known if p and p in text}
    return found


def profile_for(enterprise: Organization, *, before=None, index: cat.ServiceIndex | None = None) -> Profile:
    """What we know about the enterprise, only from what happened before ``before`` when given
    (the offline evaluation uses this so the held-out action never leaks in)."""
    from qualitycity.training.models import Course

    index = index or cat.services()
    industry = enterprise.industry
    data = signal_data(enterprise, before=before)
    history = events(enterprise, before=before, index=index)
    topics = Counter()
    cases = Case.objects.filter(enterprise=enterprise)
    if before is not None:
        cases = cases.filter(created_at__lt=before)
    for field, n in cases.values_list("field").annotate(n=Count("id")):
        topics[TOPIC.get(field, field)] += n
    course_ids = [int(k.split(":")[1]) for _t, k in history if k.startswith("course:")]
    for topic in Course.objects.filter(pk__in=course_ids).values_list("topic", flat=True):
        topics[TOPIC[topic]] += 1
    used = {k for _t, k in history}
    used.update(k for text in cases.values_list("standards", flat=True) for n in standard_numbers(text)
                if (k := cat.standard_key(n)))
    products = _products(cases, data, index.products)
    return Profile(
        industry=industry.code if industry else "", industry_name=industry.name if industry else "",
        section=industry.section_code if industry else "",
        size=enterprise.size_class, size_label=enterprise.get_size_class_display() if enterprise.size_class else "",
        stage=enterprise.growth_stage,
        stage_label=enterprise.get_growth_stage_display() if enterprise.growth_stage else "",
        area=enterprise.area.name if enterprise.area_id else "",
        park=enterprise.park.name if enterprise.park_id else "", topics=topics,
        signals=signals_for(enterprise, data, products), used=used,
    )


def all_histories(index: cat.ServiceIndex | None = None) -> dict[int, list[tuple]]:
    """Every enterprise's (time, key) actions, oldest first, each item once (its first use):
    the evaluation predicts the next *new* item, as a repeat order is not a recommendation."""
    from qualitycity.inspection.models import Order, OrderState
    from qualitycity.standards.models import Follow
    from qualitycity.training.models import Enrollment

    index = index or cat.services()
    out: dict[int, list] = {}
    for org, t, c in Enrollment.objects.exclude(organization=None).values_list("organization_id", "enrolled_at", "course_id"):
        out.setdefault(org, []).append((t, f"course:{c}"))
    for org, t, e in Case.objects.exclude(expert=None).values_list("enterprise_id", "created_at", "expert_id"):
        out.setdefault(org, []).append((t, f"expert:{e}"))
    for org, t, base in Follow.objects.filter(target=Follow.Target.STANDARD, standard__isnull=False).values_list(
            "organization_id", "created_at", "standard__base_number"):
        out.setdefault(org, []).append((t, f"standard:{base}"))
    orders = Order.objects.exclude(state=OrderState.DECLINED).values_list(
        "enterprise_id", "created_at", "service_id", "lab_id", "product_category")
    for org, t, service, lab, product in orders:
        if key := index.key_for(service, lab, product):
            out.setdefault(org, []).append((t, key))
    histories = {}
    for org, rows in out.items():
        seen, first = set(), []
        for t, key in sorted(rows):
            if key not in seen:
                seen.add(key)
                first.append((t, key))
        histories[org] = first
    return histories


def for_enterprise(enterprise: Organization, *, per_kind: int = 3) -> dict[str, list]:
    """Recommendations grouped by kind, each with its reasons and a link."""
    index = cat.services()
    histories = {org: [k for _t, k in rows] for org, rows in all_histories(index).items()}
    popularity = popularity_shares(histories)
    profile = profile_for(enterprise, index=index)
    group_of = dict(Organization.objects.filter(pk__in=list(histories) + [enterprise.pk])
                    .values_list("pk", "industry_id"))
    profile.peers = peer_counts(histories, group_of, enterprise.pk)
    items = cat.catalogue(index=index, industry=enterprise.industry)
    return {kind: recommend(profile, items, k=per_kind, popularity=popularity, kinds=[kind]) for kind in KIND_LABEL}
