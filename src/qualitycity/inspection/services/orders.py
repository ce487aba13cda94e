"""Inspection orders: one-click request, the state machine, results and four-eyes review."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualitycity.core.calendar import deadline_for, get_calendar, local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Membership, Organization, OrgKind, Role
from qualitycity.core.services import audit
from qualitycity.core.services.notifications import notify

from ..models import InspectionResult, Order, OrderEvent, OrderItem, OrderState, Service
from .catalogue import uncovered_items
from .common import next_number, normalize_method
from .matching import match_labs
from .statemachine import ACTION_LABELS, TRANSITIONS

DONE_STATES = (OrderState.ISSUED, OrderState.RATED, OrderState.DECLINED)


def _clean_items(items: list[dict]) -> list[dict]:
    cleaned, seen = [], set()
    for raw in items:
        item = (raw.get("item") or "").strip()
        if not item or item in seen:
            continue
        seen.add(item)
        cleaned.append({"item": item, "method_no": normalize_method(raw.get("method_no", ""))})
    return cleaned


def _event(order: Order, by, action: str, before: str, note: str = "") -> None:
    OrderEvent.objects.create(order=order, at=timezone.now(), actor=by.user, actor_label=by.display[:64],
                              action=action, from_state=before, to_state=order.state, note=note[:300])


def _notify_org(org: Organization, role: str, title: str, link: str) -> None:
    for m in Membership.objects.filter(organization=org, role=role).select_related("user"):
        notify(user=m.user, title=title, link=link, category="inspection")


def create_order(*, by, enterprise: Organization, product_name: str, items: list[dict], lab: Organization | None = None,
                 product_category: str = "", description: str = "", kinds=(OrgKind.TESTING_LAB,)) -> Order:
    """Place an order. With no ``lab`` the top-ranked match is chosen (the one click); with a
    lab, it must be among the matches (its valid scope covers every item)."""
    items = _clean_items(items)
    errors = {}
    if enterprise.kind != OrgKind.ENTERPRISE:
        errors["enterprise"] = [_("只有企业可以报检")]
    if not product_name.strip():
        errors["product_name"] = [_("请填写产品名称")]
    if not items:
        errors["items"] = [_("请至少选择一个检测项目")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    matches = match_labs(enterprise=enterprise, items=items, kinds=kinds)
    if not matches:
        raise DomainError(_("没有资质能力范围覆盖全部所选项目的检验检测机构，请减少项目或分开报检"), field="items")
    chosen = matches[0] if lab is None else next((m for m in matches if m.lab.pk == lab.pk), None)
    if chosen is None:
        raise DomainError(_("{name} 的有效资质能力范围未覆盖全部所选项目").format(name=lab.name), field="lab")
    with transaction.atomic():
        order = Order.objects.create(
            number=next_number("JY"), enterprise=enterprise, lab=chosen.lab, created_by=by.user,
            service=Service.objects.filter(pk=chosen.service_id).first(), product_name=product_name.strip(),
            product_category=product_category.strip() or product_name.strip(), description=description,
            turnaround_days=chosen.turnaround_days, match_explanation=chosen.reasons,
        )
        OrderItem.objects.bulk_create(OrderItem(order=order, **i) for i in items)
        _event(order, by, "create", "", f"自动匹配：{chosen.lab.name}" if lab is None else f"企业选择：{chosen.lab.name}")
        audit.record(by=by, action="inspection.order.create", obj=order,
                     changes={**audit.snapshot(order, ["number", "enterprise_id", "lab_id", "product_name", "state"]),
                              "items": items})
        _notify_org(chosen.lab, Role.PROVIDER_STAFF, f"新的报检订单 {order.number}", f"/inspection/orders/{order.number}/")
    return order


def _decimal(value, field: str, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(message, field=field) from None
    if not number.is_finite() or number < 0:
        raise DomainError(message, field=field)
    return number


def _require(data: dict, field: str, message: str) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def transition(*, by, order: Order, action: str, **data) -> Order:
    """Move an order along the state machine, validating the data the move needs. Refused
    moves raise ``DomainError`` and change nothing."""
    if action not in TRANSITIONS:
        raise DomainError(_("未知操作：{action}").format(action=action), field="action")
    if action == "issue":
        from .reports import issue_report

        issue_report(by=by, order=order)
        return Order.objects.get(pk=order.pk)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        sources, target, _party = TRANSITIONS[action]
        if order.state not in sources:
            raise DomainError(
                _("订单 {number} 当前状态为“{state}”，不能执行“{label}”").format(number=order.number, state=order.get_state_display(), label=ACTION_LABELS[action]),
                field="action",
            )
        before_state = order.state
        before = audit.snapshot(order)
        note = _apply(order, by, action, data)
        order.state = target
        order.save()
        _event(order, by, action, before_state, note)
        audit.record(by=by, action=f"inspection.order.{action}", obj=order,
                     changes=audit.diff(before, audit.snapshot(order)))
        counterpart = (order.enterprise, Role.ENTERPRISE_MEMBER) if TRANSITIONS[action][2] == "lab" else (
            order.lab, Role.PROVIDER_STAFF)
        _notify_org(*counterpart, f"订单 {order.number}：{order.get_state_display()}", f"/inspection/orders/{order.number}/")
    return order


def _apply(order: Order, by, action: str, data: dict) -> str:
    if action == "accept":
        missing = uncovered_items(order.lab, [{"item": i.item, "method_no": i.method_no} for i in order.items.all()])
        if missing:
            raise DomainError(_("本机构有效资质能力范围未覆盖：{items}，不能受理").format(items='、'.join(missing)), field="items")
        order.quote = _decimal(data.get("quote"), "quote", _("请填写有效的报价（元）"))
        return f"报价 {order.quote} 元"
    if action == "ask_info":
        order.info_request = _require(data, "note", _("请说明需要企业补充的信息"))
        return order.info_request
    if action == "decline":
        order.decline_reason = _require(data, "note", _("请填写拒绝理由"))
        return order.decline_reason
    if action == "provide_info":
        note = _require(data, "note", _("请填写补充信息"))
        order.description = f"{order.description}\n{note}".strip()
        return note
    if action in ("send_sample", "schedule_sampling"):
        order.sampling_mode = "sent" if action == "send_sample" else "onsite"
        order.sampling_plan = str(data.get("sampling_plan") or "").strip()[:128]
        when = data.get("sampling_date")
        if action == "schedule_sampling" and not when:
            raise DomainError(_("请填写上门抽样日期"), field="sampling_date")
        order.sampling_date = _date(when) if when else local_date(timezone.now())
        return f"{'寄送样品' if action == 'send_sample' else '上门抽样'} {order.sampling_date}"
    if action == "receive":
        order.sample_condition = _require(data, "sample_condition", _("请记录样品状态（如：完好、密封）"))
        received = data.get("received_at") or timezone.now()
        if isinstance(received, dt.date) and not isinstance(received, dt.datetime):
            received = timezone.make_aware(dt.datetime.combine(received, dt.time(9)))
        order.received_at = received
        deadline = deadline_for(received, order.turnaround_days)
        order.due_on = deadline.due_on
        return f"样品状态：{order.sample_condition}；应于 {order.due_on} 前出具报告 {deadline.warning}".strip()
    if action == "submit_results":
        incomplete = [i.item for i in order.items.all() if not (i.value and i.unit and i.limit and i.passed is not None)]
        if incomplete:
            raise DomainError(_("以下项目尚未录入完整结果：{items}").format(items='、'.join(incomplete)), field="results")
        order.entered_by = by.user
        order.tested_on = order.tested_on or local_date(timezone.now())
        return ""
    if action == "approve":
        if by.user is None or order.entered_by_id == by.user.pk:
            raise DomainError(_("四眼原则：审核人不能是结果录入人，请由另一位人员审核"), field="reviewer")
        order.reviewed_by = by.user
        _record_facts(order)
        return ""
    if action == "reject_review":
        return _require(data, "note", _("请填写退回理由"))
    if action == "rate":
        try:
            rating = int(data.get("rating"))
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            raise DomainError(_("评分须为 1 到 5 分"), field="rating")
        order.rating = rating
        order.rating_comment = str(data.get("note") or "")[:200]
        return f"{rating} 分 {order.rating_comment}".strip()
    return ""


def _date(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("日期格式应为 YYYY-MM-DD"), field="sampling_date") from None


def _record_facts(order: Order, only: list[OrderItem] | None = None) -> None:
    """Failed items become ``InspectionResult`` facts for the risk module."""
    enterprise = order.enterprise
    InspectionResult.objects.bulk_create(
        InspectionResult(order_item=i, product_category=order.product_category, enterprise=enterprise,
                         district_id=enterprise.area_id, industry_code=getattr(enterprise.industry, "code", "") or "",
                         tested_on=order.tested_on or local_date(timezone.now()), item=i.item, hazard=i.hazard,
                         order_number=order.number)
        for i in (order.items.all() if only is None else only) if i.passed is False
    )


# ---- results -------------------------------------------------------------------

_LIMIT = re.compile(r"^\s*(≤|<=|<|≥|>=|>)?\s*(-?\d+(?:\.\d+)?)\s*$")
_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[~～-]\s*(-?\d+(?:\.\d+)?)\s*$")


def judge(value: str, limit: str) -> bool | None:
    """Pass/fail of a numeric value against ``≤x``, ``≥x``, ``<x``, ``>x``, ``a~b`` or a bare
    number (read as a maximum, the usual form of a limit in product standards)."""
    try:
        v = float(value)
    except ValueError:
        return None
    if m := _RANGE.match(limit):
        return float(m[1]) <= v <= float(m[2])
    if m := _LIMIT.match(limit):
        op, x = m[1] or "≤", float(m[2])
        return {"≤": v <= x, "<=": v <= x, "<": v < x, "≥": v >= x, ">=": v >= x, ">": v > x}[op]
    return None


def plausibility(value: str, limit: str) -> str:
    """A warning (never a refusal) for values that are likely typing or unit mistakes."""
    try:
        v = float(value)
    except ValueError:
        return "" if value.strip() in ("未检出", "ND", "符合", "不符合") else gettext_noop("结果不是数值，请确认")
    if v < 0:
        return gettext_noop("结果为负值，请确认")
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", limit)]
    if nums and max(nums) > 0 and v > 100 * max(nums):
        return gettext_noop("结果超过限值 100 倍以上，可能单位录入错误")
    if nums and min(nums) > 0 and 0 < v < min(nums) / 1000:
        return gettext_noop("结果低于限值千分之一，可能单位录入错误")
    return ""


RESULT_FIELDS = ("value", "unit", "limit", "passed", "external_provider", "hazard")


def _checked_rows(items: dict[str, OrderItem], results: list[dict]) -> tuple[list[tuple[OrderItem, dict]], list[str]]:
    """Validate result rows against the order's items without touching them: every row
    needs a value, a unit and a limit; pass/fail is judged from the limit unless given.
    Returns ``(item, new values)`` pairs and the plausibility warnings; raises
    ``DomainError`` naming every problem."""
    errors, warnings, checked = {}, [], []
    for row in results:
        name = str(row.get("item") or "").strip()
        item = items.get(name)
        if item is None:
            errors.setdefault("item", []).append(_("订单中没有检测项目“{name}”").format(name=name))
            continue
        value, unit, limit = (str(row.get(k) or "").strip() for k in ("value", "unit", "limit"))
        for field, text, label in (("value", value, gettext_noop("结果")), ("unit", unit, gettext_noop("单位")), ("limit", limit, gettext_noop("限值"))):
            if not text:
                errors.setdefault(field, []).append(_("“{name}”缺少{label}").format(name=name, label=_(label)))
            elif len(text) > OrderItem._meta.get_field(field).max_length:
                errors.setdefault(field, []).append(_("“{name}”的{label}过长").format(name=name, label=_(label)))
        if not (value and unit and limit):
            continue
        passed = row.get("passed")
        passed = judge(value, limit) if passed is None else bool(passed)
        if passed is None:
            errors.setdefault("passed", []).append(_("“{name}”无法按限值自动判定，请选择合格或不合格").format(name=name))
            continue
        new = {"value": value, "unit": unit, "limit": limit, "passed": passed,
               "external_provider": str(row.get("external_provider") or "")[:128],
               "hazard": str(row.get("hazard") or "")[:64]}
        warning = plausibility(value, limit)
        if warning:
            warnings.append(_("{name}：{warning}").format(name=name, warning=_(warning)))
        checked.append((item, {**new, "warning": warning}))
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    return checked, warnings


def enter_results(*, by, order: Order, results: list[dict]) -> list[str]:
    """Record per-item results while the order is being tested. Every result needs a value,
    a unit and a limit; pass/fail is judged from the limit unless given. Returns warnings."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.state != OrderState.TESTING:
            raise DomainError(_("订单当前状态为“{state}”，只有检测中的订单可以录入结果").format(state=order.get_state_display()),
                              field="results")
        checked, warnings = _checked_rows({i.item: i for i in order.items.all()}, results)
        for item, new in checked:
            for field, value in new.items():
                setattr(item, field, value)
        touched = [item for item, _new in checked]
        OrderItem.objects.bulk_update(touched, [*RESULT_FIELDS, "warning"])
        order.entered_by = by.user
        order.tested_on = local_date(timezone.now())
        order.save(update_fields=["entered_by", "tested_on", "updated_at"])
        audit.record(by=by, action="inspection.order.results", obj=order,
                     changes={"results": [audit.snapshot(i, ["item", "value", "unit", "limit", "passed"])
                                          for i in touched]})
    return warnings


