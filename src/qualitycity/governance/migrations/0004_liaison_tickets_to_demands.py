"""Existing liaison tickets become complaints demands of the "liaison" channel.

Each ticket's own history is carried over: the department as lead (it was routed and
handled directly, so it counts as accepted when opened), its deadline as the completion
deadline, the resolution as the reply and the enterprise's confirmation as a 满意 rating.
The old QS number stays findable as the demand's ``external_ref``.
"""

import datetime as dt
import re
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as complaints.services.common
PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")  # as complaints.services.intake
STATE = {"open": "handling", "resolved": "replied", "closed": "closed"}


def forwards(apps, schema_editor):
    Ticket = apps.get_model("governance", "LiaisonTicket")
    tickets = list(Ticket.objects.filter(demand=None).select_related("enterprise").order_by("opened_at", "id"))
    if not tickets:
        return
    Demand = apps.get_model("complaints", "Demand")
    Assignment = apps.get_model("complaints", "Assignment")
    Event = apps.get_model("complaints", "Event")
    Category = apps.get_model("complaints", "Category")
    NumberSequence = apps.get_model("core", "NumberSequence")
    category = (Category.objects.filter(code="business").first() or Category.objects.filter(code="other").first()
                or Category.objects.order_by("sort_order", "code").first())
    zone = ZoneInfo(settings.TIME_ZONE)
    for t in tickets:
        ent = t.enterprise
        key = f"SQ{t.opened_at.astimezone(zone):%Y%m%d}"
        seq, _ = NumberSequence.objects.get_or_create(key=key)
        seq.last += 1
        seq.save(update_fields=["last"])
        state = STATE.get(t.status, "handling")
        if t.resolved_at is None:  # a ticket is only answered once it has a resolution time
            state = "handling"
        done = state != "handling"
        demand = Demand.objects.create(
            number=f"{key}{seq.last:04d}", tracking_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(10)),
            channel="liaison", demand_type="help", category=category, title=t.issue.strip()[:30] or "企业诉求",
            description=f"{ent.name}在干部联系走访中反映：{t.issue.strip()}", area_id=ent.area_id,
            contact_name=(ent.contact_name or ent.name)[:32],
            contact_phone=ent.contact_phone if PHONE.match(ent.contact_phone or "") else "",
            state=state, lead_org_id=t.department_id,
            received_at=t.opened_at, accept_due=t.opened_at.astimezone(zone).date(), accepted_at=t.opened_at,
            handle_due=t.due_on, closed_at=t.resolved_at if done else None, public_reply=t.resolution if done else "",
            closed_late=bool(done and t.resolved_at.astimezone(zone).date() > t.due_on),
            rating="satisfied" if state == "closed" else "",
            reopen_count=1 if t.satisfied is False else 0, external_ref=t.number,
        )
        Assignment.objects.create(demand=demand, organization_id=t.department_id, role="lead")
        events = [("received", t.opened_at, f"通过干部联系企业登记，原编号 {t.number}"),
                  ("accepted", t.opened_at, f"已受理，办结期限 {t.due_on:%Y-%m-%d}")]
        if done:
            events.append(("closed", t.resolved_at, f"办结答复：{t.resolution}"))
        if demand.rating:
            events.append(("rated", t.confirmed_at or t.resolved_at, "回访评价：满意"))
        Event.objects.bulk_create([Event(demand=demand, at=at, kind=kind, text=text, public=True, actor_label="迁移",
                                         organization_id=None if kind == "received" else t.department_id)
                                   for kind, at, text in events])
        t.demand = demand
        t.save(update_fields=["demand"])


class Migration(migrations.Migration):

    dependencies = [
        ("complaints", "0004_demand_channel_liaison"),
        ("core", "0005_scheduled_run"),
        ("governance", "0003_entry_demand_number_ticket_demand"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
