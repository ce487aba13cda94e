"""Every change to a consultation: ask, assign, reply, close and rate, publish, deadlines."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.calendar import deadline_for, local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, Expert, Organization, OrgKind, Role
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.core.services.notifications import notify
from qualitycity.methods import textsearch
from qualitycity.methods.anonymize import anonymize

from . import matching
from .models import Article, Assignment, Case, ExpertProfile, Field, Message

FIRST_RESPONSE_WORKING_DAYS = 1
MAX_ATTACHMENTS = 10


def _link(case: Case) -> str:
    return reverse("consult:case", args=[case.number])


def _role_in(case: Case, user) -> str:
    if case.expert_id and case.expert.user_id == user.pk:
        return "expert"
    if case.enterprise_id in permissions.organization_ids(user, Role.ENTERPRISE_MEMBER):
        return "enterprise"
    if Role.CITY_OFFICE in permissions.roles_of(user):
        return "city_office"
    raise DomainError(_("您不是该问诊的参与方"))


def _attachments(ids, by: audit.Actor) -> list[Attachment]:
    ids = [int(i) for i in ids or []]
    if len(ids) > MAX_ATTACHMENTS:
        raise DomainError(_("附件最多 {max} 个").format(max=MAX_ATTACHMENTS), field="attachments")
    found = list(Attachment.objects.filter(pk__in=ids, uploaded_by=by.user))
    if len(found) != len(set(ids)):
        raise DomainError(_("只能附上您自己上传的文件"), field="attachments")
    return found


def ask(*, by: audit.Actor, enterprise: Organization, title: str, symptom: str, field: str = Field.QUALITY,
        product: str = "", process: str = "", standards: str = "", urgency: str = Case.Urgency.NORMAL,
        attachment_ids=(), auto_assign: bool = True) -> Case:
    """An enterprise asks; the best available expert is assigned at once when one fits."""
    errors = {}
    if enterprise.kind != OrgKind.ENTERPRISE:
        errors["enterprise"] = [_("只有企业可以发起问诊")]
    if not (title or "").strip():
        errors["title"] = [_("请填写问题标题")]
    if len((symptom or "").strip()) < 10:
        errors["symptom"] = [_("请至少用 10 个字描述问题（产品、工艺、现象）")]
    if field not in Field.values:
        errors["field"] = [_("未知的专业方向")]
    if urgency not in Case.Urgency.values:
        errors["urgency"] = [_("未知的紧急程度")]
    if errors:
        raise DomainError(_("问诊信息不完整"), errors=errors)
    now = timezone.now()
    with transaction.atomic():
        files = _attachments(attachment_ids, by)
        case = Case.objects.create(
            number=next_number("WZ", day=local_date(now)), enterprise=enterprise, area_id=enterprise.area_id,
            industry_id=enterprise.industry_id, asked_by=by.user, title=title.strip()[:120], symptom=symptom.strip(),
            field=field, product=product[:100], process=process[:100], standards=standards[:300], urgency=urgency,
        )
        message = Message.objects.create(case=case, author=by.user, author_role="enterprise", body=case.symptom)
        message.attachments.set(files)
        audit.record(by=by, action="consult.ask", obj=case, changes={"status": [None, case.status]})
        if auto_assign:
            match = matching.best_expert(case)
            if match is not None:
                _assign(case, match.expert, by=by, manual=False, score=match.score, reasons=match.reasons, now=now)
            else:
                _notify_city_office(case, f"新问诊 {case.number} 暂无空闲的匹配专家，请人工指派", case.title)
    return case


def _assign(case: Case, expert: Expert, *, by, manual: bool, score: float, reasons: list, now) -> None:
    before = audit.snapshot(case, ["status", "expert_id", "first_response_due"])
    Assignment.objects.filter(case=case, ended_at=None).update(ended_at=now, ended_reason="reassigned")
    Assignment.objects.create(case=case, expert=expert, manual=manual, score=score, reasons=reasons, assigned_at=now)
    deadline = deadline_for(now, FIRST_RESPONSE_WORKING_DAYS)
    case.expert = expert
    case.status = Case.Status.ASSIGNED
    case.assigned_at = now
    case.first_response_due = deadline.due_on
    case.deadline_warning = deadline.warning
    case.reminded_at = None
    case.save()
    audit.record(by=by, action="consult.assign", obj=case,
                 changes=audit.diff(before, audit.snapshot(case, ["status", "expert_id", "first_response_due"])))
    if expert.user_id:
        notify(user=expert.user, title=f"新问诊 {case.number}：{case.title}",
               body=f"请在 {case.first_response_due:%Y-%m-%d} 前首次答复。", link=_link(case), category="consult")


def assign(*, by: audit.Actor, case: Case, expert: Expert, note: str = "") -> Case:
    """The city office assigns (or replaces) the expert by hand."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status not in (Case.Status.ASKED, Case.Status.ASSIGNED, Case.Status.ANSWERED):
            raise DomainError(_("已结束的问诊不能再分配专家"), field="expert")
        if expert.user_id is None:
            raise DomainError(_("该专家尚未开通平台账号，无法接收问诊"), field="expert")
        _assign(case, expert, by=by, manual=True, score=0, reasons=[note or "市质量强市办人工指派"], now=timezone.now())
    return case


