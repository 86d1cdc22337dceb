"""The report's part on next year's workload and resources (decision 0029): registered under "The IRO
service and team", its sentences in plain words with figures worked out by hand, and the same figures
as `iroscope forecast` and the dashboard."""

from __future__ import annotations

import re

import pytest

from iroscope.data.dataset import Dataset
from iroscope.metrics.forecast import back_test_before, forecast
from iroscope.report import build  # noqa: F401  (registers every part of the report)
from iroscope.report.figures import ReportFigures
from iroscope.report.forecast import back_test_sentence, forecast_sentences, workload
from iroscope.report.model import Table
from iroscope.report.narrative import NarrativeContent
from iroscope.report.subsections import SUBSECTIONS
from iroscope.rules.practice import LocalPractice
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import TODAY
from tests.metrics.helpers import D, dataset
from tests.metrics.test_forecast import AS_AT, NOBODY_MOVES, three_children


def test_the_workload_is_a_part_of_the_iro_service_section() -> None:
    assert ("service", workload) in SUBSECTIONS


def test_the_sentences_give_the_reviews_and_the_iros_needed_as_ranges() -> None:
    """The three hand-counted children (tests/metrics/test_forecast.py): 7 reviews, 1 first, 2 second and
    4 later; the range allows 1.28 square roots of 7 (3.39) either side: 3.61 to 10.39, shown 4 and 10.
    Three children all year with a band of 2 to 4: 3/4 = 0.75 IROs at the top, 3/3 = 1.0 at the middle,
    3/2 = 1.5 at the bottom; 1.5 full-time IROs in post, with 2 of the children allocated."""
    children = three_children(LocalPractice(caseload_band=(2, 4)))
    data = Dataset(
        tables={
            **children.tables,
            **dataset(
                iro_staff=[
                    {"iro_id": "I1", "fte": 1.0, "start_date": D(2020, 1, 6)},
                    {"iro_id": "I2", "fte": 0.5, "start_date": D(2020, 1, 6)},
                ],
                iro_allocations=[
                    {"child_id": "A", "iro_id": "I1", "start_date": D(2020, 1, 6)},
                    {"child_id": "B", "iro_id": "I2", "start_date": D(2025, 3, 17)},
                ],
            ).tables,
            **{name: children[name] for name in ("children", "episodes", "reviews")},
        },
        years=children.years,
        practice=children.practice,
    )
    made = forecast(data, as_at=AS_AT, scenarios=NOBODY_MOVES, lead_days=0)
    sentences = forecast_sentences(made)
    assert sentences[0] == (
        "We expect about 7 reviews in 2025-26 (between 4 and 10): about 1 first reviews of children coming into "
        "care, 2 second reviews and 4 later reviews."
    )
    assert sentences[-1] == (
        "To keep every IRO within 2 to 4 children we need between 0.8 and 1.5 full-time IROs: at least 0.8 so that "
        "nobody has more than 4, and no more than 1.5 so that nobody has fewer than 2 (about 1.0 at 3 children "
        "each). We have 1.5 full-time IROs, with 2 children allocated to them."
    )
    # The service records no midway reviews, so none are promised.
    assert not any("midway" in sentence for sentence in sentences)
    # In a report that hides small numbers, the counts of children (3 in care, 2 allocated) are not given.
    hidden = forecast_sentences(made, suppress=True)
    assert hidden[1].startswith("Fewer than 5 children are expected to be in care; fewer than 5 were in care on ")
    assert hidden[-1].endswith("We have 1.5 full-time IROs, with fewer than 5 children allocated to them.")
    assert hidden[0] == sentences[0]  # expected reviews are not counts of children


@pytest.fixture(scope="module")
def synthetic() -> Dataset:
    return generate(SynthConfig(children=300, years=3, seed=3, last_year=2025), today=TODAY)


def test_the_report_forecasts_the_year_after_its_own_and_tests_the_year_before(synthetic: Dataset) -> None:
    part = workload(ReportFigures(synthetic, 2025), NarrativeContent())
    assert part is not None and part.title == "Next year's workload and resources"
    made = forecast(synthetic, as_at=D(2026, 3, 31))
    paragraphs = [block.text for block in part.blocks if hasattr(block, "text")]
    assert paragraphs[0] == " ".join(forecast_sentences(made))
    assert re.match(r"We expect about [\d,]+ reviews in 2026-27 \(between [\d,]+ and [\d,]+\)", paragraphs[0])
    assert "IROs should also hold about" in paragraphs[0]  # the synthetic service records midway reviews
    assert paragraphs[-1] == back_test_sentence(back_test_before(synthetic, forecast_from=D(2026, 3, 31)))
    assert paragraphs[-1].startswith("Tested on a past year: the same method, from what we knew on 31 March 2025,")
    table = next(block for block in part.blocks if isinstance(block, Table))
    assert table.caption == "Reviews expected in each month of 2026-27"
    assert [row[0] for row in table.rows] == [month.month.label for month in made.months] + ["Total"]


def test_a_report_for_the_first_year_of_data_says_the_forecast_could_not_be_tested(synthetic: Dataset) -> None:
    part = workload(ReportFigures(synthetic, 2023), NarrativeContent())
    assert part is not None
    assert part.blocks[-1].text.startswith("The forecast has not been tested on a past year")  # type: ignore[union-attr]
