import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from qualitycity.core import calendar
from qualitycity.core.errors import ImportRejected
from qualitycity.core.models import CalendarDay
from qualitycity.core.services import calendar as calendar_service
from qualitycity.core.services.audit import Actor

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


def test_package_holidays_count_and_makeup_saturday_is_worked():
    assert calendar.deadline_for(dt.datetime(2026, 9, 30, 10, tzinfo=SHANGHAI), 7).due_on == dt.date(2026, 10, 15)


def test_receipt_late_at_night_utc_counts_from_the_local_day():
    # 2026-09-30 17:00 UTC is 1 October 01:00 in Wuhan: counting starts from 1 October.
    late = dt.datetime(2026, 9, 30, 17, tzinfo=dt.UTC)
    assert calendar.deadline_for(late, 1).due_on == dt.date(2026, 10, 8)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        calendar.deadline_for(dt.datetime(2026, 9, 30, 10), 3)


def test_an_uncovered_year_warns_and_admin_holidays_fix_it(django_capture_on_commit_callbacks):
    received = dt.datetime(2026, 12, 30, 9, tzinfo=SHANGHAI)
    before = calendar.deadline_for(received, 2)
    assert before.due_on == dt.date(2027, 1, 1) and "2027" in before.warning
    with django_capture_on_commit_callbacks(execute=True):
        calendar_service.set_day(by=Actor.system("t"), date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    after = calendar.deadline_for(received, 2)
    assert after.due_on == dt.date(2027, 1, 4) and after.warning == ""


def test_import_is_all_or_nothing():
    bad = "date,kind,name\n2027-01-01,休,元旦\n2027-13-01,休,错\n2027-02-07,maybe,x\n".encode()
    with pytest.raises(ImportRejected) as caught:
        calendar_service.import_days(by=Actor.system("t"), filename="h.csv", content=bad)
    assert [(p["line"], p["column"]) for p in caught.value.problems] == [(3, "date"), (4, "kind")]
    assert not CalendarDay.objects.exists()


def test_the_cli(tmp_path, capsys, django_capture_on_commit_callbacks):
    call_command("calendar", "add-working-days", "2026-09-30", "7")
    assert capsys.readouterr().out.strip() == "2026-10-15"
    call_command("calendar", "is-workday", "2026-10-10")
    assert capsys.readouterr().out.strip() == "工作日"
    path = tmp_path / "holidays.csv"
    path.write_text("date,kind,name\n2027-02-08,holiday,春节\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("calendar", "import", str(path))
    call_command("calendar", "is-workday", "2027-02-08")
    assert "休息日" in capsys.readouterr().out
    with pytest.raises(CommandError, match="不是日期"):
        call_command("calendar", "is-workday", "tomorrow")
