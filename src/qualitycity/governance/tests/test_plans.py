"""Plans, reports, review, chasing, supervision and rectification."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import AuditEvent, Notification, Role
from qualitycity.core.services.audit import Actor

from ..models import Chase, IndicatorValue, Plan, PlanItem, ProgressReport, Rectification
from ..services import plan_import, plans
from .factories import SYSTEM, world, xlsx

pytestmark = pytest.mark.django_db
HEADER = plan_import.COLUMNS


@pytest.fixture
def w():
    return world()


def test_periods_are_due_ten_working_days_after_each_quarter(w):
    q1 = w["q"][1]
    year = w["plan"].year
    # counted on the shared calendar: never a weekend, and after the quarter's end
    assert q1.due_on > dt.date(year, 3, 31) and q1.due_on.weekday() < 5
    assert (q1.due_on - dt.date(year, 3, 31)).days >= 14


def test_a_good_plan_imports_as_a_tree(w):
    content = xlsx([HEADER,
                    ["1", "", "目标", "产业质量", "", "", "", "", "", "", "", ""],
                    ["1.1", "1", "任务", "标准制修订", "武汉市市场监督管理局", "武汉市教育局", "2026-01-01", "2026-09-30",
                     "制修订标准", 12, "项", 0.5],
                    ["1.1.M", "1.1", "里程碑", "立项", "", "", "", "2026-03-31", "", "", "", ""]])
    plan = plan_import.import_plan(by=SYSTEM, name="导入计划", year=2026, content=content)
    task = plan.items.get(code="1.1")
    assert task.parent.code == "1" and task.lead_unit == w["orgs"]["dept"]
    assert list(task.co_units.values_list("name", flat=True)) == ["武汉市教育局"]
    assert task.targets.get().target_value == 12 and task.weight == Decimal("0.5")
    assert plan.items.get(code="1.1.M").parent == task


def test_a_broken_plan_lists_every_problem_with_its_row_and_imports_nothing(w):
    before = (Plan.objects.count(), PlanItem.objects.count())
    content = xlsx([HEADER,
                    ["1", "", "目标", "产业质量", "", "", "", "", "", "", "", ""],
                    ["1.1", "9", "任务", "孤儿任务", "武汉市市场监督管理局", "", "", "2026-09-30", "", "", "", ""],
                    ["1.2", "1", "任务", "未知单位", "火星局", "", "", "2026-09-30", "", "", "", ""],
                    ["1.3", "1", "任务", "坏日期", "武汉市市场监督管理局", "", "", "明年", "", "", "", ""]])
    with pytest.raises(ImportRejected) as exc:
        plan_import.import_plan(by=SYSTEM, name="坏计划", year=2026, content=content)
    found = {(p["line"], p["column"]) for p in exc.value.problems}
    assert {(3, "上级编号"), (4, "牵头单位"), (5, "截止日期")} <= found
    assert "火星局" in " ".join(p["message"] for p in exc.value.problems)
    assert (Plan.objects.count(), PlanItem.objects.count()) == before


def _submit(w, period=None, unit=None, **kw):
    item = w["dept_task"]
    target = item.targets.get()
    return plans.submit_report(by=Actor(user=w["users"][Role.DEPARTMENT_OFFICER]), item=item,
                               period=period or w["q"][4], unit=unit or w["orgs"]["dept"],
                               narrative=kw.pop("narrative", "按计划推进"), percent_complete=kw.pop("pct", 50),
                               values={str(target.pk): kw.pop("value", "80")}, **kw)


def test_a_unit_files_a_report_with_indicator_values_and_a_number(w):
    report = _submit(w)
    assert report.number.startswith("JZ") and len(report.number) == 14
    assert IndicatorValue.objects.get(report=report).value == 80
    assert AuditEvent.objects.filter(action="governance.report.submit", object_id=str(report.pk)).exists()


def test_a_report_after_the_due_date_is_marked_late(w):
    q1 = w["q"][1]
    late = _submit(w, period=q1)
    assert late.late is (timezone.localdate() > q1.due_on)


def test_a_report_for_a_closed_period_is_refused_and_nothing_is_written(w):
    plans.close_period(by=SYSTEM, period=w["q"][1])
    with pytest.raises(DomainError, match="已关闭"):
        _submit(w, period=w["q"][1])
    assert ProgressReport.objects.count() == 0 and IndicatorValue.objects.count() == 0


def test_a_unit_cannot_report_on_another_units_task(w):
    with pytest.raises(DomainError, match="本单位"):
        _submit(w, unit=w["other_dept"])
    assert ProgressReport.objects.count() == 0


def test_a_non_numeric_indicator_value_is_refused(w):
    with pytest.raises(DomainError) as exc:
        _submit(w, value="很多")
    assert any("不是数字" in m[0] for m in exc.value.errors.values())
    assert ProgressReport.objects.count() == 0


def test_review_accepts_or_returns_with_comments_and_notifies(w):
    report = _submit(w, pct=100)
    city = Actor(user=w["users"][Role.CITY_OFFICE])
    with pytest.raises(DomainError, match="意见"):
        plans.review_report(by=city, report=report, accept=False, comment="")
    plans.review_report(by=city, report=report, accept=True)
    report.refresh_from_db()
    report.item.refresh_from_db()
    assert report.status == "accepted" and report.item.completed_on is not None
    assert Notification.objects.filter(recipient=w["users"][Role.DEPARTMENT_OFFICER], title__contains=report.number).exists()
    other = _submit(w)
    plans.review_report(by=city, report=other, accept=False, comment="请补充佐证")
    other.refresh_from_db()
    assert other.status == "returned" and other.review_comment == "请补充佐证"


def test_late_reports_are_chased_once_a_day(w):
    today = w["q"][1].due_on + dt.timedelta(days=3)
    n = plans.chase_late_reports(by=SYSTEM, today=today)
    assert n == 4  # all four tasks, no Q1 report yet
    assert Notification.objects.filter(recipient=w["users"][Role.DEPARTMENT_OFFICER], title__contains="催报").exists()
    assert Chase.objects.count() == 4


def test_a_supervision_round_samples_tasks_and_findings_are_tracked_to_closure(w):
    rnd = plans.start_round(by=SYSTEM, plan=w["plan"], quarter=3, name="三季度督查", sample_size=4, seed=1)
    assert rnd.sampled.count() == 4
    with pytest.raises(DomainError):
        plans.start_round(by=SYSTEM, plan=w["plan"], quarter=3, name="x", sample_size=99)
    rect = plans.record_finding(by=SYSTEM, round=rnd, item=w["dept_task"], finding="佐证材料不全")
    assert rect.owner == w["orgs"]["dept"] and rect.due_on > timezone.localdate() and rect.number.startswith("ZG")
    with pytest.raises(DomainError):
        plans.close_rectification(by=SYSTEM, rect=rect, note=" ")
    plans.close_rectification(by=SYSTEM, rect=rect, note="已补齐")
    assert Rectification.objects.get(pk=rect.pk).status == "closed"
