"""Imports through the pages: who may use them, the validation report, confirming all or nothing,
bad input refused with nothing lost, the history, and the dashboard's figures equal to the command
line's when the same authority is loaded through the web import.

The synthetic authority is made once for the module by `iroscope synth` (seed fixed by the command);
the counts expected are what `read_data_folder` reads from the same files, which the command line uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import Dataset
from iroscope.data.folder import read_data_folder
from iroscope.data.schema import ALL_TABLES, SSDA903_TABLES
from iroscope.data.writers import write_ssda903_year
from iroscope.metrics.dashboard import headlines_shown
from iroscope.metrics.registry import Figure, all_kpis
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.dashboard.selectors import figure_text
from iroscope.web.imports.models import DataImport, ImportKind, Outcome
from iroscope.web.imports.services import imports_clean_stale, staging_folder
from iroscope.web.records.selectors import dataset_from_database, dataset_is_loaded
from iroscope.web.records.services import dataset_replace
from tests.conftest import FAKE_903
from tests.web.conftest import hand_made_authority
from tests.web.test_dashboard import _cell
from tests.web.test_practice_settings import default_form
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

SYNTH_TODAY = "2026-05-01"
YEAR = 2025  # the synthetic authority's latest collection year, 2025-26
IMPORTERS = {"analyst", "manager"}
OTHERS = {"allocated_iro", "colleague_iro", "business_support", "administrator", "no_role"}
NOT_FOUND = 404


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-child authority over two years (2024-25 and 2025-26), as `iroscope synth` writes it."""
    folder = tmp_path_factory.mktemp("imports") / "authority"
    made = CliRunner().invoke(
        app, ["synth", "--out", str(folder), "--children", "60", "--years", "2", "--today", SYNTH_TODAY]
    )
    assert made.exit_code == 0, made.output
    return folder


def _year_files(folder: Path, year: int = YEAR) -> list[Path]:
    return sorted((folder / "ssda903" / f"{year}-{(year + 1) % 100:02d}").glob("*.csv"))


