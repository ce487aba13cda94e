"""Staff pages: project list, design, links, import, interviews, screening, results."""

from __future__ import annotations

import base64
import datetime as dt
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Area
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from .. import selectors, services
from ..itembank import AGE_BANDS, BANK, CONSTRUCT_LABELS, SERVICE_INDUSTRIES, SEXES
from ..models import Project, Question, Response
from . import design
from .common import project_for, results_context


@requires("surveys.view")
def index(request):
    qs = permissions.scoped(request.user, "surveys.view", Project.objects.select_related("area"))
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    years = sorted(set(Project.objects.values_list("year", flat=True)), reverse=True)
    return render(request, "surveys/index.html", {
        "projects": qs[:300], "years": years, "year": year,
        "can_manage": permissions.is_allowed(request.user, "surveys.manage"),
        "labels": dict(SERVICE_INDUSTRIES)})


def _date(value: str):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@requires("surveys.manage")
def create(request):
    errors, data = {}, request.POST
    if request.method == "POST":
        area = Area.objects.filter(pk=data.get("area")).first() if (data.get("area") or "").isdigit() else None
        starts, ends = _date(data.get("starts_on")), _date(data.get("ends_on"))
        if starts is None:
            errors["starts_on"] = [_("请填写开始日期")]
        if ends is None:
            errors["ends_on"] = [_("请填写结束日期")]
        if not errors:
            try:
                project = services.create_project(
                    by=Actor.from_request(request), title=data.get("title", ""),
                    target_kind=data.get("target_kind", ""), industry=data.get("industry", ""), area=area,
                    service_name=data.get("service_name", ""),
                    year=int(data["year"]) if (data.get("year") or "").isdigit() else 0,
                    starts_on=starts, ends_on=ends, quotas=design.quotas_from_post(data),
                    fieldwork_agency=design.agency_from_post(data))
                return redirect("surveys:detail", number=project.number)
            except DomainError as exc:
                errors = exc.errors or {"__all__": [exc.message]}
    return render(request, "surveys/create.html", {
        "errors": errors, "data": data, "industries": SERVICE_INDUSTRIES, "targets": Project.Target.choices,
        "areas": Area.objects.exclude(kind=Area.Kind.CITY),
        "quota_fields": design.quota_fields(None, data if request.method == "POST" else None),
        "agencies": design.agencies(), "agency_id": data.get("fieldwork_agency", "")},
        status=400 if errors else 200)


@requires("surveys.view")
def detail(request, number: str):
    project = project_for(request, number)
    context = results_context(project)
    releases = list(project.releases.select_related("publication"))
    public = project.public_release
    context.update({
        "quotas": selectors.quota_progress(project),
        "questions": project.questions.all(),
        "can_manage": permissions.can(request.user, "surveys.manage", project),
        "can_review": permissions.can(request.user, "surveys.review", project),
        "can_interview": permissions.can(request.user, "surveys.interview", project),
        "can_import": permissions.can(request.user, "surveys.import", project),
        "releases": releases,
        "waiting": (waiting := next((r for r in releases if r.publication.status in ("draft", "approved")), None)),
        # Approval publishes the frozen copy: say so when the estimate has moved on since submission.
        "waiting_differs": waiting is not None and project.results.get("satisfaction") != waiting.results.get(
            "satisfaction"),
        "has_public": public is not None,
        "live_differs": public is not None and project.results and public.results.get("satisfaction") != (
            project.results.get("satisfaction")),
        "pending": project.responses.filter(review=Response.Review.PENDING).count(),
        "total": project.responses.count(),
        "tokens_used": project.tokens.filter(used_at__isnull=False).count(),
        "tokens": project.tokens.count(),
        "bank": [(c, str(CONSTRUCT_LABELS[k]), zh) for c, k, zh, _en in BANK],
        "chosen": set(project.questions.values_list("code", flat=True)),
        "statuses": Project.Status.choices,
    })
    return render(request, "surveys/detail.html", context)


def _act(request, number, action):
    project = project_for(request, number, "surveys.manage")
    if request.method != "POST":
        return redirect("surveys:detail", number=number)
    try:
        message = action(project, Actor.from_request(request))
        messages.success(request, message)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("surveys:detail", number=number)


@requires("surveys.manage")
def questionnaire(request, number: str):
    return _act(request, number, lambda p, by: (services.set_questionnaire(
        by=by, project=p, codes=request.POST.getlist("codes"), reversed_check="reversed" in request.POST,
        open_question="open" in request.POST), _("问卷已保存"))[1])


@requires("surveys.manage")
def status(request, number: str):
    return _act(request, number, lambda p, by: (services.set_status(
        by=by, project=p, status=request.POST.get("status", "")), _("状态已更新"))[1])


