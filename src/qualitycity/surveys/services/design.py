"""A project's design after creation: quotas, population margins and the fieldwork agency."""

from __future__ import annotations

import math

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Organization
from qualitycity.core.models.organizations import PROVIDER_KINDS
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.core.tabular import read_table

from ..itembank import AGE_BANDS, SEXES
from ..models import Project

DIMENSIONS = ("district", "sex", "age")
DIMENSION_WORDS = {"district": "district", "区": "district", "sex": "sex", "性别": "sex", "age": "age",
                   "年龄段": "age", "年龄": "age"}
SEX_WORDS = {"M": "M", "F": "F", "男": "M", "女": "F"}
# A census table rounds each share; 0.5 percentage point of slack accepts that, not a typo.
SUM_TOLERANCE = 0.005


def dimension_label(dim: str) -> str:
    return {"district": _("区"), "sex": _("性别"), "age": _("年龄段")}[dim]


def district_names() -> list[str]:
    return list(Area.objects.exclude(kind=Area.Kind.CITY).order_by("sort_order", "code", "name")
                .values_list("name", flat=True))


def categories(dim: str, project: Project | None = None) -> list[str]:
    if dim == "sex":
        return [c for c, _label in SEXES]
    if dim == "age":
        return [c for c, _label in AGE_BANDS]
    if project is not None and project.target_kind == Project.Target.DISTRICT and project.area_id:
        return [project.area.name]
    return district_names()


def _category(dim: str, raw) -> str:
    text = str(raw).strip()
    return SEX_WORDS.get(text, text) if dim == "sex" else text


def clean_quotas(quotas, project: Project | None = None) -> tuple[dict, list[str]]:
    """Quotas as {dimension: {category: non-negative whole number}}; zero or blank drops a cell."""
    if not isinstance(quotas, dict):
        return {}, [_("配额格式应为 {\"district\"|\"sex\"|\"age\": {类别: 非负整数}}")]
    clean, errors = {}, []
    for dim, targets in quotas.items():
        if dim not in DIMENSIONS or not isinstance(targets, dict):
            errors.append(_("未知的配额维度：%s") % dim)
            continue
        known = set(categories(dim, project))
        row = {}
        for raw, value in targets.items():
            cat = _category(dim, raw)
            if cat not in known:
                errors.append(_("%(dim)s配额中有未知类别：%(cat)s") % {"dim": dimension_label(dim), "cat": raw})
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors.append(_("%(dim)s配额“%(cat)s”应为非负整数") % {"dim": dimension_label(dim), "cat": raw})
            elif value:
                row[cat] = value
        if row:
            clean[dim] = row
    return clean, errors


def clean_margins(margins, project: Project) -> dict:
    """Population shares per dimension, each a complete set of categories summing to 1
    (or to 100, read as percentages).  Raises DomainError naming the first problem."""
    if not isinstance(margins, dict) or not margins:
        raise DomainError(_("请至少填写一个维度的总体边际"), field="margins")
    clean = {}
    for dim, shares in margins.items():
        if dim not in DIMENSIONS or not isinstance(shares, dict):
            raise DomainError(_("未知的边际维度：%s") % dim, field="margins")
        label = dimension_label(dim)
        if dim == "district" and project.target_kind == Project.Target.DISTRICT:
            raise DomainError(_("区政府测评只涉及一个区，不按区加权；请删去区边际"), field="margins")
        known = categories(dim, project)
        row = {}
        for raw, value in shares.items():
            cat = _category(dim, raw)
            if cat not in known:
                what = _("未知的区") if dim == "district" else _("未知的%s类别") % label
                raise DomainError(f"{what}：{raw}", field="margins")
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise DomainError(_("%(dim)s“%(cat)s”的占比应为数字") % {"dim": label, "cat": raw},
                                  field="margins") from None
            if not math.isfinite(number) or number < 0:
                raise DomainError(_("%(dim)s“%(cat)s”的占比不能为负数") % {"dim": label, "cat": raw}, field="margins")
            row[cat] = number
        missing = [c for c in known if c not in row]
        if missing:
            raise DomainError(_("%(dim)s边际缺少类别：%(cats)s") % {"dim": label, "cats": "、".join(missing)},
                              field="margins")
        total = sum(row.values())
        if not (abs(total - 1) <= SUM_TOLERANCE or abs(total - 100) <= 100 * SUM_TOLERANCE):
            raise DomainError(_("%(dim)s边际合计为 %(total)s，应为 1（或 100%%）") % {"dim": label, "total": f"{total:g}"},
                              field="margins")
        clean[dim] = {c: row[c] / total for c in known}  # stored as shares summing to exactly 1
    return clean


def parse_margins_table(filename: str, content: bytes) -> dict:
    """Margins from a CSV or Excel table with columns 维度, 类别, 占比 (or dimension, category, share)."""
    table = read_table(filename, content)
    columns = {"维度": "dimension", "dimension": "dimension", "类别": "category", "category": "category",
               "占比": "share", "share": "share"}
    names = {columns[h]: h for h in table.header if h in columns}
    absent = [c for c in ("dimension", "category", "share") if c not in names]
    if absent:
        raise DomainError(_("表头应为：维度, 类别, 占比"), field="file")
    margins: dict[str, dict] = {}
    for line, row in table.rows:
        dim = DIMENSION_WORDS.get(row[names["dimension"]].strip().lower()) or DIMENSION_WORDS.get(
            row[names["dimension"]].strip())
        if dim is None:
            raise DomainError(_("第 %(line)d 行：未知的维度“%(dim)s”") % {"line": line, "dim": row[names["dimension"]]},
                              field="file")
        value = row[names["share"]].strip().rstrip("%")
        margins.setdefault(dim, {})[row[names["category"]].strip()] = value
    if not margins:
        raise DomainError(_("文件中没有数据行"), field="file")
    return margins


def set_margins(*, by: Actor, project: Project, margins: dict) -> Project:
    """Replace the population margins raking uses; audited with the old and new shares."""
    clean = clean_margins(margins, project)
    with transaction.atomic():
        before = {"margins": project.margins, "margins_default": project.margins_default}
        project.margins, project.margins_default = clean, False
        project.save(update_fields=["margins", "margins_default"])
        audit.record(by=by, action="surveys.margins.set", obj=project,
                     changes={"margins": [before["margins"], clean],
                              "margins_default": [before["margins_default"], False]})
    return project


def check_agency(agency: Organization | None) -> None:
    if agency is not None and agency.kind not in PROVIDER_KINDS:
        raise DomainError(_("调查执行机构应为第三方服务机构"), field="fieldwork_agency")


def set_design(*, by: Actor, project: Project, quotas: dict, fieldwork_agency: Organization | None) -> Project:
    """Change the quotas (district, sex, age band) and the contracted fieldwork agency."""
    clean, errors = clean_quotas(quotas, project)
    if errors:
        raise DomainError(errors[0], errors={"quotas": errors})
    check_agency(fieldwork_agency)
    with transaction.atomic():
        before = {"quotas": project.quotas, "fieldwork_agency": project.fieldwork_agency_id}
        project.quotas, project.fieldwork_agency = clean, fieldwork_agency
        project.save(update_fields=["quotas", "fieldwork_agency"])
        after = {"quotas": clean, "fieldwork_agency": project.fieldwork_agency_id}
        audit.record(by=by, action="surveys.design.set", obj=project,
                     changes={k: [before[k], after[k]] for k in before if before[k] != after[k]})
    return project
