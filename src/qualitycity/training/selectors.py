"""Training statistics for the city office: person-times, people, enterprises reached and
completions, by district and industry, against the year's targets.

Person-times count every enrolment and every attendance at a live or offline session;
people are distinct accounts (attendees without an account count by name + enterprise)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.models import Role
from qualitycity.core.workbench import Card, Line

from .models import AnnualTarget, Attendance, Enrollment


def statistics(*, year: int, area_ids: list[int] | None = None) -> dict:
    enrolments = Enrollment.objects.filter(enrolled_at__year=year).values_list(
        "user_id", "organization_id", "organization__area__name", "organization__industry__parent__code",
        "completed_at")
    attendance = Attendance.objects.filter(event__starts_at__year=year).values_list(
        "user_id", "name", "organization_id", "organization__area__name", "organization__industry__parent__code")
    if area_ids is not None:
        enrolments = enrolments.filter(organization__area_id__in=area_ids)
        attendance = attendance.filter(organization__area_id__in=area_ids)
    rows = defaultdict(lambda: {"person_times": 0, "people": set(), "enterprises": set(), "completions": 0})
    total = rows["__all__"]
    for user, org, district, section, completed in enrolments:
        for key in (("__all__",), ("district", district or "—"), ("industry", section or "—")):
            r = rows[key] if key != ("__all__",) else total
            r["person_times"] += 1
            r["people"].add(("u", user))
            if org:
                r["enterprises"].add(org)
            r["completions"] += bool(completed)
    for user, name, org, district, section in attendance:
        person = ("u", user) if user else ("n", name, org)
        for key in (("__all__",), ("district", district or "—"), ("industry", section or "—")):
            r = rows[key] if key != ("__all__",) else total
            r["person_times"] += 1
            r["people"].add(person)
            if org:
                r["enterprises"].add(org)

    def flat(r):
        return {"person_times": r["person_times"], "people": len(r["people"]), "enterprises": len(r["enterprises"]),
                "completions": r["completions"]}

    target = AnnualTarget.objects.filter(year=year, area=None).first()
    summary = flat(total)
    progress = {}
    if target:
        for k in ("person_times", "people", "enterprises", "completions"):
            goal = getattr(target, k)
            progress[k] = {"target": goal, "actual": summary[k], "pct": round(100 * summary[k] / goal, 1) if goal else None}
    return {
        "year": year, "summary": summary, "progress": progress,
        "by_district": sorted(((k[1], flat(v)) for k, v in rows.items() if k[0] == "district"), key=lambda kv: -kv[1]["person_times"]),
        "by_industry": sorted(((k[1], flat(v)) for k, v in rows.items() if k[0] == "industry"), key=lambda kv: -kv[1]["person_times"]),
    }


def workbench(user, role):
    """Home-page card for anyone who learns: courses in progress and certificates earned."""
    if role not in (Role.ENTERPRISE_MEMBER, Role.PROVIDER_STAFF, Role.EXPERT, Role.CITIZEN) \
            or not permissions.is_allowed(user, "training.learn"):
        return None
    mine = Enrollment.objects.filter(user=user).select_related("course", "certificate")
    if role in (Role.PROVIDER_STAFF, Role.EXPERT) and not mine.exists():
        return None  # learning is not what they come for; shown once they take a course
    lines = []
    for e in mine[:4]:
        certificate = getattr(e, "certificate", None)
        badge = _("已结业 %(number)s") % {"number": certificate.number} if certificate else \
            (_("已学完") if e.completed_at else _("学习中"))
        lines.append(Line(e.course.title, reverse("training:course", args=[e.course.code]), badge))
    return Card(_("我的课程"), reverse("training:index"), figure=mine.filter(completed_at=None).count(),
                figure_label=_("门在学"), lines=lines, action=(_("去选课"), reverse("training:index")),
                empty=_("还没有报名课程。"))
