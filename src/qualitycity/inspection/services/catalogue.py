"""The quality-service catalogue: providers create, edit, publish and withdraw their own
services; publishing checks the accredited scope, and the daily check suspends services
whose scope has lapsed. Search goes through ``methods.textsearch``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualitycity.core.calendar import local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.models.organizations import PROVIDER_KINDS
from qualitycity.core.services import audit
from qualitycity.methods.textsearch import index_text, query_terms

from ..models import Category, ScopeEntry, Service, ServiceItem, ServiceStatus
from .common import next_number, normalize_method

# Categories whose items must lie inside the provider's valid CMA scope (计量 needs the
# metrology authorisation just as testing needs the CMA certificate).
ACCREDITED_CATEGORIES = (Category.TESTING, Category.METROLOGY)
EDITABLE_FIELDS = ["category", "title", "service_standard", "price", "price_rule", "turnaround_days", "materials",
                   "accreditation_ref"]
MAX_PRICE = Decimal("99999999.99")  # max_digits=10, decimal_places=2


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


# ---- providers manage their own services ----------------------------------------------

def _price(value, errors: dict) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        price = None
    if price is None or not price.is_finite() or price < 0 or price > MAX_PRICE or price != price.quantize(
            Decimal("0.01")):
        errors.setdefault("price", []).append(_("价格应为不小于 0 的金额（元），最多两位小数"))
        return None
    return price.quantize(Decimal("0.01"))


def _text(value, field: str, label: str, limit: int, errors: dict) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        errors.setdefault(field, []).append(_("{label}不能超过 {limit} 个字").format(label=_(label), limit=limit))
    return text


def _items(raw_items, errors: dict) -> list[dict]:
    """Clean item rows (product, test item, standard/method); blank rows are skipped and a
    repeated item with the same method counts once."""
    cleaned, seen = [], set()
    for n, raw in enumerate(raw_items or [], start=1):
        item = str(raw.get("item") or "").strip()
        product = str(raw.get("product") or "").strip()
        method_no = normalize_method(str(raw.get("method_no") or ""))
        if not item:
            if product or method_no:
                errors.setdefault("items", []).append(_("第 {n} 个项目缺少检测项目名称").format(n=n))
            continue
        if max(len(item), len(product), len(method_no)) > 64:
            errors.setdefault("items", []).append(_("第 {n} 个项目的名称、产品或标准号不能超过 64 个字").format(n=n))
            continue
        if (item, method_no) in seen:
            continue
        seen.add((item, method_no))
        cleaned.append({"product": product, "item": item, "method_no": method_no})
    return cleaned


def clean_service_data(*, provider: Organization | None, category: str, title: str, turnaround_days, items,
                       service_standard: str = "", price=None, price_rule: str = "", materials: str = "",
                       accreditation_ref: str = "") -> tuple[dict, list[dict]]:
    """Validate a service's fields; every problem is named at once, per field. A draft may
    still lack a price: that is checked when it is published."""
    errors: dict[str, list[str]] = {}
    if provider is None or provider.kind not in PROVIDER_KINDS:
        errors["provider"] = [_("只有质量基础设施服务机构可以发布服务")]
    if category not in Category.values:
        errors["category"] = [_("服务类别不正确")]
    data = {
        "category": category,
        "title": _text(title, "title", gettext_noop("服务名称"), 128, errors),
        "service_standard": _text(service_standard, "service_standard", gettext_noop("服务标准"), 128, errors),
        "price": _price(price, errors),
        "price_rule": _text(price_rule, "price_rule", gettext_noop("计价规则"), 200, errors),
        "materials": _text(materials, "materials", gettext_noop("客户需提供的材料"), 2000, errors),
        "accreditation_ref": _text(accreditation_ref, "accreditation_ref", gettext_noop("资质能力范围"), 64, errors),
    }
    if not data["title"]:
        errors.setdefault("title", []).append(_("请填写服务名称"))
    try:
        days = int(str(turnaround_days).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 365:
        errors["turnaround_days"] = [_("承诺时限应为 1 到 365 个工作日")]
    data["turnaround_days"] = days
    cleaned = _items(items, errors)
    if category in ACCREDITED_CATEGORIES and not cleaned and "items" not in errors:
        errors["items"] = [_("检验检测和计量服务至少包含一个项目")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    return data, cleaned


def _save_items(service: Service, items: list[dict]) -> None:
    service.items.all().delete()
    ServiceItem.objects.bulk_create(ServiceItem(service=service, **i) for i in items)
    service.search_text = index_text(service.title, service.provider.name, " ".join(i["item"] for i in items),
                                     extra_terms=[i["method_no"] for i in items])
    service.save(update_fields=["search_text"])


def _item_rows(service: Service) -> list[dict]:
    return [{"product": i.product, "item": i.item, "method_no": i.method_no} for i in service.items.all()]


def create_service(*, by, provider: Organization, category: str, title: str, turnaround_days, items: list[dict],
                   service_standard: str = "", price=None, price_rule: str = "", materials: str = "",
                   accreditation_ref: str = "", publish: bool = True) -> Service:
    """Create a service as a draft (and publish it at once unless ``publish`` is false; a
    refused publication leaves nothing behind)."""
    data, cleaned = clean_service_data(
        provider=provider, category=category, title=title, turnaround_days=turnaround_days, items=items,
        service_standard=service_standard, price=price, price_rule=price_rule, materials=materials,
        accreditation_ref=accreditation_ref)
    data["accreditation_ref"] = data["accreditation_ref"] or provider.cma_number
    with transaction.atomic():
        service = Service.objects.create(number=next_number("FW"), provider=provider, **data)
        _save_items(service, cleaned)
        audit.record(by=by, action="inspection.service.create", obj=service,
                     changes={**audit.snapshot(service, ["number", "provider_id", *EDITABLE_FIELDS]), "items": cleaned})
        if publish:
            publish_service(by=by, service=service)
    return service


def update_service(*, by, service: Service, category: str, title: str, turnaround_days, items: list[dict],
                   service_standard: str = "", price=None, price_rule: str = "", materials: str = "",
                   accreditation_ref: str = "") -> Service:
    """Edit a service. A published service stays published only if the edit still passes
    every publication check; otherwise nothing is saved and the problem is named."""
    data, cleaned = clean_service_data(
        provider=service.provider, category=category, title=title, turnaround_days=turnaround_days, items=items,
        service_standard=service_standard, price=price, price_rule=price_rule, materials=materials,
        accreditation_ref=accreditation_ref)
    with transaction.atomic():
        service = Service.objects.select_for_update().select_related("provider").get(pk=service.pk)
        before = {**audit.snapshot(service, EDITABLE_FIELDS), "items": _item_rows(service)}
        for field, value in data.items():
            setattr(service, field, value)
        service.save(update_fields=EDITABLE_FIELDS)
        _save_items(service, cleaned)
        if service.status == ServiceStatus.PUBLISHED:
            _raise_publication_problems(service)
        after = {**audit.snapshot(service, EDITABLE_FIELDS), "items": _item_rows(service)}
        audit.record(by=by, action="inspection.service.update", obj=service, changes=audit.diff(before, after))
    return service


def publication_problems(service: Service, on: dt.date | None = None) -> dict[str, list[str]]:
    """What stands between the service and the public catalogue, per field (empty: none)."""
    problems: dict[str, list[str]] = {}
    provider = service.provider
    if provider.kind not in PROVIDER_KINDS:
        problems["provider"] = [_("只有质量基础设施服务机构可以发布服务")]
    if service.price is None and not service.price_rule.strip():
        problems["price"] = [_("发布前请填写价格或计价规则")]
    items = [{"item": i.item, "method_no": i.method_no} for i in service.items.all()]
    if service.category in ACCREDITED_CATEGORIES:
        if not items:
            problems["items"] = [_("检验检测和计量服务至少包含一个项目")]
        elif not accreditation_valid(provider, on):
            problems["items"] = [_("{name} 没有有效的资质认定（CMA）证书，不能发布{category}服务").format(name=provider.name, category=service.get_category_display())]
        elif missing := uncovered_items(provider, items, on):
            problems["items"] = [_("以下检测项目不在本机构有效的资质认定（CMA）能力范围内：{items}").format(items='、'.join(missing))]
    if service.category == Category.CERTIFICATION and not service.accreditation_ref.strip():
        problems["accreditation_ref"] = [_("请填写认证机构批准书编号（资质能力范围）")]
    return problems


def _raise_publication_problems(service: Service) -> None:
    problems = publication_problems(service)
    if problems:
        raise DomainError(next(iter(problems.values()))[0], errors=problems)


def publish_service(*, by, service: Service) -> Service:
    """Publish a draft, withdrawn or suspended service once every check passes."""
    with transaction.atomic():
        service = Service.objects.select_for_update().select_related("provider").get(pk=service.pk)
        if service.status == ServiceStatus.PUBLISHED:
            raise DomainError(_("服务 {number} 已经发布").format(number=service.number), field="status")
        _raise_publication_problems(service)
        before = audit.snapshot(service, ["status", "status_reason"])
        service.status = ServiceStatus.PUBLISHED
        service.published_at = timezone.now()
        service.status_reason = ""
        service.save(update_fields=["status", "published_at", "status_reason"])
        audit.record(by=by, action="inspection.service.publish", obj=service,
                     changes=audit.diff(before, audit.snapshot(service, ["status", "status_reason"])))
    return service


def withdraw_service(*, by, service: Service, reason: str = "") -> Service:
    """Take a published (or suspended) service out of the catalogue. Orders already placed
    are unaffected; the provider may edit and publish it again."""
    reason = str(reason or "").strip()
    if len(reason) > 200:
        raise DomainError(_("撤回说明不能超过 200 个字"), field="reason")
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        if service.status not in (ServiceStatus.PUBLISHED, ServiceStatus.SUSPENDED):
            raise DomainError(_("服务 {number} 当前为“{status}”，只有已发布或已暂停的服务可以撤回").format(number=service.number, status=service.get_status_display()),
                              field="status")
        before = audit.snapshot(service, ["status", "status_reason"])
        service.status = ServiceStatus.WITHDRAWN
        service.status_reason = reason or "服务机构已撤回"
        service.save(update_fields=["status", "status_reason"])
        audit.record(by=by, action="inspection.service.withdraw", obj=service,
                     changes=audit.diff(before, audit.snapshot(service, ["status", "status_reason"])))
    return service


def suspend_lapsed(*, by, on: dt.date | None = None) -> int:
    """Suspend published testing and metrology services whose items are no longer all
    covered (the CMA certificate or a scope line expired). Run daily by
    ``tasks.check_accreditation``."""
    on = on or today()
    suspended = 0
    published = Service.objects.filter(status=ServiceStatus.PUBLISHED, category__in=ACCREDITED_CATEGORIES
                                       ).select_related("provider").prefetch_related("items")
    for service in published:
        missing = uncovered_items(service.provider, [{"item": i.item, "method_no": i.method_no}
                                                     for i in service.items.all()], on)
        if not missing:
            continue
        with transaction.atomic():
            service.status = ServiceStatus.SUSPENDED
            service.status_reason = f"资质认定能力范围已失效：{'、'.join(missing)}"[:200]
            service.save(update_fields=["status", "status_reason"])
            audit.record(by=by, action="inspection.service.suspend", obj=service,
                         changes={"status": ["published", "suspended"], "reason": service.status_reason})
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
