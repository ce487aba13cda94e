"""Cadre–enterprise liaison: pairing, visits, tickets and ratings.

Tickets are a small work order of their own for now; once the complaints module's
work-order machinery lands, ``open_ticket``/``resolve_ticket``/``confirm_ticket`` should
delegate to it (a "liaison" channel) and keep these signatures.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from qualitycity.core.calendar import deadline_for
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Industry, Organization, OrgKind
from qualitycity.core.services import audit
from qualitycity.methods.matching import Party, match

from ..models import Cadre, LiaisonTicket, Pairing, Rating, Visit
from .common import next_number

TICKET_WORKING_DAYS = 15


def assign(*, by: audit.Actor, cadre: Cadre, enterprise: Organization, year: int,
           method: str = Pairing.Method.ASSIGNED) -> Pairing:
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise DomainError("只能与企业结对", field="enterprise")
    if Pairing.objects.filter(enterprise=enterprise, year=year).exists():
        raise DomainError(f"{enterprise.name} 在 {year} 年已有联系干部", field="enterprise")
    with transaction.atomic():
        pairing = Pairing.objects.create(cadre=cadre, enterprise=enterprise, year=year, method=method)
        audit.record(by=by, action="governance.liaison.pair", obj=pairing, changes={"method": method})
    return pairing


def auto_match(*, by: audit.Actor, year: int, enterprises, capacity: int = 2) -> int:
    """Pair every still-unpaired enterprise with a cadre by balanced matching on industry,
    district and current workload (``methods.matching``)."""
    paired = set(Pairing.objects.filter(year=year).values_list("enterprise_id", flat=True))
    todo = [e for e in enterprises if e.pk not in paired]
    loads = dict(Pairing.objects.filter(year=year).values_list("cadre").annotate(n=Count("id")))
    cadres = list(Cadre.objects.select_related("home_area"))
    parties = [Party(c.pk, c.industry_section, str(c.home_area_id or ""), loads.get(c.pk, 0)) for c in cadres]
    # Cadres know an industry section (GB/T 4754 letter); enterprises carry a finer class code.
    section = {i.code: i.section_code for i in Industry.objects.filter(pk__in=[e.industry_id for e in todo])}
    ents = [Party(e.pk, section.get(e.industry.code, "") if e.industry_id else "", str(e.area_id)) for e in todo]
    pairs = match(parties, ents, capacity=capacity)
    with transaction.atomic():
        Pairing.objects.bulk_create([Pairing(cadre_id=c, enterprise_id=e, year=year, method=Pairing.Method.MATCHED)
                                     for c, e in pairs])
        audit.record(by=by, action="governance.liaison.auto_match", object_type="governance.pairing",
                     changes={"year": year, "pairs": len(pairs)})
    return len(pairs)


def log_visit(*, by: audit.Actor, pairing: Pairing, visited_on: dt.date, content: str, issues: list[tuple] = ()):
    """Log a visit; each ``(issue_text, department)`` raised becomes a ticket."""
    if not content.strip():
        raise DomainError("请填写走访内容", field="content")
    if visited_on > timezone.localdate():
        raise DomainError("走访日期不能晚于今天", field="visited_on")
    with transaction.atomic():
        visit = Visit.objects.create(pairing=pairing, visited_on=visited_on, content=content.strip(),
                                     issues_raised=len(issues))
        audit.record(by=by, action="governance.liaison.visit", obj=visit)
        tickets = [open_ticket(by=by, pairing=pairing, issue=text, department=dept) for text, dept in issues]
    return visit, tickets


def open_ticket(*, by: audit.Actor, pairing: Pairing, issue: str, department: Organization) -> LiaisonTicket:
    if department.kind not in (OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT):
        raise DomainError("责任部门须为市直成员单位或区政府", field="department")
    if not issue.strip():
        raise DomainError("请填写问题", field="issue")
    now = timezone.now()
    with transaction.atomic():
        ticket = LiaisonTicket.objects.create(
            number=next_number(LiaisonTicket, "QS", now), pairing=pairing, enterprise=pairing.enterprise,
            department=department, issue=issue.strip(), opened_at=now,
            due_on=deadline_for(now, TICKET_WORKING_DAYS).due_on)
        audit.record(by=by, action="governance.ticket.open", obj=ticket, changes={"department": department.name})
    return ticket


def resolve_ticket(*, by: audit.Actor, ticket: LiaisonTicket, resolution: str) -> LiaisonTicket:
    if ticket.status != LiaisonTicket.Status.OPEN:
        raise DomainError("该诉求不在办理中", field="status")
    if not resolution.strip():
        raise DomainError("请填写办理结果", field="resolution")
    with transaction.atomic():
        ticket.status, ticket.resolution, ticket.resolved_at = LiaisonTicket.Status.RESOLVED, resolution, timezone.now()
        ticket.save(update_fields=["status", "resolution", "resolved_at"])
        audit.record(by=by, action="governance.ticket.resolve", obj=ticket)
    return ticket


def confirm_ticket(*, by: audit.Actor, ticket: LiaisonTicket, satisfied: bool) -> LiaisonTicket:
    """The enterprise confirms; an unsatisfied enterprise sends the ticket back to the department."""
    if ticket.status != LiaisonTicket.Status.RESOLVED:
        raise DomainError("只有已办结的诉求才能确认", field="status")
    with transaction.atomic():
        if satisfied:
            ticket.status, ticket.confirmed_at, ticket.satisfied = LiaisonTicket.Status.CLOSED, timezone.now(), True
        else:
            ticket.status, ticket.satisfied = LiaisonTicket.Status.OPEN, False
        ticket.save(update_fields=["status", "confirmed_at", "satisfied"])
        audit.record(by=by, action="governance.ticket.confirm", obj=ticket, changes={"satisfied": satisfied})
    return ticket


def rate(*, by: audit.Actor, pairing: Pairing, year: int, score: int, comment: str = "") -> Rating:
    if not 1 <= int(score) <= 5:
        raise DomainError("评分须为 1 到 5", field="score")
    with transaction.atomic():
        rating, _ = Rating.objects.update_or_create(pairing=pairing, year=year,
                                                    defaults={"score": int(score), "comment": comment[:200]})
        audit.record(by=by, action="governance.liaison.rate", obj=rating, changes={"score": int(score)})
    return rating
