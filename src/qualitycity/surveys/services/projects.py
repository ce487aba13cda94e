"""Projects, questionnaires and one-time links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Organization
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor

from ..itembank import BANK, CONSTRUCT_LABELS, OPEN_QUESTION, REVERSED_ITEM, SERVICE_INDUSTRIES
from ..models import Project, Question
from ..population import default_margins
from .design import check_agency, clean_margins, clean_quotas

MAX_TOKENS_PER_BATCH = 5000


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _number(today: dt.date) -> str:
    prefix = f"SV{today:%Y%m%d}"
    last = Project.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    return f"{prefix}{(int(last[-4:]) + 1 if last else 1):04d}"


def _districts() -> list[Area]:
    return list(Area.objects.exclude(kind=Area.Kind.CITY).order_by("sort_order", "code", "name"))


def create_project(*, by: Actor, title: str, target_kind: str, year: int, starts_on: dt.date, ends_on: dt.date,
                   industry: str = "", area: Area | None = None, service_name: str = "",
                   quotas: dict | None = None, margins: dict | None = None, with_bank: bool = True,
                   fieldwork_agency: Organization | None = None,
                   status: str = Project.Status.DRAFT, is_demo: bool = False) -> Project:
    """Create a project; ``with_bank`` fills the questionnaire from the full item bank."""
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写项目名称")]
    if target_kind not in Project.Target.values:
        errors["target_kind"] = [_("测评对象类型无效")]
    elif target_kind == Project.Target.INDUSTRY and industry not in dict(SERVICE_INDUSTRIES):
        errors["industry"] = [_("请选择十个服务行业之一")]
    elif target_kind == Project.Target.DISTRICT and (area is None or area.kind == Area.Kind.CITY):
        errors["area"] = [_("区政府测评须指定一个区")]
    elif target_kind == Project.Target.SERVICE and not service_name.strip():
        errors["service_name"] = [_("请填写服务名称")]
    if not (2000 <= int(year or 0) <= 2100):
        errors["year"] = [_("年度无效")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("结束日期早于开始日期")]
    quotas, quota_errors = clean_quotas(quotas or {})
    if quota_errors:
        errors["quotas"] = quota_errors
    if fieldwork_agency is not None:
        try:
            check_agency(fieldwork_agency)
        except DomainError as exc:
            errors["fieldwork_agency"] = [exc.message]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    if target_kind != Project.Target.DISTRICT:
        area = None
    district_names = None if target_kind == Project.Target.DISTRICT else [a.name for a in _districts()]
    with transaction.atomic():
        project = Project.objects.create(
            number=_number(timezone.localdate()), title=title, target_kind=target_kind,
            industry=industry if target_kind == Project.Target.INDUSTRY else "", area=area,
            service_name=service_name.strip(), year=int(year), starts_on=starts_on, ends_on=ends_on,
            quotas=quotas, margins=margins or default_margins(district_names), margins_default=not margins,
            fieldwork_agency=fieldwork_agency,
            status=status if status in Project.Status.values else Project.Status.DRAFT,
            created_by=by.user, is_demo=is_demo)
        if margins:
            project.margins = clean_margins(margins, project)  # refused margins roll the project back
            project.save(update_fields=["margins"])
        if with_bank:
            _write_questions(project, [code for code, *_rest in BANK], reversed_check=True, open_question=True)
        audit.record(by=by, action="surveys.project.create", obj=project, changes={"title": title})
    return project


def _write_questions(project: Project, codes: list[str], *, reversed_check: bool, open_question: bool) -> None:
    rows = [Question(project=project, code=c, construct=k, text_zh=zh, text_en=en, order=i)
            for i, (c, k, zh, en) in enumerate(BANK) if c in codes]
    if reversed_check:
        c, k, zh, en = REVERSED_ITEM
        rows.append(Question(project=project, code=c, construct=k, kind=Question.Kind.REVERSED, text_zh=zh,
                             text_en=en, order=len(BANK)))
    if open_question:
        rows.append(Question(project=project, code="OPEN", kind=Question.Kind.OPEN, text_zh=OPEN_QUESTION[0],
                             text_en=OPEN_QUESTION[1], order=len(BANK) + 1))
    Question.objects.bulk_create(rows)


def set_questionnaire(*, by: Actor, project: Project, codes: list[str], reversed_check: bool = True,
                      open_question: bool = True) -> Project:
    """Choose the bank items; each model construct must keep at least one item."""
    known = {c for c, *_rest in BANK}
    unknown = sorted(set(codes) - known)
    if unknown:
        raise DomainError(_("题库中没有这些题目：%s") % "、".join(unknown), field="codes")
    covered = {k for c, k, *_rest in BANK if c in codes}
    missing = [k for c, k, *_rest in BANK if k not in covered]
    if missing:
        names = [str(CONSTRUCT_LABELS[k]) for k in dict.fromkeys(missing)]
        raise DomainError(_("每个潜变量至少需要一个题目，缺少：%s") % "、".join(names), field="codes")
    if project.responses.exists():
        raise DomainError(_("已有答卷，不能再修改问卷"), field="codes")
    with transaction.atomic():
        before = sorted(project.questions.values_list("code", flat=True))
        project.questions.all().delete()
        _write_questions(project, codes, reversed_check=reversed_check, open_question=open_question)
        audit.record(by=by, action="surveys.questionnaire.set", obj=project,
                     changes={"codes": [before, sorted(codes)]})
    return project


def set_status(*, by: Actor, project: Project, status: str) -> Project:
    if status not in Project.Status.values:
        raise DomainError(_("状态无效"), field="status")
    with transaction.atomic():
        old = project.status
        project.status = status
        project.save(update_fields=["status"])
        audit.record(by=by, action="surveys.project.status", obj=project, changes={"status": [old, status]})
    return project


def issue_tokens(*, by: Actor, project: Project, count: int) -> list[str]:
    """Issue one-time link secrets; they are returned once and only their hashes kept."""
    if not isinstance(count, int) or not 1 <= count <= MAX_TOKENS_PER_BATCH:
        raise DomainError(_("每批可生成 1–%d 个链接") % MAX_TOKENS_PER_BATCH, field="count")
    from ..models import Token

    secrets_out = [secrets.token_urlsafe(16) for _ in range(count)]
    with transaction.atomic():
        Token.objects.bulk_create([Token(project=project, digest=digest(s)) for s in secrets_out])
        audit.record(by=by, action="surveys.tokens.issue", obj=project, changes={"count": count})
    return secrets_out