def _as_uploads(paths: list[Path]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv") for path in paths]


def _zip_of(paths: list[Path], *, folder: str = "") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in paths:
            archive.write(path, folder + path.name)
    return SimpleUploadedFile("return.zip", buffer.getvalue(), content_type="application/zip")


def _upload(
    client: Client, files: list[SimpleUploadedFile], *, kind: str = "ssda903", year: int | None = YEAR
) -> _MonkeyPatchedWSGIResponse:
    data: dict[str, object] = {"kind": kind, "upload": files}
    if year is not None:
        data["year"] = str(year)
    return client.post("/imports/new/", data)


def _latest() -> DataImport:
    found = DataImport.objects.order_by("-id").first()
    assert found is not None
    return found


def _only_year(synthetic: Path, tmp_path: Path, year: int = YEAR) -> Path:
    """A data folder holding just one year's return, as the command line would read it."""
    folder = tmp_path / "one-year"
    shutil.copytree(
        synthetic / "ssda903" / f"{year}-{(year + 1) % 100:02d}", folder / "ssda903" / f"{year}-{(year + 1) % 100:02d}"
    )
    return folder


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


# -- who may import ----------------------------------------------------------------------------------


@pytest.fixture
def analysts_import(signed_in: dict[str, Client], synthetic: Path) -> DataImport:
    """An upload by the analyst that was abandoned: walking its confirm and abandon pages changes nothing."""
    response = _upload(signed_in["analyst"], _as_uploads(_year_files(synthetic)))
    assert response.status_code == 302
    data_import = _latest()
    signed_in["analyst"].post(f"/imports/{data_import.token}/abandon/")
    return data_import


def _walk(person: str, url_name: str, token: str) -> tuple[str, str, int | str]:
    """The request for `url_name` and what `person` should get. Only the person who uploaded may see
    the report of an upload (the manager may import too, but not act on the analyst's upload)."""
    method, path = {
        "imports": ("get", "/imports/"),
        "import-new": ("get", "/imports/new/"),
        "import-report": ("get", f"/imports/{token}/"),
        "import-confirm": ("post", f"/imports/{token}/confirm/"),
        "import-abandon": ("post", f"/imports/{token}/abandon/"),
    }[url_name]
    if person == "anonymous":
        return method, path, SIGN_IN
    if person in OTHERS:
        return method, path, DENY
    owner_gets = {"import-confirm": 409, "import-abandon": 302}.get(url_name, ALLOW)
    if url_name in {"import-report", "import-confirm", "import-abandon"}:
        return method, path, owner_gets if person == "analyst" else NOT_FOUND
    return method, path, ALLOW


@pytest.mark.parametrize("person", [*sorted(IMPORTERS), *sorted(OTHERS), "anonymous"])
@pytest.mark.parametrize("url_name", ["imports", "import-new", "import-report", "import-confirm", "import-abandon"])
def test_each_person_is_allowed_or_refused_each_imports_page(
    person: str, url_name: str, analysts_import: DataImport, signed_in: dict[str, Client]
) -> None:
    client = client_for(person, signed_in)
    method, path, expected = _walk(person, url_name, str(analysts_import.token))
    response = getattr(client, method)(path)
    assert_allowed_or_refused(response, expected)


def test_the_header_offers_imports_to_analysts_and_managers_only(signed_in: dict[str, Client]) -> None:
    link = 'href="/imports/">Imports</a>'
    for person in IMPORTERS:
        assert link in signed_in[person].get("/").content.decode(), person
    for person in OTHERS - {"no_role"}:
        assert link not in signed_in[person].get("/").content.decode(), person


# -- a clean year --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("each_database")
@pytest.mark.parametrize("as_zip", [False, True], ids=["csv-files", "zip"])
def test_a_clean_year_is_reported_then_stored_exactly_as_the_command_line_reads_it(
    as_zip: bool, synthetic: Path, tmp_path: Path, signed_in: dict[str, Client]
) -> None:
    files = _year_files(synthetic)
    expected = read_data_folder(_only_year(synthetic, tmp_path), today=_today())
    assert expected.problems.error_count == 0
    client = signed_in["analyst"]

    response = _upload(client, [_zip_of(files)] if as_zip else _as_uploads(files))
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.CHECKED and data_import.error_count == 0
    assert data_import.file_names == [path.name for path in files]
    page = client.get(response["Location"]).content.decode()
    assert "0 errors" in page and "No errors." in page
    for table in ALL_TABLES:
        assert data_import.counts[table.name] == expected.dataset[table.name].height, table.name
    children = expected.dataset["children"].height
    # Nothing was stored before: every child is added, none changed or removed.
    assert re.search(
        rf"Children \(SSDA903 Header\)</th>\s*<td[^>]*>{children}</td>\s*<td[^>]*>0</td>\s*<td[^>]*>0</td>",
        page,
    )
    assert not dataset_is_loaded()

    confirmed = client.post(f"/imports/{data_import.token}/confirm/")
    assert confirmed.status_code == 302
    assert dataset_from_database().same_as(expected.dataset)
    data_import.refresh_from_db()
    assert data_import.outcome == Outcome.LOADED and data_import.counts["children"] == children
    assert not staging_folder(data_import).exists()
    loaded = AuditEvent.objects.filter(action=Action.LOAD_DATASET, table="imports").get()
    assert loaded.username == "analyst" and loaded.after is not None and loaded.after["children"] == children


@pytest.mark.django_db
def test_a_return_uploaded_as_its_xml_file_is_stored_as_the_same_rows_as_its_csv_files(
    synthetic: Path, tmp_path: Path, signed_in: dict[str, Client]
) -> None:
    expected = read_data_folder(_only_year(synthetic, tmp_path), today=_today())
    client = signed_in["analyst"]
    response = _upload(client, _as_uploads(write_ssda903_year(expected.dataset, YEAR, tmp_path / "xml", form="xml")))
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.CHECKED and data_import.error_count == 0
    assert data_import.file_names == ["ssda903.xml"]
    for table in SSDA903_TABLES:
        assert data_import.counts[table.name] == expected.dataset[table.name].height, table.name
    assert client.post(f"/imports/{data_import.token}/confirm/").status_code == 302
    assert dataset_from_database().same_as(expected.dataset)


@pytest.mark.django_db
def test_a_second_year_is_added_beside_the_stored_one(
    synthetic: Path, tmp_path: Path, signed_in: dict[str, Client]
) -> None:
    client = signed_in["manager"]
    for year in (2024, 2025):
        assert _upload(client, _as_uploads(_year_files(synthetic, year)), year=year).status_code == 302
        assert client.post(f"/imports/{_latest().token}/confirm/").status_code == 302
    both = tmp_path / "both"
    shutil.copytree(synthetic / "ssda903", both / "ssda903")
    assert dataset_from_database().same_as(read_data_folder(both, today=_today()).dataset)
    assert dataset_from_database().years == (2024, 2025)


@pytest.mark.django_db
def test_a_new_return_keeps_the_practice_set_on_the_settings_page(
    synthetic: Path, signed_in: dict[str, Client]
) -> None:
    """A return replaces the data, not the service's settings: the upload holds no settings, and the
    midway fraction set by the manager (a quarter, not the default half) stays in force."""
    manager = signed_in["manager"]
    assert manager.post("/settings/", default_form(midway_review_fraction="0.25")).status_code == 302
    assert _upload(manager, _as_uploads(_year_files(synthetic))).status_code == 302
    assert manager.post(f"/imports/{_latest().token}/confirm/").status_code == 302
    assert dataset_from_database().practice.midway_review_fraction == 0.25


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("each_database")
def test_the_dfe_messy_return_is_refused_with_its_errors_and_nothing_stored_changes(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = signed_in["analyst"]
    messy = sorted(FAKE_903.glob("*.csv"))
    response = _upload(client, _as_uploads(messy), year=2024)
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED and data_import.error_count > 0
    page = client.get(response["Location"]).content.decode()
    assert f"{data_import.error_count} errors" in page
    listed = page.split('id="errors"')[1].split('id="warnings"')[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", listed, re.S)]
    in_the_return = [row for row in rows if row and row[0].startswith("ssda903/2024-25/")]
    assert in_the_return, rows[:5]
    assert all(row[0].endswith(".csv") and row[1].strip().isdigit() and row[4].strip() for row in in_the_return)
    assert "cannot be loaded" in page and "Confirm and load" not in page

    refused = client.post(f"/imports/{data_import.token}/confirm/")
    assert refused.status_code == 409
    assert "This upload cannot be loaded" in refused.content.decode()
    assert dataset_from_database().same_as(authority)


def test_wrong_kinds_of_file_are_refused_with_a_clear_error(
    synthetic: Path, signed_in: dict[str, Client], authority: Dataset
) -> None:
    client = signed_in["analyst"]
    csv = _year_files(synthetic)
    cases = {
        "notes.txt is not": [SimpleUploadedFile("notes.txt", b"hello")],
        "ssda903.xml is not an XML file": [SimpleUploadedFile("ssda903.xml", b"\x89PNG\r\n\x1a\n\x00\x00")],
        "The selected file header.csv is empty": [SimpleUploadedFile("header.csv", b"")],
        "Select the files to upload": [],
        "header.csv is not a CSV file": [SimpleUploadedFile("header.csv", b"\x89PNG\r\n\x1a\n\x00\x00")],
        "return.zip has a folder": [_zip_of(csv, folder="2025-26/")],
        "or one zip file of them, not both": [*_as_uploads(csv[:1]), _zip_of(csv)],
        "return.zip is not a zip file": [SimpleUploadedFile("return.zip", b"not a zip")],
    }
    for message, files in cases.items():
        response = _upload(client, files)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    workbook = _upload(client, _as_uploads(csv[:1]), kind="activity", year=None)
    assert "Select one activity workbook, an Excel file ending .xlsx" in workbook.content.decode()
    no_year = _upload(client, _as_uploads(csv), year=None)
    assert "Select the collection year of the 903 return" in no_year.content.decode()
    assert not DataImport.objects.exists()
    assert dataset_from_database().same_as(authority)


def test_a_zip_holding_another_kind_of_file_is_refused(signed_in: dict[str, Client], db: None) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
        archive.writestr("notes.docx", "not a return")
    response = _upload(signed_in["analyst"], [SimpleUploadedFile("return.zip", buffer.getvalue())])
    assert response.status_code == 400
    assert "The zip file must hold only CSV files: notes.docx is not a CSV file" in response.content.decode()


def test_a_zip_cannot_write_outside_its_staging_folder(signed_in: dict[str, Client], db: None) -> None:
    for sneaky in ("../header.csv", "/tmp/header.csv"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(sneaky, "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n")
        response = _upload(signed_in["analyst"], [SimpleUploadedFile("return.zip", buffer.getvalue())])
        assert response.status_code == 400, sneaky
        assert "with no folders: return.zip has a folder" in response.content.decode(), sneaky
    hidden = _upload(signed_in["analyst"], [SimpleUploadedFile(".header.csv", b"CHILD\n1\n")])
    assert "The selected file .header.csv is a hidden or temporary file" in hidden.content.decode()
    assert not DataImport.objects.exists()


def test_a_zip_named_as_a_workbook_is_refused_with_its_error_not_a_crash(
    signed_in: dict[str, Client], db: None
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    fake = SimpleUploadedFile("activity.xlsx", buffer.getvalue())
    response = _upload(signed_in["analyst"], [fake], kind="activity", year=None)
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED and data_import.file_names == ["activity.xlsx"]
    page = signed_in["analyst"].get(response["Location"]).content.decode()
    assert "Nothing in the upload could be read" in page
    assert str(staging_folder(data_import)) not in page


def test_an_xml_return_with_an_entity_attack_is_refused_saying_why(signed_in: dict[str, Client], db: None) -> None:
    attack = (
        b'<?xml version="1.0"?>\n<!DOCTYPE EXPSSDA903 [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        b"<EXPSSDA903><CHILD><HEADER><CHILDID>&b;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    )
    response = _upload(signed_in["analyst"], [SimpleUploadedFile("return.xml", attack)])
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED
    page = signed_in["analyst"].get(response["Location"]).content.decode()
    assert "The file has a document type declaration declaring the entities &#x27;a&#x27;, &#x27;b&#x27;" in page
    assert "Nothing in the upload could be read" in page
    assert str(staging_folder(data_import)) not in page


def test_a_file_over_the_size_limit_is_refused(signed_in: dict[str, Client], db: None, settings: object) -> None:
    settings.ENV = dataclasses.replace(settings.ENV, import_max_megabytes=1)  # type: ignore[attr-defined]
    big = SimpleUploadedFile("header.csv", b"CHILD,SEX\n" + b"1,M\n" * 300_000)  # 1.2MB
    response = _upload(signed_in["analyst"], [big])
    assert response.status_code == 400
    assert "The selected files must be smaller than 1MB in all" in response.content.decode()


@pytest.mark.django_db
def test_the_limits_on_rows_and_cells_are_settings_and_a_file_past_them_is_refused_by_name(
    synthetic: Path, tmp_path: Path, signed_in: dict[str, Client], settings: object
) -> None:
    settings.ENV = dataclasses.replace(  # type: ignore[attr-defined]
        settings.ENV,  # type: ignore[attr-defined]
        import_max_cell_characters=100,
        import_max_rows=100_000,
    )
    folder = tmp_path / "long"
    folder.mkdir()
    for path in _year_files(synthetic):
        shutil.copy(path, folder / path.name)
    header = (folder / "header.csv").read_text().splitlines()
    first_child = header[1].split(",")
    first_child[4] = "U" * 101  # UPN
    header[1] = ",".join(first_child)
    (folder / "header.csv").write_text("\n".join(header) + "\n")

    response = _upload(signed_in["analyst"], _as_uploads(sorted(folder.glob("*.csv"))))
    assert _latest().outcome == Outcome.REFUSED
    page = signed_in["analyst"].get(response["Location"]).content.decode()
    assert "This cell holds 101 characters: more than 100, the most one cell may hold." in page

    settings.ENV = dataclasses.replace(settings.ENV, import_max_rows=1)  # type: ignore[attr-defined]
    response = _upload(signed_in["analyst"], _as_uploads(_year_files(synthetic)))
    page = signed_in["analyst"].get(response["Location"]).content.decode()
    assert "more than 1, the most one file or sheet may have" in page


@pytest.mark.django_db
def test_wrong_columns_impossible_dates_and_repeated_rows_are_errors_naming_file_row_and_column(
    synthetic: Path, tmp_path: Path, signed_in: dict[str, Client]
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    for path in _year_files(synthetic):
        shutil.copy(path, folder / path.name)
    header = (folder / "header.csv").read_text().splitlines()
    first_child = header[1].split(",")
    first_child[2] = "31/02/2015"  # DOB: there is no 31 February
    header[1] = ",".join(first_child)
    (folder / "header.csv").write_text("\n".join(header) + "\n")
    episodes = (folder / "episodes.csv").read_text().splitlines()
    (folder / "episodes.csv").write_text("\n".join([*episodes, episodes[1]]) + "\n")  # the first episode twice
    (folder / "uasc.csv").write_text("CHILD,COLOUR\n1,blue\n")  # columns of no table in the return

    response = _upload(signed_in["analyst"], _as_uploads(sorted(folder.glob("*.csv"))))
    assert response.status_code == 302
    data_import = _latest()
    assert data_import.outcome == Outcome.REFUSED
    page = signed_in["analyst"].get(response["Location"]).content.decode()
    errors = page.split('id="errors"')[1].split('id="warnings"')[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", errors, re.S)]
    rows = [[cell.strip() for cell in row] for row in rows if row]
    label = "ssda903/2025-26/"
    assert any(
        row[0] == label + "header.csv"
        and row[1] == "2"
        and row[2] == first_child[0]  # the child whose row it is
        and row[3] == "DOB"
        and row[4] == "31/02/2015"
        for row in rows
    ), rows
    assert any(row[0] == label + "episodes.csv" and row[1] == str(len(episodes) + 1) for row in rows), rows
    assert any(row[0] == label + "uasc.csv" for row in rows), rows


@pytest.mark.django_db
def test_a_return_of_a_named_year_is_refused_beside_stored_returns_without_one(
    synthetic: Path, signed_in: dict[str, Client]
) -> None:
    dataset_replace(dataset=dataclasses.replace(hand_made_authority(), years=()))  # as from loose CSV files
    response = _upload(signed_in["analyst"], _as_uploads(_year_files(synthetic)))
    page = signed_in["analyst"].get(response["Location"]).content.decode()
    assert "must both be in folders named for their years (ssda903/2024-25/) for them to be kept side by side" in page
    assert _latest().outcome == Outcome.REFUSED
    assert dataset_from_database()["children"].height == 4  # A, B, C and D, as stored before


# -- what happens after the check --------------------------------------------------------------------


@pytest.mark.django_db
def test_confirming_is_refused_when_the_stored_data_changed_after_the_check(
    synthetic: Path, signed_in: dict[str, Client], authority: Dataset
) -> None:
    client = signed_in["analyst"]
    assert _upload(client, _as_uploads(_year_files(synthetic))).status_code == 302
    data_import = _latest()
    dataset_replace(dataset=authority)  # someone loads from the command line meanwhile
    response = client.post(f"/imports/{data_import.token}/confirm/")
    assert response.status_code == 409
    assert "The stored data changed after this upload was checked" in response.content.decode()
    data_import.refresh_from_db()
    assert data_import.outcome == Outcome.ABANDONED
    assert dataset_from_database().same_as(authority)


@pytest.mark.django_db
def test_an_upload_left_for_a_day_is_abandoned_and_its_files_removed(
    synthetic: Path, signed_in: dict[str, Client]
) -> None:
    assert _upload(signed_in["analyst"], _as_uploads(_year_files(synthetic))).status_code == 302
    data_import = _latest()
    assert staging_folder(data_import).is_dir()
    assert imports_clean_stale(now=data_import.started_at + dt.timedelta(hours=23)) == 0
    assert imports_clean_stale(now=data_import.started_at + dt.timedelta(hours=25)) == 1
    data_import.refresh_from_db()
    assert data_import.outcome == Outcome.ABANDONED and not staging_folder(data_import).exists()


@pytest.mark.django_db
def test_the_history_says_who_what_how_many_rows_and_the_outcome(synthetic: Path, signed_in: dict[str, Client]) -> None:
    analyst, manager = signed_in["analyst"], signed_in["manager"]
    _upload(analyst, _as_uploads(_year_files(synthetic)))
    loaded = _latest()
    analyst.post(f"/imports/{loaded.token}/confirm/")
    _upload(manager, _as_uploads(sorted(FAKE_903.glob("*.csv"))), year=2024)
    refused = _latest()
    _upload(manager, _as_uploads(_year_files(synthetic, 2024)), year=2024)
    abandoned = _latest()
    manager.post(f"/imports/{abandoned.token}/abandon/")

    page = manager.get("/imports/").content.decode()
    rows = {item.pk: page.split(f'id="import-{item.pk}"')[1].split("</tr>")[0] for item in (loaded, refused, abandoned)}
    loaded.refresh_from_db()
    assert "analyst" in rows[loaded.pk] and "SSDA903 return for 2025-26" in rows[loaded.pk]
    assert (
        "header.csv" in rows[loaded.pk] and f"Children (SSDA903 Header): {loaded.counts['children']}" in rows[loaded.pk]
    )
    assert "Loaded" in rows[loaded.pk]
    assert "manager" in rows[refused.pk] and f"Refused</strong> with {refused.error_count} errors" in rows[refused.pk]
    assert "Abandoned" in rows[abandoned.pk] and "SSDA903 return for 2024-25" in rows[abandoned.pk]
    audited = AuditEvent.objects.filter(table="imports")
    assert audited.filter(action=Action.CREATE).count() == 3  # every upload checked
    assert audited.filter(action=Action.LOAD_DATASET).count() == 1
    assert audited.filter(action=Action.UPDATE).count() == 1  # the one abandoned


@pytest.mark.django_db
def test_the_history_is_in_pages_of_50_newest_first_so_no_import_drops_out_of_sight(
    signed_in: dict[str, Client],
) -> None:
    first = timezone.make_aware(dt.datetime(2025, 4, 7, 9, 0))
    DataImport.objects.bulk_create(
        DataImport(
            username="analyst",
            started_at=first + dt.timedelta(days=7 * week),
            kind=ImportKind.SSDA903,
            outcome=Outcome.ABANDONED,
        )
        for week in range(55)
    )
    oldest, newest = DataImport.objects.order_by("started_at")[0], DataImport.objects.order_by("-started_at")[0]

    page_one = signed_in["manager"].get("/imports/").content.decode()
    assert page_one.count('id="import-') == 50
    assert f'id="import-{newest.pk}"' in page_one and f'id="import-{oldest.pk}"' not in page_one
    assert "Import history: imports 1 to 50 of 55, newest first" in page_one
    page_two = signed_in["manager"].get("/imports/?page=2").content.decode()
    assert page_two.count('id="import-') == 5
    assert f'id="import-{oldest.pk}"' in page_two and "7 April 2025" in page_two
    assert "imports 51 to 55 of 55" in page_two


# -- the test: the command line and the web import give the same figures ----------------------


@pytest.mark.django_db
def test_the_dashboard_figures_equal_the_command_lines_after_a_web_import(
    tmp_path: Path, signed_in: dict[str, Client]
) -> None:
    runner = CliRunner()
    folder = tmp_path / "authority"
    today = ["--today", SYNTH_TODAY]
    made = runner.invoke(app, ["synth", "--out", str(folder), "--children", "120", "--years", "2", *today])
    assert made.exit_code == 0, made.output
    printed = runner.invoke(app, ["kpis", str(folder), "--year", "2025-26", "--json", *today])
    assert printed.exit_code == 0, printed.output
    expected = json.loads(printed.output)

    analyst = signed_in["analyst"]
    uploads = [
        (_as_uploads(_year_files(folder, 2024)), "ssda903", 2024),
        (_as_uploads(_year_files(folder, 2025)), "ssda903", 2025),
        (_as_uploads([folder / "activity.xlsx"]), "activity", None),
    ]
    for files, kind, year in uploads:
        assert _upload(analyst, files, kind=kind, year=year).status_code == 302
        data_import = _latest()
        assert data_import.error_count == 0, data_import.reason
        assert analyst.post(f"/imports/{data_import.token}/confirm/").status_code == 302

    html = signed_in["manager"].get("/dashboard/?period=year-2025").content.decode()
    kpis = all_kpis()
    for kpi_id in headlines_shown(dataset_from_database(tables={"review_letters"})):
        figure = expected[kpi_id]
        shown = Figure(figure["value"], figure.get("numerator"), figure.get("denominator"))
        assert _cell(html, kpi_id) == figure_text(kpis[kpi_id], shown), kpi_id
