"""The report's parts on why late reviews were late as recorded and what challenge achieved
(decision 0021), written from the hand-made datasets of tests/metrics/test_reasons_and_impact.py."""

from __future__ import annotations

from iroscope.data.dataset import Dataset
from iroscope.report.challenge import late_reasons_recorded, what_challenge_achieved
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Section, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.review_meetings import why_reviews_were_late
from tests.metrics.helpers import D, child, dataset, episode
from tests.metrics.test_reasons_and_impact import REVIEWS, SETTINGS, alert, dispute


def late_year() -> Dataset:
    return dataset(
        practice=SETTINGS,
        children=[child("L1"), child("L2")],
        episodes=[episode("L1", D(2024, 4, 2)), episode("L2", D(2024, 4, 2))],
        reviews=[{"child_id": c, "review_date": day, "participation": "PN1"} for c, day, _ in REVIEWS],
        review_details=[{"child_id": c, "review_date": day, "late_reason": why} for c, day, why in REVIEWS],
    )


def challenge_year(*, impact: bool = True) -> Dataset:
    return dataset(
        children=[child("C1")],
        episodes=[episode("C1", D(2024, 4, 1))],
        disputes=[
            dispute("D1", D(2024, 6, 1), "PLAN_CHANGED" if impact else None),
            dispute("D2", D(2025, 3, 31), "PLAN_CHANGED" if impact else None),
            dispute("D5", D(2024, 9, 9), None),
        ],
        practice_alerts=[
            alert("A1", D(2024, 7, 1), "RESOURCE_FOUND" if impact else None),
            alert("A2", D(2024, 8, 1), "PLAN_CHANGED" if impact else None),
        ],
    )


def text_and_table(section: Section | None) -> tuple[str, Table]:
    assert section is not None
    paragraph, table = section.blocks
    assert isinstance(paragraph, Paragraph) and isinstance(table, Table)
    return paragraph.text, table


def test_the_report_names_how_many_late_reviews_had_a_reason_and_the_most_common() -> None:
    text, table = text_and_table(late_reasons_recorded(ReportFigures(late_year(), 2024), NarrativeContent()))
    # L1 7 May 2024 (IRO unavailable), L1 10 February 2025 (none), L2 1 May 2024 (a reason since removed).
    assert "Of the 3 reviews held late in 2024-25, a reason was recorded for 2; the most common reason was " in text
    assert "“IRO unavailable” (1)." in text
    assert dict((row[0], row[1]) for row in table.rows) == {
        "IRO unavailable": "1",
        "No reason recorded": "1",
        "VENUE_OR_WEATHER (no longer in the settings)": "1",
        "Total": "3",
    }


def test_small_numbers_are_not_shown_when_the_report_hides_them() -> None:
    text, _ = text_and_table(late_reasons_recorded(ReportFigures(late_year(), 2024, suppress=True), NarrativeContent()))
    assert "Of the fewer than 5 reviews held late" in text and "(1)" not in text


def test_the_report_says_what_challenge_achieved() -> None:
    text, table = text_and_table(what_challenge_achieved(ReportFigures(challenge_year(), 2024), NarrativeContent()))
    assert text == (
        "Our challenge made a difference. Each dispute and practice alert closed records what it achieved for "
        "the child. Of the 5 disputes and alerts resolved in 2024-25, the child's plan changed in 3 and a service "
        "or resource was found in 1."
    )
    assert table.kpi_ids == ("challenge_impact",)


def test_nothing_is_shown_when_nothing_was_recorded() -> None:
    assert what_challenge_achieved(ReportFigures(challenge_year(impact=False), 2024), NarrativeContent()) is None
    bare = dataset(
        children=[child("L1")],
        episodes=[episode("L1", D(2024, 4, 2))],
        reviews=[{"child_id": "L1", "review_date": D(2024, 5, 7), "participation": "PN1"}],
    )
    assert late_reasons_recorded(ReportFigures(bare, 2024), NarrativeContent()) is None


def test_late_reviews_are_explained_once_by_the_reasons_recorded_not_again_by_adjournments() -> None:
    with_reasons = ReportFigures(late_year(), 2024)
    assert late_reasons_recorded(with_reasons, NarrativeContent()) is not None
    assert why_reviews_were_late(with_reasons, NarrativeContent()) is None
    # A service that records no late reasons is told what its adjournments say instead.
    without = dataset(
        practice=SETTINGS,
        children=[child("L1"), child("L2")],
        episodes=[episode("L1", D(2024, 4, 2)), episode("L2", D(2024, 4, 2))],
        reviews=[{"child_id": c, "review_date": day, "participation": "PN1"} for c, day, _ in REVIEWS],
    )
    no_reasons = ReportFigures(without, 2024)
    assert late_reasons_recorded(no_reasons, NarrativeContent()) is None
    section = why_reviews_were_late(no_reasons, NarrativeContent())
    assert section is not None and section.title == "Why late reviews were late"
