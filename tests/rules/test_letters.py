"""The letter's age band and its timescale, with birthdays and bank holidays counted on a calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from iroscope.rules.calendar import england_calendar
from iroscope.rules.letters import AgeBand, letter_age_band, letter_sent_due
from iroscope.rules.practice import LocalPractice

D = dt.date
REVIEW = D(2025, 3, 3)


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (D(2017, 3, 4), AgeBand.UNDER_8),  # 8 tomorrow: still 7 on the day of the review
        (D(2017, 3, 3), AgeBand.EIGHT_TO_12),  # 8 on the very day
        (D(2012, 3, 4), AgeBand.EIGHT_TO_12),  # 13 tomorrow: still 12
        (D(2012, 3, 3), AgeBand.THIRTEEN_AND_OVER),  # 13 on the very day
    ],
)
def test_the_letter_is_written_for_the_childs_age_on_the_day_of_the_review(born: dt.date, band: AgeBand) -> None:
    assert letter_age_band(date_of_birth=born, review_date=REVIEW) is band


def test_a_letter_after_a_review_on_the_friday_before_a_bank_holiday_is_due_a_day_later() -> None:
    # Friday 22 August 2025; Monday 25 August is the summer bank holiday, so the 20 working days are
    # Tuesday 26 August to Friday 29 August (4), the three weeks of September 1-19 (15), and Monday 22
    # September (the 20th). Without the bank holiday it would have been Friday 19 September.
    due = letter_sent_due(review_date=D(2025, 8, 22), practice=LocalPractice(), calendar=england_calendar())
    assert due == D(2025, 9, 22)


def test_the_timescale_follows_the_practice_setting() -> None:
    practice = LocalPractice(letter_sent_working_days=5)
    # Friday 22 August 2025 + 5 working days, the Monday a bank holiday: Tuesday 26 to Monday 1 September.
    assert letter_sent_due(review_date=D(2025, 8, 22), practice=practice, calendar=england_calendar()) == D(2025, 9, 1)
