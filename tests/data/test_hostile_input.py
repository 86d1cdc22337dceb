"""Hostile and damaged input: each is refused or warned about by name, with its file, row and
column, and none raises."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.files import MAX_SHEET_CELLS, MAX_WORKBOOK_UNZIPPED_BYTES, WorkbookLimits, read_workbook
from iroscope.data.folder import read_data_folder
from iroscope.data.problems import Problems
from tests.conftest import HEADER, REVIEWS, TODAY, write_return

REPOSITORY = Path(__file__).resolve().parents[2]


def problems_of(root: Path) -> list[tuple[str, int | None, str | None, str | None, str]]:
    frame = read_data_folder(root, today=TODAY).problems.frame
    return [(p["file"], p["row"], p["column"], p["value"], p["check"]) for p in frame.to_dicts()]


def errors_of(root: Path) -> list[tuple[str, int | None, str | None, str | None, str]]:
    frame = read_data_folder(root, today=TODAY).problems.frame.filter(severity="error")
    return [(p["file"], p["row"], p["column"], p["value"], p["check"]) for p in frame.to_dicts()]


@pytest.mark.parametrize("written", ["+2025-02-03", "2025-02-03junk", "03/02/2025x", "2025-02-03 10:00 and more"])
def test_a_date_with_anything_before_or_after_it_is_refused_by_name(small_return: Path, written: str) -> None:
    folder = small_return / "activity"
    folder.mkdir()
    (folder / "midway_reviews.csv").write_text(f"child_id,midway_date\nA,{written}\n", encoding="utf-8")
    assert ("activity/midway_reviews.csv", 2, "midway_date", written, "date") in errors_of(small_return)


def test_a_date_a_spreadsheet_wrote_with_a_time_is_still_read(small_return: Path) -> None:
    folder = small_return / "activity"
    folder.mkdir()
    (folder / "midway_reviews.csv").write_text("child_id,midway_date\nA,2025-02-03 00:00:00\n", encoding="utf-8")
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.error_count == 0
    assert str(result.dataset["midway_reviews"]["midway_date"][0]) == "2025-02-03"


def test_a_nul_character_in_a_cell_is_refused_by_name(tmp_path: Path) -> None:
    # Far enough into the file that it is read as text rather than refused as binary.
    children = [f"C{number:04d},M,01/06/2012,WBRI,UN2,," for number in range(300)]
    write_return(tmp_path, "2024-25", {"header.csv": [HEADER, *children, "A,M,01/06/2012,WBRI,UN2\x00,,"]})
    assert errors_of(tmp_path) == [("ssda903/2024-25/header.csv", 302, "UPN", "UN2\x00", "nul_character")]


@pytest.mark.parametrize("child_id", ["A/B", "A B", "../A", "A?x=1", "A#1", "-A", "X" * 41])
def test_a_child_identifier_with_characters_the_903_does_not_allow_is_refused(tmp_path: Path, child_id: str) -> None:
    write_return(tmp_path, "2024-25", {"header.csv": [HEADER, f'"{child_id}",M,01/06/2012,WBRI,UN2,,']})
    assert errors_of(tmp_path) == [("ssda903/2024-25/header.csv", 2, "CHILD", child_id, "child_id")]


@pytest.mark.parametrize("child_id", ["A", "C000190", "AB-12_3.4", "123456", "Aé"])
def test_a_child_identifier_of_letters_digits_and_separators_is_accepted(tmp_path: Path, child_id: str) -> None:
    write_return(tmp_path, "2024-25", {"header.csv": [HEADER, f"{child_id},M,01/06/2012,WBRI,UN2,,"]})
    assert errors_of(tmp_path) == []


# Polars reads POLARS_MAX_THREADS once, when it is first imported: each run is its own process.
PANIC_TRIGGERS = {
    "two sibling groups of one child each": """
        children = [HEADER, "A,M,01/06/2012,WBRI,UN2,,", "B,F,10/01/2022,MWBC,UN1,,"]
        write_return(root, "2024-25", {"header.csv": children})
        (root / "activity").mkdir()
        (root / "activity" / "sibling_groups.csv").write_text("child_id,sibling_group_id\\nA,G1\\nB,G2\\n")
        expected = {"sibling_group_of_one"}
    """,
    "an optional column present in one year and missing in the next": """
        write_return(root, "2023-24", {
            "header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"],
            "episodes.csv": [EPISODES, "A,06/01/2024,S,C1,N1,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456"],
            "reviews.csv": [REVIEWS, "A,01/06/2012,03/02/2024,PN1"],
        })
        write_return(root, "2024-25", {
            "header.csv": ["CHILD,SEX,DOB,ETHNIC", "A,M,01/06/2012,WBRI"],
            "episodes.csv": ["CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC", "A,06/01/2024,S,C1,N1,U6,PR1,,"],
            "reviews.csv": ["CHILD,REVIEW,REVIEW_CODE", "A,03/02/2025,PN1"],
        })
        expected = {"missing_column", "extra_column", "changed_between_returns"}
    """,
}


@pytest.mark.parametrize("threads", ["1", "2"])
@pytest.mark.parametrize("trigger", sorted(PANIC_TRIGGERS))
def test_a_former_polars_panic_is_reported_as_problems_with_one_or_two_threads(
    tmp_path: Path, trigger: str, threads: str
) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from iroscope.data.folder import read_data_folder\n"
        "from tests.conftest import EPISODES, HEADER, REVIEWS, TODAY, write_return\n"
        f"root = Path({str(tmp_path)!r})\n"
        + textwrap.dedent(PANIC_TRIGGERS[trigger])
        + "checks = set(read_data_folder(root, today=TODAY).problems.frame['check'])\n"
        "assert checks <= expected | {'extract_date'}, checks\n"
        "assert expected & checks, checks\n"
    )
    environment = {**os.environ, "POLARS_MAX_THREADS": threads, "PYTHONPATH": str(REPOSITORY)}
    run = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr[-2000:]


def rewritten_sheet(change: Callable[[bytes], bytes]) -> bytes:
    """A valid one-sheet activity workbook whose worksheet XML is changed as a hostile file would be."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "iro_staff"
    sheet.append(["iro_id", "name"])
    sheet.append(["I1", "Pat Example"])
    original = io.BytesIO()
    workbook.save(original)
    rewritten = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == "xl/worksheets/sheet1.xml" else content)
    return rewritten.getvalue()


