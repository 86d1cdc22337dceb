"""The report's part on permanence plans, written from the registered figures of the hand-made 2024-25
in tests/metrics/test_permanence.py: 3 of the 5 children whose second review was held had a plan by
it; 2 plans were past their target date on 31 March 2025; one plan of each of four types."""

from __future__ import annotations

from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.permanence import permanence
from tests.metrics.helpers import YEAR, child, dataset, episode
from tests.metrics.test_permanence import CAME_INTO_CARE, year


def test_the_part_says_n_of_m_by_the_second_review_and_how_many_plans_are_past_their_target() -> None:
    part = permanence(ReportFigures(year(), YEAR), NarrativeContent())
    assert part is not None
    text = next(block.text for block in part.blocks if isinstance(block, Paragraph))
    assert "3 of the 5 children whose second review was held had a permanence plan by that review (60.0%)." in text
    assert "On 31 March 2025, 2 permanence plans of children in care were past their target date" in text
    trend, types = (block for block in part.blocks if isinstance(block, Table))
    assert trend.rows[0][-1] == "60.0% (3 of 5)"
    assert trend.rows[1][-1] == "2"
    assert trend.row_kpis == ("children_with_permanence_plan_by_second_review", "permanence_plans_past_target")
    assert sorted(types.rows[:-1]) == [
        ("Adoption", "1"),
        ("Long-term fostering", "1"),
        ("Return home to parents", "1"),
        ("Special guardianship order", "1"),
    ]
    assert types.rows[-1] == ("Total", "4")


def test_small_numbers_are_hidden_when_the_report_hides_them() -> None:
    part = permanence(ReportFigures(year(), YEAR, suppress=True), NarrativeContent())
    assert part is not None
    text = next(block.text for block in part.blocks if isinstance(block, Paragraph))
    assert "3 of the 5" not in text and "not shown, because fewer than 5 are involved" in text
    assert "fewer than 5 permanence plans of children in care were past their target date" in text
    types = [block for block in part.blocks if isinstance(block, Table)][-1]
    assert all(row[1] != "1" for row in types.rows)


def test_a_service_that_records_no_permanence_plans_has_no_heading_for_them() -> None:
    bare = dataset(children=[child("X")], episodes=[episode("X", CAME_INTO_CARE)])
    assert permanence(ReportFigures(bare, YEAR), NarrativeContent()) is None
