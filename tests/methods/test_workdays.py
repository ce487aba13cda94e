import datetime as dt

import pytest

from qualitycity.methods.workdays import WorkdayCalendar

D = dt.date
# The 2026 National Day holiday (State Council notice, as carried by chinese-calendar 1.11):
# 1–7 October off; Sunday 20 September and Saturday 10 October are worked.
NATIONAL_DAY = [D(2026, 10, d) for d in range(1, 8)]
CAL = WorkdayCalendar.build(NATIONAL_DAY, [D(2026, 9, 20), D(2026, 10, 10)], [2026])


def test_weekends_and_holidays_are_days_off_and_makeup_days_are_worked():
    assert not CAL.is_workday(D(2026, 10, 1))
    assert not CAL.is_workday(D(2026, 11, 28))  # a Saturday
    assert CAL.is_workday(D(2026, 10, 10))  # a Saturday worked in exchange
    assert CAL.is_workday(D(2026, 11, 26))


def test_counting_starts_the_day_after_receipt_and_skips_the_holiday():
    # Received Wed 30 Sep: 1–7 Oct off, 8 Oct (Thu) is day 1, 9 Oct day 2, Sat 10 Oct (worked) day 3
    assert CAL.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert CAL.add_working_days(D(2026, 9, 30), 7) == D(2026, 10, 15)
    assert CAL.add_working_days(D(2026, 9, 30), 0) == D(2026, 9, 30)


def test_working_days_between_is_the_inverse_of_adding():
    start = D(2026, 9, 25)
    for n in range(0, 30):
        assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


def test_a_year_without_data_counts_weekends_only_and_says_so():
    assert not CAL.is_covered(D(2027, 10, 1))
    assert CAL.is_workday(D(2027, 10, 1))  # a Friday; no holiday data for 2027
    assert CAL.uncovered_years_between(D(2026, 12, 20), D(2027, 1, 10)) == [2027]


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(D(2026, 1, 1), -1)
