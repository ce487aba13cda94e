"""Intake: every channel files a demand through ``submit``."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.services import attachments as attachment_service
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.core.services.notifications import notify

from ..models import Category, Channel, Demand, DemandType, Event, State
from . import common, lookups, rows, workflow

MAX_DESCRIPTION = 4000
PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")
# A liaison demand is answered through the cadre paired with the enterprise, and the
# enterprise confirms the outcome in the liaison module: a contact number is kept when
# known but not required.
CONTACT_OPTIONAL_CHANNELS = frozenset({Channel.LIAISON})


def resolve_area(value) -> Area:
    if isinstance(value, Area):
        return value
    text = str(value or "").strip()
    if not text:
        raise DomainError(_("请选择诉求发生地所在的区"), field="district")
    districts = lookups.tables()  # the intake's copy of the district table
    area = districts.by_name.get(text)
    if area is None and text.isdigit():
        area = districts.by_pk.get(int(text)) or districts.by_code.get(text)
    if area is None:
        raise DomainError(_("未知的区：“{text}”").format(text=text), field="district")
    return area


def resolve_category(value) -> Category:
    if isinstance(value, Category):
        return value
    category = lookups.tables().categories.get(str(value or ""))
    if category is None or not category.is_active:
        raise DomainError(_("未知的诉求分类：“{value}”").format(value=value), field="category")
    return category


def match_respondent(name: str) -> Organization | None:
    """The directory entry a citizen meant: exact name or credit code, enterprises first."""
    name = (name or "").strip()
    if not name:
        return None
    qs = Organization.objects.filter(kind=OrgKind.ENTERPRISE)
    return qs.filter(name=name).first() or qs.filter(credit_code=name.upper()).first()


def validate(*, demand_type: str, description: str, anonymous: bool, contact_phone: str, contact_name: str,
             contact_email: str = "", contact_required: bool = True) -> dict:
    errors: dict[str, list[str]] = {}
    if demand_type not in DemandType.values:
        errors["demand_type"] = [_("未知的诉求类型：“{demand_type}”").format(demand_type=demand_type)]
    text = (description or "").strip()
    if len(text) < 5:
        errors["description"] = [_("请描述诉求内容（至少 5 个字）")]
    elif len(text) > MAX_DESCRIPTION:
        errors["description"] = [_("内容共 {n} 字，超过 {max_description} 字上限；请精简，或把详细材料作为附件上传").format(n=len(text), max_description=MAX_DESCRIPTION)]
    if anonymous and demand_type != DemandType.REPORT:
        errors["anonymous"] = [_("只有举报可以匿名提交；投诉、咨询等需要留下联系方式以便答复")]
    if not anonymous:
        if contact_phone and not PHONE.match(contact_phone):
            errors["contact_phone"] = [_("“{contact_phone}”不是有效的手机号或固定电话").format(contact_phone=contact_phone)]
        elif not contact_phone and not contact_email and contact_required:  # an e-mail is a way to answer too
            errors["contact_phone"] = [_("请留下联系电话，以便受理单位与您联系（举报可选择匿名）")]
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = [_("“{contact_email}”不是有效的电子邮箱").format(contact_email=contact_email)]
    return errors


def submit(
    *,
    by: Actor,
    channel: str,
    demand_type: str,
    category,
    description: str,
    district,
    title: str = "",
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    respondent_name: str = "",
    respondent: Organization | None = None,
    anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    files: list[tuple[str, bytes]] = (),
    at=None,
    auto_route: bool = True,
    external_ref: str = "",
) -> Demand:
    """File one demand from any channel; all or nothing (attachments included)."""
    if channel not in Channel.values:
        raise DomainError(_("未知的渠道：“{channel}”").format(channel=channel), field="channel")
    contact_phone = (contact_phone or "").strip().replace(" ", "")
    contact_email = (contact_email or "").strip()
    errors = validate(demand_type=demand_type, description=description, anonymous=anonymous,
                      contact_phone=contact_phone, contact_name=contact_name, contact_email=contact_email,
                      contact_required=channel not in CONTACT_OPTIONAL_CHANNELS)
    try:
        area = resolve_area(district)
    except DomainError as exc:
        errors.update(exc.errors)
    try:
        category = resolve_category(category)
    except DomainError as exc:
        errors.update(exc.errors)
    if lat is not None and not (-90 <= lat <= 90) or lng is not None and not (-180 <= lng <= 180):
        errors["lat"] = [_("坐标超出范围")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, errors=errors)
    received_at = common.now_or(at)
    description = description.strip()
    demand = Demand(
        tracking_code=common.tracking_code(),
        channel=channel,
        demand_type=demand_type,
        category=category,
        title=(title or description[:30]).strip()[:100],
        description=description,
        area=area,
        address=address[:200],
        lat=lat,
        lng=lng,
        respondent=respondent or match_respondent(respondent_name),
        respondent_name=respondent_name[:128] or (respondent.name if respondent else ""),
        anonymous=anonymous,
        contact_name="" if anonymous else contact_name[:32],
        contact_phone="" if anonymous else contact_phone,
        contact_email="" if anonymous else contact_email,
        submitted_by=by.user,
        received_at=received_at,
        state=State.RECEIVED,
        external_ref=external_ref[:255],
    )
    common.set_accept_due(demand)
    demand.suggestion = _suggest(description)  # CPU work, done before the transaction starts
    rule = workflow.routing_for(demand) if auto_route else None
    co = list(rule.co) if rule else []
    recipients = common.org_users([rule.lead.pk, *(o.pk for o in co)]) if rule else []
    router = Actor.system("自动派单")
    if rule:  # routed at once: the row is written once, in its routed state
        demand.state, demand.lead_org = State.ASSIGNED, rule.lead
    channel_label = str(Channel(channel).label)  # get_channel_display() rebuilds the choices dict: 10x slower
    routed_text = workflow.routed_text(rule.lead, co) if rule else ""
    submitted = {"channel": [None, channel], "category": [None, category.code], "area": [None, area.name]}
    with transaction.atomic():
        demand.pk = rows.reserve_key(Demand)  # PostgreSQL: the rows below can refer to it before it is written
        # The serialised part: the day's number and the audit chain's head are single rows
        # every intake locks until commit, so the other intakes wait while this one sends
        # its statements. Everything was prepared above; what follows is four round trips
        # on PostgreSQL plus one per officer told: the number (one upsert), the head's lock,
        # then the demand, its assignments, its timeline and the audit events together,
        # and the commit. Taking the number first writes the demand once, with its number
        # (a provisional number cost a second write of the row and all its indexes).
        # Order: number, then audit (attachments audit too), everywhere, so no deadlock.
        demand.number = common.next_number(received_at)
        unwritten = [demand]
        if demand.pk is None:  # no key to reserve (SQLite): the INSERT gives it
            rows.insert([demand])
            unwritten = []
        assignments = workflow.assignment_rows(demand, rule.lead, co) if rule else []
        events = [Event(demand=demand, at=received_at, kind="received", public=True, actor_label=by.display[:64],
                        text=f"通过{channel_label}登记，编号 {demand.number}")]
        entries = [audit.Entry(by=by, action="complaints.submit", obj=demand, changes=submitted)]
        if rule:
            events.append(Event(demand=demand, at=received_at, kind="routed", public=True,
                                actor_label=router.display[:64], organization=rule.lead, text=routed_text))
            entries.append(audit.Entry(by=router, action="complaints.route", obj=demand,
                                       changes={"state": [State.RECEIVED, State.ASSIGNED], "lead": [None, rule.lead.name]}))
        audit.record_many(entries, with_writes=rows.statements(unwritten, assignments, events))
        rows.written(demand)
        for filename, content in files or ():
            demand.attachments.add(attachment_service.store_attachment(by=by, filename=filename, content=content))
        for user in recipients:
            notify(user=user, title=f"新派单 {demand.number}", body=demand.title,
                   link=f"/complaints/d/{demand.number}/", category="complaints")
    return demand


def _suggest(text: str) -> dict:
    from .classify import suggest

    try:
        return suggest(text)
    except Exception:  # a broken model must never stop intake
        return {}
