"""The bounds on what one file of a data folder may hold, each refused by name with its file (and, for
a cell, its row and column), whatever the file's format; the workspace sets them from its settings
(tests/web/test_import_limits.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlwt  # type: ignore[import-untyped]
from openpyxl import Workbook

from iroscope.data.files import WorkbookLimits, read_workbook
from iroscope.data.folder import read_data_folder
from iroscope.data.problems import Problems
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


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _text_cell(text: str, repeated: int = 1) -> str:
    repeat = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return f'<table:table-cell office:value-type="string"{repeat}><text:p>{text}</text:p></table:table-cell>'


def _ods(path: Path, rows: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="midway_reviews">{rows}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    return path


def test_an_ods_sheet_declaring_a_vast_area_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    # Under 1 KB; opened, it asked for some 3 GB of memory (90,000 rows of 1,000 cells).
    header = "<table:table-row>" + _text_cell("child_id") + _text_cell("midway_date") + "</table:table-row>"
    vast = '<table:table-row table:number-rows-repeated="90000">' + _text_cell("x", 1000) + "</table:table-row>"
    path = _ods(tmp_path / "activity.ods", header + vast)
    problems = Problems()
    assert read_workbook(path, "activity.ods", problems) == []
    [problem] = problems.frame.to_dicts()
    assert problem["check"] == "workbook_too_large" and "more than 5,000,000 cells" in problem["message"]


def test_an_xls_sheet_reaching_the_last_row_and_column_is_refused_before_its_cells_are_read(tmp_path: Path) -> None:
    # A few KB: one cell at row 65,536, column 256 asks for 16.7 million cells, as much memory as the
    # machine has, when the sheet is read whole.
    book = xlwt.Workbook()
    sheet = book.add_sheet("midways")
    sheet.write(0, 0, "child_id")
    sheet.write(0, 1, "midway_date")
    sheet.write(65535, 255, "x")
    path = tmp_path / "activity.xls"
    book.save(str(path))
    assert path.stat().st_size < 10_000
    problems = Problems()
    assert read_workbook(path, "activity.xls", problems) == []
    [problem] = problems.frame.to_dicts()
    assert problem["file"] == "activity.xls › midways" and problem["check"] == "workbook_too_large"
    assert problem["message"].startswith("The sheet reaches row 65,536 and column 256: more than 5,000,000 cells")


def test_an_xls_larger_than_a_workbook_may_unpack_to_is_refused_unopened(tmp_path: Path) -> None:
    path = tmp_path / "activity.xls"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024 * 1024)  # sparse: no disk is used
    problems = Problems()
    assert read_workbook(path, "activity.xls", problems, limits=WorkbookLimits(unzipped_bytes=1024 * 1024)) == []
    [problem] = problems.frame.to_dicts()
    assert problem["check"] == "workbook_too_large"
    assert problem["message"].startswith("The workbook unpacks to more than 1MB, the most one may.")


def test_an_ods_sheet_with_the_empty_rows_and_cells_office_suites_write_after_the_data_is_read(tmp_path: Path) -> None:
    header = "<table:table-row>" + _text_cell("child_id") + _text_cell("midway_date") + "</table:table-row>"
    row = (
        "<table:table-row>"
        + _text_cell("A")
        + _text_cell("2025-02-03")
        + ('<table:table-cell table:number-columns-repeated="16382"/></table:table-row>')
    )
    empty = (
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    path = _ods(tmp_path / "activity.ods", header + row + empty)
    problems = Problems()
    [sheet] = read_workbook(path, "activity.ods", problems)
    assert problems.frame.is_empty()
    assert sheet.frame.drop("_row").rows() == [("A", "2025-02-03")]
