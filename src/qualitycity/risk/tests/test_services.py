"""The risk workflow through its services: demo incidents are caught, bad imports are
refused whole, the lifecycle moves only forward, and every step is audited."""

import datetime as dt

import pytest

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import AuditEvent
from qualitycity.core.tests import factories as core

from .. import demo
from ..models import Alert, AlertStatus, Assessment, Grouping, Method, SignalRun, Source, WeeklyCount
from ..services import alerts as alert_service
from ..services import signals as signal_service
from .factories import SYSTEM


@pytest.fixture
def world(demo_city, db):
    return demo_city


def test_demo_incidents_raise_alerts_and_the_baseline_mostly_does_not(world):
    last = signal_service.last_complete_week()
    hit = demo.incident_weeks(last)
    ebike = Alert.objects.filter(category="电动自行车", area__name="洪山区", week__in=hit["complaints"])
    assert ebike.exists(), world["demo_output"]
    cable = Alert.objects.filter(category="电线电缆", series_label__contains="测试光谷电缆产业园",
                                 week__in=hit["park"])
    assert cable.exists()
    # baseline: every complaint series-week outside the injected incident
    run = SignalRun.objects.get(signal__name__startswith="产品投诉", status=SignalRun.Status.OK)
    total = alarms = 0
    for series in run.results:
        injected = series["label"] == "电动自行车 · 洪山区"
        for week, alarm in zip(series["weeks"], series["alarm"], strict=True):
            if injected and dt.date.fromisoformat(week) in hit["complaints"]:
                continue
            total += 1
            alarms += alarm
    assert total > 500
    assert alarms / total < 0.03, f"{alarms} baseline alarms in {total} series-weeks"


def test_alert_carries_the_figures_and_a_working_day_due_date(world):
    a = Alert.objects.filter(category="电动自行车", area__name="洪山区").first()
    assert a.observed > a.upperbound >= a.expected > 0
    assert 0 <= a.pvalue < 0.05
    assert a.due_on is not None and a.due_on.weekday() < 5
    assert a.department is not None


def test_lifecycle_triage_assess_act_close_is_audited(world):
    alert = Alert.objects.filter(status=AlertStatus.NEW).exclude(category="电动自行车").first()
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError):
        alert_service.add_action(by=SYSTEM, alert=alert, kind="campaign", description="x")  # not assessed yet
    alert_service.triage(by=SYSTEM, alert=alert, confirm=True, note="属实")
    a = alert_service.assess(by=SYSTEM, alert=alert, product="电线电缆", hazard="导体电阻超标致过热",
                             scenarios=[{"description": "线路过热引发火灾", "severity": 4, "steps": [0.01, 0.1]}])
    assert a.level == "serious"  # severity 4, p = 1/1000 (band > 1/10 000) -> serious
    action = alert_service.add_action(by=SYSTEM, alert=alert, kind="campaign", description="园区专项整治")
    with pytest.raises(DomainError, match="未完成"):
        alert_service.close(by=SYSTEM, alert=alert)
    alert_service.complete_action(by=SYSTEM, action=action)
    alert = alert_service.close(by=SYSTEM, alert=alert)
    assert alert.status == AlertStatus.CLOSED
    actions = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    for expected in ("risk.alert.confirm", "risk.assessment.create", "risk.alert.assessed", "risk.action.create",
                     "risk.action.done", "risk.alert.close"):
        assert expected in actions


def test_dismiss_needs_a_reason_and_ends_the_alert(world):
    alert = Alert.objects.filter(status=AlertStatus.NEW).first()
    with pytest.raises(DomainError, match="理由"):
        alert_service.triage(by=SYSTEM, alert=alert, confirm=False, note="  ")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW
    alert_service.triage(by=SYSTEM, alert=alert, confirm=False, note="节假日集中登记，非真实上升")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED and alert.dismiss_reason
    with pytest.raises(DomainError):
        alert_service.assign(by=SYSTEM, alert=alert, department_id=alert.department_id, working_days=3)


