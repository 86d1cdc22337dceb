"""`iroscope manage create_account NAME --role ...`: an account for single sign-on or a password."""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from iroscope.web.accounts.oidc import single_sign_on
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create


class Command(BaseCommand):
    help = (
        "Create a workspace account with its roles. With --password it asks for the password, and the "
        "person signs in with it. Without --password the account signs in by single sign-on only: NAME is "
        "then the person's value of IROSCOPE_OIDC_ACCOUNT_CLAIM (for example their council email address), "
        "and it is refused unless single sign-on is configured, as nobody could ever sign in with it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="The person's user name (with single sign-on, their account claim)")
        parser.add_argument(
            "--role", action="append", required=True, choices=[role.value for role in Role], dest="roles"
        )
        parser.add_argument("--iro-id", default=None, help="The IRO staff identifier, for an IRO")
        parser.add_argument("--password", action="store_true", help="Ask for a password as well")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        if not options["password"] and single_sign_on() is None:
            raise CommandError(
                f"Not created: without --password the account {username!r} could sign in only by single sign-on, "
                "and single sign-on is not configured here (IROSCOPE_OIDC_CLIENT_ID is not set), so nobody could "
                "ever sign in with it. Run again with --password, or configure single sign-on first "
                "(docs/deployment.md)."
            )
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"An account named {username!r} already exists")
        password = None
        if options["password"]:
            password = getpass.getpass("Password: ")
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        roles = frozenset(Role(value) for value in options["roles"])
        try:
            user_create(username=username, password=password, roles=roles, iro_id=options["iro_id"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        way = "a password" if password else "single sign-on only"
        self.stdout.write(f"Created {username} ({', '.join(sorted(options['roles']))}), signing in with {way}.")
