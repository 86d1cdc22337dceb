"""Next year's workload, in words for councillors: the "resource issues" the IRO Handbook (para 7.11)
asks the annual report to raise. The same sentences and table serve `iroscope forecast`, the report's
part of "The IRO service and team" and the dashboard's panel, so the three cannot differ.

The forecast starts the day after the report's year ends and uses only what was known that day
(`metrics.forecast.forecast`); the back-test is the same method run a year earlier."""

from __future__ import annotations

import datetime as dt
import math

from iroscope.data.dataset import Dataset, collection_year_label, collection_year_of, year_end
from iroscope.metrics.forecast import BackTest, Forecast, ForecastError, Range, Rates, back_test_before, forecast
from iroscope.report import words
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Block, Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import subsection
from iroscope.rules.calendar import long_date

BACK_TEST_HEADINGS = ("Month", "Expected", "Range", "Held", "Inside the range")
TABLE_HEADINGS = ("Month", "First reviews", "Second reviews", "Later reviews", "All reviews", "Range", "Midway reviews")


# Why a report that hides small numbers shows this table whole (decision 0029).
UNSUPPRESSED = " These are numbers expected from rates, not counts of children, so small numbers are shown."


def whole(value: float) -> str:
    return f"{round(value):,}"


def fte(value: float) -> str:
    return f"{value:,.1f}"


def range_text(shown: Range, *, one_decimal: bool = False) -> str:
    """ "1,080 to 1,220" (or "9.2 to 10.4")."""
    show = fte if one_decimal else whole
    return f"{show(shown.low)} to {show(shown.high)}"


def forecast_window(made: Forecast, *, year_word: str = "in") -> str:
    """ "in 2026-27" when the forecast is exactly a collection year (with `year_word` before it), else
    "from 7 December 2026 to 30 November 2027"."""
    first, last = made.months[0].month.start, made.months[-1].month.end
    if first.month == 4 and first.day == 1 and last == year_end(first.year):
        return f"{year_word} {collection_year_label(collection_year_of(first))}"
    return f"from {long_date(first)} to {long_date(last)}"


def forecast_sentences(made: Forecast, *, suppress: bool = False) -> tuple[str, ...]:
    """What the forecast says, in plain words: the reviews, the midway reviews, the children and the
    full-time IROs needed beside those in post. With `suppress`, a count of children from 1 to 4 (those in
    care and allocated now, and the number expected, which is close to it) reads "fewer than 5"."""
    reviews = made.reviews.widened()
    initial, second, later, midway = shown_totals(made)
    bottom, top = made.caseload_band
    needed = made.fte_needed
    sentences = [
        f"We expect about {initial + second + later:,} reviews {forecast_window(made)} (between "
        f"{range_text(reviews).replace(' to ', ' and ')}): about {initial:,} first reviews of children coming "
        f"into care, {second:,} second reviews and {later:,} later reviews."
    ]
    midways = made.total("midway").widened()
    if made.midways_recorded:
        sentences.append(
            f"IROs should also hold about {midway:,} midway reviews (between "
            f"{range_text(midways).replace(' to ', ' and ')})."
        )
    in_care = made.average_in_care
    expected = (
        f"{words.FEWER_THAN_5} children are expected to be in care"
        if suppress and words.is_small(round(in_care.central))
        else f"On average about {whole(in_care.central)} children are expected to be in care (between "
        f"{range_text(in_care).replace(' to ', ' and ')})"
    )
    sentences.append(
        f"{expected[0].upper()}{expected[1:]}; {words.count(made.in_care_now, suppress=suppress)} were in care on "
        f"{long_date(made.known_on)}{'' if made.known_on == made.as_at else ', when the data was extracted'}."
    )
    sentences.append(
        f"To keep every IRO within {bottom} to {top} children we need between {fte(needed.low)} and "
        f"{fte(needed.high)} full-time IROs: at least {fte(needed.low)} so that nobody has more than {top}, and no "
        f"more than {fte(needed.high)} so that nobody has fewer than {bottom} (about {fte(needed.central)} at "
        f"{whole((bottom + top) / 2)} children each). We have {fte(made.fte_in_post)} full-time IROs, with "
        f"{words.count(made.children_allocated, suppress=suppress)} children allocated to them."
    )
    return tuple(sentences)


def method_sentence(made: Forecast) -> str:
    rates = made.scenarios
    return (
        "How this is worked out: each child in care has their next reviews from their own review schedule "
        "(3 months after a first review, then every 6 months), counted by the chance that they are still in care "
        f"then; about {fte(rates.central.entries_per_month)} children a month are expected to come into care "
        f"(between {fte(rates.low.entries_per_month)} and {fte(rates.high.entries_per_month)} a month in each of "
        f"the last three years), each with a first review within 20 working days; about "
        f"{round(100 * rates.central.leaving_a_year)}% of children in care leave in a year"
        f"{_first_year(rates.central)}; reviews are held on "
        f"average {made.lead_days} days before they fall due. The range runs from the quietest to the busiest of "
        "the last three years, with an allowance for chance."
    )


