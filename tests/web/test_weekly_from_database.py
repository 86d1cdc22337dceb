"""`iroscope weekly --db`: the weekly data performance report read from the workspace's database.

The hand-made authority (tests/web/conftest.py), at the end of 31 March 2025, has three reviews
overdue and not held: A (due 15 February 2025), C (due 20 September 2024) and D (due 1 August 2024).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import Dataset


def test_weekly_reads_the_workspaces_database(authority: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "weekly.xlsx"
    result = CliRunner().invoke(app, ["weekly", "--db", "--as-at", "2025-03-31", "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = openpyxl.load_workbook(out).worksheets[0]
    counts = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row and row[0]}
    assert counts["Reviews overdue"] == "3 of 4"  # of the four children in care
    overdue = openpyxl.load_workbook(out)["Reviews overdue"]
    children = [row[0] for row in overdue.iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(children) == ["A", "C", "D"]


@pytest.mark.django_db
def test_weekly_from_an_empty_database_says_nothing_is_loaded(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["weekly", "--db", "--out", str(tmp_path / "weekly.xlsx")])
    assert result.exit_code == 2
    assert "No dataset has been loaded" in result.output


def test_weekly_needs_a_folder_or_the_database_but_not_both(tmp_path: Path) -> None:
    neither = CliRunner().invoke(app, ["weekly"])
    both = CliRunner().invoke(app, ["weekly", str(tmp_path), "--db"])
    for result in (neither, both):
        assert result.exit_code == 2
        assert "Give a data folder or --db" in result.output
