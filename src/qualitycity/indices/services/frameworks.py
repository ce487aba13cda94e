"""Editing a framework (hierarchy, indicators, options) and the experts' AHP questionnaires.

AHP judgements of several experts are combined by the element-wise geometric mean of
their matrices (Aczél & Saaty 1983, "Procedures for synthesizing ratio judgements",
J Math Psychol 27:93), which keeps the combined matrix reciprocal; weights and the
consistency ratio come from the engine (Saaty 1980; Handbook §6.7).
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit
from qualitycity.methods.composite import CompositeInputError, weighting

from ..models import AhpQuestionnaire, AhpResponse, Framework, Group, Indicator

OPTION_FIELDS = ("name", "description", "normalization", "weighting", "aggregation", "imputation", "outliers")
INDICATOR_FIELDS = ("group", "code", "name", "unit", "direction", "source", "provider", "weight", "target",
                    "goal_low", "goal_high", "order")
SLUG = re.compile(r"[A-Za-z0-9_-]{1,40}")
SAATY_SCALE = [f"1/{k}" for k in range(9, 1, -1)] + [str(k) for k in range(1, 10)]


def _choices_check(fw: Framework, data: dict) -> None:
    for name in ("normalization", "weighting", "aggregation", "imputation"):
        if name in data and data[name] not in dict(Framework._meta.get_field(name).choices):
            raise DomainError(_("不支持的选项“%(v)s”") % {"v": data[name]}, field=name)


@transaction.atomic
def update_options(*, by: audit.Actor, framework: Framework, data: dict) -> Framework:
    _choices_check(framework, data)
    before = audit.snapshot(framework)
    for key in OPTION_FIELDS:
        if key in data:
            setattr(framework, key, data[key])
    if not framework.name.strip():
        raise DomainError(_("请填写名称"), field="name")
    framework.save()
    audit.record(by=by, action="indices.framework.update", obj=framework,
                 changes=audit.diff(before, audit.snapshot(framework)))
    return framework


@transaction.atomic
def create_framework(*, by: audit.Actor, code: str, name: str, **options) -> Framework:
    code, name = (code or "").strip(), (name or "").strip()
    errors = {}
    if not code or not SLUG.fullmatch(code):
        errors["code"] = [_("代码只能由字母、数字、连字符和下划线组成")]
    elif Framework.objects.filter(code=code).exists():
        errors["code"] = [_("代码“%(c)s”已被使用") % {"c": code}]
    if not name:
        errors["name"] = [_("请填写名称")]
    if errors:
        raise DomainError(_("指标体系信息有误"), errors=errors)
    fw = Framework(code=code, name=name, **options)
    _choices_check(fw, options)
    fw.save()
    audit.record(by=by, action="indices.framework.create", obj=fw, changes=audit.snapshot(fw))
    return fw


@transaction.atomic
def add_group(*, by: audit.Actor, framework: Framework, code: str, name: str, parent: Group | None = None,
              weight: float | None = None, order: int = 0) -> Group:
    if not code or not name:
        raise DomainError(_("请填写代码和名称"), field="code")
    if framework.groups.filter(code=code).exists() or framework.indicators.filter(code=code).exists():
        raise DomainError(_("代码“%(c)s”已被使用") % {"c": code}, field="code")
    if parent is not None and (parent.framework_id != framework.pk or parent.parent_id is not None):
        raise DomainError(_("子维度只能挂在本体系的一级维度下"), field="parent")
    group = Group.objects.create(framework=framework, code=code, name=name, parent=parent, weight=weight, order=order)
    audit.record(by=by, action="indices.group.create", obj=group, changes=audit.snapshot(group))
    return group


@transaction.atomic
def update_group(*, by: audit.Actor, group: Group, name: str, weight: float | None, parent: Group | None) -> Group:
    """Rename a dimension, change its weight, or move it under another dimension (or to the top).

    The hierarchy stays dimension → sub-dimension → indicator: a group with sub-groups cannot
    become a sub-dimension, and a sub-dimension hangs only under a top-level dimension."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("请填写名称")]
    if weight is not None and weight < 0:
        errors["weight"] = [_("权重不能为负")]
    if parent is not None:
        if parent.framework_id != group.framework_id or parent.parent_id is not None or parent.pk == group.pk:
            errors["parent"] = [_("子维度只能挂在本体系的另一个一级维度下")]
        elif group.children.exists():
            errors["parent"] = [_("“%(g)s”下还有子维度，不能再挂到其他维度下") % {"g": group.name}]
    if errors:
        raise DomainError(_("维度信息有误"), errors=errors)
    before = audit.snapshot(group)
    group.name, group.weight, group.parent = name, weight, parent
    group.save(update_fields=["name", "weight", "parent"])
    audit.record(by=by, action="indices.group.update", obj=group, changes=audit.diff(before, audit.snapshot(group)))
    return group


