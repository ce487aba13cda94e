"""Cadre–enterprise liaison: pairing, visits, tickets and ratings.

A ticket is a complaints work order: ``open_ticket`` files a demand of the "liaison"
channel (type 求助) routed to the chosen department, so the statutory working-day
deadlines, reminders, 催办/督办 and the department's record are the complaints module's.
``resolve_ticket`` and ``confirm_ticket`` are the department's reply and the enterprise's
rating of that demand; the department may equally answer from the complaints pages.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.complaints.models import Channel, Demand, DemandType, State
from qualitycity.complaints.models import Rating as DemandRating
from qualitycity.complaints.services import intake, workflow
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Industry, Organization, OrgKind
from qualitycity.core.services import audit
from qualitycity.methods.matching import Party, match

from ..models import Cadre, LiaisonTicket, Pairing, Rating, Visit

LIAISON_CATEGORY = "business"  # 营商环境/政务服务 in the complaints taxonomy


def assign(*, by: audit.Actor, cadre: Cadre, enterprise: Organization, year: int,
           method: str = Pairing.Method.ASSIGNED) -> Pairing:
    if enterprise.kind != OrgKind.ENTERPRISE:
        raise DomainError(_("只能与企业结对"), field="enterprise")
    if Pairing.objects.filter(enterprise=enterprise, year=year).exists():
        raise DomainError(_("{enterprise} 在 {year} 年已有联系干部").format(enterprise=enterprise.name, year=year), field="enterprise")
    with transaction.atomic():
        pairing = Pairing.objects.create(cadre=cadre, enterprise=enterprise, year=year, method=method)
        audit.record(by=by, action="governance.liaison.pair", obj=pairing, changes={"method": method})
    return pairing


def propose_matches(*, year: int, enterprises, capacity: int = 2) -> list[tuple[Cadre, Organization]]:
    """The balanced matching (industry, district, current workload; ``methods.matching``) for
    the still-unpaired ``enterprises``, as a proposal: nothing is written."""
    paired = set(Pairing.objects.filter(year=year).values_list("enterprise_id", flat=True))
    todo = [e for e in enterprises if e.pk not in paired and e.kind == OrgKind.ENTERPRISE]
    loads = dict(Pairing.objects.filter(year=year).values_list("cadre").annotate(n=Count("id")))
    cadres = {c.pk: c for c in Cadre.objects.select_related("home_area", "department")}
    parties = [Party(c.pk, c.industry_section, str(c.home_area_id or ""), loads.get(c.pk, 0)) for c in cadres.values()]
    # Cadres know an industry section (GB/T 4754 letter); enterprises carry a finer class code.
    section = {i.pk: i.section_code for i in Industry.objects.select_related("parent").filter(
        pk__in=[e.industry_id for e in todo])}
    ents = [Party(e.pk, section.get(e.industry_id, ""), str(e.area_id)) for e in todo]
    by_id = {e.pk: e for e in todo}
    pairs = match(parties, ents, capacity=capacity)
    return sorted(((cadres[c], by_id[e]) for c, e in pairs), key=lambda p: p[1].pk)


def confirm_matches(*, by: audit.Actor, year: int, pairs: list[tuple]) -> list[Pairing]:
    """Write a (possibly adjusted) proposal: ``(cadre, enterprise, method)`` triples. All or
    nothing: any enterprise that is not an enterprise, is listed twice or is already paired
    this year refuses the whole batch, naming each one."""
    if not pairs:
        raise DomainError(_("没有选中任何结对"), field="pairs")
    errors, seen = {}, set()
    taken = set(Pairing.objects.filter(year=year, enterprise__in=[e for _c, e, _m in pairs])
                .values_list("enterprise_id", flat=True))
    for _cadre, enterprise, method in pairs:
        key = f"enterprise_{enterprise.pk}"
        if enterprise.kind != OrgKind.ENTERPRISE:
            errors[key] = [_("{enterprise} 不是企业，不能结对").format(enterprise=enterprise.name)]
        elif enterprise.pk in taken:
            errors[key] = [_("{enterprise} 在 {year} 年已有联系干部").format(enterprise=enterprise.name, year=year)]
        elif enterprise.pk in seen:
            errors[key] = [_("{enterprise} 重复出现").format(enterprise=enterprise.name)]
        elif method not in Pairing.Method.values:
            errors[key] = [_("未知结对方式")]
        seen.add(enterprise.pk)
    if errors:
        raise DomainError(_("{n} 家企业无法结对，未保存任何结对").format(n=len(errors)), errors=errors)
    with transaction.atomic():
        created = Pairing.objects.bulk_create([Pairing(cadre=c, enterprise=e, year=year, method=m)
                                               for c, e, m in pairs])
        audit.record(by=by, action="governance.liaison.confirm_matches", object_type="governance.pairing",
                     changes={"year": year, "pairs": len(created),
                              "adjusted": sum(1 for _c, _e, m in pairs if m == Pairing.Method.ASSIGNED)})
    return created


def auto_match(*, by: audit.Actor, year: int, enterprises, capacity: int = 2) -> int:
    """Pair every still-unpaired enterprise with a cadre by balanced matching on industry,
    district and current workload (``methods.matching``)."""
    pairs = propose_matches(year=year, enterprises=enterprises, capacity=capacity)
    with transaction.atomic():
        Pairing.objects.bulk_create([Pairing(cadre=c, enterprise=e, year=year, method=Pairing.Method.MATCHED)
                                     for c, e in pairs])
        audit.record(by=by, action="governance.liaison.auto_match", object_type="governance.pairing",
                     changes={"year": year, "pairs": len(pairs)})
    return len(pairs)


def log_visit(*, by: audit.Actor, pairing: Pairing, visited_on: dt.date, content: str, issues: list[tuple] = (),
              form: str = Visit.Form.ONSITE, follow_up: str = ""):
    """Log a visit; each ``(issue_text, department)`` raised becomes a ticket. A bad issue
    (no text, not a department, or one the complaints module refuses) refuses the visit
    too: nothing is half-written."""
    if form not in Visit.Form.values:
        raise DomainError(_("未知走访形式"), field="form")
    if not content.strip():
        raise DomainError(_("请填写走访内容"), field="content")
    if visited_on > timezone.localdate():
        raise DomainError(_("走访日期不能晚于今天"), field="visited_on")
    with transaction.atomic():
        visit = Visit.objects.create(pairing=pairing, visited_on=visited_on, form=form, content=content.strip(),
                                     issues_raised=len(issues), follow_up=follow_up.strip())
        audit.record(by=by, action="governance.liaison.visit", obj=visit, changes={"form": form})
        tickets = [open_ticket(by=by, pairing=pairing, issue=text, department=dept) for text, dept in issues]
    return visit, tickets


def open_ticket(*, by: audit.Actor, pairing: Pairing, issue: str, department: Organization,
                at: dt.datetime | None = None) -> LiaisonTicket:
    """``at``: when the issue was filed (default now), as in the complaints services."""
    if department.kind not in (OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT):
        raise DomainError(_("责任部门须为市直成员单位或区政府"), field="department")
    if not issue.strip():
        raise DomainError(_("请填写问题"), field="issue")
    enterprise = pairing.enterprise
    phone = (enterprise.contact_phone or "").replace(" ", "")
    with transaction.atomic():
        # The enterprise is named in the text: the department sees the demand in its
        # complaints queue, where the pairing is not shown.
        demand = intake.submit(
            by=by, channel=Channel.LIAISON, demand_type=DemandType.HELP, category=LIAISON_CATEGORY,
            title=issue.strip()[:30], description=f"{enterprise.name}在干部联系走访中反映：{issue.strip()}",
            district=enterprise.area, contact_name=enterprise.contact_name or enterprise.name,
            contact_phone=phone if intake.PHONE.match(phone) else "", auto_route=False, at=at)
        demand = workflow.route(by=by, demand=demand, lead=department, at=at)
        ticket = LiaisonTicket.objects.create(pairing=pairing, enterprise=enterprise, demand=demand,
                                              issue=issue.strip())
        audit.record(by=by, action="governance.ticket.open", obj=ticket,
                     changes={"department": department.name, "demand": demand.number})
    return ticket


def _locked_demand(ticket: LiaisonTicket) -> Demand:
    ticket.demand = Demand.objects.select_for_update().get(pk=ticket.demand_id)
    return ticket.demand


def resolve_ticket(*, by: audit.Actor, ticket: LiaisonTicket, resolution: str,
                   at: dt.datetime | None = None) -> LiaisonTicket:
    """The department's answer: the demand is accepted if it was not yet, then closed (办结)
    with the reply the enterprise is asked to confirm."""
    if not resolution.strip():
        raise DomainError(_("请填写办理结果"), field="resolution")
    with transaction.atomic():
        demand = _locked_demand(ticket)
        if ticket.status != LiaisonTicket.Status.OPEN:
            raise DomainError(_("该诉求不在办理中"), field="status")
        if demand.state == State.ASSIGNED:
            demand = workflow.accept(by=by, demand=demand, at=at)
        # The reply names the department: the enterprise hears it through its cadre.
        reply = f"{resolution.strip()}（{demand.lead_org.name}）" if demand.lead_org_id else resolution.strip()
        ticket.demand = workflow.close(by=by, demand=demand, reply=reply, at=at)
        audit.record(by=by, action="governance.ticket.resolve", obj=ticket)
    return ticket


def confirm_ticket(*, by: audit.Actor, ticket: LiaisonTicket, satisfied: bool,
                   at: dt.datetime | None = None) -> LiaisonTicket:
    """The enterprise confirms (满意) or not (不满意). As for every demand, 不满意 reopens the
    ticket for the department once (重办); a second 不满意 closes it with that rating, which
    counts against the department in the complaints bulletins."""
    with transaction.atomic():
        _locked_demand(ticket)
        if ticket.status != LiaisonTicket.Status.RESOLVED:
            raise DomainError(_("只有已办结的诉求才能确认"), field="status")
        rating = DemandRating.SATISFIED if satisfied else DemandRating.UNSATISFIED
        ticket.demand = workflow.rate(by=by, demand=ticket.demand, rating=rating, at=at)
        audit.record(by=by, action="governance.ticket.confirm", obj=ticket, changes={"satisfied": satisfied})
    return ticket


def rate(*, by: audit.Actor, pairing: Pairing, year: int, score, comment: str = "") -> Rating:
    """The enterprise's yearly rating of its liaison cadre; rating again the same year replaces it."""
    try:
        value = int(str(score).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise DomainError(_("评分须为 1 到 5 的整数"), field="score")
    with transaction.atomic():
        rating, _created = Rating.objects.update_or_create(pairing=pairing, year=year,
                                                    defaults={"score": value, "comment": comment.strip()[:200]})
        audit.record(by=by, action="governance.liaison.rate", obj=rating, changes={"score": value})
    return rating
