"""Everything recorded can leave the system: `iroscope export` and the managers' download write the
whole stored dataset, workspace recordings included, as a data folder that `iroscope validate`
passes and `iroscope load` reads back to the same rows and the same figures."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import ADDED_AT_COLUMN, ADDED_BY_COLUMN, SOURCE_COLUMN, Dataset
from iroscope.data.schema import ALL_TABLES
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_replace
from tests.web.journey import TODAY, loaded_and_recorded
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

runner = CliRunner()


def _rows(dataset: Dataset, table: str) -> pl.DataFrame:
    """A table's rows with where each came from; who added a row and when only for those recorded in
    the workspace (a load stamps the rows it brings with itself)."""
    columns = [column.name for column in next(t for t in ALL_TABLES if t.name == table).columns]
    frame = dataset[table]
    recorded = pl.col(SOURCE_COLUMN) == "workspace"
    return frame.select(
        *columns,
        SOURCE_COLUMN,
        pl.when(recorded).then(pl.col(ADDED_BY_COLUMN)).alias("by"),
        pl.when(recorded).then(pl.col(ADDED_AT_COLUMN)).alias("at"),
    ).sort(columns, nulls_last=True)


def _kpis(folder: Path) -> dict[str, object]:
    printed = runner.invoke(app, ["kpis", str(folder), "--year", "2025-26", "--json", "--today", TODAY.isoformat()])
    assert printed.exit_code == 0, printed.output
    figures: dict[str, object] = json.loads(printed.stdout)
    return figures


@pytest.mark.django_db
def test_an_export_loads_back_to_identical_rows_and_figures_and_passes_validation(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    loaded_and_recorded(authority_folder, as_manager)
    before = dataset_from_database(provenance=True)

    exported = runner.invoke(app, ["export", str(tmp_path / "export")])
    assert exported.exit_code == 0, exported.output
    assert "rows recorded in the workspace" in exported.output
    assert (tmp_path / "export" / "workspace" / "reviews.csv").is_file()
    checked = runner.invoke(app, ["validate", str(tmp_path / "export"), "--today", TODAY.isoformat()])
    assert checked.exit_code == 0, checked.output

    dataset_replace(dataset=Dataset(tables={}))  # an empty database, as after restoring nothing
    loaded = runner.invoke(app, ["load", str(tmp_path / "export"), "--today", TODAY.isoformat()])
    assert loaded.exit_code == 0, loaded.output
    after = dataset_from_database(provenance=True)
    assert after.same_as(before)
    for table in ALL_TABLES:
        assert _rows(after, table.name).equals(_rows(before, table.name)), table.name

    again = runner.invoke(app, ["export", str(tmp_path / "again")])
    assert again.exit_code == 0, again.output
    assert _kpis(tmp_path / "again") == _kpis(tmp_path / "export")


@pytest.mark.django_db
def test_export_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("someone's notes", encoding="utf-8")
    refused = runner.invoke(app, ["export", str(tmp_path)])
    assert refused.exit_code == 2
    assert "is not an empty folder" in " ".join(refused.output.split())
    assert (tmp_path / "kept.txt").read_text(encoding="utf-8") == "someone's notes"


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("manager", ALLOW),
        ("analyst", DENY),
        ("allocated_iro", DENY),
        ("business_support", DENY),
        ("administrator", DENY),
        ("anonymous", SIGN_IN),
    ],
)
def test_only_a_manager_may_download_everything_stored(
    person: str, expected: int | str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert_allowed_or_refused(client_for(person, signed_in).get("/imports/export/"), expected)


def test_the_download_is_a_zip_of_the_data_folder_and_is_audited(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["manager"].get("/imports/export/")
    assert response["Content-Disposition"].startswith('attachment; filename="iroscope-export-')
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "iroscope-export/ssda903/2024-25/header.csv" in names and "iroscope-export/activity.xlsx" in names
    event = AuditEvent.objects.get(action=Action.EXPORT_DATASET)
    assert event.username == "manager" and event.after == {"children": 4, "rows recorded": 0}