def correct_results(*, order: Order, results: list[dict]) -> list[dict]:
    """Apply corrected result rows to an issued order, for an amended report (ISO/IEC
    17025:2017 7.8.8). A row names its ``item`` and the fields that change; unnamed
    fields keep their values; pass/fail is judged again from the limit when the value or
    the limit changed, unless given.
    Returns the changes ``[{"item", "before", "after"}]`` and brings the order's
    ``InspectionResult`` facts in line. The caller holds the transaction and audits."""
    if order.state not in (OrderState.ISSUED, OrderState.RATED):
        raise DomainError(_("订单当前状态为“{state}”，只有已签发报告的订单可以更正结果").format(state=order.get_state_display()),
                          field="results")
    items = {i.item: i for i in order.items.all()}
    merged = []
    for row in results:
        current = items.get(str(row.get("item") or "").strip())
        kept = {f: getattr(current, f) for f in RESULT_FIELDS if f != "passed"} if current else {}
        row = {**kept, **{k: v for k, v in row.items() if v is not None}}
        if row.get("passed") is None and current is not None and all(
                str(row.get(f) or "").strip() == getattr(current, f) for f in ("value", "limit")):
            row["passed"] = current.passed  # value and limit unchanged: the verdict stands
        merged.append(row)
    checked, _warnings = _checked_rows(items, merged)
    changes, touched = [], []
    for item, new in checked:
        before = {f: getattr(item, f) for f in RESULT_FIELDS}
        after = {f: new[f] for f in RESULT_FIELDS}
        if before == after:
            continue
        for field, value in new.items():
            setattr(item, field, value)
        touched.append(item)
        changes.append({"item": item.item, "before": before, "after": after})
    if touched:
        OrderItem.objects.bulk_update(touched, [*RESULT_FIELDS, "warning"])
        sync_facts(order)
    return changes


