"""The workspace is the system of record: what people record in it survives every import and load.

The journey that lost data before (issue 13): a three-year authority is loaded; a manager records a
review, a dispute with its escalation, a reallocation, a visit, a midway review, a case-tracking
check and a booking; then the activity workbook is imported again, a one-year folder is loaded, and
the next year's in-year extract arrives. Every recorded item is still there afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import SOURCE_COLUMN, Source
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.data.writers import write_activity_workbook, write_ssda903_year
from iroscope.web.imports.models import DataImport, ImportKind, Outcome
from iroscope.web.imports.services import ConfirmRefusedError, UploadedFile, import_check, import_confirm
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_load_folder
from tests.conftest import REVIEWS
from tests.web.journey import (
    MADE_ON,
    REVIEW_DAY,
    TODAY,
    Recorded,
    assert_all_still_recorded,
    loaded_and_recorded,
    stored_row,
)


@pytest.mark.django_db
def test_nothing_recorded_in_the_workspace_is_lost_by_an_activity_import_or_a_903_load(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    recorded = loaded_and_recorded(authority_folder, as_manager)
    assert_all_still_recorded(recorded)
    stored_before = dataset_from_database(provenance=True)
    recorded_rows = sum(
        frame.filter(pl.col(SOURCE_COLUMN) == Source.WORKSPACE).height for frame in stored_before.tables.values()
    )
    assert recorded_rows == 11  # two stages of the dispute, and the allocation the reallocation closed

    # The activity workbook imported again, as it was before anything was recorded.
    checked = workbook_checked(authority_folder, as_manager)
    assert checked.outcome == Outcome.CHECKED, checked.reason
    # The reallocation closed the imported allocation: the workbook's open row differs from the workspace's.
    assert [conflict["table"] for conflict in checked.conflicts] == [TABLES_BY_NAME["iro_allocations"].title]
    assert checked.changes["iro_allocations"]["kept_recorded"] == 2
    import_confirm(user=as_manager, data_import=checked, today=TODAY)
    assert_all_still_recorded(recorded)

    # A folder of one year's return loaded over the three: the other years and everything else stay.
    one_year = tmp_path / "one-year"
    shutil.copytree(authority_folder / "ssda903" / "2025-26", one_year / "ssda903" / "2025-26")
    loaded = CliRunner().invoke(app, ["load", str(one_year), "--today", TODAY.isoformat()])
    assert loaded.exit_code == 0, loaded.output
    assert f"0 removed; {recorded_rows} rows recorded in the workspace kept" in " ".join(loaded.output.split())
    assert_all_still_recorded(recorded)
    after = dataset_from_database()
    assert after.years == (2023, 2024, 2025)
    for table in ("children", "episodes", "iro_contacts", "disputes", "review_details", "iro_allocations"):
        assert after[table].height == stored_before[table].height, table


def workbook_checked(authority_folder: Path, manager: User) -> DataImport:
    """The authority's activity workbook, as it was before anything was recorded, uploaded and checked."""
    workbook = (authority_folder / "activity.xlsx").read_bytes()
    files = [UploadedFile("activity.xlsx", workbook)]
    return import_check(user=manager, kind=ImportKind.ACTIVITY, year=None, files=files, today=TODAY)


def _extract_with_review(tmp_path: Path, recorded: Recorded, *, participation: str) -> Path:
    """The 2026-27 extract taken on 10 June 2026: the stored children still in care, and the review
    the workspace recorded, with the participation code given."""
    stored = dataset_from_database(provenance=True)
    extract = tmp_path / "extract"
    year_folder = extract / "ssda903" / "2026-27"
    write_ssda903_year(stored, 2026, year_folder)
    (year_folder / "return.toml").write_text("extract_date = 2026-06-10\n", encoding="utf-8")
    born = stored["children"].filter(pl.col("child_id") == recorded.child_id)["date_of_birth"].item()
    reviews = year_folder / "reviews.csv"
    if not reviews.exists():  # a year without reviews is written without a reviews file
        reviews.write_text(f"{REVIEWS}\n", encoding="utf-8")
    with reviews.open("a", encoding="utf-8") as handle:
        handle.write(f"{recorded.child_id},{born:%d/%m/%Y},{REVIEW_DAY:%d/%m/%Y},{participation}\n")
    return extract


