import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from iroscope.rules.calendar import WorkingDayCalendar, add_months, add_months_expr, england_calendar, long_date

D = dt.date
CALENDAR = england_calendar()


@pytest.mark.parametrize(
    ("became_looked_after", "twentieth_working_day"),
    [
        (D(2025, 1, 6), D(2025, 2, 3)),  # no holidays
        (D(2025, 1, 4), D(2025, 1, 31)),  # a Saturday start: Monday 6 January is day 1
        (D(2024, 12, 16), D(2025, 1, 16)),  # Christmas Day, Boxing Day, New Year's Day
        (D(2025, 12, 19), D(2026, 1, 21)),  # Christmas 2025 falls Thursday and Friday
        (D(2025, 4, 14), D(2025, 5, 15)),  # Good Friday, Easter Monday, early May
        (D(2022, 5, 27), D(2022, 6, 28)),  # Platinum Jubilee: Thursday 2 and Friday 3 June
        (D(2022, 9, 5), D(2022, 10, 4)),  # state funeral, Monday 19 September 2022
        (D(2023, 4, 24), D(2023, 5, 24)),  # early May (1 May) and the Coronation (8 May 2023)
        (D(2020, 12, 21), D(2021, 1, 21)),  # Boxing Day 2020 was a Saturday: substitute Monday 28th
    ],
)
def test_twenty_working_days_counts_only_working_days(
    became_looked_after: dt.date, twentieth_working_day: dt.date
) -> None:
    assert CALENDAR.add_working_days(became_looked_after, 20) == twentieth_working_day


def test_one_off_and_substitute_bank_holidays_are_not_working_days() -> None:
    for holiday in [D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19), D(2023, 5, 8), D(2020, 12, 28), D(2022, 12, 27)]:
        assert not CALENDAR.is_working_day(holiday), holiday
    # Scottish and Northern Irish days, Christmas Eve and New Year's Eve are working days in England.
    for ordinary in [D(2024, 12, 24), D(2024, 12, 31), D(2025, 1, 2), D(2024, 8, 5), D(2025, 7, 14)]:
        assert CALENDAR.is_working_day(ordinary), ordinary


def test_a_holiday_added_by_an_administrator_is_skipped() -> None:
    calendar = WorkingDayCalendar.england(extra_holidays=[D(2025, 1, 8)])
    assert calendar.add_working_days(D(2025, 1, 6), 2) == D(2025, 1, 9)
    assert CALENDAR.add_working_days(D(2025, 1, 6), 2) == D(2025, 1, 8)


def test_counting_backwards_gives_invitation_deadlines() -> None:
    # 10 working days before Tuesday 6 May 2025: 2, 1 May; 30, 29, 28, 25, 24, 23, 22 April, then
    # Thursday 17 April, skipping the early May bank holiday, Easter Monday and Good Friday.
    assert CALENDAR.add_working_days(D(2025, 5, 6), -10) == D(2025, 4, 17)
    # From a Saturday the Friday before is one working day back.
    assert CALENDAR.add_working_days(D(2025, 1, 4), -1) == D(2025, 1, 3)


def test_working_days_after_counts_up_to_and_including_the_end() -> None:
    assert CALENDAR.working_days_after(D(2025, 1, 3), D(2025, 1, 6)) == 1  # Friday to Monday
    assert CALENDAR.working_days_after(D(2025, 1, 4), D(2025, 1, 5)) == 0  # Saturday to Sunday
    # 23, 24, 27, 30, 31 December and 2 January: Christmas, Boxing Day and New Year's Day skipped.
    assert CALENDAR.working_days_after(D(2024, 12, 20), D(2025, 1, 2)) == 6
    assert CALENDAR.working_days_after(D(2025, 1, 6), D(2025, 1, 6)) == 0
    assert CALENDAR.working_days_after(D(2025, 1, 6), D(2025, 1, 1)) == 0


def test_helpers_work_on_arrays_and_series_as_on_single_dates() -> None:
    starts = [D(2025, 1, 6), D(2025, 1, 4), D(2024, 12, 16)]
    expected = [D(2025, 2, 3), D(2025, 1, 31), D(2025, 1, 16)]
    as_array = CALENDAR.add_working_days(np.array(starts, dtype="datetime64[D]"), 20)
    assert [day.astype(dt.date) for day in as_array] == expected
    as_series = CALENDAR.add_working_days(pl.Series("start", starts), 20)
    assert as_series.to_list() == expected
    assert as_series.name == "start"
    counts = CALENDAR.working_days_after(pl.Series(starts), pl.Series(expected))
    assert counts.tolist() == [20, 20, 20]


@pytest.mark.parametrize(
    ("previous_review", "plus_three", "plus_six"),
    [
        (D(2024, 11, 30), D(2025, 2, 28), D(2025, 5, 30)),
        (D(2024, 8, 31), D(2024, 11, 30), D(2025, 2, 28)),
        (D(2024, 5, 31), D(2024, 8, 31), D(2024, 11, 30)),
        (D(2024, 2, 29), D(2024, 5, 29), D(2024, 8, 29)),
        (D(2023, 11, 29), D(2024, 2, 29), D(2024, 5, 29)),  # leap year
        (D(2022, 11, 30), D(2023, 2, 28), D(2023, 5, 30)),  # not a leap year
    ],
)
def test_calendar_months_clamp_to_the_month_end(
    previous_review: dt.date, plus_three: dt.date, plus_six: dt.date
) -> None:
    assert add_months(previous_review, 3) == plus_three
    assert add_months(previous_review, 6) == plus_six
    frame = pl.DataFrame({"review": [previous_review]})
    assert frame.select(add_months_expr(pl.col("review"), 3)).item() == plus_three
    assert frame.select(add_months_expr(pl.col("review"), 6)).item() == plus_six


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2055, 12, 31))


@given(start=days, n=st.integers(min_value=0, max_value=400))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start: dt.date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert end >= start
    assert CALENDAR.working_days_after(start, end) == n
    if n > 0:
        assert CALENDAR.is_working_day(end)
    else:
        assert end == start


@given(start=days, n=st.integers(min_value=1, max_value=400))
def test_the_day_before_the_deadline_is_one_working_day_short(start: dt.date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert CALENDAR.working_days_after(start, end - dt.timedelta(days=1)) == n - 1


@given(first=days, second=days, third=days)
def test_working_days_after_adds_up_over_consecutive_spans(first: dt.date, second: dt.date, third: dt.date) -> None:
    a, b, c = sorted([first, second, third])
    assert CALENDAR.working_days_after(a, c) == CALENDAR.working_days_after(a, b) + CALENDAR.working_days_after(b, c)


def test_a_long_date_is_written_as_a_uk_public_service_writes_it() -> None:
    assert long_date(dt.date(2025, 3, 3)) == "3 March 2025"
    assert long_date(dt.date(2026, 12, 31)) == "31 December 2026"
