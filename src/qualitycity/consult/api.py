"""The consultation API (/api/v1/consult/…): thin operations over services and selectors."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization, Role
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .models import Case

router = Router(tags=["consult"])


class CaseIn(Schema):
    title: str
    symptom: str
    field: str = "quality"
    product: str = ""
    process: str = ""
    standards: str = ""
    urgency: str = "normal"
    attachments: list[int] = []
    enterprise: int | None = None


class MessageIn(Schema):
    body: str
    parent: int | None = None
    kind: str = "message"
    referral_kind: str = ""
    referral_ref: str = ""
    visit_on: dt.date | None = None
    attachments: list[int] = []


class MessageOut(Schema):
    id: int
    parent: int | None
    author_role: str
    kind: str
    body: str
    referral_kind: str
    referral_ref: str
    created_at: dt.datetime
    attachments: list[int]


class CaseOut(Schema):
    number: str
    title: str
    status: str
    field: str
    urgency: str
    enterprise: str
    expert: str | None
    first_response_due: dt.date | None
    rating: int | None
    created_at: dt.datetime

    @staticmethod
    def of(case: Case) -> dict:
        return {"number": case.number, "title": case.title, "status": case.status, "field": case.field,
                "urgency": case.urgency, "enterprise": case.enterprise.name,
                "expert": case.expert.name if case.expert_id else None,
                "first_response_due": case.first_response_due, "rating": case.rating, "created_at": case.created_at}


class CaseDetail(CaseOut):
    symptom: str
    product: str
    process: str
    standards: str
    messages: list[MessageOut]


class ArticleOut(Schema):
    id: int
    title: str
    question: str
    answer: str
    field: str
    score: float


def _case(request, number: str, rule: str = "consult.cases.view") -> Case:
    qs = permissions.scoped(request.user, rule, Case.objects.select_related("enterprise", "expert"))
    return get_object_or_404(qs, number=number)


@router.get("/cases", response=list[CaseOut])
@api_requires("consult.cases.view")
def list_cases(request, status: str = ""):
    qs = permissions.scoped(request.user, "consult.cases.view", Case.objects.select_related("enterprise", "expert"))
    if status:
        qs = qs.filter(status=status)
    return [CaseOut.of(c) for c in qs[:200]]


@router.post("/cases", response={201: CaseOut})
@api_requires("consult.cases.ask")
def ask(request, payload: CaseIn):
    own = permissions.organization_ids(request.user, Role.ENTERPRISE_MEMBER)
    org_id = payload.enterprise or (own[0] if own else None)
    if org_id not in own:
        raise DomainError(_("只能以本企业名义提问"), field="enterprise")
    case = services.ask(by=Actor.from_request(request), enterprise=Organization.objects.get(pk=org_id),
                        title=payload.title, symptom=payload.symptom, field=payload.field, product=payload.product,
                        process=payload.process, standards=payload.standards, urgency=payload.urgency,
                        attachment_ids=payload.attachments)
    return Status(201, CaseOut.of(case))


@router.get("/cases/{number}", response=CaseDetail)
@api_requires("consult.cases.view")
def get_case(request, number: str):
    case = _case(request, number)
    messages = [{"id": m.pk, "parent": m.parent_id, "author_role": m.author_role, "kind": m.kind, "body": m.body,
                 "referral_kind": m.referral_kind, "referral_ref": m.referral_ref, "created_at": m.created_at,
                 "attachments": [a.pk for a in m.attachments.all()]}
                for m in case.messages.prefetch_related("attachments")]
    return {**CaseOut.of(case), "symptom": case.symptom, "product": case.product, "process": case.process,
            "standards": case.standards, "messages": messages}


@router.post("/cases/{number}/messages", response={201: MessageOut})
@api_requires("consult.cases.reply")
def post_message(request, number: str, payload: MessageIn):
    case = _case(request, number, "consult.cases.reply")
    parent = case.messages.filter(pk=payload.parent).first() if payload.parent else None
    if payload.parent and parent is None:
        raise DomainError(_("回复的留言不属于该问诊"), field="parent")
    m = services.post(by=Actor.from_request(request), case=case, body=payload.body, parent=parent, kind=payload.kind,
                      referral_kind=payload.referral_kind, referral_ref=payload.referral_ref,
                      visit_on=payload.visit_on, attachment_ids=payload.attachments)
    return Status(201, {"id": m.pk, "parent": m.parent_id, "author_role": m.author_role, "kind": m.kind,
                        "body": m.body, "referral_kind": m.referral_kind, "referral_ref": m.referral_ref,
                        "created_at": m.created_at, "attachments": [a.pk for a in m.attachments.all()]})


@router.get("/knowledge", response=list[ArticleOut])
@api_requires("consult.knowledge.view")
def knowledge(request, q: str = ""):
    return [{"id": a.pk, "title": a.title, "question": a.question, "answer": a.answer, "field": a.field,
             "score": round(s, 4)} for a, s in selectors.search_articles(q[:100], limit=20)]