def test_a_workbook_whose_last_cell_is_xfd1048576_is_refused_before_it_is_read(small_return: Path) -> None:
    # Read, this 5 KB file makes the spreadsheet reader ask for hundreds of gigabytes and abort.
    last_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    (small_return / "activity.xlsx").write_bytes(rewritten_sheet(lambda xml: xml.replace(b"</sheetData>", last_cell)))
    assert errors_of(small_return) == [("activity.xlsx", None, None, None, "workbook_too_large")]


def test_a_workbook_declaring_a_whole_sheet_as_its_dimension_is_refused(small_return: Path) -> None:
    declared = rewritten_sheet(
        lambda xml: xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
    )
    (small_return / "activity.xlsx").write_bytes(declared)
    [message] = read_data_folder(small_return, today=TODAY).problems.frame["message"]
    assert message.startswith("The sheet 'iro_staff' reaches row 1,048,576 and column 16,384: more than 5,000,000")


def test_a_workbook_inflating_past_the_limit_is_refused_without_being_held_in_memory(tmp_path: Path) -> None:
    padded = rewritten_sheet(lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 3_000_000))
    (tmp_path / "activity.xlsx").write_bytes(padded)
    problems = Problems()
    sheets = read_workbook(tmp_path / "activity.xlsx", "activity.xlsx", problems, limits=WorkbookLimits(2_000_000))
    assert sheets == []
    assert problems.frame.select("check", "message").rows() == [
        (
            "workbook_too_large",
            "The workbook unpacks to more than 1MB, the most one may. Remove images and unused sheets, or save the "
            "tables as CSV files.",
        )
    ]


def test_a_workbook_within_the_limits_is_read(tmp_path: Path) -> None:
    (tmp_path / "activity.xlsx").write_bytes(rewritten_sheet(lambda xml: xml))
    problems = Problems()
    [sheet] = read_workbook(tmp_path / "activity.xlsx", "activity.xlsx", problems)
    assert len(problems) == 0
    assert sheet.frame.select("iro_id", "name").rows() == [("I1", "Pat Example")]


