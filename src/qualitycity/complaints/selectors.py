"""Reads: the work queue (and its home-page card), the public status view, and the
supervision bulletins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import calendar, permissions
from qualitycity.core.models import Role
from qualitycity.core.pagination import capped_count
from qualitycity.core.workbench import Card, Line

from .models import CLOSED_STATES, OPEN_STATES, Demand, Dispute, Event, Flag, Rating, State


def visible(user, rule: str = "complaints.view"):
    qs = Demand.objects.select_related("category", "area", "lead_org")
    condition = permissions.scope_filter(user, rule)
    if condition is None:
        return qs
    # a join through assignments may repeat a row: filter on ids instead of distinct()
    return qs.filter(pk__in=Demand.objects.filter(condition).values("pk"))


def queue(user, *, state: str = "", category: str = "", district: str = "", overdue: bool = False, q: str = ""):
    qs = visible(user)
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category__code=category)
    if district:
        qs = qs.filter(area__name=district)
    if overdue:
        today = calendar.local_date(dt.datetime.now(dt.UTC))
        qs = qs.filter(Q(state=State.ASSIGNED, accept_due__lt=today) | Q(state=State.HANDLING, handle_due__lt=today))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(respondent_name__icontains=q))
    return qs.order_by("-received_at")


def workbench(user, role):
    """Home-page card: a citizen's own demands; for the offices, the open demands in their
    scope, overdue ones first (counted up to a cap: a city holds millions)."""
    if role == Role.CITIZEN:
        mine = queue(user)
        return Card(_("我的诉求"), reverse("complaints:index"), figure=capped_count(mine.filter(state__in=OPEN_STATES)),
                    figure_label=_("件办理中"), lines=[_line(d) for d in mine[:4]],
                    action=(_("我要反映问题"), reverse("complaints:new")),
                    empty=_("还没有提交过诉求。遇到质量问题，可以在这里投诉或反映。"))
    if role not in (Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER) \
            or not permissions.is_allowed(user, "complaints.handle"):
        return None
    overdue = list(queue(user, overdue=True)[:4])
    newest = [] if len(overdue) == 4 else list(queue(user, state="open").exclude(
        pk__in=[d.pk for d in overdue])[: 4 - len(overdue)])
    return Card(_("待办诉求"), reverse("complaints:index") + "?state=open",
                figure=capped_count(queue(user, state="open")), figure_label=_("件未办结"),
                lines=[_line(d, _("超期")) for d in overdue] + [_line(d) for d in newest],
                action=(_("诉求工作台"), reverse("complaints:index")), empty=_("没有未办结的诉求。"))


def _line(demand: Demand, badge: str = "") -> Line:
    return Line(f"{demand.number} · {demand.title}", reverse("complaints:detail", args=[demand.number]),
                badge or demand.get_state_display())


def public_view(code: str) -> dict | None:
    """Only status and public replies: never notes, contacts or other people's data."""
    demand = Demand.objects.select_related("category", "area", "lead_org", "merged_into").filter(tracking_code=code.upper()).first()
    if demand is None:
        return None
    shown = demand.merged_into if demand.state == State.MERGED and demand.merged_into else demand
    events = list(Event.objects.filter(demand__in={demand.pk, shown.pk}, public=True).order_by("at", "id"))
    return {"demand": demand, "shown": shown, "events": events}


# ---- bulletins ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive
    label: str

    def previous(self) -> Period:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return period_of(_add_months(self.start, -months), months)


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def period_of(start: dt.date, months: int) -> Period:
    start = start.replace(day=1)
    if months == 3:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        label = f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    else:
        label = f"{start.year}年{start.month}月"
    return Period(start, _add_months(start, months), label)


def _bounds(period: Period):
    zone = ZoneInfo(settings.TIME_ZONE)
    as_dt = lambda d: dt.datetime.combine(d, dt.time(), zone)  # noqa: E731
    return as_dt(period.start), as_dt(period.end)


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def bulletin(period: Period, *, by: str = "department") -> dict:
    """Per department (lead unit) or per district: volume, on-time acceptance and
    completion, satisfaction, reopen, overdue, flags, returns and disputes, a ranking,
    and the change against the previous period."""
    key = "lead_org__name" if by == "department" else "area__name"
    start, end = _bounds(period)
    rows = _figures(period, key)
    previous = _figures(period.previous(), key)
    for name, row in rows.items():
        before = previous.get(name, {})
        row["volume_prev"] = before.get("volume", 0)
        row["satisfaction_prev"] = before.get("satisfaction")
    ranked = sorted(rows.values(), key=lambda r: (-r["score"], r["name"]))
    for i, row in enumerate(ranked, 1):
        row["rank"] = i
    received = Demand.objects.filter(received_at__gte=start, received_at__lt=end)
    top_categories = list(received.values("category__name").annotate(n=Count("id")).order_by("-n")[:8])
    top_respondents = list(received.exclude(respondent_name="").values("respondent_name").annotate(n=Count("id"))
                           .order_by("-n")[:8])
    hot_spots = list(received.values("area__name", "area__kind").annotate(n=Count("id")).order_by("-n", "area__name"))
    return {"period": period, "by": by, "rows": ranked, "top_categories": top_categories,
            "top_respondents": top_respondents, "hot_spots": hot_spots,
            "total": sum(r["volume"] for r in ranked), "total_prev": sum(previous[k]["volume"] for k in previous)}


