"""Demo data for risk monitoring: six years of weekly counts per product category ×
district with two injected incidents that the signals must catch:

* a rise of 电动自行车 complaints in 洪山区 over the last three weeks;
* failed samples of 电线电缆 from one industrial park in the last two weeks.

Baselines are negative binomial with a yearly season (the Noufaily et al. 2013 scenario
shape), so Farrington sees realistic noise and only occasional baseline alarms.  The
signals are then run through the real service, and the first alert goes through the
whole lifecycle (triage → assessment → action) so every page has something to show.

The signals use alpha = 0.01: with dozens of series scored every week, the default 0.05
would send a district several false alerts a month (alert fatigue).  ``scale`` does not
change the volume: the series are fixed by categories × districts.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.services.audit import Actor

from .models import Alert, AlertStatus, Grouping, Method, Source
from .services import alerts as alert_service
from .services import signals as signal_service

WEEKS = 320  # > 5 years + the 26 monitored weeks, as Farrington with b=5 needs
CATEGORIES = {  # complaints per district-week at the baseline (before the district factor)
    "电动自行车": 3.0, "儿童玩具": 1.2, "电线电缆": 0.6, "燃气灶具": 0.8, "服装鞋帽": 2.0, "食品相关产品": 1.5,
}
INCIDENT_DISTRICT, INCIDENT_CATEGORY = "洪山区", "电动自行车"
PARK_CATEGORY = "电线电缆"


def _nb(rng, mu, phi=1.5):
    return rng.negative_binomial(mu / (phi - 1.0), 1.0 / phi)


def incident_weeks(last: dt.date) -> dict:
    w = dt.timedelta(days=7)
    return {"complaints": [last - 2 * w, last - w, last], "park": [last - w, last]}


def load_demo(*, seed: int, scale: int, stdout) -> dict:
    rng = np.random.default_rng(seed)
    by = Actor.system("demo")
    last = signal_service.last_complete_week()
    weeks = [last - dt.timedelta(days=7 * i) for i in range(WEEKS - 1, -1, -1)]
    season = 1.0 + 0.3 * np.cos(2 * np.pi * np.arange(WEEKS) / 52.0)
    districts = list(Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("code"))
    if not districts:
        stdout.write("risk: no districts in the demo city, skipped\n")
        return {}
    hit = incident_weeks(last)
    rows = []
    for d_i, area in enumerate(districts):
        factor = 0.6 + 0.8 * ((d_i * 7919) % 13) / 12
        for cat, base in CATEGORIES.items():
            counts = _nb(rng, base * factor * season)
            if area.name == INCIDENT_DISTRICT and cat == INCIDENT_CATEGORY:
                for wk in hit["complaints"]:
                    counts[weeks.index(wk)] += 14 + int(rng.integers(0, 4))
            rows += [(cat, area.pk, None, None, wk, int(c)) for wk, c in zip(weeks, counts, strict=True)]
    signal_service.load_counts(by=by, source=Source.COMPLAINTS, rows=rows, batch="demo-complaints")

    parks = list(Organization.objects.filter(kind=OrgKind.PARK).order_by("pk")[:3])
    prows = []
    for p_i, park in enumerate(parks):
        counts = _nb(rng, 0.5 * season, phi=1.3)
        if p_i == 0:
            for wk in hit["park"]:
                counts[weeks.index(wk)] += 7
        prows += [(PARK_CATEGORY, park.area_id, None, park.pk, wk, int(c)) for wk, c in zip(weeks, counts, strict=True)]
    if prows:
        signal_service.load_counts(by=by, source=Source.SAMPLING, rows=prows, batch="demo-sampling")

    dept = Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("pk").first()
    s1 = signal_service.create_signal(
        by=by, name="产品投诉周报警（类别×区）", source=Source.COMPLAINTS, grouping=Grouping.CATEGORY_DISTRICT,
        method=Method.FARRINGTON, parameters={"alpha": 0.01}, monitor_weeks=26,
        department_id=dept.pk if dept else None)
    runs = [signal_service.run_signal(by=by, signal=s1, trigger="weekly", week=last)]
    if prows:
        s2 = signal_service.create_signal(
            by=by, name="园区电线电缆抽检不合格", source=Source.SAMPLING, grouping=Grouping.CATEGORY_PARK,
            method=Method.FARRINGTON, parameters={"alpha": 0.01}, categories=[PARK_CATEGORY], monitor_weeks=26,
            department_id=dept.pk if dept else None)
        runs.append(signal_service.run_signal(by=by, signal=s2, trigger="weekly", week=last))
    signal_service.create_signal(by=by, name="投诉 EARS C2 快速筛查", source=Source.COMPLAINTS,
                                 method=Method.EARS_C2, monitor_weeks=8)

    first = (Alert.objects.filter(signal=s1, category=INCIDENT_CATEGORY, area__name=INCIDENT_DISTRICT,
                                  week=last).first())
    if first is not None and first.status == AlertStatus.NEW:
        alert_service.triage(by=by, alert=first, confirm=True, note="投诉集中反映电池起火、充电器过热")
        alert_service.assess(by=by, alert=first, product="电动自行车", hazard="锂离子电池热失控",
                             consumer="骑行者及同住家庭成员", scenarios=[
                                 {"description": "室内充电时电池热失控引燃周边物品，造成烧伤", "severity": 4,
                                  "steps": [0.1, 0.05, 0.2]},
                                 {"description": "充电器外壳过热致手部烫伤", "severity": 1, "steps": [0.2, 0.5]}])
        alert_service.add_action(by=by, alert=first, kind="sampling_plan",
                                 description="对洪山区销售的电动自行车电池开展定向抽检", working_days=15)
    n_alerts = Alert.objects.count()
    stdout.write(f"risk: {len(rows) + len(prows)} weekly counts, {len(runs)} signal runs, {n_alerts} alerts\n")
    return {"alerts": n_alerts}