def post(*, by: audit.Actor, case: Case, body: str, parent: Message | None = None, kind: str = Message.Kind.MESSAGE,
         referral_kind: str = "", referral_ref: str = "", visit_on: dt.date | None = None, attachment_ids=()) -> Message:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("请填写内容"), field="body")
    if kind not in Message.Kind.values:
        raise DomainError(_("未知的留言类型"), field="kind")
    if kind == Message.Kind.REFERRAL and (referral_kind not in Message.Referral.values or not referral_ref.strip()):
        raise DomainError(_("转介需选择类型并填写委托单号、标准号或课程编号"), field="referral_ref")
    if parent is not None and parent.case_id != case.pk:
        raise DomainError(_("回复的留言不属于该问诊"), field="parent")
    if kind == Message.Kind.VISIT:
        visit_on = _visit_date(visit_on)
    else:
        visit_on = None
    if kind == Message.Kind.REFERRAL:
        referral_ref = _referral_target(case, referral_kind, referral_ref.strip())
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("expert").get(pk=case.pk)
        if case.status not in Case.OPEN:
            raise DomainError(_("问诊已结束，不能再留言"))
        role = _role_in(case, by.user)
        if kind != Message.Kind.MESSAGE and role != "expert":
            raise DomainError(_("只有专家可以建议现场服务或转介"), field="kind")
        files = _attachments(attachment_ids, by)
        message = Message.objects.create(case=case, parent=parent, author=by.user, author_role=role, kind=kind,
                                         body=body, referral_kind=referral_kind if kind == Message.Kind.REFERRAL else "",
                                         referral_ref=referral_ref[:120] if kind == Message.Kind.REFERRAL else "",
                                         visit_on=visit_on)
        message.attachments.set(files)
        changes = {"message": [None, message.pk]}
        if role == "expert" and case.status == Case.Status.ASSIGNED:
            case.status = Case.Status.ANSWERED
            case.first_response_at = case.first_response_at or timezone.now()
            case.save(update_fields=["status", "first_response_at"])
            changes["status"] = [Case.Status.ASSIGNED, Case.Status.ANSWERED]
            Assignment.objects.filter(case=case, ended_at=None).update(ended_reason="answered")
        audit.record(by=by, action="consult.post", obj=case, changes=changes)
        recipients = {case.asked_by} if role != "enterprise" else ({case.expert.user} if case.expert_id and case.expert.user_id else set())
        for user in recipients:
            notify(user=user, title=f"问诊 {case.number} 有新留言", body=body[:80], link=_link(case), category="consult")
    return message


def _visit_date(value) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(_("现场服务日期格式应为 2026-05-06"), field="visit_on") from None
    if not isinstance(value, dt.date):
        raise DomainError(_("建议现场服务请填写日期"), field="visit_on")
    if value < local_date(timezone.now()):
        raise DomainError(_("现场服务日期不能早于今天"), field="visit_on")
    return value


def _referral_target(case: Case, kind: str, ref: str) -> str:
    """The referral's target must exist (and a lab order must be the enterprise's own), so the
    link in the thread always opens something; returns the reference as its module spells it."""
    if kind == Message.Referral.COURSE:
        from qualitycity.training.models import Course

        course = Course.objects.filter(code__iexact=ref, published=True).first()
        if course is None:
            raise DomainError(_("没有编号为 {ref} 的已发布课程").format(ref=ref), field="referral_ref")
        return course.code
    if kind == Message.Referral.STANDARD:
        from qualitycity.standards.models import Standard
        from qualitycity.standards.selectors import get_standard

        try:
            return get_standard(ref).number
        except Standard.DoesNotExist:
            raise DomainError(_("标准库中没有 {ref}，请填写完整标准号（含年号）").format(ref=ref), field="referral_ref") from None
    from qualitycity.inspection.models import Order

    order = Order.objects.filter(number=ref.upper()).first()
    if order is None or order.enterprise_id != case.enterprise_id:
        raise DomainError(_("没有该企业编号为 {ref} 的检验检测委托").format(ref=ref), field="referral_ref")
    return order.number


