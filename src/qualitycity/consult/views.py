"""Consultation pages: the case list, asking (with knowledge-base suggestions), the private
thread, closing and rating, manual assignment, the knowledge base and statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Expert, Organization, Role
from qualitycity.core.permissions import requires
from qualitycity.core.services.attachments import read_attachment, store_attachment
from qualitycity.core.services.audit import Actor

from . import matching, selectors, services
from .models import Article, Case, ExpertProfile, Field, Message


def _case_for(request, number: str, rule: str = "consult.cases.view") -> Case:
    qs = permissions.scoped(request.user, rule, Case.objects.select_related("enterprise", "expert", "asked_by", "area"))
    return get_object_or_404(qs, number=number)


@requires("consult.cases.view")
def index(request):
    cases = permissions.scoped(request.user, "consult.cases.view",
                               Case.objects.select_related("enterprise", "expert"))
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    return render(request, "consult/index.html", {
        "cases": cases[:100], "status": status, "statuses": Case.Status.choices,
        "can_ask": permissions.is_allowed(request.user, "consult.cases.ask"),
        "can_stats": permissions.is_allowed(request.user, "consult.stats"),
    })


def _upload(request, by) -> list[int]:
    ids = []
    for upload in request.FILES.getlist("files"):
        ids.append(store_attachment(by=by, filename=upload.name, content=upload.read()).pk)
    return ids


@requires("consult.cases.ask")
def ask(request):
    enterprises = Organization.objects.filter(pk__in=permissions.organization_ids(request.user, Role.ENTERPRISE_MEMBER))
    errors, data = {}, request.POST if request.method == "POST" else {}
    if request.method == "POST":
        enterprise = enterprises.filter(pk=request.POST.get("enterprise") or 0).first() or enterprises.first()
        by = Actor.from_request(request)
        try:
            with transaction.atomic():
                case = services.ask(
                    by=by, enterprise=enterprise, title=data.get("title", ""), symptom=data.get("symptom", ""),
                    field=data.get("field", Field.QUALITY), product=data.get("product", ""),
                    process=data.get("process", ""), standards=data.get("standards", ""),
                    urgency=data.get("urgency", Case.Urgency.NORMAL), attachment_ids=_upload(request, by),
                )
            messages.success(request, _("问诊已提交，编号 %(n)s") % {"n": case.number})
            return redirect("consult:case", number=case.number)
        except DomainError as exc:
            errors = exc.errors or {"__all__": [exc.message]}
    return render(request, "consult/ask.html", {
        "enterprises": enterprises, "fields": Field.choices, "urgencies": Case.Urgency.choices,
        "errors": errors, "data": data,
    })


@requires("consult.cases.ask")
def suggest(request):
    """htmx: knowledge-base answers to a question being typed, before it is sent."""
    text = " ".join(request.GET.get(k, "") for k in ("title", "symptom", "product"))[:500]
    return render(request, "consult/_suggestions.html", {"results": selectors.suggestions(text)})


@requires("consult.cases.view")
def case_detail(request, number: str):
    case = _case_for(request, number)
    thread = list(case.messages.select_related("author").prefetch_related("attachments"))
    children: dict = {}
    for m in thread:
        children.setdefault(m.parent_id, []).append(m)
    is_enterprise = permissions.can(request.user, "consult.cases.close", case)
    can_assign = permissions.is_allowed(request.user, "consult.cases.assign")
    is_expert = bool(case.expert_id and case.expert.user_id == request.user.pk)
    return render(request, "consult/case.html", {
        "case": case, "roots": children.get(None, []), "children": children,
        "can_reply": case.status in Case.OPEN and (is_enterprise or is_expert or can_assign),
        "can_close": is_enterprise and case.status == Case.Status.ANSWERED, "is_expert": is_expert,
        "can_assign": can_assign and case.status in Case.OPEN,
        "matches": matching.rank_experts(case, limit=8) if can_assign else [],
        "assignments": case.assignments.select_related("expert"), "referrals": Message.Referral.choices,
        # the enterprise and the expert see why this expert holds the case (matching reasons
        # or the office's note); the office sees the whole ranking below
        "current_assignment": case.assignments.filter(ended_at=None, expert=case.expert_id).last()
        if case.expert_id else None,
        "link_for": _referral_link,
    })


def _referral_link(message: Message) -> str:
    """A link when the target app exposes a page; otherwise the reference is shown as text."""
    from django.urls import NoReverseMatch, reverse

    names = {"course": ("training:course", [message.referral_ref]),
             "standard": ("standards:detail", [message.referral_ref]),
             "lab_order": ("inspection:order", [message.referral_ref])}
    name, args = names.get(message.referral_kind, (None, None))
    try:
        return reverse(name, args=args) if name else ""
    except NoReverseMatch:
        return ""


@requires("consult.cases.reply")
def reply(request, number: str):
    case = _case_for(request, number, "consult.cases.reply")
    if request.method != "POST":
        return redirect("consult:case", number=number)
    by = Actor.from_request(request)
    parent = case.messages.filter(pk=request.POST.get("parent") or 0).first()
    try:
        with transaction.atomic():
            services.post(
                by=by, case=case, body=request.POST.get("body", ""), parent=parent,
                kind=request.POST.get("kind", Message.Kind.MESSAGE), referral_kind=request.POST.get("referral_kind", ""),
                referral_ref=request.POST.get("referral_ref", ""), visit_on=request.POST.get("visit_on") or None,
                attachment_ids=_upload(request, by),
            )
        messages.success(request, _("已发送"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("consult:case", number=number)


@requires("consult.cases.close")
def close(request, number: str):
    case = _case_for(request, number, "consult.cases.close")
    if request.method == "POST":
        try:
            rating = request.POST.get("rating")
            services.close(by=Actor.from_request(request), case=case, solved=request.POST.get("solved") == "1",
                           rating=int(rating) if (rating or "").isdigit() else None,
                           comment=request.POST.get("comment", ""),
                           publish_consent=request.POST.get("consent") == "1")
            messages.success(request, _("问诊已关闭，感谢您的评价"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("consult:case", number=number)


@requires("consult.cases.assign")
def assign(request, number: str):
    case = _case_for(request, number)
    if request.method == "POST":
        expert = get_object_or_404(Expert, pk=request.POST.get("expert") or 0)
        try:
            services.assign(by=Actor.from_request(request), case=case, expert=expert, note=request.POST.get("note", ""))
            messages.success(request, _("已指派专家 %(e)s") % {"e": expert.name})
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("consult:case", number=number)


@requires("consult.cases.view")
def attachment(request, number: str, attachment_id: int):
    """Case files are readable by the case's participants, not only by whoever uploaded them."""
    case = _case_for(request, number)
    file = get_object_or_404(case.messages.model.attachments.through.objects.select_related("attachment"),
                             message__case=case, attachment_id=attachment_id).attachment
    try:
        content = read_attachment(file)
    except (DomainError, FileNotFoundError):
        return HttpResponse(_("附件校验失败"), status=410)
    response = HttpResponse(content, content_type=file.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{file.original_name}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires("consult.knowledge.view")
def knowledge(request):
    q = request.GET.get("q", "").strip()[:100]
    results = selectors.search_articles(q, limit=30)
    return render(request, "consult/knowledge.html", {"q": q, "results": results})


@requires("consult.knowledge.view")
def article(request, article_id: int):
    return render(request, "consult/article.html", {"article": get_object_or_404(Article, pk=article_id)})


@requires("consult.stats")
def stats(request):
    year = request.GET.get("year", "")
    return render(request, "consult/stats.html", {"s": selectors.statistics(year=int(year) if year.isdigit() else None),
                                                  "year": year})


@requires("consult.profile.edit")
def profile(request):
    """An expert edits their own profile; the city office edits any expert's (?expert=<id>)."""
    from qualitycity.core.models import Industry

    office = permissions.is_allowed(request.user, "consult.cases.assign")
    if office and (request.GET.get("expert") or request.POST.get("expert")):
        expert = get_object_or_404(Expert, pk=request.GET.get("expert") or request.POST.get("expert"))
    else:
        expert = Expert.objects.filter(user=request.user).first()
    if expert is None:
        if not office:
            raise PermissionDenied
        experts = Expert.objects.filter(user__isnull=False).order_by("name")
        return render(request, "consult/profile_pick.html", {"experts": experts})
    current = ExpertProfile.objects.filter(expert=expert).first() or ExpertProfile(expert=expert)
    if request.method == "POST":
        try:
            services.save_profile(
                by=Actor.from_request(request), expert=expert, fields=request.POST.getlist("fields"),
                product_areas=request.POST.get("product_areas", ""), standards=request.POST.get("standards", ""),
                available=request.POST.get("available") == "1",
                open_case_limit=int(request.POST.get("open_case_limit") or 0),
                industries=request.POST.getlist("industries"),
            )
            messages.success(request, _("已保存"))
            target = redirect("consult:profile")
            if expert.user_id != request.user.pk:
                target["Location"] += f"?expert={expert.pk}"
            return target
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
    return render(request, "consult/profile.html", {
        "expert": expert, "p": current, "fields": Field.choices, "for_other": expert.user_id != request.user.pk,
        "industries": Industry.objects.filter(level=Industry.Level.DIVISION).order_by("code"),
        "mine": set(expert.industries.values_list("code", flat=True)),
    })
