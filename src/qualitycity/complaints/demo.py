"""Demo demands: three years of citizen demands across every channel, category and
district, with seasonality (summer food, 3·15 and 双11 consumer peaks, winter property),
three injected incidents, and every state, including overdue ones with flags.

History is bulk-inserted for speed (one audit event records the load); the life cycle
of each demand is simulated with the same rules the services apply: deadlines come from
``core.calendar.deadline_for`` and numbers follow ``SQyyyymmddNNNN``.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qualitycity.core import calendar
from qualitycity.core.models import Area, NumberSequence, Organization, OrgKind
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor

from . import demo_mail, reference
from .demo_text import (
    CATEGORY_WEIGHTS,
    CHANNEL_WEIGHTS,
    ITEMS,
    LANDMARKS,
    SEASON,
    TEMPLATES,
    TYPE_MIX,
    TYPE_WORDS,
)
from .models import (
    Assignment,
    Category,
    Channel,
    ClassifierModel,
    Correction,
    Demand,
    Dispute,
    Event,
    Flag,
    RejectionGround,
    RoutingRule,
)
from .services.common import CODE_ALPHABET

CHANNEL_LABELS = {value: str(label) for value, label in Channel.choices}
MONTHS = 36
PER_MONTH = 40  # demands per month at scale 1, before seasonality (scale multiplies)
MARKET = "武汉市市场监督管理局"
LEADS = {  # category -> lead department; market categories get the district as co-handler
    "counterfeit": MARKET, "ip": MARKET, "fraud": MARKET, "food": MARKET, "drug": MARKET, "special_equipment": MARKET,
    "metrology": MARKET, "price": MARKET, "environment": "武汉市生态环境局", "property": "武汉市住房和城市更新局",
    "construction": "武汉市住房和城市更新局", "business": "武汉市政务服务和大数据管理局", "other": None,
}
SLOW = {"武汉市住房和城市更新局": 1.6, "武汉市生态环境局": 1.2}  # some departments are slower: the ranking shows it


def _pick(rng, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _routing(areas, orgs_by_name, gov_by_area):
    rules = {}
    for code, lead_name in LEADS.items():
        category = Category.objects.get(code=code)
        lead = orgs_by_name.get(lead_name) if lead_name else None
        fallback = lead or orgs_by_name.get(MARKET) or next(iter(orgs_by_name.values()), None)
        for area in areas:
            gov = gov_by_area.get(area.pk) or None
            if code == "property" and gov is not None:  # property disputes are handled locally (属地管理)
                rules[(code, area.pk)] = (gov, [lead] if lead else [])
            elif lead is None:
                rules[(code, area.pk)] = (gov or fallback, [])
            else:
                rules[(code, area.pk)] = (lead, [gov] if lead_name == MARKET and gov else [])
        if lead is not None:
            rule, _ = RoutingRule.objects.get_or_create(category=category, area=None, defaults={"lead": lead})
        for area in areas:
            lead_org, co = rules[(code, area.pk)]
            if lead_org is None or (lead is not None and lead_org == lead and not co):
                continue
            rule, _ = RoutingRule.objects.get_or_create(category=category, area=area, defaults={"lead": lead_org})
            rule.co_handlers.set([o for o in co if o])
    return rules


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed * 7 + 5)
    reference.ensure()
    zone = ZoneInfo(settings.TIME_ZONE)
    areas = list(Area.objects.exclude(kind=Area.Kind.CITY))
    if not areas:
        return
    orgs_by_name = {o.name: o for o in Organization.objects.filter(kind=OrgKind.DEPARTMENT)}
    gov_by_area = {o.area_id: o for o in Organization.objects.filter(kind=OrgKind.DISTRICT_GOVERNMENT)}
    firms_by_area: dict[int, list] = {}
    for pk, name, area_id in Organization.objects.filter(kind=OrgKind.ENTERPRISE).values_list("pk", "name", "area_id"):
        firms_by_area.setdefault(area_id, []).append((pk, name))
    categories = {c.code: c for c in Category.objects.all()}
    grounds = list(RejectionGround.objects.all())
    area_weight = {a.pk: (3 if a.kind == Area.Kind.DISTRICT and a.name in ("武昌区", "洪山区", "江汉区", "江岸区", "硚口区") else 1.5
                          if a.kind == Area.Kind.DISTRICT else 1) for a in areas}
    area_by_pk = {a.pk: a for a in areas}
    now = timezone.now()
    today = calendar.local_date(now)
    cal = calendar.get_calendar()

    with transaction.atomic():
        # By id list, not a join: on PostgreSQL a just-loaded demo has no planner statistics, and
        # DELETE … WHERE id IN (SELECT … JOIN demand WHERE is_demo) ran for minutes.
        demo_ids = list(Demand.objects.filter(is_demo=True).values_list("pk", flat=True))
        for model in (Event, Flag, Assignment, Dispute, Correction):
            model.objects.filter(demand_id__in=demo_ids).delete()
        Demand.objects.filter(pk__in=demo_ids).delete()
        ClassifierModel.objects.all().delete()
        rules = _routing(areas, orgs_by_name, gov_by_area)
        drafts = []  # (received_at, category code, area, type, channel, title, text, address, firm)

        def draft(at, code, area, firm=None, title=None, text=None):
            place = rng.choice(LANDMARKS.get(area.name, [area.name]))
            firm = firm or (rng.choice(firms_by_area[area.pk]) if firms_by_area.get(area.pk) else (None, "某商户"))
            t_title, t_body = rng.choice(TEMPLATES[code])
            fill = {"place": place, "firm": firm[1], "item": rng.choice(ITEMS), "money": rng.choice([98, 299, 680, 1280, 3600, 5000])}
            kind = _pick(rng, TYPE_MIX[code])
            prefix, suffix = TYPE_WORDS[kind]
            where = f"{area.name}{place}" if rng.random() < 0.7 else place
            body = text or (prefix + t_body.format(**fill).replace(place, where, 1) + suffix)
            drafts.append((at, code, area, kind, _pick(rng, CHANNEL_WEIGHTS), (title or t_title.format(**fill))[:100],
                           body, f"{place}附近", firm))

        start_month = dt.date(today.year, today.month, 1)
        for back in range(MONTHS, -1, -1):
            index = start_month.year * 12 + start_month.month - 1 - back
            year, month = index // 12, index % 12 + 1
            first = dt.date(year, month, 1)
            days = ((dt.date(year + month // 12, month % 12 + 1, 1)) - first).days
            trend = 0.8 + 0.4 * (MONTHS - back) / MONTHS  # volume grows as the hotline becomes known
            for code, weight in CATEGORY_WEIGHTS.items():
                expected = PER_MONTH * scale * trend * weight / sum(CATEGORY_WEIGHTS.values()) * SEASON.get(code, [1] * 12)[month - 1]
                for _ in range(int(expected) + (rng.random() < expected % 1)):
                    day = first + dt.timedelta(days=rng.randrange(days))
                    at = dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randrange(60)), zone)
                    if at >= now:
                        continue
                    draft(at, code, area_by_pk[_pick(rng, area_weight)])
        _incidents(rng, draft, areas, firms_by_area, today, zone, scale)
        drafts.sort(key=lambda d: d[0])
        counts = _insert(rng, drafts, rules, categories, grounds, cal, now, today)
        audit.record(by=Actor.system("demo"), action="complaints.demo_load", object_type="complaints.demand",
                     changes={"demands": [None, counts["demands"]]})
    mails = demo_mail.import_demo_mailbox(now)
    stdout.write(f"诉求演示数据：{counts['demands']} 件（未办结 {counts['open']}，超期 {counts['overdue']}，红黄牌 {counts['flags']}；"
                 f"邮件导入 {mails}）")


def _incidents(rng, draft, areas, firms_by_area, today, zone, scale):
    by_name = {a.name: a for a in areas}

    def burst(area_name, code, start, n, firm_name, title, text):
        area = by_name.get(area_name) or areas[0]
        firm = next((f for f in firms_by_area.get(area.pk, []) if firm_name in f[1]), (None, firm_name))
        for _ in range(n * scale):
            at = dt.datetime.combine(start + dt.timedelta(days=rng.randrange(6)), dt.time(rng.randint(8, 22), rng.randrange(60)), zone)
            draft(at, code, area, firm=firm, title=title, text=text)

    # a food-poisoning cluster, a prepaid gym that vanished, and (still open) lift failures
    burst("武昌区", "food", dt.date(today.year - 1, 7, 14), 25, "楚味轩酒楼", "楚味轩酒楼就餐后集体腹泻",
          "武昌区中南路楚味轩酒楼聚餐后多人上吐下泻，怀疑食物中毒，请相关部门处理并给予答复。")
    burst("江汉区", "fraud", dt.date(today.year - 2, 11, 3), 30, "力美健身", "力美健身闭店预付卡无法退款",
          "江汉区江汉路步行街力美健身突然闭店，会员卡余额无法退还，请相关部门处理并给予答复。")
    burst("洪山区", "special_equipment", today - dt.timedelta(days=12), 6, "安达电梯", "洪山区街道口小区电梯反复困人",
          "求助：洪山区街道口某小区电梯一周内多次困人，维保单位安达电梯迟迟不来，实在没有办法了，请帮帮忙。")


_MEMO: dict = {}


def _wd(cal, day, n):
    key = (day, n)
    if key not in _MEMO:
        _MEMO[key] = cal.add_working_days(day, n)
    return _MEMO[key]


def _deadline(cal, at, n) -> calendar.Deadline:
    """``core.calendar.deadline_for`` with the calendar fetched once: the shared function
    is called whenever a year without holiday data is involved, so the warning is its own."""
    start = calendar.local_date(at)
    due = _wd(cal, start, n)
    if cal.uncovered_years_between(start, due):
        return calendar.deadline_for(at, n)
    return calendar.Deadline(due)


def _insert(rng, drafts, rules, categories, grounds, cal, now, today) -> dict:
    zone = ZoneInfo(settings.TIME_ZONE)
    limits = {}
    for limit in reference.TIME_LIMITS:
        limits[limit[0]] = limit[1:4]
    demands, plans, sequence = [], [], {}
    for at, code, area, kind, channel, title, text, address, firm in drafts:
        day = calendar.local_date(at)
        sequence[day] = sequence.get(day, 0) + 1
        accept_days, handle_days, from_receipt = limits[kind]
        accept_due = _deadline(cal, at, accept_days)
        lead, co = rules[(code, area.pk)]
        anonymous = kind == "report" and rng.random() < 0.4
        d = Demand(
            number=f"SQ{day:%Y%m%d}{sequence[day]:04d}", tracking_code="".join(rng.choice(CODE_ALPHABET) for _ in range(10)),
            channel=channel, demand_type=kind, category=categories[code], title=title, description=text, area=area,
            address=address, respondent_id=firm[0], respondent_name=firm[1] if firm[0] else "", anonymous=anonymous,
            contact_name="" if anonymous else rng.choice("王李张刘陈杨黄赵吴周") + rng.choice(["先生", "女士"]),
            contact_phone="" if anonymous else f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
            received_at=at, accept_due=accept_due.due_on, deadline_warning=accept_due.warning, lead_org=lead,
            state="assigned", is_demo=True,
        )
        if channel == "email":  # what the e-mail import leaves: the sender's address and the Message-ID
            d.contact_email = "" if anonymous else f"citizen{len(demands)}@mail.example.com"
            d.external_ref = f"<{d.number.lower()}.{d.tracking_code.lower()}@mail.example.com>"
        speed = SLOW.get(lead.name, 1.0) if lead else 1.0
        timeline = [("received", at, f"通过{CHANNEL_LABELS[channel]}登记，编号 {d.number}", True),
                    ("routed", at + dt.timedelta(minutes=rng.randint(5, 600)), f"派至{lead.name}主办", True)]
        flags, dispute = [], None
        # acceptance
        late = rng.random() < 0.06 * speed
        accept_day = _wd(cal, day, accept_days + rng.randint(1, 4)) if late else _wd(cal, day, rng.randint(1, max(1, accept_days - 1)))
        accept_at = dt.datetime.combine(accept_day, dt.time(rng.randint(9, 17), rng.randrange(60)), zone)
        if accept_at > now:
            _overdue_flags(flags, lead, "accept", d.accept_due, today, cal, now)
        elif kind in ("complaint", "report") and rng.random() < 0.05:
            ground = rng.choice(grounds)
            d.state, d.closed_at, d.rejection_ground = "rejected", accept_at, ground
            d.accepted_late = late
            d.public_reply = f"不予受理：{ground.text}（{ground.basis}）"
            timeline.append(("rejected", accept_at, d.public_reply, True))
        elif rng.random() < 0.03:
            d.state = "returned"
            dispute = (accept_at, rng.random() < 0.4)
            timeline.append(("returned", accept_at, "退回：不属于本单位职责", False))
            if accept_at + dt.timedelta(days=3) < now:
                d.state = "assigned"
                timeline.append(("arbitrated", accept_at + dt.timedelta(days=3), "仲裁：退回理由不成立，仍由原单位办理", False))
        else:
            d.state, d.accepted_at, d.accepted_late = "handling", accept_at, late
            handle = _deadline(cal, at if from_receipt else accept_at, handle_days)
            d.handle_due, d.deadline_warning = handle.due_on, handle.warning or d.deadline_warning
            timeline.append(("accepted", accept_at, f"已受理，办结期限 {handle.due_on:%Y-%m-%d}", True))
            if late:
                flags.append((lead, "yellow", "accept", d.accept_due, d.accept_due + dt.timedelta(days=1)))
            closed_late = rng.random() < 0.08 * speed
            span = int(handle_days * (rng.uniform(1.05, 1.4) if closed_late else rng.uniform(0.2, 0.9) * min(speed, 1.1)))
            close_day = _wd(cal, accept_day if not from_receipt else day, max(1, span))
            close_at = dt.datetime.combine(close_day, dt.time(rng.randint(9, 18), rng.randrange(60)), zone)
            if close_at > now:
                _overdue_flags(flags, lead, "handle", d.handle_due, today, cal, now)
            else:
                d.state, d.closed_at = "replied", close_at
                d.closed_late = close_day > d.handle_due
                if d.closed_late:
                    flags.append((lead, "yellow", "handle", d.handle_due, d.handle_due + dt.timedelta(days=1)))
                    if cal.working_days_between(d.handle_due, close_day) >= 3:
                        flags.append((lead, "red", "handle", d.handle_due, d.handle_due + dt.timedelta(days=5)))
                d.public_reply = rng.choice(["经核查，诉求属实，已责令整改并依法处理", "已组织调解，双方达成和解，商家退款",
                                             "经现场核查，未发现所反映问题，已向诉求人解释", "已立案调查，处理结果将另行告知"])
                timeline.append(("closed", close_at, f"办结答复：{d.public_reply}", True))
                rate_at = close_at + dt.timedelta(days=rng.randint(1, 4))
                if rate_at < now and not d.anonymous:
                    roll = rng.random() * speed
                    d.rating = "satisfied" if roll < 0.68 else "basic" if roll < 0.88 else "unsatisfied"
                    d.state = "closed"
                    if d.rating == "unsatisfied":
                        d.reopen_count = 1
                        timeline.append(("rated", rate_at, "回访评价：不满意，重办", True))
                        timeline.append(("closed", rate_at + dt.timedelta(days=7), "重办答复：已再次督促整改到位", True))
                    else:
                        timeline.append(("rated", rate_at, f"回访评价：{'满意' if d.rating == 'satisfied' else '基本满意'}", True))
                elif d.anonymous:
                    d.state = "closed"
        demands.append(d)
        plans.append((timeline, flags, dispute, lead, co))
    Demand.objects.bulk_create(demands, batch_size=2000)
    events, assignments, flag_rows, disputes = [], [], [], []
    for d, (timeline, flags, dispute, lead, co) in zip(demands, plans, strict=True):
        assignments.append(Assignment(demand=d, organization=lead, role="lead"))
        assignments.extend(Assignment(demand=d, organization=o, role="co") for o in co if o and o.pk != lead.pk)
        for kind, at, text, public in timeline:
            events.append(Event(demand=d, at=min(at, now), kind=kind, text=text, public=public, actor_label="demo",
                                organization=lead if kind != "received" else None))
        seen = set()
        for org, level, stage, due, at in flags:
            if (level, stage) not in seen:
                seen.add((level, stage))
                flag_rows.append(Flag(demand=d, organization=org, level=level, stage=stage, due_on=due,
                                      note="演示数据", created_at=dt.datetime.combine(min(at, today), dt.time(9), ZoneInfo(settings.TIME_ZONE))))
        if dispute:
            disputes.append(Dispute(demand=d, organization=lead, reason="不属于本单位职责", created_at=dispute[0],
                                    decided_at=dispute[0] + dt.timedelta(days=3) if d.state != "returned" else None,
                                    upheld=False if d.state != "returned" else None))
    Event.objects.bulk_create(events, batch_size=5000)
    Assignment.objects.bulk_create(assignments, batch_size=5000)
    Flag.objects.bulk_create(flag_rows, batch_size=5000)
    Dispute.objects.bulk_create(disputes, batch_size=5000)
    Correction.objects.bulk_create([
        Correction(demand=d, demand_type=d.demand_type, category_code=d.category.code, area_name=d.area.name,
                   unit_name=d.lead_org.name, changed=False, at=d.received_at)
        for d in demands[::10] if d.lead_org_id
    ], batch_size=5000)
    _sequences(demands)
    overdue = sum(1 for d in demands if (d.state == "assigned" and d.accept_due < today) or
                  (d.state == "handling" and d.handle_due and d.handle_due < today))
    return {"demands": len(demands), "open": sum(d.state in ("assigned", "handling", "returned") for d in demands),
            "overdue": overdue, "flags": len(flag_rows)}


def _overdue_flags(flags, lead, stage, due, today, cal, now):
    if due is None or due >= today:
        return
    flags.append((lead, "yellow", stage, due, due + dt.timedelta(days=1)))
    if cal.working_days_between(due, today) >= 3:
        flags.append((lead, "red", stage, due, due + dt.timedelta(days=5)))


def _sequences(demands):
    """Keep the shared daily counters ahead of the numbers the demo used."""
    last: dict[str, int] = {}
    for d in demands:
        key, n = d.number[:10], int(d.number[10:])
        last[key] = max(last.get(key, 0), n)
    existing = {s.key: s for s in NumberSequence.objects.filter(key__in=list(last))}
    for key, n in last.items():
        if key in existing:
            existing[key].last = max(existing[key].last, n)
    NumberSequence.objects.bulk_update(list(existing.values()), ["last"], batch_size=2000)
    NumberSequence.objects.bulk_create([NumberSequence(key=k, last=n) for k, n in last.items() if k not in existing],
                                       batch_size=2000)
