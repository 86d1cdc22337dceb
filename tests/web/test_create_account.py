"""`iroscope manage create_account` refuses an account that nobody could ever sign in with, and its
`--help` is its own, not the `manage` wrapper's."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.web.conftest import PASSWORD
from tests.web.test_commands import iroscope


@pytest.mark.django_db
def test_an_account_without_a_password_is_refused_while_single_sign_on_is_not_configured() -> None:
    with pytest.raises(CommandError) as refused:
        call_command("create_account", "jo.smith", "--role", "IRO manager")
    assert "Not created: without --password the account 'jo.smith' could sign in only by single sign-on" in str(
        refused.value
    )
    assert "single sign-on is not configured here" in str(refused.value)
    assert not User.objects.filter(username="jo.smith").exists()


@pytest.mark.django_db
def test_an_account_with_a_password_is_created_while_single_sign_on_is_not_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    call_command("create_account", "jo.smith", "--role", "IRO manager", "--password")
    assert User.objects.get(username="jo.smith").check_password(PASSWORD)


def test_create_account_help_is_the_commands_own(tmp_path: Path) -> None:
    done = iroscope(
        "manage", "create_account", "--help", database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", data_dir=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "usage: iroscope manage create_account" in done.stdout
    shown = " ".join(done.stdout.split())  # argparse wraps its lines to the terminal
    assert "--iro-id IRO_ID" in shown and "Without --password the account signs in by single sign-on only" in shown
    assert "Run a Django management command" not in shown
