"""Plans, quarterly reports, review, chasing, supervision rounds and rectification."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.calendar import deadline_for, local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Membership, Role
from qualitycity.core.services import audit
from qualitycity.core.services.notifications import notify

from ..models import (
    Chase,
    IndicatorValue,
    Period,
    Plan,
    PlanItem,
    ProgressReport,
    Rectification,
    SupervisionRound,
)
from ..models.plans import district_of
from .common import next_number

REPORT_WORKING_DAYS = 10  # reports are due ten working days after the quarter ends


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def create_plan(*, by: audit.Actor, name: str, year: int) -> Plan:
    if not name.strip():
        raise DomainError(_("请填写计划名称"), field="name")
    with transaction.atomic():
        plan = Plan.objects.create(name=name.strip(), year=year)
        for quarter in (1, 2, 3, 4):
            end = dt.datetime.combine(quarter_end(year, quarter), dt.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))
            Period.objects.create(plan=plan, quarter=quarter, due_on=deadline_for(end, REPORT_WORKING_DAYS).due_on)
        audit.record(by=by, action="governance.plan.create", obj=plan, changes={"year": year})
    return plan


def close_period(*, by: audit.Actor, period: Period) -> Period:
    with transaction.atomic():
        Period.objects.filter(pk=period.pk).update(closed=True)
        period.closed = True
        audit.record(by=by, action="governance.period.close", obj=period)
    return period


def _parse_values(item: PlanItem, values: dict) -> list[tuple]:
    targets = {str(t.pk): t for t in item.targets.all()}
    parsed, errors = [], {}
    for key, raw in (values or {}).items():
        target = targets.get(str(key))
        if target is None:
            errors[f"value_{key}"] = [_("该指标不属于此任务")]
            continue
        if raw in (None, ""):
            continue
        try:
            parsed.append((target, Decimal(str(raw))))
        except InvalidOperation:
            errors[f"value_{key}"] = [_("“{indicator}”的实际值“{value}”不是数字").format(indicator=target.indicator, value=raw)]
    if errors:
        raise DomainError(_("指标值有误，报告未保存"), errors=errors)
    return parsed


def submit_report(*, by: audit.Actor, item: PlanItem, period: Period, unit, narrative: str,
                  percent_complete: int = 0, values: dict | None = None, attachments=()) -> ProgressReport:
    """File a unit's quarterly report. Only the lead unit or a co-unit may report, only
    into an open period of the item's plan; a report after the due date is marked late."""
    if period.plan_id != item.plan_id:
        raise DomainError(_("报送期不属于该计划"), field="period")
    if period.closed:
        raise DomainError(_("{period} 报送期已关闭，不能再报送").format(period=period), field="period")
    if unit.pk != item.lead_unit_id and not item.co_units.filter(pk=unit.pk).exists():
        raise DomainError(_("只能为本单位牵头或配合的任务报送进展"), field="item")
    if not (narrative or "").strip():
        raise DomainError(_("请填写进展情况"), field="narrative")
    if not 0 <= int(percent_complete) <= 100:
        raise DomainError(_("完成进度须在 0 到 100 之间"), field="percent_complete")
    parsed = _parse_values(item, values or {})
    now = timezone.now()
    with transaction.atomic():
        report = ProgressReport.objects.create(
            number=next_number(ProgressReport, "JZ", now), item=item, period=period, unit=unit,
            narrative=narrative.strip(), percent_complete=int(percent_complete), submitted_at=now,
            late=local_date(now) > period.due_on, submitted_by=by.user, district=district_of(unit),
        )
        IndicatorValue.objects.bulk_create([IndicatorValue(report=report, target=t, value=v) for t, v in parsed])
        if attachments:
            report.evidence.set(attachments)
        audit.record(by=by, action="governance.report.submit", obj=report,
                     changes={"item": item.code, "period": str(period), "late": report.late})
    return report


def review_report(*, by: audit.Actor, report: ProgressReport, accept: bool, comment: str = "") -> ProgressReport:
    if report.status != ProgressReport.Status.SUBMITTED:
        raise DomainError(_("该报告已审核"), field="status")
    if not accept and not comment.strip():
        raise DomainError(_("退回报告须填写意见"), field="comment")
    with transaction.atomic():
        report.status = ProgressReport.Status.ACCEPTED if accept else ProgressReport.Status.RETURNED
        report.review_comment = comment.strip()
        report.reviewed_at = timezone.now()
        report.reviewed_by = by.user
        report.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by"])
        item = report.item
        if accept and report.percent_complete >= 100 and item.completed_on is None:
            item.completed_on = local_date(report.submitted_at)
            item.save(update_fields=["completed_on"])
        audit.record(by=by, action="governance.report.review", obj=report,
                     changes={"status": report.status, "comment": report.review_comment})
        if report.submitted_by_id:
            notify(user=report.submitted_by, title=f"进展报告 {report.number} {report.get_status_display()}",
                   body=report.review_comment, link=f"/governance/reports/{report.pk}/", category="governance")
    return report


