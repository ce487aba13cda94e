"""Framework editor: options, hierarchy, indicators, AHP questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors, sources
from ..models import AhpQuestionnaire, Framework, Group, Indicator, Result
from ..services import compute, frameworks
from ..services import data as data_service


def _float(text: str | None, field: str, errors: dict) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        errors[field] = [_("“%(v)s”不是数字") % {"v": text}]
        return None


@requires("indices.view")
def index(request):
    fws = Framework.objects.all()
    results = Result.objects.select_related("framework").order_by("framework_id", "-year")
    return render(request, "indices/index.html", {"frameworks": fws, "results": results,
                                                  "can_manage": permissions.is_allowed(request.user, "indices.manage")})


@requires("indices.manage")
def framework_new(request):
    errors: dict = {}
    values = {"code": "", "name": "", "description": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        try:
            fw = frameworks.create_framework(by=Actor.from_request(request), **values)
            messages.success(request, _("已创建指标体系，请添加维度与指标"))
            return redirect("indices:framework", pk=fw.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
    return render(request, "indices/framework_new.html", {"values": values, "errors": errors})


@require_POST
@requires("indices.manage")
def update_group(request, pk: int, gid: int):
    fw = get_object_or_404(Framework, pk=pk)
    group = get_object_or_404(Group, pk=gid, framework=fw)
    errors: dict = {}
    weight = _float(request.POST.get("weight"), "weight", errors)
    parent = fw.groups.filter(pk=request.POST.get("parent") or 0).first()
    try:
        if errors:
            raise DomainError(_("权重不是数字"), errors=errors)
        frameworks.update_group(by=Actor.from_request(request), group=group, name=request.POST.get("name", ""),
                                weight=weight, parent=parent)
        messages.success(request, _("维度已保存"))
    except DomainError as exc:
        messages.error(request, exc.message + "".join(f" {m}" for ms in exc.errors.values() for m in ms))
    return redirect("indices:framework", pk=fw.pk)


@require_POST
@requires("indices.manage")
def delete_group(request, pk: int, gid: int):
    fw = get_object_or_404(Framework, pk=pk)
    group = get_object_or_404(Group, pk=gid, framework=fw)
    try:
        frameworks.delete_group(by=Actor.from_request(request), group=group)
        messages.success(request, _("维度已删除"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:framework", pk=fw.pk)


@require_POST
@requires("indices.manage")
def delete_indicator(request, pk: int, ind_id: int):
    fw = get_object_or_404(Framework, pk=pk)
    ind = get_object_or_404(Indicator, pk=ind_id, framework=fw)
    n = frameworks.delete_indicator(by=Actor.from_request(request), indicator=ind)
    messages.success(request, _("指标已删除（连同 %(n)s 个数据）") % {"n": n})
    return redirect("indices:framework", pk=fw.pk)


@require_POST
@requires("indices.manage")
def district_groups(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    groups = {a.code: request.POST.get(f"g_{a.code}", "") for a in data_service.units() if a.code}
    frameworks.set_district_groups(by=Actor.from_request(request), framework=fw, groups=groups)
    messages.success(request, _("区分组已保存"))
    return redirect("indices:framework", pk=fw.pk)


@requires("indices.view")
def framework_detail(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    dims = list(fw.groups.filter(parent=None).prefetch_related("children__indicators", "indicators"))
    areas = data_service.units()
    return render(request, "indices/framework.html", {
        "fw": fw, "dims": dims, "years": selectors.offered_years(fw),
        "districts": [(a, (fw.district_groups or {}).get(a.code, ""), default)
                      for a, default in zip(areas, compute.district_groups(Framework(), areas).values(), strict=True)],
        "options": [(name, Framework._meta.get_field(name).choices, getattr(fw, name))
                    for name in ("normalization", "weighting", "aggregation", "imputation")],
        "can_manage": permissions.is_allowed(request.user, "indices.manage"),
        "results": fw.results.order_by("-year"),
    })


@require_POST
@requires("indices.manage")
def update_options(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    data = {k: request.POST.get(k, getattr(fw, k)) for k in ("name", "description", "normalization", "weighting",
                                                             "aggregation", "imputation")}
    data["outliers"] = request.POST.get("outliers") == "on"
    try:
        frameworks.update_options(by=Actor.from_request(request), framework=fw, data=data)
        messages.success(request, _("已保存"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:framework", pk=fw.pk)


@require_POST
@requires("indices.manage")
def add_group(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    errors: dict = {}
    weight = _float(request.POST.get("weight"), "weight", errors)
    parent = fw.groups.filter(pk=request.POST.get("parent") or 0).first()
    try:
        if errors:
            raise DomainError(_("权重不是数字"), errors=errors)
        frameworks.add_group(by=Actor.from_request(request), framework=fw, code=request.POST.get("code", "").strip(),
                             name=request.POST.get("name", "").strip(), parent=parent, weight=weight)
        messages.success(request, _("已添加维度"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indices:framework", pk=fw.pk)


@requires("indices.manage")
def indicator_form(request, pk: int, ind_id: int | None = None):
    fw = get_object_or_404(Framework, pk=pk)
    instance = get_object_or_404(Indicator, pk=ind_id, framework=fw) if ind_id else None
    errors: dict = {}
    values = {}
    if request.method == "POST":
        p = request.POST
        values = {k: p.get(k, "").strip() for k in ("code", "name", "unit", "direction", "source", "provider",
                                                    "weight", "target", "goal_low", "goal_high", "group")}
        data = {k: values[k] for k in ("code", "name", "unit", "direction", "source", "provider")}
        for k in ("weight", "target", "goal_low", "goal_high"):
            data[k] = _float(values[k], k, errors)
        data["group"] = fw.groups.filter(pk=values["group"] or 0).first()
        if data["provider"] and sources.get(data["provider"]) is None:
            errors["provider"] = [_("未登记的计算口径")]
        try:
            if errors:  # numbers that did not parse: report them with every other problem at once
                try:
                    frameworks.check_indicator(fw, {**data, **{k: None for k in errors}}, instance)
                except DomainError as exc:
                    errors = {**exc.errors, **errors}
                raise DomainError(_("指标信息有误"), errors=errors)
            frameworks.save_indicator(by=Actor.from_request(request), framework=fw, data=data, instance=instance)
            messages.success(request, _("指标已保存"))
            return redirect("indices:framework", pk=fw.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
    elif instance is not None:
        values = {k: ("" if getattr(instance, k) is None else getattr(instance, k))
                  for k in ("code", "name", "unit", "direction", "source", "provider", "weight", "target",
                            "goal_low", "goal_high")}
        values["group"] = str(instance.group_id)
    return render(request, "indices/indicator_form.html", {
        "fw": fw, "instance": instance, "values": values, "errors": errors,
        "groups": fw.groups.select_related("parent"), "providers": sources.providers(),
        "directions": Indicator.Direction.choices,
    })


@requires("indices.view")
def ahp_overview(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    rows = []
    nodes = [None, *fw.groups.prefetch_related("children", "indicators")]
    existing = {q.group_id: q for q in fw.questionnaires.prefetch_related("responses")}
    for node in nodes:
        elements = frameworks.node_children(fw, node)
        if len(elements) < 2:
            continue
        q = existing.get(node.pk if node else None)
        agg = frameworks.aggregate(q, elements) if q else None
        rows.append({"node": node, "q": q, "elements": elements, "agg": agg,
                     "weights": list(zip(agg["names"], agg["weights"], strict=True)) if agg else []})
    return render(request, "indices/ahp_overview.html", {
        "fw": fw, "rows": rows, "can_manage": permissions.is_allowed(request.user, "indices.manage"),
        "can_respond": permissions.is_allowed(request.user, "indices.ahp.respond")})


@require_POST
@requires("indices.manage")
def ahp_open(request, pk: int):
    fw = get_object_or_404(Framework, pk=pk)
    group = fw.groups.filter(pk=request.POST.get("group") or 0).first()
    try:
        q = frameworks.open_questionnaire(by=Actor.from_request(request), framework=fw, group=group)
        return redirect("indices:ahp_respond", qid=q.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("indices:ahp", pk=fw.pk)


@requires("indices.ahp.respond")
def ahp_respond(request, qid: int):
    q = get_object_or_404(AhpQuestionnaire.objects.select_related("framework", "group"), pk=qid)
    elements = frameworks.node_children(q.framework, q.group)
    n = len(elements)
    errors: dict = {}
    typed: dict[str, str] = {}
    mine = q.responses.filter(expert=request.user).first()
    if request.method == "POST":
        typed = {f"a_{i}_{j}": request.POST.get(f"a_{i}_{j}", "") for i in range(n) for j in range(i + 1, n)}
        judgements = {(i, j): typed[f"a_{i}_{j}"] for i in range(n) for j in range(i + 1, n)}
        try:
            resp = frameworks.submit_response(by=Actor.from_request(request), questionnaire=q, judgements=judgements)
            messages.success(request, _("已提交，一致性比率 CR = %(cr).3f") % {"cr": resp.cr})
            return redirect("indices:ahp_respond", qid=q.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
    elif mine is not None and mine.elements == [c for c, _n in elements]:
        typed = {f"a_{i}_{j}": _judgement_text(mine.matrix[i][j]) for i in range(n) for j in range(i + 1, n)}
    pairs = [{"key": f"a_{i}_{j}", "a": elements[i][1], "b": elements[j][1], "value": typed.get(f"a_{i}_{j}", "1"),
              "error": (errors.get(f"a_{i}_{j}") or [""])[0]} for i in range(n) for j in range(i + 1, n)]
    return render(request, "indices/ahp_respond.html", {
        "q": q, "pairs": pairs, "scale": frameworks.SAATY_SCALE, "mine": mine,
        "node": q.group.name if q.group else _("一级维度")})


def _judgement_text(x: float) -> str:
    for s in frameworks.SAATY_SCALE:
        if abs(frameworks.parse_judgement(s) - x) < 1e-6:
            return s
    return f"{x:.3g}"


@requires("indices.public")
def sources_page(request):
    return render(request, "indices/sources.html", {"providers": sources.providers()})



@requires("indices.public")
def methods_page(request):
    """The exact formulas of the options that have common variants (entropy, TOPSIS), as computed."""
    return render(request, "indices/methods.html")
