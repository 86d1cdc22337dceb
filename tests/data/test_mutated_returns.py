"""A property: whatever is written into the cells of a valid return or activity workbook, reading
it gives problems, never an exception. Bounded so that it runs in well under a minute."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from iroscope.data.folder import DataFolderError, read_data_folder
from tests.conftest import SMALL_RETURN, TODAY, write_return

VALID_RETURN = SMALL_RETURN
VALID_ACTIVITY = {
    "sibling_groups": [["child_id", "sibling_group_id"], ["A", "G1"], ["B", "G1"]],
    "midway_reviews": [["child_id", "midway_date"], ["A", "2025-03-01"], ["B", "2024-08-01"]],
}
# Values that have broken the reader before, and the shapes that tend to.
HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "A/B",
        "../..",
        "+2025-06-18",
        "2025-06-18junk",
        "31/02/2025",
        "00/00/0000",
        "99999999999999999999",
        "-1",
        "1e308",
        "NaN",
        '=HYPERLINK("http://example.invalid")',
        "@SUM(A1)",
        "\ufeff",
        "é" * 50,
        "G1",
        "A",
        "B",
        "x" * 5000,
        "01/06/2012",
        "2030-01-01",
        "1900-01-01",
        "PN0",
        "V2",
    ]
)
CELL = st.one_of(HOSTILE, st.text(alphabet=string.printable + "é£\u00a0\ufeff\x00", max_size=20))
MUTATIONS = st.lists(st.tuples(st.integers(0, 10), st.integers(0, 2), st.integers(0, 14), CELL), max_size=6)


def assert_only_problems(root: Path) -> None:
    try:
        result = read_data_folder(root, today=TODAY)
    except DataFolderError:
        return  # nothing readable left (every file binary, say): the documented "cannot be read", exit 2
    for problem in result.problems:
        assert problem.message.strip() and problem.file


def mutate(rows: list[list[str]], row: int, column: int, value: str) -> None:
    target = rows[row % len(rows)]
    target[column % len(target)] = value


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=MUTATIONS)
def test_no_mutation_of_a_valid_return_makes_reading_raise(tmp_path_factory, mutations) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("data")
    files = {name: [line.split(",") for line in lines] for name, lines in VALID_RETURN.items()}
    names = sorted(files)
    for file, row, column, value in mutations:
        mutate(files[names[file % len(names)]], row, column, value)
    write_return(
        root,
        "2024-25",
        {
            name: [",".join(f'"{cell.replace(chr(34), chr(34) * 2)}"' for cell in row) for row in rows]
            for name, rows in files.items()
        },
    )
    assert_only_problems(root)


@pytest.mark.filterwarnings("ignore")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations=MUTATIONS)
def test_no_mutation_of_a_valid_activity_workbook_makes_reading_raise(tmp_path_factory, mutations) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("data")
    write_return(root, "2024-25", VALID_RETURN)
    sheets = {name: [list(row) for row in rows] for name, rows in VALID_ACTIVITY.items()}
    names = sorted(sheets)
    for file, row, column, value in mutations:
        mutate(sheets[names[file % len(names)]], row, column, ILLEGAL_CHARACTERS_RE.sub("", value))
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                cell.data_type = "s" if cell.data_type == "f" else cell.data_type
    workbook.save(root / "activity.xlsx")
    assert_only_problems(root)
