"""The workspace's commands when the database cannot be reached: one line naming the database, its
password hidden, and an exit status of its own. Each runs in a fresh Python, as from a shell."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from iroscope.web.commands import EXIT_DATABASE_UNREACHABLE, database_url_shown

REPOSITORY = Path(__file__).resolve().parents[2]


def a_closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on: one the system just gave out and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def iroscope(*arguments: str, database_url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "IROSCOPE_DATA_DIR": str(data_dir),
        "SECRET_KEY": "test-only-" + "k" * 60,
        "DJANGO_SETTINGS_MODULE": "iroscope.web.settings",
    }
    command = [sys.executable, "-m", "iroscope.cli", *arguments]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    "arguments",
    [("load", "DATA"), ("weekly", "--db"), ("manage", "migrate")],
    ids=["load", "weekly", "manage"],
)
def test_a_postgresql_server_nothing_answers_on_is_one_line_with_the_password_hidden_and_status_3(
    arguments: tuple[str, ...], tmp_path: Path
) -> None:
    port = a_closed_port()
    url = f"postgres://iroscope:a-secret-password@127.0.0.1:{port}/iroscope"
    done = iroscope(
        *[str(tmp_path) if argument == "DATA" else argument for argument in arguments],
        database_url=url,
        data_dir=tmp_path,
    )
    assert done.returncode == EXIT_DATABASE_UNREACHABLE == 3
    assert done.stderr.splitlines() == [
        f"The database at postgres://iroscope:***@127.0.0.1:{port}/iroscope cannot be reached: connection refused."
    ]
    assert "a-secret-password" not in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_a_sqlite_file_that_cannot_be_opened_is_one_line_and_status_3(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no such folder' / 'iroscope.sqlite3'}"
    done = iroscope("weekly", "--db", database_url=url, data_dir=tmp_path)
    assert done.returncode == EXIT_DATABASE_UNREACHABLE
    assert done.stderr.splitlines() == [f"The database at {url} cannot be reached: unable to open database file."]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://iroscope:pa%3Ass@db.example:5432/iroscope", "postgres://iroscope:***@db.example:5432/iroscope"),
        ("postgres://iroscope@db.example/iroscope", "postgres://iroscope@db.example/iroscope"),
        ("sqlite:////var/lib/iroscope/iroscope.sqlite3", "sqlite:////var/lib/iroscope/iroscope.sqlite3"),
    ],
)
def test_a_database_url_is_shown_without_its_password(url: str, shown: str) -> None:
    assert database_url_shown(url) == shown


@pytest.mark.parametrize("document", ["README.md", "docs/deployment.md"])
def test_the_exit_status_of_an_unreachable_database_is_documented(document: str) -> None:
    text = (REPOSITORY / document).read_text(encoding="utf-8")
    assert f"{EXIT_DATABASE_UNREACHABLE} database unreachable" in text
