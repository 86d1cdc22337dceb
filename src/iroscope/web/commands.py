"""The workspace's commands on the one `iroscope` command line: load, serve, web-assets, manage.
Django is imported only when one of them runs, so the rest of the command line stays quick."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import ipaddress
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

import typer
from rich.console import Console

from iroscope.data.dataset import Source
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.tables import PROBLEM_HEADINGS, print_table, problem_cells

if TYPE_CHECKING:
    from iroscope.data.merge import Merge
    from iroscope.web.accounts.roles import Role

console = Console()
errors = Console(stderr=True)
SETTINGS_MODULE = "iroscope.web.settings"
SHOWN_PROBLEMS = 40
DEMO_CHILDREN = 300
# The command line's exit statuses are 0 clean, 1 errors in the data, 2 unreadable (iroscope.cli); a
# database that cannot be reached is none of those: the data may be fine, and trying again later may work.
EXIT_DATABASE_UNREACHABLE = 3

Arguments = ParamSpec("Arguments")
Result = TypeVar("Result")


def database_url_shown(url: str) -> str:
    """The database's URL with any password replaced by ***, fit to print."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    where = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=where))


def _why_unreachable(error: BaseException) -> str:
    """The driver's reason, short: "connection refused", "password authentication failed for user …"."""
    cause = error.__cause__ or error
    first_line = next((line for line in str(cause).splitlines() if line.strip()), "no reason given")
    reason = first_line.rsplit("failed: ", 1)[-1].strip().removeprefix("FATAL:").strip().rstrip(".")
    return reason[:1].lower() + reason[1:]


def _database_unreachable() -> BaseException | None:
    """Why the workspace's database cannot be connected to now, or None when it can."""
    from django.db import DatabaseError, connection

    connection.close()
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        return error
    return None


