"""Formula injection: nothing the product writes can run as a spreadsheet formula, and the import
warns when a text value starts with a formula character."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.folder import read_data_folder
from iroscope.data.problems import ERROR, Problems
from iroscope.data.writers import Sheet, write_activity_workbook, write_table_csv, write_tables_xlsx
from tests.conftest import TODAY

HYPERLINK = '=HYPERLINK("http://example.invalid/","Click")'
STAFF = pl.DataFrame(
    {
        "name": [HYPERLINK, "-2+3", "@SUM(A1)", "+44 1632 960000", "Pat Example"],
        "caseload": [-3, 4, 5, 6, 7],
        "since": [dt.date(2025, 3, 3)] * 5,
    }
)
HEADINGS = {"name": "IRO", "caseload": "Caseload", "since": "Since"}


def test_text_starting_with_a_formula_character_is_quoted_in_a_csv_download_and_numbers_are_not(
    tmp_path: Path,
) -> None:
    path = write_table_csv(STAFF, HEADINGS, tmp_path / "list.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[1:] == [
        ["'" + HYPERLINK, "-3", "2025-03-03"],
        ["'-2+3", "4", "2025-03-03"],
        ["'@SUM(A1)", "5", "2025-03-03"],
        ["'+44 1632 960000", "6", "2025-03-03"],
        ["Pat Example", "7", "2025-03-03"],
    ]


def test_a_formula_in_a_workbook_download_is_stored_as_text_and_a_negative_number_as_a_number(
    tmp_path: Path,
) -> None:
    path = write_tables_xlsx([Sheet("IROs", STAFF, HEADINGS, notes=("=1+1",))], tmp_path / "lists.xlsx")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("IROs").to_python()
    assert rows[1][:2] == [HYPERLINK, -3.0]
    assert rows[-1][0] == "=1+1"
    sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet


def test_a_formula_in_the_activity_workbook_is_stored_as_text(small_return: Path, tmp_path: Path) -> None:
    folder = small_return / "activity"
    folder.mkdir()
    (folder / "iro_staff.csv").write_text(f'iro_id,name\nI1,"{HYPERLINK.replace(chr(34), chr(34) * 2)}"\n')
    dataset = read_data_folder(small_return, today=TODAY).dataset
    path = write_activity_workbook(dataset, tmp_path / "activity.xlsx")
    assert b"<f>" not in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    assert read_data_folder_names(path) == [HYPERLINK]


def read_data_folder_names(path: Path) -> list[str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("iro_staff").to_python()
    return [str(row[1]) for row in rows[2:]]


def test_text_starting_with_a_formula_character_is_a_warning_on_import(small_return: Path) -> None:
    folder = small_return / "activity"
    folder.mkdir()
    (folder / "iro_staff.csv").write_text(f'iro_id,name\nI1,"{HYPERLINK.replace(chr(34), chr(34) * 2)}"\nI2,Pat\n')
    problems = read_data_folder(small_return, today=TODAY).problems.frame.filter(check="formula_text")
    assert problems.select("severity", "file", "row", "column", "check").rows() == [
        ("warning", "activity/iro_staff.csv", 2, "name", "formula_text")
    ]


def test_the_problems_csv_quotes_values_that_would_run_as_formulas(small_return: Path) -> None:
    (small_return / "ssda903" / "2024-25" / "reviews.csv").write_text(
        "CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/06/2012,\"=cmd|' /C calc'!A0\",PN1\n", encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["validate", str(small_return), "--format", "csv", "--today", TODAY.isoformat()])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["value"] for row in rows if row["check"] == "date"] == ["'=cmd|' /C calc'!A0"]
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_the_json_problems_are_every_problem_written_in_batches(tmp_path: Path) -> None:
    problems = Problems()
    for number in range(25):
        problems.add(severity=ERROR, file="a.csv", row=number + 2, message=f"Problem {number}.", check="c")
    out = io.StringIO()
    problems.write_json(out, batch_rows=10)
    report = json.loads(out.getvalue())
    assert report["errors"] == 25
    assert [problem["row"] for problem in report["problems"]] == list(range(2, 27))
    assert json.loads(Problems().to_json()) == {"errors": 0, "warnings": 0, "problems": []}


@pytest.mark.parametrize("message", ["", "   "])
def test_a_problem_without_a_message_cannot_be_recorded(message: str) -> None:
    with pytest.raises(ValueError, match="message is empty"):
        Problems().add(severity=ERROR, file="a.csv", message=message, check="c")
    rows = pl.DataFrame({"file": ["a.csv"], "row": [2], "value": ["x"], "message": [message or None]})
    with pytest.raises(ValueError, match="message is empty"):
        Problems().add_rows(rows, severity=ERROR, check="c")
