"""Business-environment inspections: teams, register entries, findings and their disposal."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.complaints.models import Channel, DemandType
from qualitycity.complaints.services import intake
from qualitycity.core.calendar import deadline_for
from qualitycity.core.errors import DomainError
from qualitycity.core.models import OrgKind
from qualitycity.core.services import audit

from ..models import Campaign, Finding, RegisterEntry, Team
from .common import next_number

DISPOSAL_WORKING_DAYS = {"rectify": 10, "account": 20, "referral": 15}
COMPLAINT_CATEGORY = "business"  # 营商环境/政务服务 in the complaints taxonomy: what these teams look for


def create_campaign(*, by: audit.Actor, name: str, year: int) -> Campaign:
    if not name.strip():
        raise DomainError(_("请填写巡查名称"), field="campaign_name")
    try:
        year = int(str(year).strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise DomainError(_("年度不在有效范围内"), field="campaign_year")
    with transaction.atomic():
        campaign = Campaign.objects.create(name=name.strip(), year=year)
        audit.record(by=by, action="governance.inspection.campaign", obj=campaign)
    return campaign


def create_team(*, by: audit.Actor, campaign: Campaign, name: str, leader: str, districts=(), departments=(),
                members: str = ""):
    errors, districts = {}, list(districts)
    if not name.strip():
        errors["name"] = [_("请填写巡查组名称")]
    if not leader.strip():
        errors["leader"] = [_("请填写组长")]
    if not districts:
        errors["districts"] = [_("请至少选择一个巡查区")]
    if errors:
        raise DomainError(_("巡查组信息不完整，未保存"), errors=errors)
    with transaction.atomic():
        team = Team.objects.create(campaign=campaign, name=name.strip(), leader=leader.strip(),
                                   members=members.strip()[:200])
        team.districts.set(districts)
        team.departments.set(departments)
        audit.record(by=by, action="governance.inspection.team", obj=team)
    return team


def add_entry(*, by: audit.Actor, team: Team, register: str, title: str, area, enterprise=None, detail: str = "",
              recorded_on: dt.date | None = None, category: str = COMPLAINT_CATEGORY, contact_name: str = "",
              contact_phone: str = "") -> RegisterEntry:
    """One register line. A complaint received (register "complaint") is also filed as a
    demand in the complaints module, channel "inspection", in the same transaction: if the
    complaints module refuses it, its message is raised and no entry is written. The
    complainant's contact details go to the demand only (the complaints module masks and
    audits them); an enterprise that complained is reached at its registered contact."""
    if register not in RegisterEntry.Register.values:
        raise DomainError(_("未知清单类型"), field="register")
    if not title.strip():
        raise DomainError(_("请填写事项"), field="title")
    if recorded_on and recorded_on > timezone.localdate():
        raise DomainError(_("登记日期不能晚于今天"), field="recorded_on")
    if not team.districts.filter(pk=area.pk).exists():
        raise DomainError(_("{area} 不在本巡查组的巡查范围内").format(area=area.name), field="area")
    with transaction.atomic():
        demand = None
        if register == RegisterEntry.Register.COMPLAINT:
            demand = _file_complaint(by=by, title=title, area=area, enterprise=enterprise, detail=detail,
                                     category=category, contact_name=contact_name, contact_phone=contact_phone)
        entry = RegisterEntry.objects.create(team=team, register=register, title=title.strip(), area=area,
                                             enterprise=enterprise, detail=detail,
                                             recorded_on=recorded_on or timezone.localdate(),
                                             demand_number=demand.number if demand else "")
        audit.record(by=by, action="governance.inspection.entry", obj=entry,
                     changes={"register": register, **({"demand": demand.number} if demand else {})})
    return entry


# The complaints module's field names, as the register entry form calls them.
_ENTRY_FIELD = {"description": "detail", "district": "area"}


def _file_complaint(*, by, title, area, enterprise, detail, category, contact_name, contact_phone):
    """Through the complaints intake service, which validates, numbers, routes by its
    rules (category × district) and starts the statutory deadlines. The demand is received
    now, when it reaches the complaints module, whatever date the register line carries."""
    if enterprise is not None and not (contact_name.strip() or contact_phone.strip()):
        phone = enterprise.contact_phone.replace(" ", "")
        contact_name = enterprise.contact_name or enterprise.name
        contact_phone = phone if intake.PHONE.match(phone) else ""
    try:
        return intake.submit(by=by, channel=Channel.INSPECTION, demand_type=DemandType.COMPLAINT, category=category,
                             title=title.strip(), description=detail or "", district=area,
                             contact_name=contact_name.strip(), contact_phone=contact_phone)
    except DomainError as exc:
        errors = {_ENTRY_FIELD.get(field, field): messages for field, messages in exc.errors.items()}
        raise DomainError(exc.message, errors=errors) from exc


def record_finding(*, by: audit.Actor, team: Team, category: str, description: str, area, department,
                   disposal: str, found_on: dt.date | None = None) -> Finding:
    errors = {}
    if category not in Finding.Category.values:
        errors["category"] = [_("未知问题类别")]
    if disposal not in Finding.Disposal.values:
        errors["disposal"] = [_("处置方式应为整改、问责或移交")]
    if not description.strip():
        errors["description"] = [_("请填写问题描述")]
    if area is None or not team.districts.filter(pk=area.pk).exists():
        errors["area"] = [_("{area} 不在本巡查组的巡查范围内").format(area=getattr(area, "name", _("该区")))]
    if department is None or department.kind not in (OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT):
        errors["department"] = [_("责任单位须为市直部门或区政府")]
    if found_on and found_on > timezone.localdate():
        errors["found_on"] = [_("发现日期不能晚于今天")]
    if errors:
        raise DomainError(_("巡查问题有误，未保存"), errors=errors)
    now = timezone.now()
    with transaction.atomic():
        finding = Finding.objects.create(
            number=next_number(Finding, "XC", now), team=team, category=category, description=description.strip(),
            area=area, department=department, disposal=disposal, found_on=found_on or timezone.localdate(),
            due_on=deadline_for(now, DISPOSAL_WORKING_DAYS[disposal]).due_on)
        audit.record(by=by, action="governance.inspection.finding", obj=finding,
                     changes={"category": category, "disposal": disposal})
    return finding


def close_finding(*, by: audit.Actor, finding: Finding, outcome: str) -> Finding:
    if finding.status == Finding.Status.CLOSED:
        raise DomainError(_("该问题已办结"), field="status")
    if not outcome.strip():
        raise DomainError(_("请填写处置结果"), field="outcome")
    with transaction.atomic():
        finding.status, finding.outcome, finding.closed_at = Finding.Status.CLOSED, outcome.strip(), timezone.now()
        finding.save(update_fields=["status", "outcome", "closed_at"])
        audit.record(by=by, action="governance.inspection.close", obj=finding)
    return finding
