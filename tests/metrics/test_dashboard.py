"""The dashboard's periods, comparisons, trends and filters, on two hand-made years (2023-24 and
2024-25), and the rule that the records behind every KPI add up to its figure.

P (born 2010) and Q (born 2012) are in care from 1 March 2023, so every review below is of a child
aged 4 or over. Participation codes: PN1 to PN6 took part, PN1 to PN4 attended.

    P: 10 May 2023 PN1, 10 November 2023 PN7, 9 May 2024 PN5, 15 October 2024 PN1, 5 November 2024 PN1
    Q: 1 June 2023 PN7, 1 September 2023 PN2, 3 June 2024 PN6

The dashboard period is the year to 31 October 2024 (1 April to 31 October 2024); a year earlier is
1 April to 31 October 2023.
    this year: P 9 May PN5, P 15 October PN1, Q 3 June PN6: took part 3 of 3, attended 1 of 3;
    last year: P 10 May PN1, Q 1 June PN7, Q 1 September PN2: took part 2 of 3, attended 2 of 3.
P is allocated to IRO1 until 30 June 2024 and to IRO2 from 1 July; Q to IRO2 throughout. IRO1 is in
the North team, IRO2 in the South team.
"""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from iroscope.data.dataset import Dataset
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.dashboard import (
    RECORDED_ONLY,
    TREND_KPIS,
    Scope,
    build_dashboard,
    children_allocated,
    for_iros,
    iros_in_team,
    month_range,
    months_in,
    same_period_last_year,
    teams,
    year_to_date,
)
from iroscope.metrics.registry import Unit, all_kpis
from iroscope.synth.generator import SynthConfig, generate
from tests.metrics.helpers import D, child, episode, table

TO_OCTOBER = year_to_date(D(2024, 10, 31))


def review(child_id: str, day: object, code: str) -> dict[str, object]:
    return {"child_id": child_id, "review_date": day, "participation": code}


@pytest.fixture(scope="module")
def two_years() -> Dataset:
    tables = {
        "children": [child("P", born=D(2010, 1, 1)), child("Q", born=D(2012, 1, 1))],
        "episodes": [episode("P", D(2023, 3, 1)), episode("Q", D(2023, 3, 1))],
        "reviews": [
            review("P", D(2023, 5, 10), "PN1"),
            review("P", D(2023, 11, 10), "PN7"),
            review("P", D(2024, 5, 9), "PN5"),
            review("P", D(2024, 10, 15), "PN1"),
            review("P", D(2024, 11, 5), "PN1"),
            review("Q", D(2023, 6, 1), "PN7"),
            review("Q", D(2023, 9, 1), "PN2"),
            review("Q", D(2024, 6, 3), "PN6"),
        ],
        "iro_staff": [
            {"iro_id": "IRO1", "fte": 1.0, "start_date": D(2020, 1, 1), "team": "North"},
            {"iro_id": "IRO2", "fte": 1.0, "start_date": D(2020, 1, 1), "team": "South"},
        ],
        "iro_allocations": [
            {"child_id": "P", "iro_id": "IRO1", "start_date": D(2023, 3, 1), "end_date": D(2024, 6, 30)},
            {"child_id": "P", "iro_id": "IRO2", "start_date": D(2024, 7, 1)},
            {"child_id": "Q", "iro_id": "IRO2", "start_date": D(2023, 3, 1)},
        ],
        "good_practice": [
            {"notification_id": "G1", "notification_date": D(2024, 5, 1), "theme": "PLANNING", "service": "CSC"},
            {
                "notification_id": "G2",
                "notification_date": D(2024, 5, 2),
                "theme": "PLANNING",
                "service": "CSC",
                "iro_id": "IRO1",
            },
        ],
    }
    return Dataset(tables={name: table(name, rows) for name, rows in tables.items()}, years=(2023, 2024))


def test_year_to_date_starts_on_the_first_of_april_before() -> None:
    assert year_to_date(D(2024, 10, 31)) == Period(D(2024, 4, 1), D(2024, 10, 31), "1 April 2024 to 31 October 2024")
    assert year_to_date(D(2025, 2, 14)).start == D(2024, 4, 1)
    assert year_to_date(D(2025, 4, 1)).start == D(2025, 4, 1)


def test_month_ranges_run_from_the_first_to_the_last_day_of_their_months() -> None:
    assert month_range(D(2024, 2, 10), D(2024, 2, 10)) == Period(D(2024, 2, 1), D(2024, 2, 29), "February 2024")
    assert month_range(D(2025, 2, 1), D(2025, 3, 5)) == Period(
        D(2025, 2, 1), D(2025, 3, 31), "February 2025 to March 2025"
    )
    with pytest.raises(ValueError, match="before the first"):
        month_range(D(2025, 3, 1), D(2025, 2, 1))


def test_the_same_period_last_year_keeps_its_days() -> None:
    assert same_period_last_year(TO_OCTOBER) == Period(
        D(2023, 4, 1), D(2023, 10, 31), "1 April 2023 to 31 October 2023"
    )
    leap = same_period_last_year(Period(D(2024, 2, 1), D(2024, 2, 29), "February 2024"))
    assert (leap.start, leap.end) == (D(2023, 2, 1), D(2023, 2, 28))


