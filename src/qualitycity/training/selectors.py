"""Training statistics for the city office: person-times, people, enterprises reached and
completions, by district and industry, against the year's targets.

Person-times count every enrolment and every attendance at a live or offline session;
people are distinct accounts (attendees without an account count by name + enterprise)."""

from __future__ import annotations

from collections import defaultdict

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
