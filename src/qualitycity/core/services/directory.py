"""Creating and changing directory organizations, shared by the API, the views and the
importer, so that one set of field rules decides what is valid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from .. import credit_code, size_class
from ..errors import DomainError
from ..models import Area, GrowthStage, Industry, Organization, OrgKind
from ..models.organizations import PROVIDER_KINDS
from . import audit

CATEGORY_KINDS: dict[str, tuple[str, ...]] = {
    "enterprise": (OrgKind.ENTERPRISE,),
    "provider": tuple(PROVIDER_KINDS),
    "government": (OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT),
    "park": (OrgKind.PARK,),
}


def category_of(kind: str) -> str:
    return next((cat for cat, kinds in CATEGORY_KINDS.items() if kind in kinds), "government")


class Lookups:
    """Reference data loaded once per request or import, so validating 50,000 rows makes
    a handful of queries rather than one per cell."""

    def __init__(self):
        self.areas: dict[str, Area] = {}
        for area in Area.objects.all():
            self.areas[area.name] = area
            if area.code:
                self.areas[area.code] = area
        self.industries = {i.code: i for i in Industry.objects.filter(level=Industry.Level.DIVISION)}
        self.parks = {p.name: p for p in Organization.objects.filter(kind=OrgKind.PARK)}
        self.kind_by_label = {str(label): value for value, label in OrgKind.choices} | {v: v for v in OrgKind.values}
        self.stage_by_label = {str(label): value for value, label in GrowthStage.choices} | {
            v: v for v in GrowthStage.values
        }


def _text(limit: int) -> Callable:
    def parse(value: str, lookups: Lookups):
        if len(value) > limit:
            raise ValueError(_("不能超过 %(n)d 个字符") % {"n": limit})
        return value

    return parse


def _credit_code(value: str, lookups: Lookups):
    try:
        return credit_code.validate(value)
    except credit_code.CreditCodeError as exc:
        raise ValueError(str(exc)) from None


def _area(value: str, lookups: Lookups):
    area = lookups.areas.get(value)
    if area is None:
        raise ValueError(_("未知的区“%(v)s”（请填写区名或 GB/T 2260 区划代码）") % {"v": value[:40]})
    return area


def _industry(value: str, lookups: Lookups):
    # "C38" (section letter + division) is accepted as well as "38".
    code = value[1:] if len(value) == 3 and value[0].isalpha() else value
    industry = lookups.industries.get(code)
    if industry is None:
        raise ValueError(_("未知的行业代码“%(v)s”（请填写 GB/T 4754-2017 两位大类代码，如 38）") % {"v": value[:40]})
    return industry


def _park(value: str, lookups: Lookups):
    park = lookups.parks.get(value)
    if park is None:
        raise ValueError(_("未知的园区“%(v)s”") % {"v": value[:64]})
    return park


# Column limits, checked here so both databases refuse the same values with the same
# message (SQLite would store what PostgreSQL's integer/numeric(14,2) columns refuse).
MAX_EMPLOYEES = 2_147_483_647
MAX_MONEY = Decimal("999999999999.99")


def _number(value: str) -> Decimal:
    """A finite decimal, or ValueError: NaN, Infinity and 1e400 are not numbers people mean."""
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("“%(v)s”不是数字") % {"v": value[:40]}) from None
    if not number.is_finite() or abs(number.adjusted()) > 30:
        raise ValueError(_("“%(v)s”不是有效的数值") % {"v": value[:40]})
    return number


def _positive_int(value: str, lookups: Lookups):
    number = _number(value)
    if number < 0 or number != number.to_integral_value():
        raise ValueError(_("“%(v)s”应为非负整数") % {"v": value[:40]})
    if number > MAX_EMPLOYEES:
        raise ValueError(_("不能超过 %(max)s") % {"max": f"{MAX_EMPLOYEES:,}"})
    return int(number)


def _money(value: str, lookups: Lookups):
    amount = _number(value)
    if amount < 0:
        raise ValueError(_("金额不能为负数"))
    if amount > MAX_MONEY:
        raise ValueError(_("金额不能超过 %(max)s 万元") % {"max": f"{MAX_MONEY:,}"})
    return amount.quantize(Decimal("0.01"))


def _date(value: str, lookups: Lookups):
    text = value.strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("“%(v)s”不是日期（格式 YYYY-MM-DD）") % {"v": value[:40]}) from None


def _choice(mapping_name: str, allowed: Callable[[str], bool] = lambda v: True):
    def parse(value: str, lookups: Lookups):
        mapping = getattr(lookups, mapping_name)
        chosen = mapping.get(value)
        if chosen is None or not allowed(chosen):
            raise ValueError(_("不支持的取值“%(v)s”") % {"v": value[:40]})
        return chosen

    return parse


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    parse: Callable
    required: bool = False


COMMON_TAIL = [
    FieldSpec("address", "地址", _text(200)),
    FieldSpec("contact_name", "联系人", _text(32)),
    FieldSpec("contact_phone", "联系电话", _text(32)),
]
FIELDS: dict[str, list[FieldSpec]] = {
    "enterprise": [
        FieldSpec("name", "名称", _text(128), required=True),
        FieldSpec("credit_code", "统一社会信用代码", _credit_code, required=True),
        FieldSpec("area", "所在区", _area, required=True),
        FieldSpec("industry", "行业代码", _industry, required=True),
        FieldSpec("park", "所在园区", _park),
        FieldSpec("employees", "从业人员", _positive_int),
        FieldSpec("annual_revenue", "营业收入(万元)", _money),
        FieldSpec("founded_on", "成立日期", _date),
        FieldSpec("growth_stage", "发展阶段", _choice("stage_by_label")),
        *COMMON_TAIL,
    ],
    "provider": [
        FieldSpec("name", "名称", _text(128), required=True),
        FieldSpec("kind", "类型", _choice("kind_by_label", lambda v: v in PROVIDER_KINDS), required=True),
        FieldSpec("credit_code", "统一社会信用代码", _credit_code, required=True),
        FieldSpec("area", "所在区", _area, required=True),
        FieldSpec("cma_number", "CMA证书编号", _text(32)),
        FieldSpec("cma_valid_until", "CMA有效期至", _date),
        FieldSpec("cnas_number", "CNAS认可编号", _text(32)),
        FieldSpec("capability_scope", "能力范围", _text(4000)),
        *COMMON_TAIL,
    ],
    "government": [
        FieldSpec("name", "名称", _text(128), required=True),
        FieldSpec(
            "kind", "类型", _choice("kind_by_label", lambda v: v in CATEGORY_KINDS["government"]), required=True
        ),
        FieldSpec("credit_code", "统一社会信用代码", _credit_code),
        FieldSpec("area", "所在区", _area, required=True),
        *COMMON_TAIL,
    ],
}


def clean(category: str, raw: dict, lookups: Lookups, *, partial: bool = False) -> tuple[dict, dict]:
    """Validate one record. Returns ``(values, errors)``; errors map a field key to a message.

    ``raw`` may be keyed by field key or by Chinese column label."""
    if category not in FIELDS:
        raise DomainError(_("不支持的机构类别“%(category)s”") % {"category": category[:40]})
    values: dict = {}
    errors: dict = {}
    for spec in FIELDS[category]:
        present = spec.key in raw or spec.label in raw
        value = raw.get(spec.key, raw.get(spec.label))
        text = "" if value is None else str(value).strip()
        if not text:
            if spec.required and (present or not partial):
                errors[spec.key] = _("必填")
            elif present:
                values[spec.key] = None if spec.key not in ("address", "contact_name", "contact_phone") else ""
            continue
        if spec.key == "contact_phone" and "*" in text:
            continue  # a masked number from our own export: keep the stored one
        try:
            values[spec.key] = spec.parse(text, lookups)
        except ValueError as exc:
            errors[spec.key] = str(exc)
    if category == "enterprise" and "kind" not in values and not partial:
        values["kind"] = OrgKind.ENTERPRISE
    return values, errors


def _derive(org: Organization) -> None:
    """Fields the platform computes rather than trusts: the enterprise size class."""
    if org.kind == OrgKind.ENTERPRISE and org.industry_id:
        org.size_class = size_class.classify(org.industry.code, org.employees, org.annual_revenue)


def _ensure_unique_code(code: str | None, exclude_pk: int | None = None) -> None:
    if not code:
        return
    clash = Organization.objects.filter(credit_code=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise DomainError(_("统一社会信用代码 %(code)s 已被“%(name)s”使用") % {"code": code, "name": clash.name}, field="credit_code")


def _apply(org: Organization, values: dict) -> None:
    for key, value in values.items():
        if key in ("address", "contact_name", "contact_phone", "capability_scope", "cma_number", "cnas_number"):
            value = value or ""
        if key == "growth_stage":
            value = value or ""
        setattr(org, key, value)
    _derive(org)


def create_organization(*, by: audit.Actor, category: str, data: dict, lookups: Lookups | None = None):
    values, errors = clean(category, data, lookups or Lookups())
    if errors:
        raise DomainError(_("提交的机构信息有误"), errors=errors)
    with transaction.atomic():
        _ensure_unique_code(values.get("credit_code"))
        org = Organization()
        _apply(org, values)
        org.save()
        audit.record(by=by, action="organization.create", obj=org, changes=audit.diff({}, audit.snapshot(org)))
    return org


def update_organization(*, by: audit.Actor, organization: Organization, data: dict) -> Organization:
    category = category_of(organization.kind)
    values, errors = clean(category, data, Lookups(), partial=True)
    if errors:
        raise DomainError(_("提交的机构信息有误"), errors=errors)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=organization.pk)
        before = audit.snapshot(org)
        _ensure_unique_code(values.get("credit_code"), exclude_pk=org.pk)
        _apply(org, values)
        org.save()
        changes = audit.diff(before, audit.snapshot(org))
        changes.pop("updated_at", None)
        audit.record(by=by, action="organization.update", obj=org, changes=changes)
    return org


def save_from_admin(*, by: audit.Actor, organization: Organization) -> Organization:
    """Save an organization edited in the staff admin, under the same rules as the API:
    a valid, unused credit code and a computed (never typed) size class."""
    org = organization
    if org.credit_code:
        try:
            org.credit_code = credit_code.validate(org.credit_code)
        except credit_code.CreditCodeError as exc:
            raise DomainError(str(exc), field="credit_code") from None
    else:
        org.credit_code = None
    if org.kind == OrgKind.ENTERPRISE and not org.industry_id:
        raise DomainError(_("企业必须填写行业"), field="industry")
    with transaction.atomic():
        created = org.pk is None
        before = {} if created else audit.snapshot(Organization.objects.select_for_update().get(pk=org.pk))
        _ensure_unique_code(org.credit_code, exclude_pk=org.pk)
        _derive(org)
        org.save()
        changes = audit.diff(before, audit.snapshot(org))
        changes.pop("updated_at", None)
        action = "organization.create" if created else "organization.update"
        audit.record(by=by, action=action, obj=org, changes=changes)
    return org