def _unit_users(unit):
    roles = (Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER)
    return [m.user for m in Membership.objects.filter(organization=unit, role__in=roles).select_related("user")]


def chase_late_reports(*, by: audit.Actor, today: dt.date | None = None) -> int:
    """Remind the lead unit of every task whose report for a past-due, still open period is
    missing. Each task and period is chased at most once per day."""
    today = today or local_date(timezone.now())
    chased = 0
    with transaction.atomic():
        for period in Period.objects.filter(closed=False, due_on__lt=today).select_related("plan"):
            reported = ProgressReport.objects.filter(period=period).exclude(status="returned").values("item_id")
            missing = (PlanItem.objects.filter(plan=period.plan, kind=PlanItem.Kind.TASK, lead_unit__isnull=False)
                       .exclude(pk__in=reported).exclude(chases__period=period, chases__sent_at__date=today)
                       .select_related("lead_unit"))
            for item in missing:
                Chase.objects.create(item=item, period=period, sent_at=timezone.now())
                for user in _unit_users(item.lead_unit):
                    notify(user=user, title=f"催报：{item.code} {period} 进展报告已逾期",
                           body=f"报送截止日 {period.due_on}，请尽快报送。", link=f"/governance/tasks/{item.pk}/",
                           category="governance")
                chased += 1
        audit.record(by=by, action="governance.reports.chase", object_type="governance.period",
                     changes={"chased": chased, "on": today.isoformat()})
    return chased


def start_round(*, by: audit.Actor, plan: Plan, quarter: int, name: str, sample_size: int, seed: int = 0):
    """Sample tasks at random (seeded, so the sample can be reproduced for the record)."""
    tasks = list(plan.items.filter(kind=PlanItem.Kind.TASK).order_by("code").values_list("pk", flat=True))
    if sample_size < 1 or sample_size > len(tasks):
        raise DomainError(_("抽查数量须在 1 到 {n} 之间").format(n=len(tasks)), field="sample_size")
    with transaction.atomic():
        rnd = SupervisionRound.objects.create(plan=plan, quarter=quarter, name=name, seed=seed)
        rnd.sampled.set(random.Random(seed).sample(tasks, sample_size))
        audit.record(by=by, action="governance.round.start", obj=rnd, changes={"sampled": sample_size})
    return rnd


def record_finding(*, by: audit.Actor, round: SupervisionRound, item: PlanItem, finding: str,
                   working_days: int = 20) -> Rectification:
    if not round.sampled.filter(pk=item.pk).exists():
        raise DomainError(_("该任务不在本轮抽查范围内"), field="item")
    if not finding.strip():
        raise DomainError(_("请填写督查发现"), field="finding")
    if item.lead_unit_id is None:
        raise DomainError(_("该事项没有牵头单位，无法确定整改责任单位"), field="item")
    now = timezone.now()
    with transaction.atomic():
        rect = Rectification.objects.create(
            number=next_number(Rectification, "ZG", now), round=round, item=item, finding=finding.strip(),
            owner=item.lead_unit, due_on=deadline_for(now, working_days).due_on, district=district_of(item.lead_unit),
        )
        audit.record(by=by, action="governance.rectification.open", obj=rect, changes={"item": item.code})
        for user in _unit_users(item.lead_unit):
            notify(user=user, title=f"督查整改 {rect.number}", body=rect.finding,
                   link="/governance/rectifications/", category="governance")
    return rect


def close_rectification(*, by: audit.Actor, rect: Rectification, note: str) -> Rectification:
    if rect.status == Rectification.Status.CLOSED:
        raise DomainError(_("该整改事项已销号"), field="status")
    if not note.strip():
        raise DomainError(_("请填写整改情况"), field="note")
    with transaction.atomic():
        rect.status, rect.closing_note, rect.closed_at = Rectification.Status.CLOSED, note.strip(), timezone.now()
        rect.save(update_fields=["status", "closing_note", "closed_at"])
        audit.record(by=by, action="governance.rectification.close", obj=rect)
    return rect
