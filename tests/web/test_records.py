from __future__ import annotations

from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.db import IntegrityError, models
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import Dataset
from iroscope.data.schema import ALL_TABLES, Kind
from iroscope.data.writers import write_data_folder
from iroscope.synth.generator import SynthConfig, generate
from iroscope.web.records.models import DATASET_MODELS, PROVENANCE_FIELDS
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_replace
from tests.conftest import TODAY
from tests.web.conftest import hand_made_authority

FIELD_FOR_KIND = {
    Kind.TEXT: models.TextField,
    Kind.CODE: models.TextField,
    Kind.POSTCODE: models.TextField,
    Kind.DATE: models.DateField,
    Kind.INTEGER: models.BigIntegerField,
    Kind.DECIMAL: models.FloatField,
    Kind.CODES: models.JSONField,
}


@pytest.fixture(scope="module")
def synthetic() -> Dataset:
    # Seed 3 at this size currently fails inside the generator (no IRO in post on some day); seed 1 works.
    return generate(SynthConfig(children=60, years=2, seed=1), today=TODAY)


def test_every_schema_table_has_a_model_with_the_same_columns_nulls_and_key_and_where_each_row_came_from() -> None:
    assert list(DATASET_MODELS) == [table.name for table in ALL_TABLES]
    for table in ALL_TABLES:
        model = DATASET_MODELS[table.name]
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        assert [field.name for field in fields] == [*table.column_names, *PROVENANCE_FIELDS]
        fields = fields[: len(table.columns)]
        for field, column in zip(fields, table.columns, strict=True):
            assert type(field) is FIELD_FOR_KIND[column.kind], (table.name, column.name)
            assert field.null is (not column.required), (table.name, column.name)
        (constraint,) = model._meta.constraints
        assert isinstance(constraint, models.UniqueConstraint)
        assert tuple(constraint.fields) == table.key


@pytest.mark.django_db
def test_the_migrations_match_the_models() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    "alias",
    [
        pytest.param("default", marks=pytest.mark.django_db(databases=["default"]), id="sqlite"),
        pytest.param(
            "postgres", marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["postgres"])], id="postgresql"
        ),
    ],
)
def test_a_synthetic_authority_comes_back_from_the_database_unchanged(alias: str, synthetic: Dataset) -> None:
    counts = dataset_replace(dataset=synthetic, using=alias)
    assert counts["children"] == synthetic["children"].height > 0
    assert dataset_from_database(using=alias).same_as(synthetic)


@pytest.mark.django_db
def test_a_failed_load_leaves_the_stored_dataset_as_it_was() -> None:
    original = hand_made_authority()
    dataset_replace(dataset=original)
    broken = hand_made_authority()
    children = broken.tables["children"]
    broken.tables["children"] = pl.concat([children, children])  # the same child twice breaks the key
    with pytest.raises(IntegrityError):
        dataset_replace(dataset=broken)
    assert dataset_from_database().same_as(original)


@pytest.mark.django_db(transaction=True)
def test_iroscope_load_stores_a_clean_folder_and_refuses_one_with_errors(tmp_path: Path, synthetic: Dataset) -> None:
    runner = CliRunner()
    folder = tmp_path / "data"
    write_data_folder(synthetic, folder)
    loaded = runner.invoke(app, ["load", str(folder), "--today", TODAY.isoformat()])
    assert loaded.exit_code == 0, loaded.output
    assert "84 children are stored" in loaded.output

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "header.csv").write_text("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA,X,01/01/2012,WBRI,UN2,,\n")
    refused = runner.invoke(app, ["load", str(bad)])
    assert refused.exit_code == 1
    assert "Nothing was loaded" in refused.output and "is not a sex code" in refused.output
    assert dataset_from_database().same_as(synthetic)  # still the first load