@pytest.mark.django_db
def test_the_next_in_year_extract_keeps_a_review_recorded_in_the_workspace_over_a_different_one(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    recorded = loaded_and_recorded(authority_folder, as_manager)
    # The case-management system's extract of 2026-27, taken on 10 June 2026, holds the same review
    # with another participation code than the one the IRO recorded.
    extract = _extract_with_review(tmp_path, recorded, participation="PN3")

    loaded = dataset_load_folder(folder=extract, today=TODAY, added_by="analyst")
    assert not loaded.result.problems.has_errors, loaded.result.problems.frame
    assert loaded.merge is not None and loaded.stored is not None
    (conflict,) = loaded.merge.conflicts
    assert (conflict.table, conflict.differing) == ("reviews", ["participation"])
    assert (conflict.kept["participation"], conflict.incoming["participation"]) == ("PN1", "PN3")
    assert_all_still_recorded(recorded)
    after = dataset_from_database()
    assert after.years == (2023, 2024, 2025, 2026)
    assert after.data_end == dt.date(2026, 6, 10)
    assert stored_row("reviews", recorded.rows()["reviews"])["participation"].item() == "PN1"


@pytest.mark.django_db
def test_a_choice_that_would_leave_two_iros_allocated_at_once_is_refused_and_nothing_is_stored(
    authority_folder: Path, as_manager: User
) -> None:
    recorded = loaded_and_recorded(authority_folder, as_manager)
    checked = workbook_checked(authority_folder, as_manager)
    (conflict,) = checked.conflicts
    # The workbook's allocation, still open, would overlap the one the reallocation started.
    with pytest.raises(ConfirmRefusedError, match="recorded in the workspace: The child already has an IRO allocated"):
        import_confirm(user=as_manager, data_import=checked, today=TODAY, take_incoming={conflict["id"]})
    assert_all_still_recorded(recorded)


@pytest.mark.django_db
def test_choosing_the_extracts_review_replaces_the_one_recorded_in_the_workspace(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    recorded = loaded_and_recorded(authority_folder, as_manager)
    extract = _extract_with_review(tmp_path, recorded, participation="PN3")
    planned = dataset_load_folder(folder=extract, today=TODAY, replace_stored=False, take_incoming=())
    assert planned.merge is not None
    (conflict,) = planned.merge.conflicts
    dataset_load_folder(folder=extract, today=TODAY, take_incoming={conflict.id}, added_by="analyst")
    review = stored_row("reviews", recorded.rows()["reviews"])
    assert review.select("participation", SOURCE_COLUMN, "_added_by").row(0) == ("PN3", Source.SSDA903, "analyst")


@pytest.mark.django_db
def test_a_load_that_would_remove_stored_rows_needs_replace_and_says_how_many(
    authority_folder: Path, tmp_path: Path
) -> None:
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    stored = dataset_from_database(provenance=True)
    midways = stored["midway_reviews"].height
    assert midways > 0
    without_midways = tmp_path / "without-midways"
    without_midways.mkdir()
    tables = dict(stored.tables) | {"midway_reviews": stored["midway_reviews"].clear()}
    write_activity_workbook(dataclasses.replace(stored, tables=tables), without_midways / "activity.xlsx")

    refused = CliRunner().invoke(app, ["load", str(without_midways), "--today", TODAY.isoformat()])
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert f"Loading this folder would remove {midways:,} stored rows that it no longer holds" in said
    assert "Run again with --replace to remove them" in said
    assert dataset_from_database()["midway_reviews"].height == midways

    replaced = CliRunner().invoke(app, ["load", str(without_midways), "--today", TODAY.isoformat(), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert f"{midways:,} removed" in " ".join(replaced.output.split())
    assert dataset_from_database()["midway_reviews"].is_empty()


@pytest.mark.django_db
def test_an_in_year_extract_gives_way_to_the_next_and_then_to_the_final_return(
    authority_folder: Path, tmp_path: Path
) -> None:
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    stored = dataset_from_database(provenance=True)
    children = stored["children"].height

    def return_of_2026_27(name: str, extract_date: str | None) -> Path:
        folder = tmp_path / name
        write_ssda903_year(stored, 2026, folder / "ssda903" / "2026-27")
        if extract_date is not None:
            (folder / "ssda903" / "2026-27" / "return.toml").write_text(f"extract_date = {extract_date}\n")
        return folder

    for name, extract, today, data_end in (
        ("june", "2026-06-10", TODAY, dt.date(2026, 6, 10)),
        ("september", "2026-09-10", dt.date(2026, 9, 15), dt.date(2026, 9, 10)),
        ("final", None, dt.date(2027, 5, 20), dt.date(2027, 3, 31)),
    ):
        loaded = dataset_load_folder(folder=return_of_2026_27(name, extract), today=today, replace_stored=False)
        assert loaded.stored is not None, (name, loaded.refused, loaded.result.problems.frame)
        after = dataset_from_database()
        assert (after.years, after.data_end, after["children"].height) == ((2023, 2024, 2025, 2026), data_end, children)
    assert dataset_from_database().extracts == {}