def sync_facts(order: Order) -> None:
    """Make the order's ``InspectionResult`` facts match its current results: one fact per
    failed item. Used when an amended report corrects results, so the risk module counts
    failures as the lab now reports them."""
    stale, new = [], []
    for item in order.items.select_related("fact"):
        fact = _fact_of(item)
        if item.passed is not False:
            if fact is not None:
                stale.append(fact.pk)
        elif fact is None:
            new.append(item)
        elif (fact.hazard, fact.item) != (item.hazard, item.item):
            fact.hazard, fact.item = item.hazard, item.item
            fact.save(update_fields=["hazard", "item"])
    InspectionResult.objects.filter(pk__in=stale).delete()
    _record_facts(order, only=new)


def _fact_of(item: OrderItem):
    try:
        return item.fact
    except InspectionResult.DoesNotExist:
        return None


# ---- the turnaround clock ---------------------------------------------------------

def clock(order: Order, today: dt.date | None = None) -> dict:
    """Working days left until ``due_on`` and the flag shown to the lab and the city office:
    ``overdue`` past the due date, ``at_risk`` with at most a fifth of the promise left."""
    if order.due_on is None or order.state in DONE_STATES:
        return {"flag": "", "left": None}
    today = today or local_date(timezone.now())
    calendar = get_calendar()
    if today > order.due_on:
        return {"flag": "overdue", "left": -calendar.working_days_between(order.due_on, today)}
    left = calendar.working_days_between(today, order.due_on)
    return {"flag": "at_risk" if left <= max(1, order.turnaround_days // 5) else "", "left": left}


def notify_flagged(*, on: dt.date | None = None) -> dict:
    """Daily digest of at-risk and overdue orders: to each lab's staff and to the city office.
    Notifications only (no model changes), so a repeated run sends another digest, not a duplicate row."""
    from collections import Counter

    on = on or local_date(timezone.now())
    per_lab: dict[int, Counter] = {}
    city = Counter()
    open_orders = Order.objects.exclude(state__in=DONE_STATES).filter(due_on__isnull=False,
                                                                        due_on__lte=on + dt.timedelta(days=14))
    for order in open_orders.only("id", "lab_id", "due_on", "state", "turnaround_days"):
        flag = clock(order, on)["flag"]
        if flag:
            per_lab.setdefault(order.lab_id, Counter())[flag] += 1
            city[flag] += 1
    with transaction.atomic():
        for lab_id, counts in per_lab.items():
            for m in Membership.objects.filter(organization_id=lab_id, role=Role.PROVIDER_STAFF).select_related("user"):
                notify(user=m.user, title=f"即将超期 {counts['at_risk']} 单，已超期 {counts['overdue']} 单",
                       link="/inspection/lab/", category="inspection")
        if city:
            for m in Membership.objects.filter(role=Role.CITY_OFFICE).select_related("user"):
                notify(user=m.user, title=f"全市检验订单：即将超期 {city['at_risk']} 单，已超期 {city['overdue']} 单",
                       link="/inspection/stats/", category="inspection")
    return {"labs": len(per_lab), **city}
