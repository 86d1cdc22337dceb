"""In-year extracts: a year's folder says the day its extract was taken in return.toml; a wrong or
missing date is reported with the file it is in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from iroscope.data.folder import read_data_folder
from tests.conftest import EPISODES, HEADER, REVIEWS, write_return

TODAY = dt.date(2026, 11, 22)


def _extract(root: Path, statement: str | None) -> Path:
    """A 2026-27 extract: child A in care from 6 April 2026, reviewed on 1 May 2026."""
    folder = write_return(
        root,
        "2026-27",
        {
            "header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"],
            "episodes.csv": [EPISODES, "A,06/04/2026,S,C1,N1,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456"],
            "reviews.csv": [REVIEWS, "A,01/06/2012,01/05/2026,PN1"],
        },
    )
    if statement is not None:
        (folder / "return.toml").write_text(statement, encoding="utf-8")
    return root


def test_the_extract_date_in_return_toml_is_where_the_data_ends(tmp_path: Path) -> None:
    read = read_data_folder(_extract(tmp_path, "extract_date = 2026-10-31\n"), today=TODAY)
    assert not read.problems.has_errors and read.problems.warning_count == 0
    assert (read.dataset.extracts, read.dataset.data_end) == ({2026: dt.date(2026, 10, 31)}, dt.date(2026, 10, 31))


def test_a_year_in_progress_without_a_date_takes_the_latest_date_in_it_and_says_so(tmp_path: Path) -> None:
    read = read_data_folder(_extract(tmp_path, None), today=TODAY)
    assert read.dataset.data_end == dt.date(2026, 5, 1)
    (warning,) = read.problems.frame.filter(check="extract_date").to_dicts()
    assert (warning["severity"], warning["file"], warning["value"]) == ("warning", "ssda903/2026-27", "2026-05-01")
    assert "the latest date in it, 01/05/2026, is used" in warning["message"]


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("extract_date = 2027-04-02\n", "The extract date must fall in 2026-27 and not after today."),
        ("extract_date = 2026-12-01\n", "The extract date must fall in 2026-27 and not after today."),
        ('extract_date = "31/10/2026"\n', "extract_date must be a date written as 2026-10-31."),
        ("extract_date = \n", "ssda903/2026-27/return.toml could not be read"),
    ],
    ids=["after-the-year", "after-today", "not-a-date", "not-toml"],
)
def test_a_wrong_extract_date_is_an_error_naming_its_file(tmp_path: Path, statement: str, message: str) -> None:
    read = read_data_folder(_extract(tmp_path, statement), today=TODAY)
    (error,) = read.problems.frame.filter(check="extract_date").to_dicts()
    assert (error["severity"], error["file"]) == ("error", "ssda903/2026-27/return.toml")
    assert message in error["message"]
