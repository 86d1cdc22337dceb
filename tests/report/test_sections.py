"""What each section says about its figures, worked out by hand from small years: totals that are the
sum of their rows, bases said in words, sentences written for each figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from iroscope.data.dataset import Dataset
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Chart, Paragraph, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.sections import disputes as disputes_section
from iroscope.report.sections import oversight as oversight_section
from iroscope.report.sections import participation as participation_section
from iroscope.report.sections import timeliness as timeliness_section
from iroscope.synth.generator import SynthConfig, generate
from tests.metrics.helpers import D, dataset
from tests.metrics.test_oversight import disputes, midways  # noqa: F401 (hand-counted disputes and midway reviews)


def paragraphs(blocks: tuple[Any, ...]) -> str:
    return " ".join(block.text for block in blocks if isinstance(block, Paragraph))


def table(blocks: tuple[Any, ...], caption: str) -> Table:
    return next(block for block in blocks if isinstance(block, Table) and block.caption == caption)


def test_disputes_say_the_base_of_each_count_resolved_this_year_whenever_raised(disputes: Dataset) -> None:  # noqa: F811
    # Raised in 2024-25: D1-D6, D8-D10 (9). Resolved informally: D1. Resolved after a formal stage: D2, D3, D9.
    # Still open: D4, D5, D6, D8, D10. Formal and resolved in the year, whenever raised: D2 and D9 in time,
    # D3 and D7 (raised in 2023-24) late. Open at the end past their stage's deadline: D4, D6, D8.
    text = paragraphs(disputes_section(ReportFigures(disputes, 2024), NarrativeContent()).blocks)
    assert "IROs raised 9 concerns in 2024-25. 1 of the 9 concerns raised was resolved informally (11.1%)." in text
    assert "By the year end 3 had been resolved after reaching a formal stage and 5 were still open." in text
    assert (
        "2 of the 4 formal disputes resolved this year, whenever raised, were resolved within 20 working days of "
        "reaching the formal stage (50.0%)."
    ) in text
    assert "Of the 5 concerns open at the year end, whenever raised, 3 were past their stage's deadline." in text


@pytest.fixture(scope="module")
def alerts() -> Dataset:
    def alert(number: int, day: dt.date, reasons: list[str]) -> dict[str, Any]:
        return {"alert_id": f"A{number}", "raised_date": day, "reasons": reasons}

    return dataset(
        practice_alerts=[
            alert(1, D(2024, 6, 1), ["NO_PLAN", "DRIFT_LEGAL", "CARE_PLANNING"]),
            alert(2, D(2024, 7, 1), ["NO_PLAN"]),
        ]
    )


def test_the_last_row_of_practice_alert_reasons_says_it_counts_alerts_not_reasons(alerts: Dataset) -> None:
    # Two alerts give four reasons: no plan (A1, A2), drift or legal issues (A1), care planning (A1).
    blocks = disputes_section(ReportFigures(alerts, 2024), NarrativeContent()).blocks
    reasons = table(blocks, "Reasons given for practice alerts (an alert may give several)")
    assert reasons.rows[-1] == ("Alerts (an alert may give several reasons)", "2")
    assert sum(int(row[1]) for row in reasons.rows[:-1]) == 4
    assert not any(row[0] == "Total" for row in reasons.rows)


def test_a_breakdown_whose_rows_do_not_add_up_to_its_value_cannot_have_a_total_row(alerts: Dataset) -> None:
    with pytest.raises(ValueError, match="practice_alerts: its rows do not add up to its value in 2024-25"):
        ReportFigures(alerts, 2024).breakdown_table("practice_alerts", "Reasons", category="Reason")


@pytest.fixture(scope="module")
def two_years() -> ReportFigures:
    synthetic = generate(SynthConfig(children=80, years=2, seed=4), today=D(2026, 5, 1))
    return ReportFigures(synthetic, max(synthetic.years))


def test_a_first_year_whose_reviews_cannot_all_be_dated_is_marked_with_the_count_it_rests_on(
    two_years: ReportFigures,
) -> None:
    first = two_years.years[0]
    on_time, held = two_years.figure("reviews_on_time", first), two_years.figure("reviews_held", first)
    undated = two_years.undated("reviews_on_time", first)
    assert undated > 0 and (on_time.denominator or 0) + undated == held.value
    label = two_years.label(first)
    marked = f"{label} ({on_time.denominator:,} of {held.value:,} reviews dated)"
    blocks = timeliness_section(two_years, NarrativeContent()).blocks
    chart = next(block for block in blocks if isinstance(block, Chart) and block.title == "Reviews held on time")
    assert marked in chart.categories
    assert marked in chart.alt
    rests_on = f"so the figure rests on the other {on_time.denominator:,}."
    first_cell = f"{on_time.value}% ({on_time.numerator:,} of {on_time.denominator:,}; {undated:,} not dated)"
    for shown, row_label in (
        (chart.table, "Reviews held on time"),
        (table(blocks, "Reviews and their timeliness"), "Held on time"),
    ):
        assert dict((row[0], row[1]) for row in shown.rows)[row_label] == first_cell
        assert f"In {label}, {undated:,} review" in shown.note and rests_on in shown.note
    assert f"Earlier years are not all comparable with this one. In {label}" in paragraphs(blocks)


def test_participation_codes_are_spelt_out_as_the_chart_labels(two_years: ReportFigures) -> None:
    blocks = participation_section(two_years, NarrativeContent()).blocks
    chart = next(
        block
        for block in blocks
        if isinstance(block, Chart) and block.title == "How children took part in their reviews"
    )
    assert "Child attends and speaks for themselves" in chart.categories
    assert "Child does not attend and their views are not conveyed" in chart.categories
    assert not any(category.startswith("PN") for category in chart.categories)
    assert [row[0] for row in chart.table.rows][:2] == [
        "Child under 4 at the time of the review",
        "Child attends and speaks for themselves",
    ]


def test_midway_reviews_read_as_a_sentence_with_the_rate_after_the_counts(midways: Dataset) -> None:  # noqa: F811
    # Due in 2024-25: M1 on 5 November, M2 on 11 July and 1 January, M4 on 21 March; completed: M1's and
    # M2's of 1 January (see tests/metrics/test_oversight.py).
    text = paragraphs(oversight_section(ReportFigures(midways, 2024), NarrativeContent()).blocks)
    assert text.endswith("2 of the 4 midway reviews due were completed (50.0%).")


def test_consultation_forms_returned_are_a_rate_for_each_recipient_and_for_all_forms() -> None:
    def form(review_of: str, day: dt.date, recipient: str, returned: dt.date | None = None) -> dict[str, Any]:
        return {
            "child_id": review_of,
            "review_date": day,
            "recipient": recipient,
            "sent_date": day,
            "returned_date": returned,
        }

    data = dataset(
        consultations=[
            form("K1", D(2024, 6, 10), "CHILD", D(2024, 6, 5)),
            form("K1", D(2024, 6, 10), "PARENT"),
            form("K2", D(2025, 3, 20), "CHILD", D(2025, 4, 2)),  # back after the year: not returned
            form("K2", D(2025, 3, 20), "SOCIAL_WORKER", D(2025, 3, 15)),
        ]
    )
    blocks = participation_section(ReportFigures(data, 2024), NarrativeContent()).blocks
    returns = table(blocks, "Consultation forms returned, by who they were sent to")
    assert returns.rows == (
        ("Child or young person", "50.0% (1 of 2)"),
        ("Parent or person with parental responsibility", "0.0% (0 of 1)"),
        ("Social worker", "100.0% (1 of 1)"),
        ("All forms sent", "50.0% (2 of 4)"),
    )
