"""Parts 3 and 4 of ``make bench-complaints`` (see bench/complaints.py): the bulk load of
demands with COPY, the bulletins over them, and the staff list pages."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from inspection import percentile, timed  # the helpers of bench/inspection.py

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DEMAND_COLUMNS = [
    "number", "tracking_code", "channel", "demand_type", "category_id", "title", "description", "state", "area_id",
    "address", "respondent_id", "respondent_name", "anonymous", "contact_name", "contact_phone", "contact_email",
    "lead_org_id", "received_at", "accept_due", "accepted_at", "handle_due", "closed_at", "deadline_warning",
    "updated_at", "rejection_ground_id", "public_reply", "rating", "reopen_count", "accepted_late", "closed_late",
    "external_ref", "suggestion", "is_demo",
]
TYPES = {"complaint": 50, "report": 15, "consult": 20, "suggestion": 5, "help": 10}
# share of states by age of the demand: (younger than this many days, {state: weight})
STATES_BY_AGE = [
    (7, {"assigned": 70, "handling": 25, "returned": 5}),
    (60, {"assigned": 5, "handling": 45, "replied": 20, "closed": 25, "rejected": 5}),
    (10**6, {"assigned": 1, "returned": 1, "handling": 3, "replied": 5, "closed": 85, "rejected": 5}),
]


def _code(i: int) -> str:
    digits = []
    for _ in range(9):
        i, r = divmod(i, len(CODE_ALPHABET))
        digits.append(CODE_ALPHABET[r])
    return "Z" + "".join(digits)


def _weighted(rng, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def demand_rows(n: int, seed: int):
    """Tab-separated COPY lines for ``n`` demands received over the last three years:
    the demo's categories, districts and routing, states by age, ratings and late flags."""
    from qualitycity.complaints.demo_text import (
        CATEGORY_WEIGHTS,
        CHANNEL_WEIGHTS,
        ITEMS,
        LANDMARKS,
        TEMPLATES,
    )
    from qualitycity.complaints.models import Category, RejectionGround, RoutingRule
    from qualitycity.core.models import Area, Organization, OrgKind

    rng = random.Random(seed)
    categories = dict(Category.objects.values_list("code", "pk"))
    areas = list(Area.objects.exclude(kind=Area.Kind.CITY).values_list("pk", "name"))
    leads = {(r.category_id, r.area_id): r.lead_id for r in RoutingRule.objects.all()}
    firms: dict[int, list] = {}
    for pk, name, area_id in Organization.objects.filter(kind=OrgKind.ENTERPRISE).values_list("pk", "name", "area_id"):
        firms.setdefault(area_id, []).append((pk, name))
    grounds = list(RejectionGround.objects.values_list("pk", flat=True))
    texts = {code: [] for code in TEMPLATES}
    for code, templates in TEMPLATES.items():
        for _ in range(40):
            title, body = rng.choice(templates)
            fill = {"place": "{place}", "firm": "某商户", "item": rng.choice(ITEMS), "money": rng.choice([98, 680, 3600])}
            texts[code].append((title.format(**fill), body.format(**fill)))
    today = dt.datetime.now(dt.UTC)
    span = 3 * 365 * 86400
    sequence: dict[str, int] = {}
    codes = _weighted(rng, {categories[c]: w for c, w in CATEGORY_WEIGHTS.items() if c in categories}, n)
    channels = _weighted(rng, CHANNEL_WEIGHTS, n)
    kinds = _weighted(rng, TYPES, n)
    code_of = {pk: code for code, pk in categories.items()}
    NULL = "\\N"  # COPY text format

    def ts(moment):
        return moment.isoformat() if moment else NULL

    def lines():
        for i in range(n):
            received = today - dt.timedelta(seconds=rng.randrange(60, span))
            age = (today - received).days
            state = _weighted(rng, next(w for limit, w in STATES_BY_AGE if age < limit), 1)[0]
            day = (received + dt.timedelta(hours=8)).date()  # the Wuhan date of receipt
            key = f"SQ{day:%Y%m%d}"
            sequence[key] = sequence.get(key, 10000) + 1
            area_id, area_name = areas[rng.randrange(len(areas))]
            category_id, kind = codes[i], kinds[i]
            title, body = rng.choice(texts[code_of[category_id]])
            place = rng.choice(LANDMARKS.get(area_name, [area_name]))
            firm = rng.choice(firms[area_id]) if firms.get(area_id) and rng.random() < 0.3 else (None, "")
            anonymous = kind == "report" and rng.random() < 0.4
            accepted = received + dt.timedelta(days=rng.randint(1, 6)) if state in ("handling", "replied", "closed") else None
            accepted_late = rng.random() < 0.06
            closed_late = state in ("replied", "closed") and rng.random() < 0.08
            closed = None
            if state in ("replied", "closed"):
                closed = accepted + dt.timedelta(days=rng.randint(5, 40) + (50 if closed_late else 0))
            elif state == "rejected":
                closed = received + dt.timedelta(days=rng.randint(1, 8))
            rating = ""
            if state == "closed" and not anonymous:
                roll = rng.random()
                rating = "satisfied" if roll < 0.68 else "basic" if roll < 0.88 else "unsatisfied"
            lead = leads.get((category_id, area_id)) or leads.get((category_id, None))
            handle_due = (accepted + dt.timedelta(days=63)).date() if accepted else None
            values = [
                f"{key}{sequence[key]}", _code(i), channels[i], kind, category_id, title,
                body.replace("{place}", f"{area_name}{place}"), state, area_id, f"{place}附近",
                firm[0] if firm[0] else NULL, firm[1], "t" if anonymous else "f",
                "" if anonymous else rng.choice("王李张刘陈") + "先生", "" if anonymous else f"139{rng.randrange(10**8):08d}",
                "", lead or NULL, ts(received), (received + dt.timedelta(days=9)).date().isoformat(), ts(accepted),
                handle_due.isoformat() if handle_due else NULL, ts(closed), "", ts(closed or accepted or received),
                rng.choice(grounds) if state == "rejected" and grounds else NULL,
                "已办结" if closed else "", rating, 1 if rating == "unsatisfied" else 0,
                "t" if accepted_late and state != "assigned" else "f", "t" if closed_late else "f", "", "{}", "t",
            ]
            yield "\t".join(str(v) for v in values) + "\n"

    return DEMAND_COLUMNS, lines()