def _first_year(rates: Rates) -> str:
    if rates.new_leaving_per_day is None:
        return ""
    share = 1 - math.exp(-rates.new_leaving_per_day * 365.25)
    return f" ({round(100 * share)}% of those in their first year in care)"


def back_test_sentence(tested: BackTest | None) -> str:
    if tested is None:
        return (
            "The forecast has not been tested on a past year: the data does not hold a year before it with a year "
            "of history before that."
        )
    error = tested.error
    percentage = (
        f" ({error.mean_absolute_percentage_error:.1f}% of the month's reviews)"
        if error.mean_absolute_percentage_error is not None
        else ""
    )
    first, last = tested.months[0].month.start, tested.months[-1].month.end
    return (
        f"Tested on a past year: the same method, from what we knew on {long_date(tested.as_at)}, expected "
        f"{whole(tested.predicted.central)} reviews from {long_date(first)} to {long_date(last)} (between "
        f"{range_text(tested.predicted).replace(' to ', ' and ')}); {tested.actual:,} were held, "
        f"{_where(tested)}. Month by month it was "
        f"{error.mean_absolute_error:.1f} reviews out on average{percentage}, and the month's reviews fell inside "
        f"its range in {tested.months_inside} of {len(tested.months)} months."
    )


def _where(tested: BackTest) -> str:
    if tested.predicted.contains(tested.actual):
        return "inside that range"
    return "below that range" if tested.actual < tested.predicted.low else "above that range"


def shown_by_month(made: Forecast) -> list[tuple[int, int, int, int]]:
    """Each month's first, second and later reviews and midway reviews (central), as whole numbers. The
    year's figures are their sums, so a table's total is the sum of the rows above it and the sentences
    give the same totals as the table."""
    return [
        (
            round(month.initial.central),
            round(month.second.central),
            round(month.later.central),
            round(month.midway.central),
        )
        for month in made.months
    ]


def shown_totals(made: Forecast) -> tuple[int, int, int, int]:
    months = shown_by_month(made)
    return (
        sum(month[0] for month in months),
        sum(month[1] for month in months),
        sum(month[2] for month in months),
        sum(month[3] for month in months),
    )


def table_rows(made: Forecast) -> list[tuple[str, ...]]:
    """One row a month and a total: reviews by kind and in all (central), the range of all reviews,
    midway reviews."""
    rows: list[tuple[str, ...]] = []
    for month, (initial, second, later, midway) in zip(made.months, shown_by_month(made), strict=True):
        rows.append(
            (
                month.month.label,
                f"{initial:,}",
                f"{second:,}",
                f"{later:,}",
                f"{initial + second + later:,}",
                range_text(month.reviews.widened()),
                f"{midway:,}" if made.midways_recorded else "not recorded",
            )
        )
    initial, second, later, midway = shown_totals(made)
    rows.append(
        (
            "Total",
            f"{initial:,}",
            f"{second:,}",
            f"{later:,}",
            f"{initial + second + later:,}",
            range_text(made.reviews.widened()),
            f"{midway:,}" if made.midways_recorded else "not recorded",
        )
    )
    return rows


def back_test_rows(tested: BackTest) -> list[tuple[str, str, str, str, str]]:
    """Month, expected (central), range, held, inside the range."""
    return [
        (
            month.month.label,
            whole(month.predicted.central),
            range_text(month.predicted),
            f"{month.actual:,}",
            "yes" if month.inside else "no",
        )
        for month in tested.months
    ]


def forecast_with_test(dataset: Dataset, *, as_at: dt.date) -> tuple[Forecast, BackTest | None]:
    """The forecast from `as_at` and the back-test of the year before it (None when the data cannot)."""
    return forecast(dataset, as_at=as_at), back_test_before(dataset, forecast_from=as_at)


@subsection("service")
def workload(figures: ReportFigures, narrative: NarrativeContent) -> Section | None:
    """The resources the service will need next year, from the day after the report's year ends."""
    try:
        made, tested = forecast_with_test(figures.dataset, as_at=year_end(figures.year))
    except ForecastError:
        return None
    blocks: list[Block] = [
        Paragraph(" ".join(forecast_sentences(made, suppress=figures.suppress))),
        Table(
            f"Reviews expected in each month {forecast_window(made, year_word='of')}",
            TABLE_HEADINGS,
            tuple(table_rows(made)),
            note="First, second and later reviews and midway reviews are the central forecast; the range of all "
            "reviews allows for the busiest and quietest of the last three years and for chance."
            + (UNSUPPRESSED if figures.suppress else ""),
        ),
        Paragraph(method_sentence(made)),
        Paragraph(back_test_sentence(tested)),
    ]
    return Section("workload", "Next year's workload and resources", tuple(blocks))