@transaction.atomic
def delete_group(*, by: audit.Actor, group: Group) -> None:
    """Only an empty group can go: indicators carry data, so they are moved or deleted first, on purpose."""
    if group.indicators.exists() or group.children.exists():
        raise DomainError(_("“%(g)s”下还有指标或子维度，请先移走或删除") % {"g": group.name})
    snapshot = audit.snapshot(group)
    audit.record(by=by, action="indices.group.delete", obj=group, changes=snapshot)
    AhpQuestionnaire.objects.filter(group=group).delete()
    group.delete()


@transaction.atomic
def delete_indicator(*, by: audit.Actor, indicator: Indicator) -> int:
    """Delete an indicator with its values in every year; returns how many values went with it.

    Results already computed keep their frozen payloads (and published releases their own copy)."""
    values = indicator.values.count()
    audit.record(by=by, action="indices.indicator.delete", obj=indicator,
                 changes={**audit.snapshot(indicator), "values_deleted": values})
    indicator.delete()
    return values


@transaction.atomic
def set_district_groups(*, by: audit.Actor, framework: Framework, groups: dict[str, str]) -> Framework:
    """District (GB/T 2260 code) → group label for group-mean imputation; an empty label means the default."""
    clean = {code: label.strip()[:20] for code, label in groups.items() if label and label.strip()}
    before = dict(framework.district_groups or {})
    framework.district_groups = clean
    framework.save(update_fields=["district_groups"])
    audit.record(by=by, action="indices.framework.district_groups", obj=framework,
                 changes={"district_groups": [before, clean]})
    return framework


def check_indicator(framework: Framework, data: dict, instance: Indicator | None) -> dict:
    errors: dict[str, list[str]] = {}
    group = data.get("group")
    if group is None or group.framework_id != framework.pk:
        errors["group"] = [_("请选择本体系的维度")]
    if data.get("direction") not in ("+", "-"):
        errors["direction"] = [_("请指明方向：正向（+）或逆向（-）")]
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = [_("请填写代码")]
    else:
        clash = framework.indicators.filter(code=code) | Indicator.objects.none()
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists() or framework.groups.filter(code=code).exists():
            errors["code"] = [_("代码“%(c)s”已被使用") % {"c": code}]
    if not (data.get("name") or "").strip():
        errors["name"] = [_("请填写名称")]
    lo, hi = data.get("goal_low"), data.get("goal_high")
    if (lo is None) != (hi is None) or (lo is not None and lo >= hi):
        errors["goal_low"] = [_("阈值需同时填写下限和上限，且下限小于上限")]
    if data.get("weight") is not None and data["weight"] < 0:
        errors["weight"] = [_("权重不能为负")]
    if errors:
        raise DomainError(_("指标信息有误"), errors=errors)
    return {k: data.get(k) for k in INDICATOR_FIELDS if k in data}


@transaction.atomic
def save_indicator(*, by: audit.Actor, framework: Framework, data: dict, instance: Indicator | None = None
                   ) -> Indicator:
    clean = check_indicator(framework, data, instance)
    before = audit.snapshot(instance) if instance is not None else {}
    ind = instance or Indicator(framework=framework)
    for key, value in clean.items():
        setattr(ind, key, "" if value is None and key in ("unit", "source", "provider") else value)
    ind.save()
    audit.record(by=by, action="indices.indicator.save", obj=ind, changes=audit.diff(before, audit.snapshot(ind)))
    return ind


# ---- AHP -----------------------------------------------------------------------------


def node_children(framework: Framework, group: Group | None) -> list[tuple[str, str]]:
    """(code, name) of the elements compared under ``group`` (None = the dimensions)."""
    if group is None:
        return [(g.code, g.name) for g in framework.groups.filter(parent=None)]
    subs = [(g.code, g.name) for g in group.children.all()]
    return subs + [(i.code, i.name) for i in group.indicators.all()]


