"""Liaison data entry: pairing by hand, the automatic matching proposal, visit logs and ratings.

Every write goes through ``services.liaison``; a DomainError becomes the form's error list
and the page is shown again with what was typed, nothing written.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors
from ..models import Cadre, Pairing, Visit
from ..services import liaison as liaison_services

MAX_ISSUES = 3
MAX_PROPOSAL = 200
RULE_PAIR = "governance.liaison.pair"


def _int(raw, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(str(raw).strip())))
    except (TypeError, ValueError):
        return default


def _year(request) -> int:
    this_year = timezone.localdate().year
    return _int(request.POST.get("year") or request.GET.get("year"), this_year, 2000, this_year + 1)


def parse_date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise DomainError(_("日期格式应为 年-月-日，例如 2026-03-15"), field=field) from None


def _enterprise_or_404(user, pk) -> Organization:
    enterprise = get_object_or_404(Organization.objects.select_related("area", "industry__parent"),
                                   pk=pk, kind=OrgKind.ENTERPRISE)
    if not permissions.can(user, RULE_PAIR, enterprise):
        raise PermissionDenied
    return enterprise


@requires(RULE_PAIR)
def pair(request):
    """Pair one enterprise with a cadre by hand: find the enterprise, then pick the cadre."""
    year = _year(request)
    raw = request.POST.get("enterprise") or request.GET.get("enterprise") or ""
    chosen = _enterprise_or_404(request.user, raw) if raw.isdigit() else None
    errors = {}
    if request.method == "POST":
        try:
            if chosen is None:
                raise DomainError(_("请先选择企业"), field="enterprise")
            cadre_id = request.POST.get("cadre", "")
            cadre = Cadre.objects.filter(pk=cadre_id).first() if cadre_id.isdigit() else None
            if cadre is None:
                raise DomainError(_("请选择联系干部"), field="cadre")
            pairing = liaison_services.assign(by=Actor.from_request(request), cadre=cadre, enterprise=chosen, year=year)
            messages.success(request, _("已结对：%(p)s") % {"p": pairing})
            return redirect("governance:pairing", pairing_id=pairing.pk)
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
    q = request.GET.get("q", "").strip()[:50]
    enterprises = selectors.pairable_enterprises(request.user, year)
    if q:
        enterprises = enterprises.filter(name__icontains=q)
    candidates = []
    if chosen is not None:
        cq = request.GET.get("cq", "").strip()[:30]
        cadres = selectors.cadres_with_load(year)
        candidates = ([c for c in cadres if cq in c.name or cq in c.department.name][:50] if cq
                      else selectors.rank_cadres(cadres, chosen))
    return render(request, "governance/liaison/pair.html", {
        "year": year, "q": q, "page": Paginator(enterprises, 20).get_page(request.GET.get("page")),
        "chosen": chosen, "candidates": candidates, "cq": request.GET.get("cq", ""), "errors": errors})


def _proposal_rows(entries: list[tuple], cadres: list) -> list[dict]:
    """Rows of the proposal table from ``(enterprise, proposed cadre id, chosen cadre id, ticked)``."""
    rows = []
    for enterprise, proposed, chosen, taken in entries:
        options = selectors.rank_cadres(cadres, enterprise, limit=8)
        missing = {proposed, chosen} - {c.pk for c in options}
        options += [c for c in cadres if c.pk in missing]
        rows.append({"enterprise": enterprise, "proposed": proposed, "chosen": chosen, "taken": taken,
                     "options": options})
    return rows


def _read_proposal(request, cadres: dict) -> tuple[list[tuple], list[tuple], dict]:
    """The submitted proposal: every row shown, the triples to write for the ticked rows, and
    the rows ticked without a cadre."""
    shown = [int(v) for v in request.POST.getlist("row") if v.isdigit()][:MAX_PROPOSAL]
    enterprises = {e.pk: e for e in permissions.scoped(
        request.user, RULE_PAIR, Organization.objects.filter(pk__in=shown, kind=OrgKind.ENTERPRISE)
        .select_related("area", "industry__parent"))}
    if set(shown) - set(enterprises):
        raise PermissionDenied  # a row outside the user's district, or not an enterprise
    entries, triples, errors = [], [], {}
    for pk in shown:
        enterprise = enterprises[pk]
        proposed = _int(request.POST.get(f"proposed_{pk}"), 0, 0, 2**31)
        chosen = _int(request.POST.get(f"cadre_{pk}"), 0, 0, 2**31)
        taken = request.POST.get(f"take_{pk}") == "on"
        entries.append((enterprise, proposed, chosen, taken))
        if not taken:
            continue
        if chosen not in cadres:
            errors[f"enterprise_{pk}"] = [_("%(e)s：请选择联系干部") % {"e": enterprise.name}]
            continue
        method = Pairing.Method.MATCHED if chosen == proposed else Pairing.Method.ASSIGNED
        triples.append((cadres[chosen], enterprise, method))
    return entries, triples, errors


@requires(RULE_PAIR)
def match(request):
    """Run the balanced matching over the unpaired enterprises in scope, review and adjust the
    proposal row by row, then confirm it: only the confirmation writes."""
    year = _year(request)
    params = request.POST if request.method == "POST" else request.GET
    in_scope = permissions.scoped(request.user, RULE_PAIR, Organization.objects.filter(kind=OrgKind.ENTERPRISE))
    areas = Area.objects.filter(kind=Area.Kind.DISTRICT, pk__in=in_scope.values("area_id")).order_by("code")
    area = params.get("area", "")
    limit = _int(params.get("limit"), 50, 1, MAX_PROPOSAL)
    capacity = _int(params.get("capacity"), 2, 1, 5)
    cadres = selectors.cadres_with_load(year)
    rows, errors, unmatched = None, {}, 0
    if request.method == "POST":
        entries, triples, errors = _read_proposal(request, {c.pk: c for c in cadres})
        try:
            if errors:
                raise DomainError(_("有企业未选择联系干部，未保存任何结对"), errors=errors)
            created = liaison_services.confirm_matches(by=Actor.from_request(request), year=year, pairs=triples)
            messages.success(request, _("已确认 %(n)s 对结对") % {"n": len(created)})
            return redirect("governance:liaison")
        except DomainError as exc:
            errors = exc.errors
            messages.error(request, exc.message)
        rows = _proposal_rows(entries, cadres)
    elif params.get("propose"):
        todo = selectors.pairable_enterprises(request.user, year).order_by("id")
        if area.isdigit():
            todo = todo.filter(area_id=int(area))
        todo = list(todo[:limit])
        proposal = liaison_services.propose_matches(year=year, enterprises=todo, capacity=capacity)
        unmatched = len(todo) - len(proposal)
        rows = _proposal_rows([(e, c.pk, c.pk, True) for c, e in proposal], cadres)
    return render(request, "governance/liaison/match.html", {
        "year": year, "areas": areas, "area": area, "limit": limit, "capacity": capacity, "rows": rows,
        "errors": errors, "unmatched": unmatched})


def _issues(post) -> list[tuple]:
    """The issues raised at a visit: up to MAX_ISSUES rows of (text, responsible department)."""
    departments = {o.pk: o for o in _departments()}
    issues, errors = [], {}
    for i in range(1, MAX_ISSUES + 1):
        text, dept = post.get(f"issue_{i}", "").strip(), post.get(f"dept_{i}", "")
        if not text and not dept:
            continue
        if not text:
            errors[f"issue_{i}"] = [_("第 %(i)s 个问题：请填写问题内容") % {"i": i}]
        elif not dept.isdigit() or int(dept) not in departments:
            errors[f"dept_{i}"] = [_("第 %(i)s 个问题：请选择责任部门") % {"i": i}]
        else:
            issues.append((text, departments[int(dept)]))
    if errors:
        raise DomainError(_("反映的问题填写不完整，走访记录未保存"), errors=errors)
    return issues


def _departments():
    return Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT]).order_by(
        "kind", "name")


@requires("authenticated")
def pairing_detail(request, pairing_id: int):
    """Rules checked on the pairing: liaison.view / liaison.view_own_enterprise to read it,
    liaison.visit to log a visit, liaison.rate for the enterprise's yearly rating."""
    pairing = get_object_or_404(Pairing.objects.select_related(
        "cadre__department", "enterprise__area"), pk=pairing_id)
    user = request.user
    if not (permissions.can(user, "governance.liaison.view", pairing)
            or permissions.can(user, "governance.liaison.view_own_enterprise", pairing)):
        raise PermissionDenied
    can_visit = permissions.can(user, "governance.liaison.visit", pairing)
    can_rate = permissions.can(user, "governance.liaison.rate", pairing)
    errors, typed = {}, {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("visit", "rate"):
            return HttpResponseBadRequest(_("未知操作"))
        if not (can_visit if action == "visit" else can_rate):
            raise PermissionDenied
        by = Actor.from_request(request)
        try:
            if action == "visit":
                liaison_services.log_visit(
                    by=by, pairing=pairing, visited_on=parse_date(request.POST.get("visited_on"), "visited_on"),
                    form=request.POST.get("form") or Visit.Form.ONSITE, content=request.POST.get("content", ""),
                    issues=_issues(request.POST), follow_up=request.POST.get("follow_up", ""))
                messages.success(request, _("走访记录已保存"))
            else:
                liaison_services.rate(by=by, pairing=pairing, year=pairing.year, score=request.POST.get("score", ""),
                                      comment=request.POST.get("comment", ""))
                messages.success(request, _("评价已提交"))
            return redirect("governance:pairing", pairing_id=pairing.pk)
        except DomainError as exc:
            errors, typed = exc.errors, request.POST
            messages.error(request, exc.message)
    return render(request, "governance/liaison/pairing.html", {
        "pairing": pairing, "visits": pairing.visits.all(), "errors": errors, "typed": typed,
        "tickets": selectors.visible_tickets(user).filter(pairing=pairing),
        "staff_links": permissions.is_allowed(user, "complaints.handle"),
        "rating": pairing.ratings.filter(year=pairing.year).first(), "can_visit": can_visit, "can_rate": can_rate,
        "forms": Visit.Form.choices, "departments": _departments() if can_visit else [],
        "issue_rows": [{"i": i, "text": typed.get(f"issue_{i}", ""), "dept": typed.get(f"dept_{i}", "")}
                       for i in range(1, MAX_ISSUES + 1)], "today": timezone.localdate(), "scores": range(5, 0, -1)})