def test_months_in_a_period_cut_the_last_month_to_the_period() -> None:
    months = months_in(year_to_date(D(2024, 11, 22)))
    assert [month.label for month in months][0::7] == ["April 2024", "November 2024"]
    assert len(months) == 8
    assert (months[-1].start, months[-1].end) == (D(2024, 11, 1), D(2024, 11, 22))


def test_headlines_compare_with_the_same_period_last_year(two_years: Dataset) -> None:
    board = build_dashboard(two_years, TO_OCTOBER)
    assert board.comparison is not None and board.comparison.start == D(2023, 4, 1)
    by_id = {headline.kpi.id: headline for headline in board.headlines}
    taking_part = by_id["participation_rate"]
    assert (taking_part.figure.numerator, taking_part.figure.denominator, taking_part.figure.value) == (3, 3, 100.0)
    assert taking_part.last_year is not None
    assert (taking_part.last_year.numerator, taking_part.last_year.denominator) == (2, 3)
    assert taking_part.change == 33.3  # 100.0 - 66.7 percentage points
    attended = by_id["attendance_rate"]
    assert (attended.figure.numerator, attended.figure.value, attended.change) == (1, 33.3, -33.4)
    assert (by_id["reviews_held"].figure.value, by_id["reviews_held"].change) == (3, 0)


def test_trends_give_each_month_of_the_period(two_years: Dataset) -> None:
    board = build_dashboard(two_years, TO_OCTOBER)
    held = next(trend for trend in board.trends if trend.kpi.id == "reviews_held")
    assert [(month.label, figure.value) for month, figure in held.months] == [
        ("April 2024", 0),
        ("May 2024", 1),
        ("June 2024", 1),
        ("July 2024", 0),
        ("August 2024", 0),
        ("September 2024", 0),
        ("October 2024", 1),
    ]
    taking_part = next(trend for trend in board.trends if trend.kpi.id == "participation_rate")
    assert taking_part.months[0][1].value is None  # no review in April: no rate, not 0%


def test_no_comparison_when_the_data_does_not_hold_last_year(two_years: Dataset) -> None:
    one_year = dataclasses.replace(two_years, years=(2024,))
    board = build_dashboard(one_year, TO_OCTOBER)
    assert board.comparison is None
    assert all(headline.last_year is None and headline.change is None for headline in board.headlines)


def test_an_iro_sees_every_child_allocated_to_them_during_the_period(two_years: Dataset) -> None:
    assert children_allocated(two_years, iro_ids=["IRO1"], period=TO_OCTOBER) == {"P"}
    assert children_allocated(two_years, iro_ids=["IRO2"], period=TO_OCTOBER) == {"P", "Q"}
    later = Period(D(2024, 7, 1), D(2024, 10, 31), "July to October")
    assert children_allocated(two_years, iro_ids=["IRO1"], period=later) == set()

    iro1 = for_iros(two_years, iro_ids=["IRO1"], period=TO_OCTOBER)
    assert iro1["reviews"]["child_id"].unique().to_list() == ["P"]
    assert iro1["iro_staff"]["iro_id"].to_list() == ["IRO1"]
    assert iro1["good_practice"]["notification_id"].to_list() == ["G2"]  # G1 names no IRO or child
    held = {h.kpi.id: h.figure.value for h in build_dashboard(iro1, TO_OCTOBER).headlines}["reviews_held"]
    assert held == 2  # P's May and October reviews: a child who changed IRO counts for both
    # The same from the whole service's records about P, and for IRO2 P's and Q's.
    for iro, reviews in (("IRO1", 2), ("IRO2", 3)):
        board = build_dashboard(two_years, TO_OCTOBER, iro_ids=[iro])
        assert {h.kpi.id: h.figure.value for h in board.headlines}["reviews_held"] == reviews, iro


def test_teams_come_from_the_staff_list(two_years: Dataset) -> None:
    assert teams(two_years) == ["North", "South"]
    assert iros_in_team(two_years, "South") == ["IRO2"]


@pytest.fixture(scope="module")
def synthetic() -> Dataset:
    return generate(SynthConfig(children=200, years=2, seed=3), today=D(2026, 5, 1))


def test_the_records_behind_every_kpi_add_up_to_its_figure(synthetic: Dataset) -> None:
    context = MetricContext(synthetic, Period.collection_year(max(synthetic.years)))
    with_records = [kpi for kpi in all_kpis().values() if kpi.records is not None]
    assert len(with_records) >= 11
    for kpi in with_records:
        assert kpi.records is not None
        figure, records = kpi.compute(context), kpi.records(context)
        assert "child_id" in records.columns, kpi.id
        if "counted" in records.columns:
            assert (int(records["counted"].sum()), records.height) == (figure.numerator, figure.denominator), kpi.id
        else:
            assert records.height == figure.value, kpi.id
        recorded = RECORDED_ONLY.get(kpi.id)
        if kpi.unit == Unit.PERCENT and (recorded is None or recorded(synthetic)):
            # A figure about a table only some services record is exercised once the synthetic authority has it.
            assert records.height > 0, f"{kpi.id}: the synthetic year should exercise it"