def _figures(period: Period, key: str) -> dict:
    start, end = _bounds(period)
    today = calendar.local_date(dt.datetime.now(dt.UTC))
    as_of = min(period.end - dt.timedelta(days=1), today)
    base = Demand.objects.exclude(**{key: None})
    out: dict[str, dict] = {}

    def row(name):
        return out.setdefault(name, {"name": name, "volume": 0, "decided": 0, "accepted_on_time": 0, "completed": 0,
                                     "completed_on_time": 0, "rated": 0, "satisfied": 0, "reopened": 0, "overdue": 0,
                                     "yellow": 0, "red": 0, "returns": 0, "disputes_upheld": 0})

    for r in base.filter(received_at__gte=start, received_at__lt=end).values(key).annotate(n=Count("id")):
        row(r[key])["volume"] = r["n"]
    decided = base.filter(Q(accepted_at__gte=start, accepted_at__lt=end)
                          | Q(state=State.REJECTED, closed_at__gte=start, closed_at__lt=end))
    for r in decided.values(key).annotate(n=Count("id"), late=Count("id", filter=Q(accepted_late=True))):
        row(r[key]).update(decided=r["n"], accepted_on_time=r["n"] - r["late"])
    done = base.filter(closed_at__gte=start, closed_at__lt=end).exclude(state__in=[State.REJECTED, State.MERGED])
    for r in done.values(key).annotate(n=Count("id"), late=Count("id", filter=Q(closed_late=True))):
        row(r[key]).update(completed=r["n"], completed_on_time=r["n"] - r["late"])
    rated = base.filter(closed_at__gte=start, closed_at__lt=end).exclude(rating="")
    for r in rated.values(key).annotate(
        n=Count("id"), ok=Count("id", filter=Q(rating__in=[Rating.SATISFIED, Rating.BASIC])),
        again=Count("id", filter=Q(reopen_count__gt=0)),
    ):
        row(r[key]).update(rated=r["n"], satisfied=r["ok"], reopened=r["again"])
    overdue = base.filter(received_at__lt=end).filter(
        Q(state=State.ASSIGNED, accept_due__lt=as_of) | Q(state=State.HANDLING, handle_due__lt=as_of))
    for r in overdue.values(key).annotate(n=Count("id")):
        row(r[key])["overdue"] = r["n"]
    flag_key = "organization__name" if key == "lead_org__name" else "demand__area__name"
    for r in Flag.objects.filter(created_at__gte=start, created_at__lt=end).values(flag_key, "level").annotate(n=Count("id")):
        if r["level"] in ("yellow", "red"):
            row(r[flag_key])[r["level"]] += r["n"]
    dispute_key = "organization__name" if key == "lead_org__name" else "demand__area__name"
    for r in Dispute.objects.filter(created_at__gte=start, created_at__lt=end).values(dispute_key).annotate(
        n=Count("id"), upheld=Count("id", filter=Q(upheld=True))
    ):
        row(r[dispute_key]).update(returns=r["n"], disputes_upheld=r["upheld"])
    for r in out.values():
        r["on_time_acceptance"] = _rate(r["accepted_on_time"], r["decided"])
        r["on_time_completion"] = _rate(r["completed_on_time"], r["completed"])
        r["satisfaction"] = _rate(r["satisfied"], r["rated"])
        r["reopen_rate"] = _rate(r["reopened"], r["rated"])
        r["score"] = score(r)
    return out


def score(r: dict) -> float:
    """Ranking score (0-100): 30 % on-time acceptance, 30 % on-time completion, 30 %
    satisfaction, 10 % not reopened, minus 2 points per red and 0.5 per yellow flag.
    The weights are the platform's default, stated on the bulletin page."""
    parts = [(r["on_time_acceptance"], 30), (r["on_time_completion"], 30), (r["satisfaction"], 30)]
    got = sum((v if v is not None else 1.0) * w for v, w in parts)
    got += 10 * (1 - (r["reopen_rate"] or 0.0))
    return round(max(0.0, got - 2 * r["red"] - 0.5 * r["yellow"]), 1)


def is_closed_state(state: str) -> bool:
    return state in CLOSED_STATES


def recommendation_signals(enterprise, *, before: dt.datetime | None = None, limit: int = 200) -> dict:
    """Complaints and reports filed against the enterprise (``Demand.respondent``), for the
    recommender in consult: data only, consult words the reasons. Merged duplicates are left
    out so one incident counts once; ``before`` hides what was filed later (offline evaluation)."""
    from .models.taxonomy import DemandType

    demands = Demand.objects.filter(respondent=enterprise,
                                    demand_type__in=[DemandType.COMPLAINT, DemandType.REPORT]).exclude(state=State.MERGED)
    if before is not None:
        demands = demands.filter(received_at__lt=before)
    rows = demands.order_by("-received_at").values_list("number", "category__code", "category__name", "received_at")
    return {"complaints": [{"number": n, "category": c, "category_name": name, "at": at}
                           for n, c, name, at in rows[:limit]]}


def demands_accepted_in(year: int):
    """Demands accepted in a local calendar year, merged duplicates left out: the base of the
    yearly rates this app lends to the annual assessment and the quality index."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start, end = dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)
    return Demand.objects.filter(accepted_at__gte=start, accepted_at__lt=end).exclude(state=State.MERGED)


def on_time_completion_rate(demands) -> float | None:
    """Share (× 100) of judged demands closed by their deadline. An open demand whose deadline
    is still ahead can yet be completed on time, so it is left out; None when nothing is judged."""
    today = calendar.local_date(dt.datetime.now(dt.UTC))
    judged = demands.exclude(Q(closed_at=None) & (Q(handle_due=None) | Q(handle_due__gte=today)))
    total = judged.count()
    if not total:
        return None
    on_time = judged.filter(closed_at__isnull=False, closed_late=False).count()
    return round(100.0 * on_time / total, 2)
