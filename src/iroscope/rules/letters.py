"""The letter to the child after their review: which age band its words are written for, and by when
it should be sent (docs/decisions/0022-letters-to-children.md)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from iroscope.rules.calendar import WorkingDayCalendar
from iroscope.rules.practice import LocalPractice

YOUNGEST_BAND_FROM = 8  # under 8: short sentences and simple words
OLDEST_BAND_FROM = 13  # 13 and over: more detail, and their rights


class AgeBand(StrEnum):
    UNDER_8 = "under 8"
    EIGHT_TO_12 = "8 to 12"
    THIRTEEN_AND_OVER = "13 and over"


def age_in_years(*, date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years on the day: a child is a year older on their birthday (29 February birthdays count
    from 1 March in other years)."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def letter_age_band(*, date_of_birth: dt.date, review_date: dt.date) -> AgeBand:
    """The band the letter is written for: the child's age on the day of the review."""
    age = age_in_years(date_of_birth=date_of_birth, on=review_date)
    if age < YOUNGEST_BAND_FROM:
        return AgeBand.UNDER_8
    if age < OLDEST_BAND_FROM:
        return AgeBand.EIGHT_TO_12
    return AgeBand.THIRTEEN_AND_OVER


def letter_sent_due(*, review_date: dt.date, practice: LocalPractice, calendar: WorkingDayCalendar) -> dt.date:
    """The last day the letter is sent on time: `letter_sent_working_days` working days after the review."""
    return calendar.add_working_days(review_date, practice.letter_sent_working_days)
