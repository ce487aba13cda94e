"""The state machine: route, accept or reject, return and arbitrate, handle, close,
callback and reopen, merge. Each transition checks the state it starts from."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualitycity.core import calendar
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.core.services.notifications import notify

from ..models import OPEN_STATES, Assignment, Demand, Dispute, Rating, RejectionGround, State
from . import common, lookups, rows


def _lock(demand: Demand) -> Demand:
    return Demand.objects.select_for_update().get(pk=demand.pk)


def _require(demand: Demand, *states, action: str) -> None:
    if demand.state not in states:
        raise DomainError(_("诉求 {number} 当前为“{state}”，不能{action}").format(number=demand.number, state=demand.get_state_display(), action=_(action)), field="state")


def _record(by, action, demand, before_state, **extra):
    audit.record(by=by, action=f"complaints.{action}", obj=demand,
                 changes={"state": [before_state, demand.state], **extra})


def routing_for(demand: Demand) -> lookups.Route | None:
    """The rule for the demand's category in its district, else the category's default."""
    return lookups.tables().route(demand.category_id, demand.area_id)


def assignment_rows(demand: Demand, lead: Organization, co) -> list[Assignment]:
    """The unsaved rows that make ``lead`` the 主办 and ``co`` the 协办 units."""
    new_rows = [Assignment(demand=demand, organization=lead, role=Assignment.Role.LEAD)]
    return new_rows + [Assignment(demand=demand, organization=org, role=Assignment.Role.CO)
                       for org in co if org.pk != lead.pk]


def assign(demand: Demand, lead: Organization, co) -> None:
    """Make ``lead`` the 主办 and ``co`` the 协办 units, ending the current assignments
    (rows only; the caller audits)."""
    Assignment.objects.filter(demand=demand, active=True).update(active=False)
    rows.insert(assignment_rows(demand, lead, co))
    demand.lead_org = lead


def routed_text(lead: Organization, co) -> str:
    names = "、".join(o.name for o in co if o.pk != lead.pk)
    return f"派至{lead.name}主办" + (f"，{names}协办" if names else "")


def route(*, by: Actor, demand: Demand, lead: Organization | None = None, co=(), at=None) -> Demand:
    """Dispatch (派单) to the lead department and co-handlers; by rule when none is given."""
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.RECEIVED, action=gettext_noop("派单"))
        if lead is None:
            rule = routing_for(demand)
            if rule is None:
                raise DomainError(_("没有“{category}”在{area}的派单规则，请手工指定主办单位").format(category=demand.category, area=demand.area), field="lead")
            lead, co = rule.lead, list(rule.co)
        before = demand.state
        assign(demand, lead, co)
        demand.state = State.ASSIGNED
        demand.save()
        common.add_event(demand, kind="routed", by=by, at=at, org=lead, public=True, text=routed_text(lead, co))
        _record(by, "route", demand, before, lead=[None, lead.name])
        common.tell_departments(demand, [lead.pk, *(o.pk for o in co)], f"新派单 {demand.number}", demand.title)
    return demand


def reassign(*, by: Actor, demand: Demand, lead: Organization, co=(), reason: str, at=None) -> Demand:
    """转办: a new lead department; the reason is mandatory and kept on the timeline."""
    if not (reason or "").strip():
        raise DomainError(_("转办必须说明理由"), field="reason")
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.ASSIGNED, State.HANDLING, State.RETURNED, action=gettext_noop("转办"))
        before_lead, before = demand.lead_org, demand.state
        if before_lead and before_lead.pk == lead.pk:
            raise DomainError(_("新的主办单位与原主办单位相同"), field="lead")
        assign(demand, lead, co)
        demand.state = State.ASSIGNED
        demand.accepted_at = None
        demand.save()
        common.add_event(demand, kind="reassigned", by=by, at=at, org=lead, public=True,
                         text=f"转办至{lead.name}。理由：{reason.strip()}")
        _record(by, "reassign", demand, before, lead=[before_lead.name if before_lead else None, lead.name],
                reason=[None, reason.strip()])
        common.tell_departments(demand, [lead.pk], f"转办 {demand.number}", reason)
    return demand


def accept(*, by: Actor, demand: Demand, note: str = "", at=None) -> Demand:
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.ASSIGNED, action=gettext_noop("受理"))
        before = demand.state
        demand.state = State.HANDLING
        demand.accepted_at = at
        demand.accepted_late = bool(demand.accept_due and calendar.local_date(at) > demand.accept_due)
        common.set_handle_due(demand, at)
        demand.save()
        common.add_event(demand, kind="accepted", by=by, at=at, org=demand.lead_org, public=True,
                         text=f"已受理，办结期限 {demand.handle_due:%Y-%m-%d}" + (f"。{note}" if note else ""))
        _record(by, "accept", demand, before)
        common.tell_complainant(demand, f"您的诉求 {demand.number} 已受理")
    return demand


def reject(*, by: Actor, demand: Demand, ground: RejectionGround | None, note: str = "", at=None) -> Demand:
    """不予受理: only on one of the statutory grounds in the configurable table."""
    if ground is None or not ground.is_active:
        raise DomainError(_("不予受理必须选择一项法定情形"), field="ground")
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.ASSIGNED, State.RECEIVED, action=gettext_noop("作出不予受理决定"))
        before = demand.state
        demand.state = State.REJECTED
        demand.rejection_ground = ground
        demand.closed_at = at
        demand.accepted_late = bool(demand.accept_due and calendar.local_date(at) > demand.accept_due)
        demand.public_reply = f"不予受理：{ground.text}（{ground.basis}）" + (f"。{note}" if note else "")
        demand.save()
        common.add_event(demand, kind="rejected", by=by, at=at, org=demand.lead_org, public=True, text=demand.public_reply)
        _record(by, "reject", demand, before, ground=[None, ground.code])
        common.tell_complainant(demand, f"您的诉求 {demand.number} 不予受理")
    return demand


def return_demand(*, by: Actor, demand: Demand, reason: str, at=None) -> Demand:
    """退回: the lead department says the demand is outside its remit; the city office arbitrates."""
    if not (reason or "").strip():
        raise DomainError(_("退回必须说明理由"), field="reason")
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.ASSIGNED, State.HANDLING, action=gettext_noop("退回"))
        before = demand.state
        Dispute.objects.create(demand=demand, organization=demand.lead_org, reason=reason.strip(), created_at=at)
        demand.state = State.RETURNED
        demand.save()
        common.add_event(demand, kind="returned", by=by, at=at, org=demand.lead_org, text=f"退回：{reason.strip()}")
        _record(by, "return", demand, before, reason=[None, reason.strip()])
        for user in common.city_office_users():
            notify(user=user, title=f"退回待仲裁 {demand.number}", body=reason, link=f"/complaints/d/{demand.number}/")
    return demand


def arbitrate(*, by: Actor, demand: Demand, uphold: bool, new_lead: Organization | None = None, note: str = "",
              at=None) -> Demand:
    """The city office decides a return: uphold it (route to ``new_lead``) or send it back."""
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.RETURNED, action=gettext_noop("仲裁"))
        dispute = demand.disputes.filter(decided_at=None).order_by("-created_at").first()
        if uphold and new_lead is None:
            raise DomainError(_("支持退回时须指定新的主办单位"), field="lead")
        before = demand.state
        if uphold:
            assign(demand, new_lead, ())
            demand.state = State.ASSIGNED
            demand.accepted_at = None
            text = f"仲裁：退回理由成立，改派{new_lead.name}"
        else:
            demand.state = State.HANDLING if demand.accepted_at else State.ASSIGNED
            text = f"仲裁：退回理由不成立，仍由{demand.lead_org.name}办理"
        if dispute:
            dispute.decided_at, dispute.upheld = at, uphold
            dispute.save()
        demand.save()
        common.add_event(demand, kind="arbitrated", by=by, at=at, org=demand.lead_org,
                         text=text + (f"。{note}" if note else ""), public=uphold)
        _record(by, "arbitrate", demand, before, upheld=[None, uphold])
        common.tell_departments(demand, [demand.lead_org_id], f"仲裁结果 {demand.number}", text)
    return demand


def add_note(*, by: Actor, demand: Demand, text: str, public: bool = False, at=None) -> Demand:
    if not (text or "").strip():
        raise DomainError(_("请填写办理情况"), field="text")
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, *OPEN_STATES, action=gettext_noop("登记办理情况"))
        common.add_event(demand, kind="note", by=by, at=common.now_or(at), org=demand.lead_org, text=text.strip(),
                         public=public)
        audit.record(by=by, action="complaints.note", obj=demand, changes={"public": [None, public]})
    return demand


def close(*, by: Actor, demand: Demand, reply: str, at=None) -> Demand:
    """办结 with the reply the complainant (and every merged complainant) receives."""
    if len((reply or "").strip()) < 5:
        raise DomainError(_("请填写办理结果答复（至少 5 个字）"), field="reply")
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.HANDLING, action=gettext_noop("办结"))
        before = demand.state
        demand.state = State.REPLIED
        demand.closed_at = at
        demand.public_reply = reply.strip()
        demand.closed_late = bool(demand.handle_due and calendar.local_date(at) > demand.handle_due)
        demand.save()
        common.add_event(demand, kind="closed", by=by, at=at, org=demand.lead_org, public=True, text=f"办结答复：{reply.strip()}")
        _record(by, "close", demand, before, late=[None, demand.closed_late])
        for each in [demand, *demand.merged.all()]:
            if each.pk != demand.pk:
                common.add_event(each, kind="closed", by=by, at=at, public=True, text=f"合并办理的 {demand.number} 已办结：{reply.strip()}")
            common.tell_complainant(each, f"您的诉求 {each.number} 已办结，请评价")
    return demand


def rate(*, by: Actor, demand: Demand, rating: str, comment: str = "", at=None) -> Demand:
    """回访: 满意/基本满意 archive the demand; 不满意 reopens it once (重办)."""
    if rating not in Rating.values:
        raise DomainError(_("请选择满意、基本满意或不满意"), field="rating")
    at = common.now_or(at)
    with transaction.atomic():
        demand = _lock(demand)
        _require(demand, State.REPLIED, action=gettext_noop("评价"))
        before = demand.state
        demand.rating = rating
        reopen = rating == Rating.UNSATISFIED and demand.reopen_count == 0
        if reopen:
            demand.state = State.HANDLING
            demand.reopen_count += 1
            demand.closed_at = None
            common.set_handle_due(demand, at)
            text = f"回访评价：不满意，重办，办结期限 {demand.handle_due:%Y-%m-%d}"
        else:
            demand.state = State.CLOSED
            text = f"回访评价：{Rating(rating).label}"
        demand.save()
        common.add_event(demand, kind="rated", by=by, at=at, org=demand.lead_org, public=True,
                         text=text + (f"（{comment.strip()[:200]}）" if comment.strip() else ""))
        _record(by, "rate", demand, before, rating=[None, rating])
        if reopen:
            common.tell_departments(demand, [demand.lead_org_id], f"重办 {demand.number}", comment)
    return demand


def merge(*, by: Actor, target: Demand, duplicates: list[Demand], at=None) -> Demand:
    """Merge duplicates into ``target``; each complainant is told and keeps a status page."""
    at = common.now_or(at)
    with transaction.atomic():
        target = _lock(target)
        _require(target, *OPEN_STATES, action=gettext_noop("作为合并目标"))
        for dup in duplicates:
            dup = _lock(dup)
            if dup.pk == target.pk:
                raise DomainError(_("不能与自身合并"), field="duplicates")
            _require(dup, *OPEN_STATES, action=gettext_noop("合并"))
            before = dup.state
            dup.state, dup.merged_into, dup.closed_at = State.MERGED, target, at
            dup.save()
            common.add_event(dup, kind="merged", by=by, at=at, public=True,
                             text=f"与同一事项的诉求 {target.number} 合并办理，办理进展与结果将同步告知您")
            _record(by, "merge", dup, before, merged_into=[None, target.number])
            common.tell_complainant(dup, f"您的诉求 {dup.number} 已与 {target.number} 合并办理")
        common.add_event(target, kind="merged", by=by, at=at,
                         text="合并：" + "、".join(d.number for d in duplicates))
    return target


def reveal_contact(*, by: Actor, demand: Demand) -> dict:
    """Unmasked contact details, audited every time."""
    with transaction.atomic():
        audit.record(by=by, action="complaints.reveal_contact", obj=demand, changes={"viewed": [None, timezone.now().isoformat()]})
    return {"name": demand.contact_name, "phone": demand.contact_phone, "email": demand.contact_email}
