"""Backing up and restoring the workspace's database exactly as docs/deployment.md says, on SQLite and
on PostgreSQL: what is exported after the restore is what was exported before it, rows recorded in
the workspace (with who recorded them and when) included. Each command runs in a fresh Python, as
from a shell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings

from iroscope.data.dataset import ADDED_AT_COLUMN, ADDED_BY_COLUMN, SOURCE_COLUMN, Dataset, Source
from iroscope.data.folder import read_data_folder
from iroscope.data.writers import write_data_folder
from tests.web.conftest import hand_made_authority
from tests.web.test_commands import iroscope

RECORDED_AT = dt.datetime(2025, 3, 20, 14, 30, tzinfo=dt.UTC)


def _folder_with_a_recording(tmp_path: Path) -> Path:
    """The hand-made authority, with A's review of 15 August 2024 recorded in the workspace by an IRO."""
    authority = hand_made_authority()
    is_recorded = (pl.col("child_id") == "A") & (pl.col("review_date") == dt.date(2024, 8, 15))
    reviews = authority["reviews"].with_columns(
        pl.when(is_recorded).then(pl.lit(Source.WORKSPACE)).otherwise(pl.col(SOURCE_COLUMN)).alias(SOURCE_COLUMN),
        pl.when(is_recorded).then(pl.lit("an.iro")).alias(ADDED_BY_COLUMN),
        pl.when(is_recorded).then(pl.lit(RECORDED_AT)).alias(ADDED_AT_COLUMN),
    )
    dataset = dataclasses.replace(authority, tables=dict(authority.tables) | {"reviews": reviews})
    return write_data_folder(dataset, tmp_path / "data")


def _run(*arguments: str, database_url: str, data_dir: Path) -> str:
    done = iroscope(*arguments, database_url=database_url, data_dir=data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _exported(folder: Path) -> Dataset:
    read = read_data_folder(folder, today=dt.date(2025, 3, 31))
    assert not read.problems.has_errors, read.problems.frame
    return read.dataset


def _assert_the_same_with_the_recording(before: Dataset, after: Dataset) -> None:
    assert after.same_as(before)
    recorded = after["reviews"].filter(pl.col(SOURCE_COLUMN) == Source.WORKSPACE)
    assert recorded.select("child_id", "review_date", ADDED_BY_COLUMN, ADDED_AT_COLUMN).rows() == [
        ("A", dt.date(2024, 8, 15), "an.iro", RECORDED_AT)
    ]


def test_a_sqlite_backup_restored_in_place_of_a_lost_database_gives_everything_back(tmp_path: Path) -> None:
    data_dir = tmp_path / "workspace"
    data_dir.mkdir()
    database = data_dir / "iroscope.sqlite3"
    url = f"sqlite:///{database}"
    _run("load", str(_folder_with_a_recording(tmp_path)), "--today", "2025-03-31", database_url=url, data_dir=data_dir)
    _run("export", str(tmp_path / "before"), database_url=url, data_dir=data_dir)

    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(database) as source, sqlite3.connect(backup) as copy:
        source.backup(copy)  # what `sqlite3 FILE ".backup COPY"` does
    for path in data_dir.glob("iroscope.sqlite3*"):
        path.unlink()  # the database is lost
    shutil.copyfile(backup, database)

    _run("export", str(tmp_path / "after"), database_url=url, data_dir=data_dir)
    _assert_the_same_with_the_recording(_exported(tmp_path / "before"), _exported(tmp_path / "after"))


@pytest.mark.postgres
def test_a_postgresql_dump_restored_into_a_new_database_gives_everything_back(tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore (Debian's postgresql-client) are not installed")
    config = settings.DATABASES["postgres"]
    server = ["--host", config["HOST"] or "127.0.0.1", "--port", str(config["PORT"] or 5432)]
    server += ["--username", config["USER"] or "postgres"]
    name = f"iroscope_backup_{secrets.token_hex(4)}"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    url = f"postgres://{config['USER']}{password}@{config['HOST']}:{config['PORT'] or 5432}/{name}"
    environment = {"PGPASSWORD": config["PASSWORD"] or ""}
    data_dir = tmp_path / "workspace"

    def postgres(*command: str) -> None:
        done = subprocess.run([*command], capture_output=True, text=True, timeout=120, check=False, env=environment)
        assert done.returncode == 0, done.stderr

    postgres("createdb", *server, name)
    try:
        folder = _folder_with_a_recording(tmp_path)
        _run("load", str(folder), "--today", "2025-03-31", database_url=url, data_dir=data_dir)
        _run("export", str(tmp_path / "before"), database_url=url, data_dir=data_dir)
        dump = tmp_path / "iroscope.dump"
        postgres("pg_dump", *server, "--format=custom", f"--file={dump}", name)
        postgres("dropdb", *server, name)  # the database is lost
        postgres("createdb", *server, name)
        postgres("pg_restore", *server, "--no-owner", f"--dbname={name}", str(dump))
        _run("export", str(tmp_path / "after"), database_url=url, data_dir=data_dir)
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], capture_output=True, timeout=60, check=False)
    _assert_the_same_with_the_recording(_exported(tmp_path / "before"), _exported(tmp_path / "after"))
