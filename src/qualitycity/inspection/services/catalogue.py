"""Publishing services in the catalogue, and the accredited-scope checks behind it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qualitycity.core.calendar import local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.models.organizations import PROVIDER_KINDS
from qualitycity.core.services import audit
from qualitycity.methods.textsearch import index_text, query_terms

from ..models import Category, ScopeEntry, Service, ServiceItem, ServiceStatus
from .common import next_number, normalize_method


def today() -> dt.date:
    return local_date(timezone.now())


def accreditation_valid(lab: Organization, on: dt.date | None = None) -> bool:
    on = on or today()
    return bool(lab.cma_number) and lab.cma_valid_until is not None and lab.cma_valid_until >= on


def valid_scope(lab_ids=None, on: dt.date | None = None):
    """Scope lines usable today: the line and the lab's CMA certificate are both unexpired."""
    on = on or today()
    qs = ScopeEntry.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on), lab__cma_valid_until__gte=on)
    return qs.exclude(lab__cma_number="") if lab_ids is None else qs.filter(lab_id__in=lab_ids).exclude(
        lab__cma_number="")


def covers(entries, item: str, method_no: str = "") -> bool:
    method_no = normalize_method(method_no)
    return any(e.item == item and (not method_no or e.method_no == method_no) for e in entries)


def uncovered_items(lab: Organization, items: list[dict], on: dt.date | None = None) -> list[str]:
    """The requested items the lab's valid accredited scope does not cover."""
    if not accreditation_valid(lab, on):
        return [i["item"] for i in items]
    entries = list(valid_scope([lab.pk], on))
    return [i["item"] for i in items if not covers(entries, i["item"], i.get("method_no", ""))]


def add_scope(*, by, lab: Organization, item: str, method_no: str, product: str = "", valid_until=None) -> ScopeEntry:
    with transaction.atomic():
        entry = ScopeEntry.objects.create(lab=lab, item=item.strip(), method_no=normalize_method(method_no),
                                          product=product, valid_until=valid_until)
        audit.record(by=by, action="inspection.scope.add", obj=entry, changes=audit.snapshot(entry))
    return entry


def create_service(*, by, provider: Organization, category: str, title: str, turnaround_days: int, items: list[dict],
                   service_standard: str = "", price=None, price_rule: str = "", materials: str = "",
                   accreditation_ref: str = "", publish: bool = True) -> Service:
    """Create a service (and publish it at once unless ``publish`` is false)."""
    errors = {}
    if provider.kind not in PROVIDER_KINDS:
        errors["provider"] = ["只有质量基础设施服务机构可以发布服务"]
    if category not in Category.values:
        errors["category"] = ["服务类别不正确"]
    if not title.strip():
        errors["title"] = ["请填写服务名称"]
    if not turnaround_days or int(turnaround_days) < 1:
        errors["turnaround_days"] = ["承诺时限至少 1 个工作日"]
    if price is None and not price_rule.strip():
        errors["price"] = ["请填写价格或计价规则"]
    if category == Category.TESTING and not items:
        errors["items"] = ["检验检测服务至少包含一个检测项目"]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        service = Service.objects.create(
            number=next_number("FW"), provider=provider, category=category, title=title.strip(),
            service_standard=service_standard, price=price, price_rule=price_rule,
            turnaround_days=int(turnaround_days), materials=materials,
            accreditation_ref=accreditation_ref or provider.cma_number,
        )
        ServiceItem.objects.bulk_create(
            ServiceItem(service=service, product=i.get("product", ""), item=i["item"].strip(),
                        method_no=normalize_method(i.get("method_no", "")))
            for i in items
        )
        service.search_text = index_text(title, provider.name, " ".join(i["item"] for i in items),
                                         extra_terms=[i.get("method_no", "") for i in items])
        service.save(update_fields=["search_text"])
        audit.record(by=by, action="inspection.service.create", obj=service, changes=audit.snapshot(service))
        if publish:
            publish_service(by=by, service=service)
    return service


def publish_service(*, by, service: Service) -> Service:
    """Publish, refusing any test item outside the provider's valid accredited scope."""
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        if service.category == Category.TESTING:
            items = [{"item": i.item, "method_no": i.method_no} for i in service.items.all()]
            missing = uncovered_items(service.provider, items)
            if missing:
                raise DomainError(
                    f"以下检测项目不在本机构有效的资质认定（CMA）能力范围内：{'、'.join(missing)}", field="items"
                )
        before = audit.snapshot(service, ["status"])
        service.status = ServiceStatus.PUBLISHED
        service.published_at = timezone.now()
        service.suspended_reason = ""
        service.save(update_fields=["status", "published_at", "suspended_reason"])
        audit.record(by=by, action="inspection.service.publish", obj=service,
                     changes=audit.diff(before, audit.snapshot(service, ["status"])))
    return service


def suspend_lapsed(*, by, on: dt.date | None = None) -> int:
    """Suspend published testing services whose items are no longer all covered (the CMA
    certificate or a scope line expired). Run daily by ``tasks.check_accreditation``."""
    on = on or today()
    suspended = 0
    published = Service.objects.filter(status=ServiceStatus.PUBLISHED, category=Category.TESTING).select_related(
        "provider").prefetch_related("items")
    for service in published:
        missing = uncovered_items(service.provider, [{"item": i.item, "method_no": i.method_no}
                                                     for i in service.items.all()], on)
        if not missing:
            continue
        with transaction.atomic():
            service.status = ServiceStatus.SUSPENDED
            service.suspended_reason = f"资质认定能力范围已失效：{'、'.join(missing)}"[:200]
            service.save(update_fields=["status", "suspended_reason"])
            audit.record(by=by, action="inspection.service.suspend", obj=service,
                         changes={"status": ["published", "suspended"], "reason": service.suspended_reason})
        suspended += 1
    return suspended


def search(q: str = "", *, category: str = "", district: str = "", park: str = "", provider: str = ""):
    """Published services matching every query term (methods.textsearch) and the filters.
    ``park`` keeps providers located in the park's district, i.e. reachable from its station."""
    qs = Service.objects.filter(status=ServiceStatus.PUBLISHED).select_related("provider__area")
    for term in query_terms(q)[:8]:
        qs = qs.filter(search_text__contains=term)
    if category:
        qs = qs.filter(category=category)
    if district:
        qs = qs.filter(provider__area__name=district)
    if provider:
        qs = qs.filter(provider_id=provider) if str(provider).isdigit() else qs.filter(provider__name__contains=provider)
    if park:
        park_org = Organization.objects.filter(pk=park if str(park).isdigit() else None).first() or \
            Organization.objects.filter(name=park).first()
        qs = qs.filter(provider__area_id=park_org.area_id) if park_org else qs.none()
    return qs.order_by("turnaround_days", "id")
