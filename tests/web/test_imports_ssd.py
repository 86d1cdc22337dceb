"""An export of the Standard Safeguarding Dataset imported through the pages (decision 0027).

The export is the small one of tests/data/test_ssd.py, counted by hand there: children A and B in care,
four reviews held (A's on 15 October 2024, 10 January 2025 and 1 July 2025; B's on 29 May 2024), one
IRO (W1, Alex Example) allocated to both, and A's long-term fostering plan. Its system counted A's
second and third due dates as 91 and 183 days: 14 January and 12 July 2025, where regulation 33 says
15 January and 10 July 2025.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import ADDED_BY_COLUMN, SOURCE_COLUMN, Dataset, Source
from iroscope.data.folder import read_data_folder
from iroscope.web.imports.models import DataImport, ImportKind, Outcome
from iroscope.web.imports.services import staging_folder
from iroscope.web.records import services as records_services
from iroscope.web.records.selectors import dataset_from_database, dataset_is_loaded
from iroscope.web.records.services import dataset_load_folder, dataset_replace
from tests.data.test_ssd import CLA_REVIEWS, EXPORT, write_ssd
from tests.metrics.helpers import D
from tests.web.conftest import hand_made_authority
from tests.web.test_recording import review_post

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

PROBLEM_FIELDS = ("severity", "file", "row", "child", "column", "value", "check", "message")
CANONICAL = {
    "children": ["child_id", "sex", "date_of_birth", "ethnicity", "upn", "mother"],
    "episodes": ["child_id", "start_date", "end_date", "legal_status", "placement_type", "reason_new_episode"],
    "reviews": ["child_id", "review_date", "participation"],
}


def _csv(name: str, lines: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _export_files(files: dict[str, list[str]] = EXPORT) -> list[SimpleUploadedFile]:
    return [_csv(name, lines) for name, lines in files.items()]


def _zip(members: dict[str, bytes], name: str = "ssd.zip") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def _export_zip() -> SimpleUploadedFile:
    return _zip({name: ("\n".join(lines) + "\n").encode() for name, lines in EXPORT.items()})


def _upload(client: Client, files: list[SimpleUploadedFile]) -> _MonkeyPatchedWSGIResponse:
    return client.post("/imports/new/", {"kind": ImportKind.SSD.value, "upload": files})


def _latest() -> DataImport:
    found = DataImport.objects.order_by("-id").first()
    assert found is not None
    return found


def _problems(data_import: DataImport) -> set[tuple[object, ...]]:
    assert data_import.problems is not None
    return {tuple(problem[name] for name in PROBLEM_FIELDS) for problem in data_import.problems}


# -- the upload form ---------------------------------------------------------------------------------


def test_the_upload_form_offers_an_ssd_export_and_says_in_plain_words_what_each_kind_is(
    signed_in: dict[str, Client],
) -> None:
    page = signed_in["analyst"].get("/imports/new/").content.decode()
    assert 'value="ssd"' in page and "Standard Safeguarding Dataset export" in page
    assert (
        "<strong>Standard Safeguarding Dataset export</strong>: the ssd_ tables exported from the case-management "
        "system." in page
    )
    assert "the return is kept as the record of children, periods of care and reviews" in page
    assert "For an SSD export, select all its ssd_ CSV files together, or one zip file of them" in page


# -- an export where nothing is stored -------------------------------------------------------------------


@pytest.mark.parametrize("as_zip", [False, True], ids=["csv-files", "zip"])
def test_an_ssd_export_is_checked_as_validate_checks_a_folder_holding_it_and_stored_only_once_confirmed(
    as_zip: bool, signed_in: dict[str, Client], tmp_path: Path
) -> None:
    expected = read_data_folder(write_ssd(tmp_path), today=timezone.localdate()).problems
    client = signed_in["analyst"]

    response = _upload(client, [_export_zip()] if as_zip else _export_files())
    assert response.status_code == 302
    data_import = _latest()
    assert (data_import.kind, data_import.outcome, data_import.error_count) == (ImportKind.SSD, Outcome.CHECKED, 0)
    assert data_import.file_names == list(EXPORT)
    assert _problems(data_import) == {
        tuple(problem[name] for name in PROBLEM_FIELDS) for problem in expected.frame.to_dicts()
    }
    # The system's 91- and 183-day due dates are warnings at their rows, against regulation 33's.
    due = {(p["file"], p["row"], p["child"]) for p in data_import.problems or [] if p["check"] == "system_due_date"}
    assert due == {("ssd/ssd_cla_reviews.csv", 3, "A"), ("ssd/ssd_cla_reviews.csv", 4, "A")}
    page = client.get(response["Location"]).content.decode()
    assert "Standard Safeguarding Dataset export</h1>" in page
    assert "14 January 2025" in page and "15 January 2025" in page
    assert not dataset_is_loaded()

    assert client.post(f"/imports/{data_import.token}/confirm/").status_code == 302
    data_import.refresh_from_db()
    assert data_import.outcome == Outcome.LOADED
    loaded = {name: rows for name, rows in data_import.counts.items() if rows}
    assert loaded == {
        "children": 2,
        "episodes": 2,
        "reviews": 4,
        "iro_staff": 1,
        "iro_allocations": 2,
        "permanence_plans": 1,
    }
    stored = dataset_from_database(provenance=True)
    assert stored["reviews"].sort("child_id", "review_date").select(
        "child_id", "review_date", SOURCE_COLUMN
    ).rows() == [
        ("A", D(2024, 10, 15), Source.SSD),
        ("A", D(2025, 1, 10), Source.SSD),
        ("A", D(2025, 7, 1), Source.SSD),
        ("B", D(2024, 5, 29), Source.SSD),
    ]
    assert not staging_folder(data_import).exists()
    history = client.get("/imports/").content.decode()
    row = history[history.index(f'id="import-{data_import.pk}"') :]
    for shown in (
        "Standard Safeguarding Dataset export",
        "Children (SSDA903 Header): 2",
        "Reviews (SSDA903 Reviews): 4",
        "IRO staff: 1",
        "IRO allocations: 2",
        "Permanence plans: 1",
        "Loaded",
    ):
        assert shown in row, shown


# -- beside a stored return and rows recorded in the workspace ---------------------------------------------


def _return_without_iros() -> Dataset:
    """The hand-made authority's return (children A to D, 2024-25) with no IRO staff or allocations:
    those the SSD export may fill."""
    authority = hand_made_authority()
    tables = {name: frame for name, frame in authority.tables.items() if name not in ("iro_staff", "iro_allocations")}
    return dataclasses.replace(authority, tables=tables)


def _canonical(dataset: Dataset, name: str) -> list[tuple[object, ...]]:
    frame = dataset[name].filter(pl.col(SOURCE_COLUMN) == Source.SSDA903)
    return frame.select(CANONICAL[name]).sort(CANONICAL[name], nulls_last=True).rows()


@pytest.mark.usefixtures("each_database")
def test_an_ssd_export_beside_a_stored_return_and_a_review_recorded_in_the_workspace_keeps_both(
    signed_in: dict[str, Client],
) -> None:
    dataset_replace(dataset=_return_without_iros())
    # C's second review, recorded in the workspace by the manager: no return or export holds it.
    assert signed_in["manager"].post("/children/C/reviews/new/", review_post(D(2025, 3, 10))).status_code == 302
    before = dataset_from_database(provenance=True)
    recorded = before["reviews"].filter(pl.col(SOURCE_COLUMN) == Source.WORKSPACE)
    assert recorded.select("child_id", "review_date", ADDED_BY_COLUMN).rows() == [("C", D(2025, 3, 10), "manager")]

    client = signed_in["analyst"]
    assert _upload(client, _export_files()).status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.CHECKED, data_import.problems
    # The export disagrees with the return on A's and B's episodes and reviews: said, and not used.
    messages = {p["message"] for p in data_import.problems or [] if p["check"] == "ssd_disagrees"}
    assert (
        "Comparing the SSD's episodes of care with the SSDA903 return's: 2 in the SSD only (not used; the SSDA903 "
        "return is the statutory record); 4 in the SSDA903 return only."
    ) in messages
    counts = {name: rows for name, rows in data_import.counts.items() if rows}
    assert counts == {"iro_staff": 1, "iro_allocations": 2, "permanence_plans": 1}
    page = client.get(f"/imports/{data_import.token}/").content.decode()
    assert "Rows from the export that would be stored: IRO staff: 1; IRO allocations: 2; Permanence plans: 1." in page
    # The export's staff, allocations and plan added; the return read again unchanged; the review and its
    # details recorded in the workspace kept.
    assert "From the SSD export: 4 rows added, 0 changed, 0 removed" in page
    assert "2 rows recorded in the workspace kept" in page

    assert client.post(f"/imports/{data_import.token}/confirm/").status_code == 302
    data_import.refresh_from_db()
    assert data_import.outcome == Outcome.LOADED
    after = dataset_from_database(provenance=True)
    for name in CANONICAL:
        assert _canonical(after, name) == _canonical(before, name), name
        assert after[name].filter(pl.col(SOURCE_COLUMN) == Source.SSD).is_empty(), name
    assert after["reviews"].filter(pl.col(SOURCE_COLUMN) == Source.WORKSPACE).select(
        "child_id", "review_date", "participation", ADDED_BY_COLUMN
    ).rows() == [("C", D(2025, 3, 10), "PN1", "manager")]
    assert after["iro_staff"].select("iro_id", "name", "fte", SOURCE_COLUMN).rows() == [
        ("W1", "Alex Example", 0.8, Source.SSD)
    ]
    assert after["iro_allocations"].sort("child_id").select(
        "child_id", "iro_id", "start_date", SOURCE_COLUMN
    ).rows() == [
        ("A", "W1", D(2024, 10, 2), Source.SSD),
        ("B", "W1", D(2024, 5, 2), Source.SSD),
    ]
    assert after["permanence_plans"].select("child_id", "plan_date", "plan_type", SOURCE_COLUMN).rows() == [
        ("A", D(2025, 1, 10), "LONG_TERM_FOSTERING", Source.SSD)
    ]
    assert after.years == before.years


# -- hostile input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            lambda: [_zip({"ssd_person.csv": b"pers_person_id\nA\n", "notes.txt": b"hello"})],
            "The zip file must hold only CSV files: notes.txt is not a CSV file",
        ),
        (
            lambda: [_zip({"ssd_person.xlsx": b"PK\x03\x04"})],
            "The zip file must hold only CSV files: ssd_person.xlsx is not a CSV file",
        ),
        (
            lambda: [_zip({"ssd_person.csv": b""})],
            "ssd_person.csv in the zip file is empty",
        ),
        (
            lambda: [*_export_files(), SimpleUploadedFile("ssd_cla_visits.csv", b"")],
            "The selected file ssd_cla_visits.csv is empty",
        ),
        (
            lambda: [SimpleUploadedFile("ssd_person.csv", b"\x00\x01\x02 binary")],
            "ssd_person.csv is not a CSV file",
        ),
        (
            lambda: [SimpleUploadedFile("return.xml", b"<Message/>")],
            "The selected file must be a CSV file of the SSD export or a zip file: return.xml is not",
        ),
        (
            lambda: [_export_zip(), _csv("ssd_person.csv", EXPORT["ssd_person.csv"])],
            "Select the CSV files of the SSD export or one zip file of them, not both",
        ),
        (
            lambda: [_zip({"export/ssd_person.csv": b"pers_person_id\nA\n"})],
            "The zip file must hold the CSV files of the SSD export with no folders: ssd.zip has a folder",
        ),
    ],
    ids=["zip-with-text", "zip-with-workbook", "empty-in-zip", "empty-file", "binary", "xml", "both", "folder"],
)
def test_an_upload_that_cannot_be_an_ssd_export_is_refused_on_the_form_naming_the_file(
    files: object, message: str, signed_in: dict[str, Client]
) -> None:
    assert callable(files)
    response = _upload(signed_in["analyst"], files())
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Error: Upload a file" in page
    assert not DataImport.objects.exists()


def test_a_file_that_is_no_ssd_table_is_an_error_naming_it_and_the_upload_is_refused(
    signed_in: dict[str, Client],
) -> None:
    stray = _csv("caseload.csv", ["worker,children", "W1,55"])
    assert _upload(signed_in["analyst"], [*_export_files(), stray]).status_code == 302
    data_import = _latest()
    assert (data_import.outcome, data_import.error_count) == (Outcome.REFUSED, 1)
    [error] = [p for p in data_import.problems or [] if p["severity"] == "error"]
    assert (error["file"], error["row"], error["check"], error["value"]) == (
        "ssd/caseload.csv",
        1,
        "unrecognised_table",
        "worker, children",
    )
    page = signed_in["analyst"].get(f"/imports/{data_import.token}/").content.decode()
    assert "These columns do not match any SSD table iroscope reads" in page
    assert not dataset_is_loaded()
    assert not staging_folder(data_import).exists()


def test_an_upload_where_no_file_is_an_ssd_table_is_refused_saying_so(signed_in: dict[str, Client]) -> None:
    response = _upload(signed_in["analyst"], [_csv("caseload.csv", ["worker,children", "W1,55"])])
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED
    messages = [p["message"] for p in data_import.problems or [] if p["severity"] == "error"]
    assert (
        "Nothing in the upload could be read: each file must have the columns of one of the SSD tables iroscope reads."
        in messages
    )
    assert signed_in["analyst"].get(response["Location"]).status_code == 200


def test_a_review_with_an_impossible_date_is_an_error_at_its_row_and_column(signed_in: dict[str, Client]) -> None:
    reviews = [*CLA_REVIEWS[:2], "R2,CLA1,2025-01-14,2025-02-30,N,PN1", *CLA_REVIEWS[3:]]
    files = _export_files({**EXPORT, "ssd_cla_reviews.csv": reviews})
    assert _upload(signed_in["analyst"], files).status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED
    located = [
        (p["file"], p["row"], p["column"], p["value"]) for p in data_import.problems or [] if p["severity"] == "error"
    ]
    assert located == [("ssd/ssd_cla_reviews.csv", 3, "clar_cla_review_date", "2025-02-30")]


def test_beside_a_stored_activity_workbook_the_export_does_not_replace_its_iro_staff_or_allocations(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    """The hand-made authority's IRO staff (I1, I2) and four allocations came from the activity workbook:
    the service's own record wins, so the export's W1 and its two allocations are not used, and it says so."""
    before = dataset_from_database(provenance=True)
    client = signed_in["analyst"]
    assert _upload(client, _export_files()).status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.CHECKED, data_import.problems
    not_used = {(p["file"], p["message"]) for p in data_import.problems or [] if p["check"] == "ssd_not_used"}
    assert not_used == {
        ("ssd/ssd_professionals.csv", "The activity workbook holds IRO staff, so the SSD's are not used."),
        ("ssd/ssd_involvements.csv", "The activity workbook holds IRO allocations, so the SSD's are not used."),
    }
    assert {name: rows for name, rows in data_import.counts.items() if rows} == {"permanence_plans": 1}

    assert client.post(f"/imports/{data_import.token}/confirm/").status_code == 302
    after = dataset_from_database(provenance=True)
    for name in ("iro_staff", "iro_allocations"):
        columns = ["iro_id", "start_date"] if name == "iro_staff" else ["child_id", "iro_id", "start_date"]
        assert (
            after[name].select(*columns, SOURCE_COLUMN).sort(columns).rows()
            == before[name].select(*columns, SOURCE_COLUMN).sort(columns).rows()
        ), name
    assert after["iro_allocations"]["iro_id"].sort().to_list() == ["I1", "I1", "I1", "I2"]


def test_a_second_export_takes_the_place_of_the_first_and_keeps_a_review_recorded_in_the_workspace(
    signed_in: dict[str, Client],
) -> None:
    """With nothing but an export stored, a later export (A's 1 July 2025 review no longer in it)
    replaces the earlier export's rows; B's review of 10 March 2025 (B is 3: PN0) recorded in the workspace stays."""
    client = signed_in["analyst"]
    assert _upload(client, _export_files()).status_code == 302
    assert client.post(f"/imports/{_latest().token}/confirm/").status_code == 302
    assert signed_in["manager"].post("/children/B/reviews/new/", review_post(D(2025, 3, 10), "PN0")).status_code == 302

    later = [line for line in CLA_REVIEWS if not line.startswith("R3,")]
    assert _upload(client, _export_files({**EXPORT, "ssd_cla_reviews.csv": later})).status_code == 302
    second = _latest()
    assert second.outcome == Outcome.CHECKED, second.problems
    assert second.changes["reviews"]["removed"] == 1
    assert client.post(f"/imports/{second.token}/confirm/").status_code == 302
    reviews = dataset_from_database(provenance=True)["reviews"].sort("child_id", "review_date")
    assert reviews.select("child_id", "review_date", SOURCE_COLUMN).rows() == [
        ("A", D(2024, 10, 15), Source.SSD),
        ("A", D(2025, 1, 10), Source.SSD),
        ("B", D(2024, 5, 29), Source.SSD),
        ("B", D(2025, 3, 10), Source.WORKSPACE),
    ]


def test_a_full_disk_when_confirming_beside_a_stored_return_stores_nothing_and_says_why(
    signed_in: dict[str, Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset_replace(dataset=_return_without_iros())
    before = dataset_from_database(provenance=True)
    client = signed_in["analyst"]
    assert _upload(client, _export_files()).status_code == 302
    data_import = _latest()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The stored returns are written beside the export by `write_stored_sources` (web/records/services).
    monkeypatch.setattr(records_services, "write_ssda903_year", disk_full)
    response = client.post(f"/imports/{data_import.token}/confirm/")
    assert response.status_code == 409
    assert "the server could not write the stored returns it is read beside. Nothing was stored." in (
        response.content.decode()
    )
    data_import.refresh_from_db()
    assert data_import.outcome == Outcome.ABANDONED
    assert dataset_from_database(provenance=True).same_as(before)
    assert not staging_folder(data_import).exists()


@pytest.mark.usefixtures("each_database")
def test_iroscope_load_of_an_ssd_export_alone_keeps_the_stored_return_and_what_was_recorded(
    signed_in: dict[str, Client], tmp_path: Path
) -> None:
    """The command line's load reads the export beside the stored returns, as the import page does:
    the export's episodes and reviews that differ from the return's are not added beside them."""
    dataset_replace(dataset=_return_without_iros())
    assert signed_in["manager"].post("/children/C/reviews/new/", review_post(D(2025, 3, 10))).status_code == 302
    before = dataset_from_database(provenance=True)

    folder = write_ssd(tmp_path / "export")
    loaded = dataset_load_folder(folder=folder, replace_stored=False)
    assert loaded.stored is not None, loaded.result.problems.frame.filter(severity="error").to_dicts()
    after = dataset_from_database(provenance=True)
    for name in CANONICAL:
        assert _canonical(after, name) == _canonical(before, name), name
    assert after["reviews"].filter(pl.col(SOURCE_COLUMN) == Source.WORKSPACE).select(
        "child_id", "review_date"
    ).rows() == [("C", D(2025, 3, 10))]
    assert sorted(after["iro_allocations"].filter(pl.col(SOURCE_COLUMN) == Source.SSD)["child_id"]) == ["A", "B"]


@pytest.mark.usefixtures("each_database")
def test_iroscope_load_of_a_second_export_takes_the_place_of_the_first(
    signed_in: dict[str, Client], tmp_path: Path
) -> None:
    """With nothing but an export stored, a later one loaded by the command line replaces its rows, as
    on the import page: there is no stored return to read it beside."""
    assert dataset_load_folder(folder=write_ssd(tmp_path / "first")).stored is not None
    later = [line for line in CLA_REVIEWS if not line.startswith("R3,")]
    loaded = dataset_load_folder(folder=write_ssd(tmp_path / "later", {**EXPORT, "ssd_cla_reviews.csv": later}))
    assert loaded.stored is not None, loaded.result.problems.frame.filter(severity="error").to_dicts()
    reviews = dataset_from_database(provenance=True)["reviews"].sort("child_id", "review_date")
    assert reviews.select("child_id", "review_date", SOURCE_COLUMN).rows() == [
        ("A", D(2024, 10, 15), Source.SSD),
        ("A", D(2025, 1, 10), Source.SSD),
        ("B", D(2024, 5, 29), Source.SSD),
    ]