@transaction.atomic
def open_questionnaire(*, by: audit.Actor, framework: Framework, group: Group | None) -> AhpQuestionnaire:
    if len(node_children(framework, group)) < 2:
        raise DomainError(_("该节点下少于两个要素，无需两两比较"), field="group")
    q = AhpQuestionnaire.objects.filter(framework=framework, group=group).first()
    if q is None:
        q = AhpQuestionnaire.objects.create(framework=framework, group=group)
        audit.record(by=by, action="indices.ahp.open", obj=q, changes={"group": group.code if group else "index"})
    return q


def parse_judgement(text: str) -> float:
    value = Fraction(str(text).strip())
    if value <= 0 or not (Fraction(1, 9) <= value <= 9):
        raise ValueError
    return float(value)


def build_matrix(n: int, judgements: dict[tuple[int, int], str], names: list[str]) -> np.ndarray:
    """Full reciprocal matrix from the upper triangle (a_ij for i < j), Saaty's 1/9…9 scale."""
    A = np.ones((n, n))
    errors = {}
    for i in range(n):
        for j in range(i + 1, n):
            raw = judgements.get((i, j), "")
            try:
                A[i, j] = parse_judgement(raw)
            except (ValueError, ZeroDivisionError, TypeError):
                errors[f"a_{i}_{j}"] = [_("“%(a)s”与“%(b)s”的比较值“%(v)s”不在 1/9 至 9 的标度内")
                                        % {"a": names[i], "b": names[j], "v": raw}]
                continue
            A[j, i] = 1.0 / A[i, j]
    if errors:
        raise DomainError(_("判断矩阵有误"), errors=errors)
    return A


def consistency(A: np.ndarray, names: list[str]) -> weighting.AHPResult:
    try:
        return weighting.ahp(A, names, check=False)
    except CompositeInputError as err:
        raise DomainError(str(err)) from None


def inconsistency_message(res: weighting.AHPResult, A: np.ndarray, names: list[str]) -> str:
    i, j = res.worst
    return _("判断矩阵不一致：CR = %(cr).3f ≥ 0.1。最不一致的判断是“%(a)s”相对“%(b)s” = %(v)s，"
             "而其余判断隐含约 %(imp).2f，请先修改这一项。") % {
        "cr": res.cr, "a": names[i], "b": names[j], "v": _fmt_judgement(A[i, j]), "imp": res.weights[i] / res.weights[j]}


def _fmt_judgement(x: float) -> str:
    return f"{x:g}" if x >= 1 else f"1/{1 / x:g}"


@transaction.atomic
def submit_response(*, by: audit.Actor, questionnaire: AhpQuestionnaire, judgements: dict[tuple[int, int], str]
                    ) -> AhpResponse:
    """Store one expert's matrix; CR ≥ 0.1 is refused naming the most inconsistent judgement."""
    if by.user is None:
        raise DomainError(_("请先登录"))
    elements = node_children(questionnaire.framework, questionnaire.group)
    names = [n for _c, n in elements]
    A = build_matrix(len(elements), judgements, names)
    res = consistency(A, names)
    if res.cr >= weighting.CR_LIMIT:
        i, j = res.worst
        raise DomainError(inconsistency_message(res, A, names), errors={
            f"a_{min(i, j)}_{max(i, j)}": [_("最不一致的判断")]})
    resp, created = AhpResponse.objects.update_or_create(
        questionnaire=questionnaire, expert=by.user,
        defaults={"elements": [c for c, _n in elements], "matrix": A.tolist(), "cr": res.cr},
    )
    audit.record(by=by, action="indices.ahp.respond", obj=resp, changes={"cr": round(res.cr, 4), "new": created})
    return resp


def aggregate(questionnaire: AhpQuestionnaire, elements: list[tuple[str, str]] | None = None) -> dict | None:
    """Geometric mean of the current responses, its weights and CR; None without responses.

    Responses made before the node's children changed are left out (their elements differ).
    """
    if elements is None:
        elements = node_children(questionnaire.framework, questionnaire.group)
    codes = [c for c, _n in elements]
    mats = [np.asarray(r.matrix) for r in questionnaire.responses.all() if r.elements == codes]
    if not mats:
        return None
    G = np.exp(np.mean(np.log(np.stack(mats)), axis=0))
    res = consistency(G, [n for _c, n in elements])
    return {"codes": codes, "names": [n for _c, n in elements], "matrix": G, "weights": res.weights,
            "cr": res.cr, "n": len(mats)}
