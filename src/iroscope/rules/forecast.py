"""Date rules of the workload forecast: which months it covers and, for one child, the reviews that
follow a review or a day of coming into care if the regulation 33 cycle simply runs on.

A forecast review is expected `lead_days` before it falls due (the service's habit, measured from
its past reviews: a service that holds reviews a few days early fits a few more into a year), and
the next deadline runs from that expected day, as the regulations count from the day a review is
actually held. Nothing here decides how likely a child is still to be in care: that is the forecast's
weighting (`metrics.forecast`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from iroscope.rules.calendar import WorkingDayCalendar, add_months
from iroscope.rules.schedule import first_review_due, next_review_due

FORECAST_MONTHS: Final = 12
ONE_DAY: Final = dt.timedelta(days=1)


@dataclass(frozen=True)
class ForecastMonth:
    """One month of the forecast: its first and last day inside the forecast and its name."""

    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y}"

    @property
    def middle(self) -> dt.date:
        """The middle day of the month's days in the forecast (the 15th or 16th of a whole month)."""
        return self.start + dt.timedelta(days=(self.end - self.start).days // 2)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class ExpectedReview:
    """A review the cycle makes due: its sequence in the period of care (None when unknown, which the
    cycle treats as a later review), its due date and the day it is expected to be held."""

    sequence: int | None
    due: dt.date
    expected: dt.date


def forecast_months(*, as_at: dt.date, count: int = FORECAST_MONTHS) -> list[ForecastMonth]:
    """The `count` calendar months after `as_at`: the first starts the day after it (so after 31 March,
    April to March; after 6 December, 7 to 31 December, then January to November)."""
    months: list[ForecastMonth] = []
    start = as_at + ONE_DAY
    for _ in range(count):
        next_month = add_months(start.replace(day=1), 1)
        months.append(ForecastMonth(start, next_month - ONE_DAY))
        start = next_month
    return months


def months_between(*, after: dt.date, until: dt.date) -> list[ForecastMonth]:
    """The calendar months from the day after `after` to `until`, the first and last cut to those days;
    none when `until` is not after `after`."""
    months: list[ForecastMonth] = []
    start = after + ONE_DAY
    while start <= until:
        next_month = add_months(start.replace(day=1), 1)
        months.append(ForecastMonth(start, min(next_month - ONE_DAY, until)))
        start = next_month
    return months


def expected_on(*, due: dt.date, lead_days: int, earliest: dt.date) -> dt.date:
    """The day a review due on `due` is expected: `lead_days` before it, but not before `earliest` (the
    forecast's first day: a review already overdue is expected as soon as the forecast starts)."""
    return max(due - dt.timedelta(days=lead_days), earliest)


def reviews_after(
    *, held: dt.date, sequence: int | None, until: dt.date, lead_days: int, earliest: dt.date
) -> list[ExpectedReview]:
    """The reviews after one held (or expected) on `held`, the `sequence`-th of its period, while the
    child stays in care: each due 3 months after the first review, 6 months after any later one, and
    expected `lead_days` early. Stops with the first review expected after `until`, which is included
    (its midway review may fall before `until`)."""
    chain: list[ExpectedReview] = []
    previous, previous_sequence = held, sequence
    while True:
        due = next_review_due(previous_review=previous, previous_sequence=previous_sequence or 0)
        following = None if previous_sequence is None else previous_sequence + 1
        review = ExpectedReview(following, due, expected_on(due=due, lead_days=lead_days, earliest=earliest))
        chain.append(review)
        if review.expected > until:
            return chain
        previous, previous_sequence = review.expected, following


def entrant_reviews(
    *, entry: dt.date, until: dt.date, lead_days: int, calendar: WorkingDayCalendar
) -> list[ExpectedReview]:
    """The reviews of a child who comes into care on `entry`: the first within 20 working days, the
    second 3 months after it, later ones every 6 months; up to the first expected after `until`."""
    due = first_review_due(period_start=entry, calendar=calendar)
    first = ExpectedReview(1, due, expected_on(due=due, lead_days=lead_days, earliest=entry))
    if first.expected > until:
        return [first]
    return [first, *reviews_after(held=first.expected, sequence=1, until=until, lead_days=lead_days, earliest=entry)]