def close(*, by: audit.Actor, case: Case, solved: bool, rating: int | None, comment: str = "",
          publish_consent: bool = False) -> Case:
    """The enterprise confirms the outcome and rates the expert; with consent a solved case
    is published, anonymized, to the knowledge base in the same transaction."""
    if rating is None or not 1 <= int(rating) <= 5:
        raise DomainError(_("请给专家打 1–5 分"), field="rating")
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("enterprise", "asked_by", "expert").get(pk=case.pk)
        if case.status != Case.Status.ANSWERED:
            raise DomainError(_("专家答复后才能确认关闭并评价"), field="rating")
        before = audit.snapshot(case, ["status", "rating", "publish_consent"])
        # solved: 已评价 (rated); not solved: 已关闭 (closed unresolved, still rated), so the
        # statistics can tell the two apart and report a resolution rate
        case.status = Case.Status.RATED if solved else Case.Status.CLOSED
        case.rating = int(rating)
        case.rating_comment = (comment or "").strip()[:300]
        case.publish_consent = bool(publish_consent) and solved
        case.closed_at = timezone.now()
        case.save()
        audit.record(by=by, action="consult.close", obj=case,
                     changes={**audit.diff(before, audit.snapshot(case, ["status", "rating", "publish_consent"])),
                              "solved": [None, bool(solved)]})
        if case.publish_consent:
            publish(by=by, case=case)
    return case


def publish(*, by: audit.Actor, case: Case) -> Article:
    if not case.publish_consent:
        raise DomainError(_("企业未同意发布"))
    enterprise = case.enterprise
    people = [case.asked_by.display_name, case.asked_by.username, enterprise.contact_name]
    people += [m.author.display_name for m in case.messages.select_related("author") if m.author_role != "expert"]

    # the enterprise's own name, code and phones are removed however the asker wrote them;
    # the patterns in methods.anonymize catch everyone else's by shape
    phones = [enterprise.contact_phone, case.asked_by.phone]
    phones += [m.author.phone for m in case.messages.select_related("author") if m.author_role != "expert"]

    def clean(text):
        return anonymize(text, company_names=[enterprise.name], person_names=[p for p in people if p],
                         addresses=[enterprise.address] if enterprise.address else [],
                         codes=[enterprise.credit_code or ""], phones=[p for p in phones if p])

    question = clean("\n".join(filter(None, [f"产品：{case.product}" if case.product else "",
                                               f"工艺：{case.process}" if case.process else "", case.symptom])))
    answers = [clean(m.body) for m in case.messages.filter(author_role="expert")]
    title = clean(case.title)
    with transaction.atomic():
        article, _created = Article.objects.update_or_create(case=case, defaults={
            "title": title, "question": question, "answer": "\n\n".join(answers), "field": case.field,
            "industry_id": case.industry_id, "published_at": timezone.now(),
            "search_text": textsearch.index_text(title, question, *answers),
        })
        audit.record(by=by, action="consult.publish", obj=article)
    return article


def _notify_city_office(case: Case, title: str, body: str) -> None:
    from qualitycity.core.models import User

    for user in User.objects.filter(memberships__role=Role.CITY_OFFICE, is_active=True).distinct():
        notify(user=user, title=title, body=body, link=_link(case), category="consult")


def _lapse(case: Case, *, by, now) -> bool:
    """The expert let the first-response deadline pass: hand the case to the next free
    expert, or, when there is none, say so to the enterprise and ask the city office to
    assign by hand; the case then waits and is retried on every later run."""
    Assignment.objects.filter(case=case, ended_at=None).update(ended_at=now, ended_reason="overdue")
    tried = set(case.assignments.values_list("expert_id", flat=True))
    match = matching.best_expert(case, exclude_ids=tried)
    if match is not None:
        _assign(case, match.expert, by=by, manual=False, score=match.score,
                reasons=["首次答复超期后自动改派", *match.reasons], now=now)
        notify(user=case.asked_by, title=f"问诊 {case.number} 已改派专家",
               body=f"原专家未在 1 个工作日内答复，已改由 {match.expert.name} 处理。", link=_link(case), category="consult")
        return True
    before = audit.snapshot(case, ["status", "expert_id", "first_response_due"])
    case.status, case.expert, case.first_response_due, case.reminded_at = Case.Status.ASKED, None, None, None
    case.save(update_fields=["status", "expert", "first_response_due", "reminded_at"])
    audit.record(by=by, action="consult.unassign_overdue", obj=case,
                 changes=audit.diff(before, audit.snapshot(case, ["status", "expert_id", "first_response_due"])))
    notify(user=case.asked_by, title=f"问诊 {case.number} 正在另找专家",
           body="原专家未在 1 个工作日内答复，目前没有空闲的匹配专家。市质量强市办已收到通知，会尽快为您指派专家。",
           link=_link(case), category="consult")
    _notify_city_office(case, f"问诊 {case.number} 超期且无空闲专家，请人工指派", case.title)
    return False


