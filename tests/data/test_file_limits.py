"""The bounds on what one file of a data folder may hold, each refused by name with its file (and, for
a cell, its row and column), whatever the file's format; the workspace sets them from its settings
(tests/web/test_import_limits.py)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from iroscope.data.files import WorkbookLimits
from iroscope.data.folder import read_data_folder
from tests.conftest import TODAY


def _errors(root: Path, limits: WorkbookLimits) -> list[dict[str, object]]:
    frame = read_data_folder(root, today=TODAY, workbook_limits=limits).problems.frame.filter(severity="error")
    return frame.select("file", "row", "column", "value", "check", "message").to_dicts()


def test_a_csv_with_more_rows_than_the_limit_is_refused_by_name(small_return: Path) -> None:
    folder = small_return / "activity"
    folder.mkdir()
    rows = "".join(f"A,2025-02-{day:02d}\n" for day in range(1, 5))
    (folder / "midway_reviews.csv").write_text(f"child_id,midway_date\n{rows}", encoding="utf-8")
    [error] = [e for e in _errors(small_return, WorkbookLimits(table_rows=3)) if e["check"] == "too_many_rows"]
    assert error["file"] == "activity/midway_reviews.csv" and error["value"] == "4"
    assert str(error["message"]).startswith("This table has 4 rows below its header: more than 3, the most")
    # Within the limit, the same file is read.
    assert not [e for e in _errors(small_return, WorkbookLimits(table_rows=4)) if e["check"] == "too_many_rows"]


def test_a_cell_longer_than_the_limit_is_refused_at_its_row_and_column(small_return: Path) -> None:
    folder = small_return / "activity"
    folder.mkdir()
    (folder / "iro_staff.csv").write_text(
        "iro_id,name,fte,start_date,team\nI9,Sam Jones,1,2020-01-06," + "T" * 41 + "\n", encoding="utf-8"
    )
    errors = [e for e in _errors(small_return, WorkbookLimits(cell_characters=40)) if e["check"] == "cell_too_long"]
    assert [(e["file"], e["row"], e["column"], e["value"]) for e in errors] == [
        ("activity/iro_staff.csv", 2, "team", "41 characters")
    ]
    assert errors[0]["message"] == "This cell holds 41 characters: more than 40, the most one cell may hold."


def test_a_workbook_sheet_is_held_to_the_same_row_and_cell_limits(small_return: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "iro_staff"
    sheet.append(["iro_id", "name", "fte", "start_date", "team"])
    sheet.append(["I1", "Sam Jones", 1, "2020-01-06", "x" * 50])
    for number in range(2, 11):
        sheet.append([f"I{number}", "Ali Khan", 1, "2020-01-06", "Team A"])
    workbook.save(small_return / "activity.xlsx")
    rows = _errors(small_return, WorkbookLimits(table_rows=9))  # the sheet has 10; the return's files fewer
    assert [(e["file"], e["check"]) for e in rows if e["check"] == "too_many_rows"] == [
        ("activity.xlsx › iro_staff", "too_many_rows")
    ]
    cells = _errors(small_return, WorkbookLimits(cell_characters=49))
    assert [(e["file"], e["row"], e["column"], e["check"]) for e in cells if e["check"] == "cell_too_long"] == [
        ("activity.xlsx › iro_staff", 2, "team", "cell_too_long")
    ]