def test_each_month_of_a_dated_kpi_comes_from_the_periods_records_as_it_would_on_its_own(
    synthetic: Dataset,
) -> None:
    """A KPI with `dated_by` gives its month-by-month trend from one reading of the period's records:
    each month must equal the KPI worked out for that month alone, including a last month cut short
    (a deadline or a completion after it must not count)."""
    dated = [kpi for kpi in all_kpis().values() if kpi.dated_by is not None]
    assert {kpi.id for kpi in dated} >= set(TREND_KPIS)  # every trend is read in one pass
    year = Period.collection_year(max(synthetic.years))
    cut_short = Period(year.start, D(2025, 11, 12), "1 April to 12 November 2025")
    for period in (year, cut_short):
        context = MetricContext(synthetic, period)
        months = [context.for_period(month) for month in months_in(period)]
        scope = Scope(synthetic, period)
        for kpi in dated:
            trend = scope.by_month(kpi)
            alone = [kpi.compute(month) for month in months]
            shown = [(figure.value, figure.numerator, figure.denominator) for _, figure in trend]
            assert shown == [(figure.value, figure.numerator, figure.denominator) for figure in alone], kpi.id
            assert sum(figure.denominator or figure.value or 0 for figure in alone) > 0, kpi.id


def test_a_context_for_another_period_shares_the_schedule(synthetic: Dataset) -> None:
    year = MetricContext(synthetic, Period.collection_year(max(synthetic.years)))
    month = year.for_period(Period(D(2025, 6, 1), D(2025, 6, 30), "June 2025"))
    assert month.full_schedule is year.full_schedule
    fresh = MetricContext(synthetic, month.period)
    assert fresh.full_schedule is year.full_schedule  # kept with the data, whoever asks
    assert month.schedule.equals(fresh.schedule)
    one_year = dataclasses.replace(synthetic, years=(max(synthetic.years),))  # the schedule starts later
    assert MetricContext(one_year, month.period).full_schedule is not year.full_schedule
    assert month.schedule.filter(pl.col("review_date") > D(2025, 6, 30)).is_empty()


def _scopes(dataset: Dataset) -> list[list[str]]:
    """Three IROs on their own and each team."""
    return [[iro] for iro in sorted(dataset["iro_staff"]["iro_id"].to_list())[:3]] + [
        iros_in_team(dataset, team) for team in teams(dataset)
    ]


def _periods(dataset: Dataset) -> list[Period]:
    return [Period.collection_year(max(dataset.years)), year_to_date(D(2025, 11, 12))]


def test_each_kpi_s_records_about_some_children_are_those_of_their_rows_alone(synthetic: Dataset) -> None:
    """What lets one reading of the service's records serve every IRO and team (`Scope`), and lets the
    workspace keep them child by child: a KPI's records about some children, taken from the whole
    service's, are exactly its records over those children's rows alone. `period_id` only numbers
    periods of care within the data it was worked out over, so it is left out."""
    with_records = [kpi for kpi in all_kpis().values() if kpi.records is not None]
    compared = 0
    for period in _periods(synthetic):
        for iro_ids in _scopes(synthetic):
            scope = Scope(synthetic, period, iro_ids=iro_ids)
            own = MetricContext(for_iros(synthetic, iro_ids=iro_ids, period=period), period)
            for kpi in with_records:
                assert kpi.records is not None
                alone = kpi.records(own).drop("period_id", strict=False)
                taken = scope.records(kpi, period).drop("period_id", strict=False)
                columns = alone.columns
                assert taken.columns == columns, kpi.id
                assert taken.sort(columns, nulls_last=True).equals(alone.sort(columns, nulls_last=True)), (
                    kpi.id,
                    iro_ids,
                )
                compared += alone.height
    assert compared > 1_000  # the synthetic authority gives every IRO records to compare


def test_an_iro_s_or_team_s_dashboard_is_the_one_worked_out_over_their_children_s_rows(synthetic: Dataset) -> None:
    period = year_to_date(D(2025, 11, 12))
    for iro_ids in _scopes(synthetic):
        taken = build_dashboard(synthetic, period, iro_ids=iro_ids)
        alone = build_dashboard(for_iros(synthetic, iro_ids=iro_ids, period=period), period)
        assert taken.comparison == alone.comparison is not None
        for mine, theirs in zip(taken.headlines, alone.headlines, strict=True):
            for figure, other in ((mine.figure, theirs.figure), (mine.last_year, theirs.last_year)):
                assert figure is not None and other is not None
                assert (figure.value, figure.numerator, figure.denominator) == (
                    other.value,
                    other.numerator,
                    other.denominator,
                ), (mine.kpi.id, iro_ids)
        assert [trend.months for trend in taken.trends] == [trend.months for trend in alone.trends], iro_ids
