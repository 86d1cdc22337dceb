"""Imports benchmark: the time to import a 1,000-child SSDA903 year through the workspace's pages
(upload and check, read the report, confirm), on PostgreSQL, both into an empty database and beside
a year and an activity workbook already stored. The issue's target is under 10 seconds for the whole
import. Prints the figures; asserts nothing.

    python bench/imports.py [--children 1000] [--repeats 3]

Needs PostgreSQL on 127.0.0.1:5432 (trust authentication). The synthetic authority is kept in
bench/out/ and reused; the database `iroscope_bench_imports` is rebuilt each run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATABASE = "iroscope_bench_imports"
TODAY = "2026-05-01"


def prepare_environment(data_dir: Path) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
            "SECRET_KEY": "benchmark-only-" + "s" * 50,
            "ALLOWED_HOSTS": "testserver,localhost",
            "IROSCOPE_DATA_DIR": str(data_dir),
            "IROSCOPE_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "iroscope.web.settings",
        }
    )


def rebuild_database() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def synthetic_authority(children: int) -> Path:
    folder = HERE / "out" / f"imports-{children}"
    if not (folder / "ssda903" / "2025-26").is_dir():
        command = [sys.executable, "-m", "iroscope.cli", "synth", "--out", str(folder)]
        command += ["--children", str(children), "--years", "2", "--today", TODAY]
        subprocess.run(command, check=True, capture_output=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()

    data_dir = HERE / "out" / "imports-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    prepare_environment(data_dir)
    folder = synthetic_authority(arguments.children)
    rebuild_database()

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from iroscope.web.accounts.roles import Role
    from iroscope.web.accounts.services import user_create
    from iroscope.web.imports.models import DataImport, Outcome
    from iroscope.web.records.models import DATASET_MODELS, DatasetInfo
    from iroscope.web.records.services import dataset_load_folder

    call_command("migrate", interactive=False, verbosity=0)
    analyst = user_create(username="analyst", password="benchmark password 2026", roles=frozenset({Role.ANALYST}))
    client = Client()
    client.force_login(analyst)
    year_files = sorted((folder / "ssda903" / "2025-26").glob("*.csv"))
    megabytes = sum(path.stat().st_size for path in year_files) / 1024 / 1024

    def clear() -> None:
        for model in DATASET_MODELS.values():
            model._default_manager.all().delete()
        DatasetInfo.objects.all().delete()

    def import_once() -> tuple[float, float, float, int]:
        uploads = [SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv") for path in year_files]
        started = time.perf_counter()
        response = client.post("/imports/new/", {"kind": "ssda903", "year": "2025", "upload": uploads})
        checked = time.perf_counter()
        assert response.status_code == 302, response.content[:2000]
        report = client.get(response["Location"])
        assert report.status_code == 200
        shown = time.perf_counter()
        data_import = DataImport.objects.order_by("-id").first()
        assert data_import is not None and data_import.outcome == Outcome.CHECKED, data_import
        confirmed = client.post(f"/imports/{data_import.token}/confirm/")
        assert confirmed.status_code == 302
        done = time.perf_counter()
        data_import.refresh_from_db()
        return checked - started, shown - checked, done - shown, data_import.counts["children"]

    print(f"A {len(year_files)}-file SSDA903 year of {megabytes:.1f}MB, through the pages, on PostgreSQL:")
    # The second case is a resubmission: the whole authority (both years and the activity workbook) is
    # stored as `iroscope load` stores it, and the 2025-26 return is imported again in its place.
    for scenario in ("into an empty database", "replacing the year, beside the year before and the activity workbook"):
        timings = []
        for _ in range(arguments.repeats):
            clear()
            if scenario.startswith("replacing"):
                loaded = dataset_load_folder(folder=folder)
                assert loaded.stored is not None
            timings.append(import_once())
        children = timings[0][3]
        totals = [sum(timing[:3]) for timing in timings]
        print(f"\n  {scenario} ({children:,} children in the year, {arguments.repeats} runs):")
        for index, step in enumerate(("upload and check", "read the report", "confirm and store")):
            print(f"    {step:<20} median {statistics.median(t[index] for t in timings):6.2f} s")
        print(f"    {'whole import':<20} median {statistics.median(totals):6.2f} s, slowest {max(totals):.2f} s")
    print("\nTarget (issue 5): under 10 seconds for the whole import.")


if __name__ == "__main__":
    main()
