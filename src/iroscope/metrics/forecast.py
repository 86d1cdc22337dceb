"""Next year's workload: the reviews and midway reviews expected in each of the next 12 months, the
children in care, and the full-time IROs needed to keep every IRO inside the caseload band, each as a
range (fewest, central, most), with a back-test on a past year that states its error.

The method, kept simple so that it can be explained to a Corporate Parenting Board:

- **Children in care now.** Each child's next review comes from the review schedule exactly as the
  casework pages show it (`metrics.next_review.next_reviews_at`); the cycle then runs on (3 months
  after the first review, 6 months after any later one; `rules.forecast`). A review already overdue
  is expected on the forecast's first day, unless it fell due after the data's end: in the
  workspace, whose today is after the extract (decision 0014), such a review is taken as held on its
  due date, since the data has not caught up with it, and the cycle runs on from there. A child may
  leave care before a review: each review counts as the chance that the child is still in care on its
  day, `exp(-rate × days)`, where the rate is the leaving rate of the last three years (periods of care
  that ended, per day in care).
- **Children who will come into care.** Each month brings the average monthly number of children
  who came into care in the last three years, taken to arrive in the middle of the month; each
  entrant has a first review 20 working days later, a second 3 months after that and later ones every
  6 months, thinned by the leaving rate of children in their first year in care (higher: many stay
  only weeks).
- **Held a little early.** Reviews are expected the average number of days before their due date
  at which the service held them in the last three years (`lead_days`), and the next deadline runs
  from that day, as the regulations count from the day a review is held.
- **Midway reviews.** Between two reviews on the 6-month cycle (not before a second review), on the
  day the practice setting `midway_review_fraction` gives (`rules.practice.midway_review_due`).
- **The range.** The central forecast uses the three years' rates together; the fewest uses the
  year with the fewest children coming into care and the year with the highest leaving rate, the
  most the year with the most coming in and the lowest leaving rate. So the range is the spread of
  what the last three years have actually been, not a statistical interval: a month's own ups and
  downs can fall outside it, which the back-test shows.
- **Chance.** A month's reviews also vary by chance about what the rates give (a review held a
  week later falls in the next month; a child leaves or comes in unexpectedly), so a count of
  reviews or midway reviews is shown with `CHANCE_Z` (1.28) square roots of it either side, the
  usual allowance that a count falls within 8 times in 10 (`Range.widened`).
- **Full-time IROs needed.** The average number of children in care over the 12 month-ends, shared
  between IROs: the fewest full-time IROs is the fewest children at the top of the caseload band
  (every IRO at 70), the most is the most children at its bottom (every IRO at 50), and the central
  figure the central forecast at the middle of the band (60).

Regulation 33 periods only: short breaks (regulation 48) are not in the SSDA903 reviews and are left
out of the reviews and the children in care alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from iroscope.data.dataset import Dataset
from iroscope.metrics.next_review import current_allocations, known_on, midway_reviews_at, next_reviews_at
from iroscope.rules.calendar import WorkingDayCalendar, add_months, england_calendar
from iroscope.rules.forecast import (
    FORECAST_MONTHS,
    ONE_DAY,
    ExpectedReview,
    ForecastMonth,
    entrant_reviews,
    expected_on,
    forecast_months,
    months_between,
    reviews_after,
)
from iroscope.rules.periods import periods_of_care
from iroscope.rules.practice import LocalPractice, midway_review_due
from iroscope.rules.schedule import LATER_REVIEW_MONTHS, review_schedule

HISTORY_YEARS: Final = 3
INITIAL: Final = "initial"
SECOND: Final = "second"
LATER: Final = "later"
MIDWAY: Final = "midway"
REVIEW_KINDS: Final = (INITIAL, SECOND, LATER)
SCENARIOS: Final = ("low", "central", "high")
CHANCE_Z: Final = 1.28  # the 80% allowance for a count: 1.28 square roots either side
EVENT_COLUMNS: Final = {"kind": pl.String, "day": pl.Date, "low": pl.Float64, "central": pl.Float64, "high": pl.Float64}


class ForecastError(ValueError):
    """The data cannot support a forecast from the day asked for (the message says why)."""


@dataclass(frozen=True)
class Range:
    """A forecast figure: the fewest, the central and the most expected."""

    low: float
    central: float
    high: float

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def widened(self) -> Range:
        """The range allowing also for chance: `CHANCE_Z` times the square root of the count either
        side (counts of independent events vary about so much, 8 times in 10), the low end not below 0."""
        return Range(
            max(0.0, self.low - CHANCE_Z * math.sqrt(self.low)),
            self.central,
            self.high + CHANCE_Z * math.sqrt(self.high),
        )

    def contains(self, value: float) -> bool:
        """Whether `value` lies inside the range, its ends rounded to whole numbers as it is shown."""
        return round(self.low) <= value <= round(self.high)


ZERO: Final = Range(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Rates:
    """How many children come into care a month, and how fast children leave: periods of care that
    ended per day spent in care (so `exp(-per_day × days)` is the chance of still being in care).
    Children in their first year in care leave faster than most (many stay weeks), so those who come
    into care during the forecast leave at the rate of children in their first year (`new_leaving_per_day`;
    None: the same as everyone's)."""

    entries_per_month: float
    leaving_per_day: float
    new_leaving_per_day: float | None = None

    @property
    def entrants_leaving_per_day(self) -> float:
        return self.leaving_per_day if self.new_leaving_per_day is None else self.new_leaving_per_day

    @property
    def leaving_a_year(self) -> float:
        """The share of children in care at the start of a year who would leave during it."""
        return 1 - math.exp(-self.leaving_per_day * 365.25)


@dataclass(frozen=True)
class YearOfCare:
    """One 12-month slice of the history: children who came into care, periods that ended, days in care;
    and of those, the periods that ended in their first year and the days in care in a first year."""

    start: dt.date
    end: dt.date
    entries: int
    exits: int
    care_days: int
    new_exits: int = 0
    new_care_days: int = 0

    @property
    def months(self) -> float:
        return ((self.end - self.start).days + 1) * 12 / 365.25

    @property
    def rates(self) -> Rates:
        return Rates(
            self.entries / self.months,
            self.exits / self.care_days if self.care_days else 0.0,
            self.new_exits / self.new_care_days if self.new_care_days else None,
        )


@dataclass(frozen=True)
class Scenarios:
    low: Rates
    central: Rates
    high: Rates

    def of(self, name: str) -> Rates:
        return {"low": self.low, "central": self.central, "high": self.high}[name]


@dataclass(frozen=True)
class History:
    """What the last (up to) three years show: each year's entries, exits and days in care, and how many
    days before their due date reviews were held on average."""

    years: tuple[YearOfCare, ...]
    lead_days: int

    @property
    def scenarios(self) -> Scenarios:
        rates = [year.rates for year in self.years]
        entries = sum(year.entries for year in self.years)
        exits = sum(year.exits for year in self.years)
        days = sum(year.care_days for year in self.years)
        months = sum(year.months for year in self.years)
        new_exits = sum(year.new_exits for year in self.years)
        new_days = sum(year.new_care_days for year in self.years)
        new = [rate.new_leaving_per_day for rate in rates if rate.new_leaving_per_day is not None]
        central = Rates(
            entries / months if months else 0.0,
            exits / days if days else 0.0,
            new_exits / new_days if new_days else None,
        )
        low = Rates(
            min(rate.entries_per_month for rate in rates),
            max(rate.leaving_per_day for rate in rates),
            max(new) if new else None,
        )
        high = Rates(
            max(rate.entries_per_month for rate in rates),
            min(rate.leaving_per_day for rate in rates),
            min(new) if new else None,
        )
        return Scenarios(low, central, high)


@dataclass(frozen=True)
class MonthForecast:
    month: ForecastMonth
    initial: Range
    second: Range
    later: Range
    midway: Range
    in_care: Range  # children in care expected at the month's end

    @property
    def reviews(self) -> Range:
        return self.initial + self.second + self.later


@dataclass(frozen=True)
class Forecast:
    as_at: dt.date
    known_on: dt.date  # the last day the data knows about, up to `as_at`: children in care were in care then
    months: tuple[MonthForecast, ...]
    scenarios: Scenarios
    lead_days: int
    history: History | None
    in_care_now: int
    children_allocated: int
    fte_in_post: float
    caseload_band: tuple[int, int]
    midways_recorded: bool  # whether the service records midway reviews at all

    @property
    def reviews(self) -> Range:
        return sum((month.reviews for month in self.months), ZERO)

    def total(self, kind: str) -> Range:
        return sum((getattr(month, kind) for month in self.months), ZERO)

    @property
    def average_in_care(self) -> Range:
        count = len(self.months)
        total = sum((month.in_care for month in self.months), ZERO)
        return Range(total.low / count, total.central / count, total.high / count)

    @property
    def fte_needed(self) -> Range:
        return fte_needed(average_in_care=self.average_in_care, caseload_band=self.caseload_band)


def fte_needed(*, average_in_care: Range, caseload_band: tuple[int, int]) -> Range:
    """Full-time IROs to keep every IRO inside the caseload band: the fewest children at the band's
    top, the central forecast at its middle, the most at its bottom."""
    bottom, top = caseload_band
    return Range(
        average_in_care.low / top, average_in_care.central / ((bottom + top) / 2), average_in_care.high / bottom
    )


def history_of(
    *, episodes: pl.DataFrame, reviews: pl.DataFrame, data_start: dt.date, end: dt.date, calendar: WorkingDayCalendar
) -> History:
    """The last `HISTORY_YEARS` 12-month slices ending on `end` that the data holds whole (or, with less
    than a year of data, the part it holds), from episodes and reviews known on `end`."""
    if end < data_start:
        raise ForecastError(f"The data begins on {data_start:%-d %B %Y}, after {end:%-d %B %Y}.")
    slices: list[tuple[dt.date, dt.date]] = []
    last = end
    for _ in range(HISTORY_YEARS):
        first = add_months(last + ONE_DAY, -12)
        if first < data_start:
            break
        slices.insert(0, (first, last))
        last = first - ONE_DAY
    if not slices:
        slices = [(data_start, end)]
    periods = periods_of_care(episodes).filter(~pl.col("short_break"))
    years = tuple(_year_of_care(periods, start, stop) for start, stop in slices)
    return History(years, _lead_days(episodes, reviews, data_start, slices[0][0], end, calendar))


def _year_of_care(periods: pl.DataFrame, start: dt.date, end: dt.date) -> YearOfCare:
    entries = periods.filter(pl.col("period_start_known") & pl.col("period_start").is_between(start, end)).height
    exits = periods.filter(pl.col("period_end").is_between(start, end)).height
    # Days in care inside the slice: from the later of the period's start and the slice's, to the
    # earlier of its end and the slice's end (the day a child leaves is not a day in care).
    after_end = end + ONE_DAY
    overlap = periods.select(
        days=(
            pl.min_horizontal(pl.col("period_end").fill_null(after_end), pl.lit(after_end))
            - pl.max_horizontal(pl.col("period_start"), pl.lit(start))
        ).dt.total_days()
    )
    care_days = int(overlap.filter(pl.col("days") > 0)["days"].sum())
    # The same for periods in their first year (begun inside the data, so their start is known): days in
    # care up to the period's first anniversary, and periods that ended before it.
    known = periods.filter(pl.col("period_start_known"))
    first_year_end = pl.col("period_start").dt.offset_by("1y")
    new = known.select(
        days=(
            pl.min_horizontal(pl.col("period_end").fill_null(after_end), pl.lit(after_end), first_year_end)
            - pl.max_horizontal(pl.col("period_start"), pl.lit(start))
        ).dt.total_days(),
        left=pl.col("period_end").is_between(start, end) & (pl.col("period_end") < first_year_end),
    )
    new_days = int(new.filter(pl.col("days") > 0)["days"].sum())
    return YearOfCare(start, end, entries, exits, care_days, int(new["left"].sum()), new_days)


def _lead_days(
    episodes: pl.DataFrame,
    reviews: pl.DataFrame,
    data_start: dt.date,
    start: dt.date,
    end: dt.date,
    calendar: WorkingDayCalendar,
) -> int:
    """How many days before their due date reviews held between `start` and `end` were held, on
    average (late reviews count against it); 0 with none."""
    schedule = review_schedule(episodes=episodes, reviews=reviews, data_start=data_start, calendar=calendar)
    held = schedule.filter(pl.col("due_date").is_not_null() & pl.col("review_date").is_between(start, end))
    if held.is_empty():
        return 0
    mean = held.select((pl.col("due_date") - pl.col("review_date")).dt.total_days().mean()).item()
    return round(float(mean))


def expected_events(
    *,
    next_reviews: pl.DataFrame,
    midways_done: pl.DataFrame,
    as_at: dt.date,
    months: Sequence[ForecastMonth],
    scenarios: Scenarios,
    lead_days: int,
    practice: LocalPractice,
    calendar: WorkingDayCalendar,
    data_end: dt.date | None = None,
) -> pl.DataFrame:
    """Every review and midway review the forecast expects from `as_at` to the end of `months`, one row
    each (columns `EVENT_COLUMNS`): its kind, day, and for each scenario the number expected (the chance
    that the child is still in care then, times how many such children there are).

    `next_reviews` is `next_reviews_at` on `as_at` (children in care then); `midways_done` the children
    (`child_id`) whose midway review before that next review was already done. `data_end` is the last
    day the data knows about, when that is before `as_at`: children in care then may have left since, so
    their chance of still being in care counts from it."""
    first_day, last_day = months[0].start, months[-1].end
    data_end = data_end or as_at
    done = set(midways_done["child_id"].to_list()) if midways_done.height else set()
    rows: list[tuple[str, dt.date, float, float, float]] = []

    def add(kind: str, day: dt.date, weights: tuple[float, float, float]) -> None:
        if first_day <= day <= last_day:
            rows.append((kind, day, *weights))

    def staying(
        since: dt.date, day: dt.date, scale: tuple[float, float, float], *, new: bool
    ) -> tuple[float, float, float]:
        days = (day - since).days
        rates = [scenarios.of(name) for name in SCENARIOS]
        return tuple(  # type: ignore[return-value]
            share * math.exp(-(rate.entrants_leaving_per_day if new else rate.leaving_per_day) * days)
            for rate, share in zip(rates, scale, strict=True)
        )

    def add_chain(
        chain: Sequence[ExpectedReview],
        previous: dt.date | None,
        since: dt.date,
        scale: tuple[float, float, float],
        *,
        new: bool = False,
    ) -> None:
        for review in chain:
            if previous is not None and review.sequence != 2:
                midway = midway_review_due(previous_review=previous, next_review_due=review.due, practice=practice)
                add(MIDWAY, midway, staying(since, midway, scale, new=new))
            add(_kind(review.sequence), review.expected, staying(since, review.expected, scale, new=new))
            previous = review.expected

    everyone = (1.0, 1.0, 1.0)
    for child_id, sequence, previous, due in next_reviews.select(
        "child_id", "review_sequence", "previous_review_date", "due_date"
    ).iter_rows():
        if due is None:  # not knowable from the data: at the latest 6 months after the last review held
            due = add_months(previous, LATER_REVIEW_MONTHS) if previous is not None else first_day
        # A review that fell due after the data ends but before the forecast starts (the workspace's today
        # is after the extract) is taken as held then: the data has not caught up with it. One due by the
        # data's end and not held is overdue, and expected on the forecast's first day.
        earliest = data_end + ONE_DAY if data_end < due < first_day else first_day
        first = ExpectedReview(sequence, due, expected_on(due=due, lead_days=lead_days, earliest=earliest))
        chain = [first]
        if first.expected <= last_day:
            chain += reviews_after(
                held=first.expected, sequence=sequence, until=last_day, lead_days=lead_days, earliest=earliest
            )
        if child_id in done:  # the midway review before the next review is done: start the chain after it
            add(_kind(sequence), first.expected, staying(data_end, first.expected, everyone, new=False))
            add_chain(chain[1:], first.expected, data_end, everyone)
        else:
            add_chain(chain, previous, data_end, everyone)

    # Children who came into care after the data ends and before the forecast starts are not in the data
    # but will be in care: they arrive as the forecast's entrants do, from the day after the data's end.
    for month in [*months_between(after=data_end, until=as_at), *months]:
        arrival = month.middle
        share_of_month = month.days / _days_in_month(month.start)
        cohort = tuple(scenarios.of(name).entries_per_month * share_of_month for name in SCENARIOS)
        chain = entrant_reviews(entry=arrival, until=last_day, lead_days=lead_days, calendar=calendar)
        add_chain(chain, None, arrival, cohort, new=True)  # type: ignore[arg-type]
    return pl.DataFrame(rows, schema=EVENT_COLUMNS, orient="row")


def _kind(sequence: int | None) -> str:
    if sequence == 1:
        return INITIAL
    if sequence == 2:
        return SECOND
    return LATER


def _days_in_month(day: dt.date) -> int:
    return (add_months(day.replace(day=1), 1) - day.replace(day=1)).days


def children_in_care_by_month(
    *,
    in_care_now: int,
    as_at: dt.date,
    months: Sequence[ForecastMonth],
    scenarios: Scenarios,
    data_end: dt.date | None = None,
) -> list[Range]:
    """Children expected in care at each month's end: those in care now who have not left, and each
    month's entrants (arriving mid-month) who have not left, with those who came into care after the
    data's end (`data_end`, when before `as_at`) and are not in it."""
    known_on = data_end or as_at  # the last day the children in care now were known to be in care
    arrivals = [*months_between(after=known_on, until=as_at), *months]
    result = []
    for month in months:
        values = []
        for name in SCENARIOS:
            rates = scenarios.of(name)
            stayed = in_care_now * math.exp(-rates.leaving_per_day * (month.end - known_on).days)
            for arrived in arrivals:
                if arrived.start > month.end:
                    break
                entrants = rates.entries_per_month * arrived.days / _days_in_month(arrived.start)
                stayed += entrants * math.exp(-rates.entrants_leaving_per_day * (month.end - arrived.middle).days)
            values.append(stayed)
        result.append(Range(*values))
    return result


def monthly(events: pl.DataFrame, months: Sequence[ForecastMonth], kind: str) -> list[Range]:
    """The events of one kind summed by month."""
    of_kind = events.filter(pl.col("kind") == kind)
    result = []
    for month in months:
        inside = of_kind.filter(pl.col("day").is_between(month.start, month.end))
        result.append(Range(*(float(inside[name].sum()) for name in SCENARIOS)))
    return result


def forecast(
    dataset: Dataset,
    *,
    as_at: dt.date,
    scenarios: Scenarios | None = None,
    lead_days: int | None = None,
    calendar: WorkingDayCalendar | None = None,
    count: int = FORECAST_MONTHS,
) -> Forecast:
    """The workload of the `count` months after `as_at`, from what the data knew at the end of `as_at`
    (a later review, episode or allocation is not used, so a past day gives the forecast made then).
    `scenarios` and `lead_days` default to what the last three years show (`history_of`)."""
    calendar = calendar or england_calendar()
    if not dataset.years:
        raise ForecastError("The data holds no SSDA903 return, so nobody is known to be in care.")
    history_end = min(as_at, dataset.data_end)
    episodes, reviews = known_on(episodes=dataset["episodes"], reviews=dataset["reviews"], as_at=history_end)
    history = None
    if scenarios is None or lead_days is None:
        history = history_of(
            episodes=episodes, reviews=reviews, data_start=dataset.data_start, end=history_end, calendar=calendar
        )
    scenarios = scenarios or history.scenarios  # type: ignore[union-attr]
    lead_days = lead_days if lead_days is not None else history.lead_days  # type: ignore[union-attr]
    months = forecast_months(as_at=as_at, count=count)
    next_reviews = next_reviews_at(dataset=dataset, as_at=as_at, calendar=calendar)
    midways = midway_reviews_at(dataset=dataset, as_at=as_at, next_reviews=next_reviews)
    events = expected_events(
        next_reviews=next_reviews,
        midways_done=midways.filter(pl.col("midway_completed_date").is_not_null()).select("child_id"),
        as_at=as_at,
        months=months,
        scenarios=scenarios,
        lead_days=lead_days,
        practice=dataset.practice,
        calendar=calendar,
        data_end=history_end,
    )
    in_care_now = next_reviews["child_id"].n_unique()
    by_kind = {kind: monthly(events, months, kind) for kind in (*REVIEW_KINDS, MIDWAY)}
    in_care = children_in_care_by_month(
        in_care_now=in_care_now, as_at=as_at, months=months, scenarios=scenarios, data_end=history_end
    )
    fte, allocated = _staffing_on(dataset, as_at)
    return Forecast(
        as_at=as_at,
        known_on=history_end,
        months=tuple(
            MonthForecast(
                month, by_kind[INITIAL][i], by_kind[SECOND][i], by_kind[LATER][i], by_kind[MIDWAY][i], in_care[i]
            )
            for i, month in enumerate(months)
        ),
        scenarios=scenarios,
        lead_days=lead_days,
        history=history,
        in_care_now=in_care_now,
        children_allocated=allocated,
        fte_in_post=fte,
        caseload_band=dataset.practice.caseload_band,
        midways_recorded=dataset["midway_reviews"].filter(pl.col("midway_date") <= as_at).height > 0,
    )


def _staffing_on(dataset: Dataset, day: dt.date) -> tuple[float, int]:
    """The full-time equivalent of the IROs in post on `day`, and the children allocated to them."""
    staff = dataset["iro_staff"].filter(
        (pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") >= day))
    )
    allocated = current_allocations(dataset["iro_allocations"], as_at=day).join(
        staff.select("iro_id"), on="iro_id", how="semi"
    )
    return round(float(staff["fte"].fill_null(0).sum()), 2), allocated.height


# The back-test: the forecast made a year ago against what happened.


@dataclass(frozen=True)
class BackTestMonth:
    month: ForecastMonth
    predicted: Range
    actual: int

    @property
    def inside(self) -> bool:
        return self.predicted.contains(self.actual)


@dataclass(frozen=True)
class BackTest:
    as_at: dt.date
    months: tuple[BackTestMonth, ...]
    predicted: Range  # the year's reviews, allowing for chance over the year as a whole

    @property
    def error(self) -> ForecastAccuracy:
        return forecast_error(
            predicted=[month.predicted.central for month in self.months], actual=[month.actual for month in self.months]
        )

    @property
    def months_inside(self) -> int:
        return sum(month.inside for month in self.months)

    @property
    def actual(self) -> int:
        return sum(month.actual for month in self.months)


@dataclass(frozen=True)
class ForecastAccuracy:
    mean_absolute_error: float
    mean_absolute_percentage_error: float | None  # None when no month had any review


def forecast_error(*, predicted: Sequence[float], actual: Sequence[int]) -> ForecastAccuracy:
    """Mean absolute error per month, and mean absolute percentage error over the months with any
    actual review (a month with none has no percentage)."""
    if not actual or len(predicted) != len(actual):
        raise ValueError("Give one predicted and one actual figure for each month")
    errors = [abs(p - a) for p, a in zip(predicted, actual, strict=True)]
    shares = [error / a for error, a in zip(errors, actual, strict=True) if a]
    return ForecastAccuracy(sum(errors) / len(errors), 100 * sum(shares) / len(shares) if shares else None)


def back_test(dataset: Dataset, *, as_at: dt.date, calendar: WorkingDayCalendar | None = None) -> BackTest:
    """The forecast made from what was known on `as_at`, against the reviews actually held in each of
    the 12 months after it (which the data must hold)."""
    calendar = calendar or england_calendar()
    made = forecast(dataset, as_at=as_at, calendar=calendar)
    if made.months[-1].month.end > dataset.data_end:
        raise ForecastError(f"The data ends on {dataset.data_end:%-d %B %Y}, before the year it would test.")
    held = dataset["reviews"]["review_date"]
    return BackTest(
        as_at,
        tuple(
            BackTestMonth(
                month.month, month.reviews.widened(), int(held.is_between(month.month.start, month.month.end).sum())
            )
            for month in made.months
        ),
        made.reviews.widened(),
    )


def back_test_before(dataset: Dataset, *, forecast_from: dt.date) -> BackTest | None:
    """The back-test of the year before a forecast from `forecast_from` (or before the data's end, if
    that is earlier), when the data holds that year and at least a year before it; None otherwise."""
    end = min(forecast_from, dataset.data_end) if dataset.years else None
    if end is None:
        return None
    as_at = add_months(end + ONE_DAY, -12) - ONE_DAY
    if add_months(dataset.data_start, 12) - ONE_DAY > as_at:
        return None
    return back_test(dataset, as_at=as_at)