def process_deadlines(*, now: dt.datetime | None = None, by: audit.Actor | None = None) -> dict:
    """Remind experts on the due day; reassign cases whose first response is overdue; give
    waiting cases (no free expert so far) another try.

    Each case is re-read under a row lock and its state checked again before anything
    changes, so an answer posted while this job runs is never overwritten."""
    now = now or timezone.now()
    by = by or audit.Actor.system("consult-deadlines")
    today = local_date(now)
    counts = {"reminded": 0, "reassigned": 0, "unassigned": 0, "retried": 0, "waiting": 0}
    pending = Case.objects.filter(status=Case.Status.ASSIGNED, first_response_at=None, first_response_due__lte=today)
    for pk in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            case = (Case.objects.select_for_update(of=("self",)).select_related("expert__user", "industry", "asked_by")
                    .get(pk=pk))
            if case.status != Case.Status.ASSIGNED or case.first_response_at is not None or not case.first_response_due:
                continue  # answered, closed or reassigned by hand since the list was read
            if today > case.first_response_due:
                counts["reassigned" if _lapse(case, by=by, now=now) else "unassigned"] += 1
            elif case.reminded_at is None and case.expert.user_id:
                Case.objects.filter(pk=case.pk).update(reminded_at=now)
                audit.record(by=by, action="consult.remind", obj=case)
                notify(user=case.expert.user, title=f"提醒：问诊 {case.number} 今天需首次答复", link=_link(case),
                       category="consult", channels=("inbox", "sms"))
                counts["reminded"] += 1
    for pk in list(Case.objects.filter(status=Case.Status.ASKED).values_list("pk", flat=True)):
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("industry", "asked_by").get(pk=pk)
            if case.status != Case.Status.ASKED:
                continue
            lapsed = set(case.assignments.filter(ended_reason="overdue").values_list("expert_id", flat=True))
            match = matching.best_expert(case, exclude_ids=lapsed)
            if match is None:
                counts["waiting"] += 1
                continue
            _assign(case, match.expert, by=by, manual=False, score=match.score,
                    reasons=["此前暂无空闲专家，现已自动分配", *match.reasons], now=now)
            notify(user=case.asked_by, title=f"问诊 {case.number} 已分配专家",
                   body=f"{match.expert.name} 将在 {case.first_response_due:%Y-%m-%d} 前首次答复。", link=_link(case),
                   category="consult")
            counts["retried"] += 1
    return counts


def save_profile(*, by: audit.Actor, expert: Expert, fields: list[str], product_areas: str = "", standards: str = "",
                 available: bool = True, open_case_limit: int = 5, industries: list[str] | None = None) -> ExpertProfile:
    """``industries`` (GB/T 4754 division codes) are the expert's directory industries, which
    matching reads; None leaves them as they are."""
    from qualitycity.core.models import Industry

    unknown = set(fields) - set(Field.values)
    if unknown:
        raise DomainError(_("未知的专业方向：{items}").format(items="、".join(sorted(unknown))), field="fields")
    chosen = None
    if industries is not None:
        chosen = list(Industry.objects.filter(code__in=set(industries), level=Industry.Level.DIVISION))
        missing = set(industries) - {i.code for i in chosen}
        if missing:
            raise DomainError(_("未知的行业代码：{items}").format(items="、".join(sorted(missing))), field="industries")
    if not 1 <= int(open_case_limit) <= 50:
        raise DomainError(_("同时处理上限应在 1–50 之间"), field="open_case_limit")
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.get_or_create(expert=expert)
        before = audit.snapshot(profile)
        profile.fields, profile.product_areas, profile.standards = list(fields), product_areas[:200], standards
        profile.available, profile.open_case_limit = bool(available), int(open_case_limit)
        profile.save()
        changes = audit.diff(before, audit.snapshot(profile))
        if chosen is not None:
            old = sorted(expert.industries.values_list("code", flat=True))
            expert.industries.set(chosen)
            if old != sorted(i.code for i in chosen):
                changes["industries"] = [old, sorted(i.code for i in chosen)]
        audit.record(by=by, action="consult.profile", obj=profile, changes=changes)
    return profile
