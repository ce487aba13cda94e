"""The city office's settings of 武汉名品: evaluation standards and their requirements, the
brand-strength weights, and violation records (enforcement cases, failed government sampling)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .models import Dimension, EvaluationStandard, Violation


@requires("brands.configure")
def settings_page(request):
    return render(request, "brands/settings.html", {
        "standards": EvaluationStandard.objects.prefetch_related("requirements"),
        "dimensions": Dimension.choices, "factors": selectors.factor_rows(),
        "violations": Violation.objects.select_related("enterprise")[:50], "violation_kinds": Violation.Kind.choices,
    })


def _done(request, work, success: str):
    try:
        work()
        messages.success(request, success)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("brands:settings")


@require_POST
@requires("brands.configure")
def standard_create(request):
    by = Actor.from_request(request)
    return _done(request, lambda: services.create_standard(
        by=by, code=request.POST.get("code", ""), name=request.POST.get("name", ""),
        product_category=request.POST.get("product_category", "")), _("已新建评价规范"))


@require_POST
@requires("brands.configure")
def standard_change(request, pk: int):
    standard = get_object_or_404(EvaluationStandard, pk=pk)
    by = Actor.from_request(request)
    if request.POST.get("action") == "requirement":
        try:
            max_score, pass_score = int(request.POST.get("max_score", "")), int(request.POST.get("pass_score", ""))
        except ValueError:
            messages.error(request, _("满分和合格分须为整数"))
            return redirect("brands:settings")
        return _done(request, lambda: services.add_requirement(
            by=by, standard=standard, dimension=request.POST.get("dimension", ""), text=request.POST.get("text", ""),
            max_score=max_score, pass_score=pass_score), _("已添加评价要求"))
    active = request.POST.get("action") == "activate"
    return _done(request, lambda: services.set_standard_active(by=by, standard=standard, active=active),
                 _("已启用") if active else _("已停用"))


@require_POST
@requires("brands.configure")
def strength_weights(request):
    try:
        weights = {row["key"]: float(request.POST.get(f"weight-{row['key']}", "")) for row in selectors.factor_rows()}
    except ValueError:
        messages.error(request, _("权重须为 0–1 之间的数字"))
        return redirect("brands:settings")
    return _done(request, lambda: services.set_strength_weights(by=Actor.from_request(request), weights=weights),
                 _("已保存品牌强度权重"))


@require_POST
@requires("brands.configure")
def violation_create(request):
    code = request.POST.get("credit_code", "").strip().upper()
    enterprise = Organization.objects.filter(kind=OrgKind.ENTERPRISE, credit_code=code).first() if code else None
    if enterprise is None:
        messages.error(request, _("没有统一社会信用代码为“%(c)s”的企业") % {"c": code[:18]})
        return redirect("brands:settings")
    try:
        occurred = dt.date.fromisoformat(request.POST.get("occurred_on", ""))
    except ValueError:
        messages.error(request, _("请填写有效日期"))
        return redirect("brands:settings")
    return _done(request, lambda: services.record_violation(
        by=Actor.from_request(request), enterprise=enterprise, kind=request.POST.get("kind", ""),
        occurred_on=occurred, description=request.POST.get("description", ""),
        serious=request.POST.get("serious") == "1"), _("已记录"))
