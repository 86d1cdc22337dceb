"""`iroscope forecast`: the month-by-month table, the full-time IROs needed and the back-test, as plain
lines when printed to a file or pipe, with the same figures the metrics give (decision 0029)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.folder import read_data_folder
from iroscope.data.writers import write_data_folder
from iroscope.metrics.forecast import back_test, forecast
from iroscope.report.forecast import (
    BACK_TEST_HEADINGS,
    TABLE_HEADINGS,
    back_test_rows,
    back_test_sentence,
    forecast_sentences,
    table_rows,
)
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import TODAY
from tests.metrics.helpers import D

runner = CliRunner()
TODAY_OPTION = ["--today", TODAY.isoformat()]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic children over 2023-24 to 2025-26 (data to 31 March 2026)."""
    root = tmp_path_factory.mktemp("forecast") / "authority"
    write_data_folder(generate(SynthConfig(children=300, years=3, seed=3, last_year=2025), today=TODAY), root)
    return root


def test_the_forecast_prints_each_month_the_totals_the_iros_needed_and_the_back_test(folder: Path) -> None:
    result = runner.invoke(app, ["forecast", str(folder), *TODAY_OPTION])
    assert result.exit_code == 0, result.output
    dataset = read_data_folder(folder, today=TODAY).dataset
    made = forecast(dataset, as_at=D(2026, 3, 31))  # the data's end
    tested = back_test(dataset, as_at=D(2025, 3, 31))  # the year before, from what was known then
    lines = result.output.splitlines()
    assert lines[0] == "Reviews expected from 1 April 2026 to 31 March 2027"
    assert lines[1] == "\t".join(TABLE_HEADINGS)
    assert lines[2:15] == ["\t".join(row) for row in table_rows(made)]
    assert lines[2].startswith("April 2026\t") and lines[14].startswith("Total\t")
    for sentence in forecast_sentences(made):
        assert sentence in lines  # each whole on its line, never folded at 80 columns
    assert any(line.startswith("To keep every IRO within 50 to 70 children we need between ") for line in lines)
    start = lines.index("Back-test: the forecast made on 31 March 2025 against the reviews held")
    assert lines[start + 1] == "\t".join(BACK_TEST_HEADINGS)
    assert lines[start + 2 : start + 14] == ["\t".join(row) for row in back_test_rows(tested)]
    assert back_test_sentence(tested) in lines
    assert lines[-1] == "Children in care known from the return extracted on 31 March 2026 (236 days ago)."


def test_the_forecast_can_start_from_an_earlier_day_using_only_what_was_known_then(folder: Path) -> None:
    result = runner.invoke(app, ["forecast", str(folder), "--from", "2025-09-30", *TODAY_OPTION])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Reviews expected from 1 October 2025 to 30 September 2026"
    assert lines[2].startswith("October 2025\t") and lines[13].startswith("September 2026\t")
    # Tested on the year to 30 September 2025: the last year before the forecast that the data holds.
    assert "Back-test: the forecast made on 30 September 2024 against the reviews held" in lines


def test_a_forecast_from_before_the_data_begins_is_refused_in_one_line(folder: Path) -> None:
    result = runner.invoke(app, ["forecast", str(folder), "--from", "2019-01-01", *TODAY_OPTION])
    assert result.exit_code == 2
    assert "The data begins on 1 April 2023, after 1 January 2019." in result.output
    assert "Traceback" not in result.output
