"""The city office maintains the published evaluation standards (名品评价规范) and their
scored requirements. A standard that is in use keeps its requirements: changing them would
change what existing applications were assessed against, so a new edition is a new standard."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit

from ..models import Dimension, EvaluationStandard, Requirement


def create_standard(*, by: audit.Actor, code: str, name: str, product_category: str) -> EvaluationStandard:
    code, name, category = (code or "").strip(), (name or "").strip(), (product_category or "").strip()
    if not code or not name or not category:
        raise DomainError(_("请填写评价规范编号、名称和产品类别"))
    if EvaluationStandard.objects.filter(code=code).exists():
        raise DomainError(_("评价规范 {code} 已存在").format(code=code), field="code")
    with transaction.atomic():
        standard = EvaluationStandard.objects.create(code=code[:32], name=name[:120], product_category=category[:64])
        audit.record(by=by, action="brands.standard.create", obj=standard, changes={"code": [None, code]})
    return standard


def add_requirement(*, by: audit.Actor, standard: EvaluationStandard, dimension: str, text: str, max_score: int,
                    pass_score: int) -> Requirement:
    text = (text or "").strip()
    if dimension not in Dimension.values:
        raise DomainError(_("请选择维度：质量、技术、管理、信誉或社会责任"), field="dimension")
    if not text:
        raise DomainError(_("请填写要求内容"), field="text")
    if not 1 <= max_score <= 100 or not 0 <= pass_score <= max_score:
        raise DomainError(_("满分应为 1–100，合格分应在 0 与满分之间"), field="pass_score")
    with transaction.atomic():
        std = EvaluationStandard.objects.select_for_update().get(pk=standard.pk)
        if std.applications.exists():
            raise DomainError(_("评价规范 {code} 已有申请，不能再改动要求；请发布新版本的评价规范").format(code=std.code))
        requirement = Requirement.objects.create(standard=std, dimension=dimension, text=text[:300],
                                                 max_score=max_score, pass_score=pass_score,
                                                 order=std.requirements.count())
        audit.record(by=by, action="brands.standard.requirement", obj=std, changes={"requirement": [None, text[:80]]})
    return requirement


def set_standard_active(*, by: audit.Actor, standard: EvaluationStandard, active: bool) -> EvaluationStandard:
    with transaction.atomic():
        std = EvaluationStandard.objects.select_for_update().get(pk=standard.pk)
        if active and not std.requirements.exists():
            raise DomainError(_("评价规范 {code} 还没有评价要求，不能启用").format(code=std.code))
        before = std.is_active
        std.is_active = active
        std.save(update_fields=["is_active"])
        audit.record(by=by, action="brands.standard.active", obj=std, changes={"is_active": [before, active]})
    return std