def bulk_load(n: int, seed: int) -> dict:
    """``n`` demands over the last three years with COPY, then their lead assignments,
    supervision flags and returns in SQL; every row marked ``is_demo`` (bench data)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM complaints_demand")
        first_id = c.fetchone()[0]
        columns, lines = demand_rows(n, seed)
        with c.copy(f"COPY complaints_demand ({', '.join(columns)}) FROM STDIN") as copy:
            buffer = []
            for line in lines:
                buffer.append(line)
                if len(buffer) == 5000:
                    copy.write("".join(buffer))
                    buffer.clear()
            copy.write("".join(buffer))
        copy_s = time.perf_counter() - started
        c.execute("""INSERT INTO complaints_assignment (demand_id, organization_id, role, active, created_at)
                     SELECT id, lead_org_id, 'lead', true, received_at FROM complaints_demand
                     WHERE id > %s AND lead_org_id IS NOT NULL""", [first_id])
        c.execute("""INSERT INTO complaints_flag (demand_id, organization_id, level, stage, due_on, note, created_at)
                     SELECT id, lead_org_id, 'yellow', 'handle', handle_due, 'bench', (handle_due + 1)::timestamptz
                     FROM complaints_demand WHERE id > %s AND closed_late AND lead_org_id IS NOT NULL
                     UNION ALL
                     SELECT id, lead_org_id, 'red', 'handle', handle_due, 'bench', (handle_due + 5)::timestamptz
                     FROM complaints_demand WHERE id > %s AND closed_late AND id %% 4 = 0
                       AND lead_org_id IS NOT NULL""", [first_id, first_id])
        c.execute("""INSERT INTO complaints_dispute (demand_id, organization_id, reason, created_at, decided_at, upheld)
                     SELECT id, lead_org_id, '不属于本单位职责', received_at + interval '3 days', NULL, NULL
                     FROM complaints_demand
                     WHERE id > %s AND state = 'returned' AND lead_org_id IS NOT NULL""", [first_id])
        c.execute("ANALYZE")
    return {"demands": n, "copy_seconds": round(copy_s, 1), "total_seconds": round(time.perf_counter() - started, 1)}


def bulletin_timing(repeats: int) -> dict:
    from django.test import Client

    from qualitycity.complaints import selectors
    from qualitycity.core import calendar

    today = calendar.local_date(dt.datetime.now(dt.UTC))
    month = selectors.period_of(selectors._add_months(today.replace(day=1), -1), 1)
    quarter = selectors.period_of(selectors._add_months(today.replace(day=1), -3), 3)
    out = {}
    for label, period in (("month", month), ("quarter", quarter)):
        for by in ("department", "district"):
            lat = timed(lambda p=period, b=by: selectors.bulletin(p, by=b), repeats)
            out[f"{label}_{by}"] = {"period": period.label, "median_s": round(statistics.median(lat), 3),
                                    "max_s": round(max(lat), 3)}
    client = Client()
    client.login(username="cityoffice", password="demo-2026")
    url = f"/complaints/bulletins/?start={month.start:%Y-%m}&by=district"
    assert client.get(url).status_code == 200
    lat = timed(lambda: client.get(url), repeats)
    out["page_month_district"] = {"median_s": round(statistics.median(lat), 3), "max_s": round(max(lat), 3)}
    worst = max(v["max_s"] for v in out.values())
    out["worst_s"], out["target_s"], out["meets_target"] = worst, 10.0, worst <= 10.0
    return out


# the home pages too: their workbench lists a scope's open and overdue demands
LIST_PAGES = {
    "cityoffice": ["/complaints/", "/complaints/?state=open&category=food&district=洪山区",
                   "/complaints/?state=closed&page=200", "/"],
    "department": ["/complaints/", "/complaints/?state=open", "/"],
}


def list_pages(repeats: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qualitycity.complaints.models import Demand

    pages = {}
    for username, urls in LIST_PAGES.items():
        client = Client()
        client.login(username=username, password="demo-2026")
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            queries = len(ctx.captured_queries)  # now: later requests reset the connection's query log
            lat = timed(lambda u=url, c=client: c.get(u), repeats)
            pages[f"{username} {url}"] = {"p50_ms": round(1000 * statistics.median(lat), 1),
                                          "p95_ms": round(1000 * percentile(lat, 95), 1), "queries": queries}
    return {"demands": Demand.objects.count(), "pages": pages}

