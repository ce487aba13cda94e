"""Supervision: reminders before a deadline, 催办 (yellow) when it passes, 督办 (red) to the
department head and the city office when it stays overdue. Flags count toward the
department's record in the bulletins."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import calendar
from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.core.services.notifications import notify

from ..models import OPEN_STATES, Demand, Flag, State
from . import common

REMIND_WITHIN = 1  # working days before the deadline
RED_AFTER = 3  # working days overdue before a chase becomes an escalation


def _stage(demand: Demand):
    if demand.state == State.ASSIGNED and demand.accept_due:
        return "accept", demand.accept_due
    if demand.state == State.HANDLING and demand.handle_due:
        return "handle", demand.handle_due
    return None, None


def _flag(demand, level, stage, due, note, at) -> Flag | None:
    try:
        with transaction.atomic():
            return Flag.objects.create(demand=demand, organization=demand.lead_org, level=level, stage=stage,
                                       due_on=due, note=note, created_at=at)
    except IntegrityError:
        return None  # already raised for this deadline


def _announce(demand: Demand, flag: Flag) -> None:
    stage_text = "受理" if flag.stage == "accept" else "办结"
    title = {
        Flag.Level.REMINDER: f"临期提醒 {demand.number}：{stage_text}期限 {flag.due_on}",
        Flag.Level.YELLOW: f"催办（黄牌） {demand.number}：已超{stage_text}期限 {flag.due_on}",
        Flag.Level.RED: f"督办（红牌） {demand.number}：超期未{stage_text}",
    }[flag.level]
    common.tell_departments(demand, [demand.lead_org_id], title, flag.note)
    if flag.level == Flag.Level.RED:
        for user in common.city_office_users():
            notify(user=user, title=title, body=f"{demand.lead_org.name}：{flag.note}", link=f"/complaints/d/{demand.number}/")


def sweep(*, by: Actor | None = None, today: dt.date | None = None) -> dict:
    """Raise every reminder and flag due today; idempotent (each flag once per deadline)."""
    by = by or Actor.system("督办巡检")
    cal = calendar.get_calendar()
    today = today or calendar.local_date(timezone.now())
    at = timezone.now()
    counts = {"reminder": 0, "yellow": 0, "red": 0}
    open_demands = Demand.objects.filter(state__in=[State.ASSIGNED, State.HANDLING]).exclude(lead_org=None).select_related("lead_org")
    with transaction.atomic():
        for demand in open_demands.iterator():
            stage, due = _stage(demand)
            if stage is None:
                continue
            late = cal.working_days_between(due, today)
            if late <= 0:
                level = Flag.Level.REMINDER if -late <= REMIND_WITHIN else None
            else:
                level = Flag.Level.RED if late >= RED_AFTER else Flag.Level.YELLOW
            if level is None:
                continue
            levels = [Flag.Level.YELLOW, Flag.Level.RED] if level == Flag.Level.RED else [level]
            for each in levels:  # a red flag implies the yellow one before it
                flag = _flag(demand, each, stage, due, f"超期 {max(late, 0)} 个工作日", at)
                if flag:
                    counts[each] += 1
                    _announce(demand, flag)
        if any(counts.values()):
            audit.record(by=by, action="complaints.supervision_sweep", object_type="complaints.demand",
                         changes={k: [None, v] for k, v in counts.items()})
    return counts


def chase(*, by: Actor, demand: Demand, red: bool = False, note: str = "") -> Flag:
    """Manual 催办 (yellow) or 督办 (red) by the city office."""
    if demand.state not in OPEN_STATES or demand.lead_org_id is None:
        raise DomainError(_("只能对办理中的诉求催办或督办"), field="state")
    stage, due = _stage(demand)
    stage, due = stage or "handle", due or calendar.local_date(timezone.now())
    level = Flag.Level.RED if red else Flag.Level.YELLOW
    with transaction.atomic():
        flag = _flag(demand, level, stage, due, note or ("督办" if red else "催办"), timezone.now())
        if flag is None:
            raise DomainError(_("该期限已经发出过同级别的催办/督办"), field="level")
        common.add_event(demand, kind=level, by=by, org=demand.lead_org, text=f"{flag.get_level_display()}：{flag.note}")
        audit.record(by=by, action=f"complaints.{level}", obj=demand, changes={"flag": [None, level]})
        _announce(demand, flag)
    return flag