def test_bad_scenario_probability_is_refused_without_a_register_entry(world):
    alert = Alert.objects.filter(status=AlertStatus.NEW).first()
    alert_service.triage(by=SYSTEM, alert=alert, confirm=True)
    n = Assessment.objects.count()
    with pytest.raises(DomainError, match="第 2 步"):
        alert_service.assess(by=SYSTEM, alert=alert, product="p", hazard="h",
                             scenarios=[{"description": "d", "severity": 2, "steps": [0.5, 1.5]}])
    assert Assessment.objects.count() == n


def test_weekly_run_is_once_per_week_and_rerun_creates_no_duplicate_alerts(world):
    n = Alert.objects.count()
    runs = signal_service.run_weekly(by=SYSTEM)
    assert {r.signal.name for r in runs} == {"投诉 EARS C2 快速筛查"}  # the others ran in the demo
    assert signal_service.run_weekly(by=SYSTEM) == []
    signal = Alert.objects.first().signal
    signal_service.run_signal(by=SYSTEM, signal=signal)
    assert Alert.objects.filter(signal=signal).count() == Alert.objects.filter(signal=signal).values(
        "series_key", "week").distinct().count()
    assert Alert.objects.count() >= n


CSV_HEADER = "周,产品类别,区,数量\n"


def _csv(lines):
    return (CSV_HEADER + "\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(("lines", "message"), [
    (["2026-01-05,玩具,洪山区,-1"], "负数"),
    (["2026-01-05,玩具,洪山区,1.5"], "整数"),
    (["2026-01-05,玩具,洪山区,"], "缺失"),
    (["2026-01-05,玩具,洪山区,1", "2026-01-05,玩具,洪山区,2"], "重复的周"),
    (["2026-01-05,玩具,洪山区,1", "2026-01-19,玩具,洪山区,2"], "不连续"),
    (["2026-01-06,玩具,洪山区,1"], "不是周一"),
    (["2026-01-05,玩具,火星区,1"], "未知的区"),
])
def test_bad_import_rows_are_named_and_nothing_is_written(db, lines, message):
    core.area()
    before = WeeklyCount.objects.count()
    with pytest.raises(ImportRejected) as exc:
        signal_service.import_counts(by=SYSTEM, source=Source.INJURY, filename="c.csv", content=_csv(lines))
    assert any(message in p["message"] for p in exc.value.problems), exc.value.problems
    assert WeeklyCount.objects.count() == before


def test_good_import_then_too_short_series_fails_the_run_with_weeks_needed(db):
    core.area()
    weeks = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * i) for i in range(30)]
    n = signal_service.import_counts(by=SYSTEM, source=Source.INJURY, filename="c.csv",
                                     content=_csv([f"{w},玩具,洪山区,{i % 3}" for i, w in enumerate(weeks)]))
    assert n == 30
    signal = signal_service.create_signal(by=SYSTEM, name="伤害", source=Source.INJURY, method=Method.FARRINGTON,
                                          grouping=Grouping.CATEGORY_DISTRICT, monitor_weeks=4)
    run = signal_service.run_signal(by=SYSTEM, signal=signal, week=weeks[-1])
    assert run.status == SignalRun.Status.FAILED
    assert "needs" in run.message and "weeks" in run.message
    assert not Alert.objects.filter(signal=signal).exists()


def test_all_zero_source_gives_a_clear_failed_run(db):
    core.area()
    weeks = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * i) for i in range(10)]
    signal_service.import_counts(by=SYSTEM, source=Source.RECALL, filename="c.csv",
                                 content=_csv([f"{w},玩具,洪山区,0" for w in weeks]))
    signal = signal_service.create_signal(by=SYSTEM, name="召回", source=Source.RECALL, method=Method.EARS_C1,
                                          monitor_weeks=2)
    run = signal_service.run_signal(by=SYSTEM, signal=signal, week=weeks[-1])
    assert run.status == SignalRun.Status.FAILED and "没有可用的数据" in run.message


def test_unknown_method_parameter_is_refused(db):
    with pytest.raises(DomainError, match="没有参数"):
        signal_service.create_signal(by=SYSTEM, name="x", source=Source.INJURY, method=Method.FARRINGTON,
                                     parameters={"bogus": 1})