def needs_the_database(command: Callable[Arguments, Result]) -> Callable[Arguments, Result]:
    """A command that reads or writes the workspace's database: when the database cannot be reached, one
    line naming it (password hidden) and exit status 3, rather than a driver's traceback and status 1."""

    @functools.wraps(command)
    def run(*args: Arguments.args, **kwargs: Arguments.kwargs) -> Result:
        from django.db import DatabaseError

        try:
            return command(*args, **kwargs)
        except DatabaseError as error:
            if (unreachable := _database_unreachable()) is None:
                raise  # reached: the error was something else
            from django.conf import settings

            shown = database_url_shown(settings.ENV.database_url)
            errors.print(
                f"The database at {shown} cannot be reached: {_why_unreachable(unreachable)}.",
                style="red",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(EXIT_DATABASE_UNREACHABLE) from error

    return run


def django_setup() -> None:
    import django
    from django.apps import apps

    if apps.ready:
        return  # set up already in this process: setting up again would configure its logging again
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from iroscope.web.environment import SettingError

    try:
        django.setup()
    except SettingError as error:
        errors.print(f"[red]The workspace's settings are wrong: {error}[/red]")
        raise typer.Exit(2) from error


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load(
    data: Annotated[Path, typer.Argument(help="The data folder (ssda903/<year>/*.csv, activity.xlsx, …).")],
    today: Annotated[
        dt.datetime | None,
        typer.Option("--today", formats=["%Y-%m-%d"], help="Treat this date as today (for checking future dates)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Allow the load to remove stored rows the folder no longer holds (of the returns or workbook it "
            "brings). Rows recorded in the workspace are never removed.",
        ),
    ] = False,
) -> None:
    """Bring a data folder into the workspace's database, all or nothing.

    The folder is read and checked exactly as `iroscope validate` does. Each return it holds takes
    the place of the stored return of that year (other years stay); an activity workbook takes the
    place of the stored workbook's rows; rows recorded in the workspace are always kept. It says what
    it adds, changes and keeps; with any error nothing is stored (exit status 1), and a load that
    would remove stored rows needs --replace.
    """
    from iroscope.data.folder import DataFolderError

    django_setup()
    migrate()
    from iroscope.web.audit.models import Action
    from iroscope.web.audit.services import audit_record
    from iroscope.web.practice.selectors import practice_configured
    from iroscope.web.records.services import dataset_load_folder

    try:
        loaded = dataset_load_folder(
            folder=data,
            today=today.date() if today else None,
            practice=practice_configured(),
            replace_stored=replace,
            added_by="iroscope load",
        )
    except DataFolderError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    problems = loaded.result.problems
    if problems.has_errors:
        listed = problems.frame.filter(problems.frame["severity"] == "error")
        print_table(
            errors, PROBLEM_HEADINGS, (problem_cells(row) for row in listed.head(SHOWN_PROBLEMS).iter_rows(named=True))
        )
        errors.print(
            f"[red]Nothing was loaded: {data} has {problems.error_count:,} errors"
            f"{f' (the first {SHOWN_PROBLEMS} are listed)' if problems.error_count > SHOWN_PROBLEMS else ''}. "
            "Run `iroscope validate` for every problem.[/red]"
        )
        raise typer.Exit(1)
    assert loaded.merge is not None
    print_merge(loaded.merge)
    if loaded.stored is None:
        errors.print(f"[red]{loaded.refused} Run again with --replace to remove them.[/red]")
        raise typer.Exit(1)
    audit_record(user=None, action=Action.LOAD_DATASET, after=loaded.stored)
    merge = loaded.merge
    console.print(
        f"Loaded {data}: {merge.total('added'):,} rows added, {merge.total('changed'):,} changed, "
        f"{merge.total('removed'):,} removed; {merge.total('kept_recorded'):,} rows recorded in the workspace "
        f"kept, {merge.total('conflicts'):,} of them over a different row in the folder. "
        f"{loaded.stored['children']:,} children are stored, with {problems.warning_count:,} warnings."
    )


def export(
    out: Annotated[Path, typer.Argument(help="An empty or new folder to write the data folder to.")],
) -> None:
    """Write everything the workspace holds, what was recorded in it included, as a data folder:
    ssda903/<year>/ returns, activity.xlsx, workspace/ (rows recorded in the workspace, with who and
    when) and settings.toml. `iroscope validate` checks it and `iroscope load` reads it back to the
    same rows. It holds children's personal data: keep it as securely as the database."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        errors.print(f"[red]{out} is not an empty folder: choose a new or empty folder to export to.[/red]")
        raise typer.Exit(2)
    django_setup()
    migrate()
    from iroscope.web.records.selectors import NoDatasetError
    from iroscope.web.records.services import dataset_export

    try:
        dataset = dataset_export(folder=out, user=None)
    except NoDatasetError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    recorded = dataset.rows_from(Source.WORKSPACE)
    console.print(
        f"Exported {dataset['children'].height:,} children and {recorded:,} rows recorded in the workspace to {out}."
    )


def print_merge(merge: Merge) -> None:
    """What a load adds, changes, removes and keeps, table by table."""
    counts = ("Added", "Changed", "Unchanged", "Removed", "Kept", "Recorded in the workspace, kept")
    print_table(
        console,
        ("Table", *counts),
        (
            (
                TABLES_BY_NAME[name].title,
                *(
                    f"{value:,}"
                    for value in (
                        change.added,
                        change.changed,
                        change.unchanged,
                        change.removed,
                        change.kept,
                        change.kept_recorded,
                    )
                ),
            )
            for name, change in merge.tables.items()
            if change.any
        ),
        title="What this load does",
        right_aligned=counts,
    )


def web_assets() -> None:
    """Install GOV.UK Frontend from the npm registry into the workspace's data folder."""
    from iroscope.web.environment import SettingError, read_environment
    from iroscope.web.frontend import FrontendInstallError, frontend_install

    try:
        dist = frontend_install(data_dir=read_environment().data_dir)
    except (FrontendInstallError, SettingError) as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    console.print(f"GOV.UK Frontend installed in {dist}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


DEMO_ROLES = (
    ("demo-iro", "IRO"),
    ("demo-manager", "IRO manager"),
    ("demo-business-support", "Business support"),
    ("demo-analyst", "Analyst"),
    ("demo-administrator", "Administrator"),
)


def _demo(children: int) -> list[tuple[str, str, str, str]]:
    """Load a synthetic authority and (re)create one account per role; returns (user, role, what the role
    does, password)."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from iroscope.data.benchmark import merge_comparators
    from iroscope.metrics.benchmark import seed_report_comparators
    from iroscope.metrics.next_review import current_allocations
    from iroscope.synth.generator import SynthConfig, generate
    from iroscope.web.accounts.models import StaffProfile
    from iroscope.web.accounts.roles import Role
    from iroscope.web.accounts.services import user_create
    from iroscope.web.practice.selectors import practice_configured
    from iroscope.web.records.services import dataset_replace

    today = dt.date.today()
    dataset = generate(SynthConfig(children=children, years=2, seed=1), today=today)
    # The seed reports' published figures, so that the dashboard compares from the start, as the demo report does.
    comparators = merge_comparators(dataset["comparators"], seed_report_comparators()).frame
    dataset = dataclasses.replace(dataset, tables={**dataset.tables, "comparators": comparators})
    dataset_replace(dataset=dataset, practice=practice_configured())
    # The IRO account is the IRO with most children today, as the caseload counts them (decision 0014).
    current = current_allocations(dataset["iro_allocations"], as_at=today)
    busiest = current.group_by("iro_id").len().sort("len", "iro_id", descending=[True, False])["iro_id"]
    iro_id = str(busiest[0]) if len(busiest) else None
    accounts = []
    with transaction.atomic():
        User.objects.filter(username__in=[name for name, _ in DEMO_ROLES]).delete()
        StaffProfile.objects.filter(iro_id=iro_id).delete()
        for username, role_name in DEMO_ROLES:
            role = Role(role_name)
            password = secrets.token_urlsafe(12)
            user_create(
                username=username,
                password=password,
                roles=frozenset({role}),
                iro_id=iro_id if role is Role.IRO else None,
            )
            accounts.append((username, role_name, demo_account_does(role, iro_id=iro_id), password))
    return accounts


def demo_account_does(role: Role, *, iro_id: str | None) -> str:
    """What a demo account is for, as the table `serve --demo` prints says it."""
    from iroscope.web.accounts.roles import Role

    if role is Role.IRO and iro_id is not None:
        return f"{role.description} Linked to IRO {iro_id}, the IRO with the most children today."
    return role.description


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load a synthetic authority and create one demo account per role.")
    ] = False,
) -> None:
    """Start the workspace on this machine (migrations applied first). For a deployment behind a
    reverse proxy, use gunicorn as docs/deployment.md describes."""
    if _is_loopback(host):
        # Plain http on one machine: cookies cannot be https-only there unless asked for.
        os.environ.setdefault("IROSCOPE_SECURE_COOKIES", "false")
    from iroscope.web.environment import SettingError, read_environment
    from iroscope.web.frontend import FrontendInstallError, frontend_install, frontend_installed

    try:
        data_dir = read_environment().data_dir
    except SettingError as error:
        errors.print(f"[red]The workspace's settings are wrong: {error}[/red]")
        raise typer.Exit(2) from error
    if not frontend_installed(data_dir):
        console.print("Installing GOV.UK Frontend from the npm registry …")
        try:
            frontend_install(data_dir=data_dir)
        except FrontendInstallError as error:
            errors.print(f"[yellow]{error} The pages will be unstyled.[/yellow]")
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    migrate()
    if demo:
        console.print("Loading a synthetic authority …")
        print_table(
            console,
            ("User name", "Role", "What it can do", "Password"),
            _demo(DEMO_CHILDREN),
            title="Demo accounts (passwords are new each time)",
        )
    console.print(f"Workspace at http://{host}:{port}/ ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True, skip_checks=False)


def manage(ctx: typer.Context) -> None:
    """Run a Django management command (for example `iroscope manage create_account NAME --role ...`);
    `iroscope manage COMMAND --help` shows that command's own help, `iroscope manage help` lists them."""
    from django.core.management import execute_from_command_line

    django_setup()
    execute_from_command_line(["iroscope manage", *ctx.args])


def register(app: typer.Typer) -> None:
    """Mount the workspace's commands on the main command line."""
    app.command()(needs_the_database(load))
    app.command()(needs_the_database(export))
    app.command()(needs_the_database(serve))
    app.command("web-assets")(web_assets)
    # No --help of its own: `iroscope manage create_account --help` passes it to the command it names.
    app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, add_help_option=False)(
        needs_the_database(manage)
    )
