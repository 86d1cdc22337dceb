"""Imports through the pages merge into what is stored: the report says what would be added, changed
and kept, shows each row where the upload and the workspace differ side by side, and the person
chooses; nothing recorded in the workspace is lost, and nothing of a failed upload is left behind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.data.writers import write_activity_workbook, write_ssda903_year
from iroscope.web.imports import services
from iroscope.web.imports.models import DataImport, Outcome
from iroscope.web.records.selectors import dataset_from_database
from tests.metrics.helpers import D
from tests.web.test_allocations import reallocate
from tests.web.test_recording import date_fields, review_post

MIDWAY_DAY = D(2024, 11, 15)


def _workbook(dataset: Dataset, tmp_path: Path, *, midway_concerns: str) -> SimpleUploadedFile:
    """The service's workbook: the authority's activity and a midway review of A on 15 November 2024."""
    midway = pl.DataFrame(
        {"child_id": ["A"], "midway_date": [MIDWAY_DAY], "iro_id": ["I1"], "concerns_identified": [midway_concerns]}
    )
    tables = dict(dataset.tables) | {"midway_reviews": midway}
    path = write_activity_workbook(dataclasses.replace(dataset, tables=tables), tmp_path / "activity.xlsx")
    return SimpleUploadedFile("activity.xlsx", path.read_bytes())


def _latest() -> DataImport:
    found = DataImport.objects.order_by("-id").first()
    assert found is not None
    return found


def _midway() -> dict[str, object]:
    rows = dataset_from_database(provenance=True)["midway_reviews"].filter(pl.col("child_id") == "A")
    (row,) = rows.to_dicts()
    return row


def _upload_workbook(client: Client, upload: SimpleUploadedFile) -> DataImport:
    response = client.post("/imports/new/", {"kind": "activity", "upload": [upload]})
    assert response.status_code == 302
    return _latest()


def _midway_recorded_then_a_workbook_saying_otherwise(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path
) -> DataImport:
    """The allocated IRO records that A's midway review found concerns; the manager then uploads a
    workbook saying it found none."""
    recorded = {**date_fields("midway_date", MIDWAY_DAY), "concerns_identified": "Y"}
    assert signed_in["allocated_iro"].post("/children/A/midway-reviews/new/", recorded).status_code == 302
    return _upload_workbook(signed_in["manager"], _workbook(authority, tmp_path, midway_concerns="N"))


def test_the_report_shows_where_the_upload_differs_from_the_workspace_and_keeps_the_workspaces_by_default(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path
) -> None:
    data_import = _midway_recorded_then_a_workbook_saying_otherwise(authority, signed_in, tmp_path)
    page = signed_in["manager"].get(f"/imports/{data_import.token}/").content.decode()
    assert "1 row in the upload differs from what was recorded in the workspace" in page
    assert "Midway reviews: child A, midway date 15 November 2024" in page
    assert "Recorded in the workspace by allocated_iro" in page
    assert (
        'Concerns identified</th><td class="govuk-table__cell">Yes (Y)</td><td class="govuk-table__cell">No (N)</td>'
        in page
    )
    assert "1 row where the upload and the workspace differ" in page

    assert signed_in["manager"].post(f"/imports/{data_import.token}/confirm/", {}).status_code == 302
    midway = _midway()
    assert (midway["concerns_identified"], midway[SOURCE_COLUMN], midway["_added_by"]) == (
        "Y",
        Source.WORKSPACE,
        "allocated_iro",
    )
    assert _latest().outcome == Outcome.LOADED


def test_choosing_the_uploads_row_stores_it_in_place_of_the_workspaces(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path
) -> None:
    data_import = _midway_recorded_then_a_workbook_saying_otherwise(authority, signed_in, tmp_path)
    confirmed = signed_in["manager"].post(f"/imports/{data_import.token}/confirm/", {"conflict-0": "upload"})
    assert confirmed.status_code == 302
    midway = _midway()
    assert (midway["concerns_identified"], midway[SOURCE_COLUMN], midway["_added_by"]) == (
        "N",
        Source.ACTIVITY,
        "manager",
    )


def test_a_workspace_recording_made_after_the_check_is_kept_when_the_upload_is_confirmed(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path
) -> None:
    data_import = _upload_workbook(signed_in["manager"], _workbook(authority, tmp_path, midway_concerns="N"))
    visit = {**date_fields("contact_date", D(2025, 3, 20)), "kind": "VISIT", "method": "IN_PERSON"}
    visit["outcome"] = "COMPLETED"
    assert signed_in["allocated_iro"].post("/children/A/visits/new/", visit).status_code == 302

    assert signed_in["manager"].post(f"/imports/{data_import.token}/confirm/", {}).status_code == 302
    contacts = dataset_from_database(provenance=True)["iro_contacts"].filter(pl.col("child_id") == "A")
    assert contacts.select("contact_date", SOURCE_COLUMN).rows() == [(D(2025, 3, 20), Source.WORKSPACE)]
    assert _midway()["concerns_identified"] == "N"  # nothing in the workspace said otherwise


def test_an_upload_that_fails_to_be_written_leaves_nothing_in_the_staging_folder(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(services, "dataset_merge_folder", disk_full)
    root = services.staging_root()
    before = set(root.iterdir()) if root.exists() else set()
    response = signed_in["manager"].post(
        "/imports/new/", {"kind": "activity", "upload": [_workbook(authority, tmp_path, midway_concerns="N")]}
    )
    assert response.status_code == 400
    assert "The upload could not be checked: the server has no room to keep it" in response.content.decode()
    assert (set(root.iterdir()) if root.exists() else set()) == before
    assert not DataImport.objects.exists()


def test_an_in_year_extract_needs_the_day_it_was_taken_and_the_pages_then_say_it(
    authority: Dataset,
    signed_in: dict[str, Client],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pin_today: Callable[[dt.date], None],
) -> None:
    real_today = dt.date(2025, 6, 20)  # 2025-26 is under way
    monkeypatch.setattr(timezone, "localdate", lambda *args: real_today)
    pin_today(real_today)
    folder = tmp_path / "2025-26"
    write_ssda903_year(authority, 2025, folder)
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]
    client = signed_in["analyst"]

    asked = client.post("/imports/new/", {"kind": "ssda903", "year": "2025", "upload": files})
    assert asked.status_code == 400
    assert "2025-26 is not over yet: enter the date this extract was taken" in asked.content.decode()

    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]
    sent = {"kind": "ssda903", "year": "2025", "upload": files, **date_fields("extract_date", dt.date(2025, 6, 13))}
    assert client.post("/imports/new/", sent).status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.CHECKED, data_import.reason
    assert client.post(f"/imports/{data_import.token}/confirm/", {}).status_code == 302
    assert dataset_from_database().data_end == dt.date(2025, 6, 13)

    caseload = signed_in["allocated_iro"].get("/caseload/").content.decode()
    assert "Children in care known from the return extracted on 13 June 2025 (7 days ago)" in caseload


def test_the_same_return_imported_again_keeps_the_reviews_recorded_in_the_workspace_since(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path
) -> None:
    """Before, this removed every review recorded after the return was loaded and left their details."""
    assert signed_in["allocated_iro"].post("/children/A/reviews/new/", review_post(D(2025, 3, 10))).status_code == 302
    folder = tmp_path / "2024-25"
    write_ssda903_year(authority, 2024, folder)  # the return as it was loaded: without that review
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]
    assert (
        signed_in["analyst"].post("/imports/new/", {"kind": "ssda903", "year": "2024", "upload": files}).status_code
        == 302
    )
    data_import = _latest()
    assert data_import.changes["reviews"]["kept_recorded"] == 1 and data_import.changes["reviews"]["removed"] == 0
    assert signed_in["analyst"].post(f"/imports/{data_import.token}/confirm/", {}).status_code == 302

    stored = dataset_from_database(provenance=True)
    for table in ("reviews", "review_details"):
        review = stored[table].filter((pl.col("child_id") == "A") & (pl.col("review_date") == D(2025, 3, 10)))
        assert review.select(SOURCE_COLUMN, "_added_by").rows() == [(Source.WORKSPACE, "allocated_iro")], table


def test_a_refused_upload_keeps_nothing_in_the_staging_folder_and_its_problems_only_for_a_day(
    authority: Dataset, signed_in: dict[str, Client], tmp_path: Path
) -> None:
    folder = tmp_path / "2024-25"
    write_ssda903_year(authority, 2024, folder)
    header = (folder / "header.csv").read_text().replace("01/06/2012", "31/02/2012")
    (folder / "header.csv").write_text(header)
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]
    client = signed_in["analyst"]
    assert client.post("/imports/new/", {"kind": "ssda903", "year": "2024", "upload": files}).status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED
    assert not services.staging_folder(data_import).exists()
    assert "31/02/2012" in client.get(f"/imports/{data_import.token}/").content.decode()

    services.imports_clean_stale(now=timezone.now() + dt.timedelta(days=1, minutes=1))
    page = client.get(f"/imports/{data_import.token}/").content.decode()
    assert "31/02/2012" not in page and "The detailed list of problems has been removed" in page


def test_an_imported_row_changed_through_a_page_becomes_the_workspaces_by_the_person_who_changed_it(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    """The reallocation closes A's allocation from the workbook: that row is now the manager's record."""
    before = dataset_from_database(provenance=True)["iro_allocations"].filter(pl.col("child_id") == "A")
    assert before.select(SOURCE_COLUMN).rows() == [(Source.ACTIVITY,)]
    assert reallocate(signed_in["manager"], child_id="A", iro_id="I2", on="2025-03-31").status_code == 302  # type: ignore[attr-defined]
    after = dataset_from_database(provenance=True)["iro_allocations"].filter(pl.col("child_id") == "A")
    rows = after.sort("start_date").select("end_date", SOURCE_COLUMN, "_added_by").rows()
    assert rows == [(D(2025, 3, 31), Source.WORKSPACE, "manager"), (None, Source.WORKSPACE, "manager")]
