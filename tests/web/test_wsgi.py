"""A gunicorn worker readies itself as it starts (`iroscope.web.wsgi`): it reads the stored dataset
before the first request, and starts all the same when there is nothing to read. Each case runs in a
fresh Python, as a worker does, on its own SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from iroscope.data.schema import ALL_TABLES

WHAT_WAS_READ = (
    "import gc\n"
    "import iroscope.web.wsgi\n"
    "from iroscope.web.records import selectors\n"
    "print(gc.get_freeze_count())\n"
    "print(','.join(sorted(entry.frames)) if (entry := selectors._read.get('default')) else 'nothing')\n"
)


def _environment(data_dir: Path) -> dict[str, str]:
    """The embedded default: SQLite in the data folder, the workspace's own settings."""
    return {
        **os.environ,
        "IROSCOPE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "iroscope.web.settings",
        "DATABASE_URL": "",
    }


def _worker_starting(data_dir: Path) -> tuple[int, str]:
    """How many objects the worker froze out of the garbage collector's reach, and the tables it read."""
    done = subprocess.run(
        [sys.executable, "-c", WHAT_WAS_READ], env=_environment(data_dir), capture_output=True, text=True, check=True
    )
    frozen, tables = done.stdout.strip().splitlines()[-2:]
    return int(frozen), tables


def _iroscope(data_dir: Path, *arguments: str) -> None:
    command = [sys.executable, "-m", "iroscope.cli", *arguments]
    subprocess.run(command, env=_environment(data_dir), check=True, capture_output=True)


def test_a_worker_starts_on_a_database_not_yet_set_up(tmp_path: Path) -> None:
    assert _worker_starting(tmp_path / "data")[1] == "nothing"


def test_a_worker_reads_every_table_of_the_stored_dataset_as_it_starts(
    small_return: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("data")
    _iroscope(data_dir, "load", str(small_return))
    frozen, tables = _worker_starting(data_dir)
    assert tables == ",".join(sorted(table.name for table in ALL_TABLES))
    # Everything it holds by then, Django's code and the data read among it, is left out of the
    # garbage collector's full collections.
    assert frozen > 100_000
