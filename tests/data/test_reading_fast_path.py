"""A well-formed CSV file is read by polars' own reader (the fast path); anything odd goes the careful
way, row by row. Both must give the same cells and the same located problems."""

from pathlib import Path
from typing import Any
from unittest import mock

import polars as pl
import pytest

from iroscope.data import files
from iroscope.data.problems import Problems

LONG = "x" * 32_768  # one character more than a cell may hold


def _careful(data: bytes, label: str) -> tuple[list[files.RawSheet], Problems]:
    problems = Problems()
    text = files._decode(data, label, problems)
    sheet = None if text is None else files.read_csv_text(text, label, problems, name="t")
    return ([] if sheet is None else [sheet]), problems


def _read(tmp_path: Path, data: bytes) -> tuple[list[files.RawSheet], Problems, bool]:
    """Read through `read_table_file`, saying whether the careful way was taken (the fast path declined)."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    problems = Problems()
    fast_results: list[pl.DataFrame | None] = []

    def fast(*args: Any, **kwargs: Any) -> pl.DataFrame | None:
        result = read_plain_csv(*args, **kwargs)
        fast_results.append(result)
        return result

    read_plain_csv = files._read_plain_csv
    with mock.patch.object(files, "_read_plain_csv", side_effect=fast):
        sheets = files.read_table_file(path, "t.csv", problems)
    return sheets, problems, not any(result is not None for result in fast_results)


CASES = {
    "plain": (b"CHILD,SEX,DOB\n1,M,01/01/2010\n2,F,02/02/2011\n", False),
    "windows line ends, no last line end": (b"CHILD,SEX,DOB\r\n1,M,01/01/2010\r\n2,F,02/02/2011", False),
    "a short row": (b"CHILD,SEX,DOB\n1,M\n2,F,02/02/2011\n", False),
    "quoted commas, quotes and line breaks": (b'CHILD,NOTE\n1,"a, ""b""\nc"\n2," x "\n', False),
    "spaces around cells and a row of spaces": (b"CHILD , SEX\n 1 , M \n   ,  \n", False),
    "cells too long": (b"CHILD,NOTE\n1," + LONG.encode() + b"\n2,y\n3," + LONG.encode() + b"\n", False),
    "a byte-order mark": (b"\xef\xbb\xbfCHILD,SEX\n1,M\n", False),
    "unnamed columns": (b"CHILD,,SEX,\n1,,M,\n", False),
    "a header and no rows": (b"CHILD,SEX\n", False),
    "every cell quoted, the header too": (b'"CHILD","SEX","NOTE"\r\n"1","M","a, b"\r\n"2","F",""\r\n', False),
    "a quoted header cell holding a line break": (b'"CHILD","NO\nTE"\n1,x\n', True),
    "a quote inside a cell": (b'CHILD,NOTE\n1,a"b\n2,"x"y\n', True),
    "a ragged row": (b"CHILD,SEX\n1,M,extra\n2,F,,\n", True),
    "a blank line": (b"CHILD,SEX\n1,M\n\n2,F\n", False),
    "a blank line at the end": (b"CHILD,SEX\n1,M\n2,F\n\n", False),
    "a line of spaces": (b"CHILD,SEX\n1,M\n   \n2,F\n", False),
    "a blank line inside quotes": (b'CHILD,LETTER\n1,"Dear A,\n\nYours"\r\n2,"x\r\ny"\r\n', False),
    "an unfinished quote": (b'CHILD,NOTE\n1,"never closed\n2,x\n', True),
    "a repeated column": (b"CHILD,child\n1,2\n", True),
    "semicolons": (b"CHILD;SEX\n1;M\n", True),
    "Windows-1252": ("CHILD,NAME\n1,Zoë\n".encode("cp1252"), True),
    "a NUL character": (b"CHILD,SEX\n1,M\x00\n", True),
    "old Mac line ends": (b"CHILD,SEX\r1,M\r", True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_fast_and_careful_readers_give_the_same_cells_and_problems(tmp_path: Path, name: str) -> None:
    data, careful_expected = CASES[name]
    sheets, problems, used_careful = _read(tmp_path, data)
    expected_sheets, expected_problems = _careful(data, "t.csv")
    assert used_careful == careful_expected
    assert [sheet.frame.columns for sheet in sheets] == [sheet.frame.columns for sheet in expected_sheets]
    assert all(a.frame.equals(b.frame) for a, b in zip(sheets, expected_sheets, strict=True))
    assert list(problems) == list(expected_problems)


def test_the_fast_path_names_each_cell_too_long_by_row_and_column(tmp_path: Path) -> None:
    data = b"CHILD,NOTE,MORE\n1," + LONG.encode() + b",ok\n2,y,z\n3," + LONG.encode() + b"," + LONG.encode() + b"\n"
    _, problems, used_careful = _read(tmp_path, data)
    assert not used_careful
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "NOTE", "32,768 characters"),
        (4, "MORE", "32,768 characters"),
        (4, "NOTE", "32,768 characters"),
    ]


def test_a_quoted_cell_on_two_lines_keeps_the_row_number_the_user_sees(tmp_path: Path) -> None:
    sheets, problems, used_careful = _read(tmp_path, b'CHILD,NOTE\n1,"two\nlines"\n2,next\n')
    assert not used_careful
    assert list(problems) == []
    assert sheets[0].frame.rows() == [(2, "1", "two\nlines"), (3, "2", "next")]


def test_a_row_after_a_blank_line_keeps_the_row_number_the_user_sees(tmp_path: Path) -> None:
    sheets, problems, used_careful = _read(tmp_path, b"CHILD,SEX\n1,M\n\n2,F\n")
    assert not used_careful
    assert list(problems) == []
    assert sheets[0].frame.rows() == [(2, "1", "M"), (4, "2", "F")]