@requires("surveys.manage")
def screen(request, number: str):
    def run(p, by):
        summary = services.screen_project(by=by, project=p)
        return _("筛查完成：%(n)s 份答卷，%(f)s 份被标记待审核") % {"n": summary["screened"], "f": summary["flagged"]}
    return _act(request, number, run)


@requires("surveys.manage")
def estimate(request, number: str):
    def run(p, by):
        boot = 1000 if request.POST.get("bootstrap") else 0
        res = services.estimate_project(by=by, project=p, n_boot=boot)
        return _("估计完成：满意度指数 %(i).1f（%(n)s 份有效答卷）") % {"i": res["satisfaction"], "n": res["n"]}
    return _act(request, number, run)


@requires("surveys.manage")
def submit(request, number: str):
    """Submit for publication: the city office approves and publishes on the portal desk."""
    def run(p, by):
        release = services.submit_for_publication(by=by, project=p,
                                                  correction_note=request.POST.get("correction_note", ""))
        return _("已提交发布（v%d），等待市质量强市办审批") % release.version
    return _act(request, number, run)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@requires("surveys.manage")
def tokens(request, number: str):
    """Issue one-time links: the secrets are shown on this response only (with QR codes)."""
    project = project_for(request, number, "surveys.manage")
    links, error = [], None
    if request.method == "POST":
        raw = request.POST.get("count", "")
        try:
            secrets = services.issue_tokens(by=Actor.from_request(request), project=project,
                                            count=int(raw) if raw.isdigit() else 0)
            for s in secrets:
                url = request.build_absolute_uri(reverse("surveys:respond", args=[s]))
                links.append({"url": url, "qr": _qr_svg(url) if len(secrets) <= 50 else None})
        except DomainError as exc:
            error = exc.message
    return render(request, "surveys/tokens.html", {"project": project, "links": links, "error": error},
                  status=400 if error else 200)


@requires("surveys.import")
def import_page(request, number: str):
    project = project_for(request, number, "surveys.import")
    problems = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的文件"))
            n = services.import_responses(by=Actor.from_request(request), project=project, content=upload.read())
            messages.success(request, _("导入成功：%s 份答卷") % n)
            return redirect("surveys:detail", number=number)
        except ImportRejected as exc:
            problems = exc.problems
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
    codes = list(project.questions.exclude(kind=Question.Kind.OPEN).values_list("code", flat=True))
    return render(request, "surveys/import.html", {"project": project, "problems": problems,
                                                   "columns": ["区", "性别", "年龄段", *codes, "时长(秒)", "开放题"]},
                  status=400 if problems else 200)


def answer_form_context(project: Project, errors=None, data=None) -> dict:
    """The answer form; an error page keeps every answer already given (radios re-checked)."""
    data = data or {}
    questions = list(project.questions.all())
    return {"project": project, "question_rows": [(q, str(data.get(q.code, ""))) for q in questions],
            "errors": errors or {}, "data": data,
            "districts": Area.objects.exclude(kind=Area.Kind.CITY), "sexes": SEXES, "ages": AGE_BANDS,
            "scale": range(1, 11)}


@requires("surveys.interview")
def interview(request, number: str):
    """Telephone (CATI) entry: the interviewer reads the questions and keys the answers."""
    project = project_for(request, number, "surveys.interview")
    errors = {}
    if request.method == "POST":
        try:
            services.submit_interview(
                by=Actor.from_request(request), project=project,
                answers={q.code: request.POST.get(q.code) for q in project.questions.all()},
                district=request.POST.get("district"), sex=request.POST.get("sex", ""),
                age_band=request.POST.get("age_band", ""), open_answer=request.POST.get("OPEN", ""))
            messages.success(request, _("访问已保存，可以开始下一位"))
            return redirect("surveys:interview", number=number)
        except DomainError as exc:
            errors = exc.errors or {"__all__": [exc.message]}
    return render(request, "surveys/interview.html", answer_form_context(project, errors, request.POST),
                  status=400 if errors else 200)


@requires("surveys.review")
def review(request, number: str):
    project = project_for(request, number, "surveys.review")
    if request.method == "POST":
        response = get_object_or_404(Response, pk=request.POST.get("response") or 0, project=project)
        try:
            services.review_response(by=Actor.from_request(request), response=response,
                                     decision=request.POST.get("decision", ""), reason=request.POST.get("reason", ""))
            messages.success(request, _("审核结论已记录"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("surveys:review", number=number)
    queue = project.responses.filter(review=Response.Review.PENDING).select_related("district")[:200]
    decided = project.responses.filter(review__in=[Response.Review.INCLUDED, Response.Review.EXCLUDED])[:200]
    return render(request, "surveys/review.html", {"project": project, "queue": queue, "decided": decided})
