"""The decisions of reviews in the annual report: a part of the oversight section with a sentence written
for the figures, hidden when small numbers are, and no heading at all in a year with no decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from iroscope.report.decisions import decisions_of_reviews, decisions_sentence
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Table
from iroscope.report.narrative import NarrativeContent
from tests.metrics.helpers import D, child, dataset, episode


def decisions(done_on_time: int, done_late: int, open_overdue: int) -> list[dict[str, Any]]:
    """Decisions of one review on 1 April 2024, due 1 June 2024: some done by then, some done later, some
    still open."""
    rows = []
    for number in range(done_on_time + done_late + open_overdue):
        status: str | None = "DONE"
        marked: dt.date | None = D(2024, 5, 30) if number < done_on_time else D(2024, 6, 10)
        if number >= done_on_time + done_late:
            status, marked = None, None
        rows.append(
            {
                "decision_id": f"D{number}",
                "child_id": f"C{number}",
                "review_date": D(2024, 4, 1),
                "decision": "Something to do",
                "responsible": "SOCIAL_WORKER",
                "due_date": D(2024, 6, 1),
                "status": status,
                "status_date": marked,
            }
        )
    return rows


def in_care(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The decisions with their children, each in care from January 2024 to beyond the year's end."""
    children = sorted({row["child_id"] for row in rows})
    return {
        "review_decisions": rows,
        "children": [child(child_id) for child_id in children],
        "episodes": [episode(child_id, D(2024, 1, 1)) for child_id in children],
    }


def test_the_sentence_gives_n_of_m_done_by_their_date_and_those_open_at_the_year_end() -> None:
    figures = ReportFigures(dataset(**in_care(decisions(18, 4, 6))), 2024)
    # 28 due, 18 done by 1 June: 18 / 28 = 64.3%. 6 still open on 31 March 2025.
    assert decisions_sentence(figures) == (
        "Of the 28 decisions due in 2024-25, 18 (64.3%) were done by their date; 6 decisions were still open past "
        "their date on 31 March 2025."
    )
    part = decisions_of_reviews(figures, NarrativeContent())
    assert part is not None
    table = next(block for block in part.blocks if isinstance(block, Table))
    assert table.rows[0][-1] == "64.3% (18 of 28)"
    assert table.row_kpis == ("decisions_done_by_their_date", "decisions_open_past_date")
    assert any(isinstance(block, Paragraph) for block in part.blocks)


def test_small_numbers_are_hidden_when_the_report_hides_them() -> None:
    figures = ReportFigures(dataset(**in_care(decisions(8, 1, 3))), 2024, suppress=True)
    # 1 of 12 not done by its date reveals a small number by its remainder; 3 open is small.
    assert decisions_sentence(figures) == (
        "How many of the decisions due in 2024-25 were done by their date is not shown, because fewer than 5 are "
        "involved; fewer than 5 decisions were still open past their date on 31 March 2025."
    )


def test_a_year_with_no_decisions_recorded_has_no_part_rather_than_none_of_none() -> None:
    figures = ReportFigures(dataset(review_decisions=[]), 2024)
    assert decisions_of_reviews(figures, NarrativeContent()) is None
