"""The surveys API (/api/v1/surveys/…): thin operations over services and selectors."""


import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .models import Project, Response

router = Router(tags=["surveys"])


class ProjectOut(Schema):
    number: str
    title: str
    target_kind: str
    target: str
    year: int
    status: str
    published: bool
    index: float | None
    ci: list[float] | None
    n: int | None


class ProjectIn(Schema):
    title: str
    target_kind: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    industry: str = ""
    district: str = ""
    service_name: str = ""
    quotas: dict = {}


class TokensIn(Schema):
    count: int


class AnswerIn(Schema):
    answers: dict
    district: str
    sex: str
    age_band: str
    open_answer: str = ""
    # Seconds the respondent took; without it the speeder screen cannot judge the answer.
    duration_seconds: float | None = None


class MarginsIn(Schema):
    margins: dict  # {"district"|"sex"|"age": {category: share}}, each summing to 1 (or 100)


class SubmitIn(Schema):
    correction_note: str = ""


class ReviewIn(Schema):
    decision: str
    reason: str


def _out(p: Project) -> dict:
    res = p.results or {}
    return {"number": p.number, "title": p.title, "target_kind": p.target_kind, "target": selectors.target_label(p),
            "year": p.year, "status": p.status, "published": p.published, "index": res.get("satisfaction"),
            "ci": res.get("ci"), "n": res.get("n")}


def _project(request, number: str, rule: str = "surveys.view") -> Project:
    p = get_object_or_404(Project.objects.select_related("area"), number=number)
    if not permissions.can(request.user, rule, p):
        raise Http404
    return p


@router.get("/projects", response=list[ProjectOut])
@api_requires("surveys.view")
def list_projects(request, year: int | None = None):
    qs = permissions.scoped(request.user, "surveys.view", Project.objects.select_related("area"))
    if year:
        qs = qs.filter(year=year)
    return [_out(p) for p in qs[:500]]


@router.post("/projects", response={201: ProjectOut})
@api_requires("surveys.manage")
def create_project(request, payload: ProjectIn):
    area = None
    if payload.district:
        area = Area.objects.exclude(kind=Area.Kind.CITY).filter(name=payload.district).first()
        if area is None:
            raise DomainError(_("没有名为“{district}”的区").format(district=payload.district), field="district")
    p = services.create_project(by=Actor.from_request(request), title=payload.title,
                                target_kind=payload.target_kind, year=payload.year, starts_on=payload.starts_on,
                                ends_on=payload.ends_on, industry=payload.industry, area=area,
                                service_name=payload.service_name, quotas=payload.quotas)
    return Status(201, _out(p))


@router.get("/projects/{number}", response=ProjectOut)
@api_requires("surveys.view")
def get_project(request, number: str):
    return _out(_project(request, number))


@router.get("/projects/{number}/results")
@api_requires("surveys.view")
def project_results(request, number: str):
    p = _project(request, number)
    return {"project": _out(p), "results": p.results, "quotas": selectors.quota_progress(p)}


@router.post("/projects/{number}/tokens", response={201: dict})
@api_requires("surveys.manage")
def issue_tokens(request, number: str, payload: TokensIn):
    p = _project(request, number, "surveys.manage")
    secrets = services.issue_tokens(by=Actor.from_request(request), project=p, count=payload.count)
    return Status(201, {"links": [request.build_absolute_uri(f"/surveys/r/{s}/") for s in secrets]})


@router.post("/respond/{secret}", response={201: dict})
@api_requires("surveys.respond")
def respond(request, secret: str, payload: AnswerIn):
    r = services.submit_web(by=Actor.from_request(request), secret=secret, answers=payload.answers,
                            district=payload.district, sex=payload.sex, age_band=payload.age_band,
                            open_answer=payload.open_answer, duration_seconds=payload.duration_seconds)
    return Status(201, {"project": r.project.number, "received": True})


@router.put("/projects/{number}/margins", response=dict)
@api_requires("surveys.manage")
def set_margins(request, number: str, payload: MarginsIn):
    """Population margins for raking (district, sex, age band); validated and audited."""
    p = services.set_margins(by=Actor.from_request(request), project=_project(request, number, "surveys.manage"),
                             margins=payload.margins)
    return {"number": p.number, "margins": p.margins, "margins_default": p.margins_default}


@router.post("/projects/{number}/submit", response={201: dict})
@api_requires("surveys.manage")
def submit(request, number: str, payload: SubmitIn):
    """Submit the current results for publication; the city office approves on the portal desk."""
    release = services.submit_for_publication(by=Actor.from_request(request),
                                              project=_project(request, number, "surveys.manage"),
                                              correction_note=payload.correction_note)
    return Status(201, {"number": number, "series": release.publication.series, "version": release.version,
                        "status": release.publication.status})


@router.post("/responses/{response_id}/review", response=dict)
@api_requires("surveys.review")
def review(request, response_id: int, payload: ReviewIn):
    r = get_object_or_404(Response.objects.select_related("project"), pk=response_id)
    if not permissions.can(request.user, "surveys.review", r.project):
        raise Http404
    r = services.review_response(by=Actor.from_request(request), response=r, decision=payload.decision,
                                 reason=payload.reason)
    return {"id": r.pk, "review": r.review, "reason": r.review_reason}


@router.get("/district-index", response=dict)
@api_requires("surveys.public")
def district_index(request, district: str, year: int):
    """The published district-government satisfaction index (see selectors.district_government_index)."""
    found = selectors.district_government_index(district, year)
    if found is None:
        raise Http404
    return found