def test_a_zip_whose_part_claims_less_than_it_holds_is_refused_as_damaged(tmp_path: Path) -> None:
    data = bytearray(rewritten_sheet(lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 100_000)))
    # Lower the uncompressed size the central directory gives the worksheet to one byte.
    entry = data.find(b"PK\x01\x02", data.find(b"xl/worksheets/sheet1.xml") - 200)
    while data[entry + 46 : entry + 46 + 24] != b"xl/worksheets/sheet1.xml":
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = (1).to_bytes(4, "little")
    (tmp_path / "activity.xlsx").write_bytes(bytes(data))
    problems = Problems()
    assert read_workbook(tmp_path / "activity.xlsx", "activity.xlsx", problems) == []
    assert problems.frame["check"].to_list() == ["unreadable"]


def test_a_byte_order_mark_over_windows_1252_text_is_read_as_such_with_a_warning(tmp_path: Path) -> None:
    folder = write_return(tmp_path, "2024-25", {})
    (folder / "header.csv").write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\nA\xe9,M,01/06/2012,WBRI,UN2,,\n".encode("cp1252"))
    result = read_data_folder(tmp_path, today=TODAY)
    assert result.dataset["children"]["child_id"].to_list() == ["Aé"]
    assert result.problems.frame.select("file", "check").rows() == [("ssda903/2024-25/header.csv", "encoding")]


def test_a_return_table_with_a_header_and_no_rows_is_an_error_and_not_used(small_return: Path) -> None:
    (small_return / "ssda903" / "2024-25" / "reviews.csv").write_text(f"{REVIEWS}\n", encoding="utf-8")
    assert errors_of(small_return) == [("ssda903/2024-25/reviews.csv", None, None, None, "empty_table")]


def test_a_return_with_no_one_missing_that_year_has_a_missing_file_with_a_header_only(small_return: Path) -> None:
    (small_return / "ssda903" / "2024-25" / "missing.csv").write_text("CHILD,DOB,MISSING,MIS_START,MIS_END\n")
    result = read_data_folder(small_return, today=TODAY)
    assert not result.problems.has_errors
    assert result.dataset["missing"].is_empty() and result.dataset["reviews"].height == 2


def test_an_empty_return_file_is_an_error(small_return: Path) -> None:
    (small_return / "ssda903" / "2024-25" / "reviews.csv").write_text("", encoding="utf-8")
    assert errors_of(small_return) == [("ssda903/2024-25/reviews.csv", None, None, None, "empty_file")]


def test_a_return_for_a_collection_year_not_yet_started_is_an_error(small_return: Path) -> None:
    write_return(small_return, "2030-31", {"header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"]})
    assert errors_of(small_return) == [("ssda903/2030-31/header.csv", None, None, "2030-31", "future_year")]


@pytest.mark.parametrize("unreadable", ["ssda903/2024-25", "activity"])
def test_a_folder_that_cannot_be_listed_is_reported_as_unreadable_by_its_path(
    small_return: Path, monkeypatch: pytest.MonkeyPatch, unreadable: str
) -> None:
    (small_return / "activity").mkdir()
    (small_return / "activity" / "midway_reviews.csv").write_text("child_id,midway_date\nA,2025-02-03\n")
    listing = Path.iterdir

    def refusing(folder: Path) -> Iterator[Path]:
        # The tests run with permissions that ignore chmod, so the refusal is made here.
        if folder == small_return / unreadable:
            raise PermissionError(13, "Permission denied")
        return listing(folder)

    monkeypatch.setattr(Path, "iterdir", refusing)
    result = read_data_folder(small_return, today=TODAY)
    assert result.problems.frame.filter(check="unreadable").select("file", "message").rows() == [
        (
            unreadable,
            "The folder could not be read (Permission denied), so nothing in it was used. Check that iroscope may "
            "open it.",
        )
    ]


def test_the_workbook_limits_are_documented_in_the_readme() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    assert f"{MAX_WORKBOOK_UNZIPPED_BYTES // (1024 * 1024)}MB" in readme
    assert f"{MAX_SHEET_CELLS:,} cells" in readme


def test_validate_reports_a_workbook_bomb_with_exit_status_1_and_no_traceback(small_return: Path) -> None:
    last_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    (small_return / "activity.xlsx").write_bytes(rewritten_sheet(lambda xml: xml.replace(b"</sheetData>", last_cell)))
    result = CliRunner().invoke(app, ["validate", str(small_return), "--format", "json", "--today", TODAY.isoformat()])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [problem] = json.loads(result.output)["problems"]
    assert (problem["file"], problem["check"]) == ("activity.xlsx", "workbook_too_large")
