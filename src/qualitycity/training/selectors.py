"""Training statistics for the city office: person-times, people, enterprises reached and
completions, by district and industry, against the year's targets.

Person-times count every enrolment and every attendance at a live or offline session;
people are distinct accounts (attendees without an account count by name + enterprise)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.models import Industry, Role
from qualitycity.core.workbench import Card, Line

from .models import AnnualTarget, Attendance, Enrollment

MEASURES = ("person_times", "people", "enterprises", "completions")


def _progress(actual: dict, targets: list) -> dict:
    """Per measure: the summed target, the actual figure and the share reached."""
    if not targets:
        return {}
    out = {}
    for k in MEASURES:
        goal = sum(getattr(t, k) for t in targets)
        out[k] = {"target": goal, "actual": actual[k], "pct": round(100 * actual[k] / goal, 1) if goal else None}
    return out


def statistics(*, year: int, area_ids: list[int] | None = None) -> dict:
    """Figures for ``year``, city-wide or for ``area_ids`` (a district officer's districts).

    The city view is measured against the city target (``AnnualTarget`` with no area); a
    district view against the sum of its districts' own targets, never the city's. Each
    district row carries its district's target; industries are labelled with their
    GB/T 4754 section name."""
    enrolments = Enrollment.objects.filter(enrolled_at__year=year).values_list(
        "user_id", "organization_id", "organization__area_id", "organization__area__name",
        "organization__industry__parent__code", "completed_at")
    attendance = Attendance.objects.filter(event__starts_at__year=year).values_list(
        "user_id", "name", "organization_id", "organization__area_id", "organization__area__name",
        "organization__industry__parent__code")
    if area_ids is not None:
        enrolments = enrolments.filter(organization__area_id__in=area_ids)
        attendance = attendance.filter(organization__area_id__in=area_ids)
    rows = defaultdict(lambda: {"person_times": 0, "people": set(), "enterprises": set(), "completions": 0})
    names: dict = {}

    def keys(area_id, district, section):
        names[("district", area_id)] = district or "—"
        return (("__all__",), ("district", area_id), ("industry", section or "—"))

    for user, org, area_id, district, section, completed in enrolments:
        for key in keys(area_id, district, section):
            r = rows[key]
            r["person_times"] += 1
            r["people"].add(("u", user))
            if org:
                r["enterprises"].add(org)
            r["completions"] += bool(completed)
    for user, name, org, area_id, district, section in attendance:
        person = ("u", user) if user else ("n", name, org)
        for key in keys(area_id, district, section):
            r = rows[key]
            r["person_times"] += 1
            r["people"].add(person)
            if org:
                r["enterprises"].add(org)

    def flat(r):
        return {"person_times": r["person_times"], "people": len(r["people"]), "enterprises": len(r["enterprises"]),
                "completions": r["completions"]}

    district_targets = {t.area_id: t for t in AnnualTarget.objects.filter(year=year, area__isnull=False)}
    if area_ids is None:
        targets = list(AnnualTarget.objects.filter(year=year, area=None))
    else:
        targets = [t for a, t in district_targets.items() if a in set(area_ids)]
    summary = flat(rows[("__all__",)])
    sections = dict(Industry.objects.filter(level=Industry.Level.SECTION).values_list("code", "name"))
    by_district = []
    for key, r in rows.items():
        if key[0] == "district":
            figures = flat(r)
            target = district_targets.get(key[1])
            by_district.append((names[key], {**figures, "progress": _progress(figures, [target] if target else [])}))
    by_industry = [(f"{key[1]} {sections[key[1]]}" if key[1] in sections else key[1], flat(r))
                   for key, r in rows.items() if key[0] == "industry"]
    return {
        "year": year, "summary": summary, "progress": _progress(summary, targets),
        "by_district": sorted(by_district, key=lambda kv: -kv[1]["person_times"]),
        "by_industry": sorted(by_industry, key=lambda kv: -kv[1]["person_times"]),
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
