from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.data.writers import write_data_folder
from iroscope.synth.generator import SynthConfig, generate
from iroscope.web import clock
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create
from iroscope.web.records.models import recording_person
from iroscope.web.records.services import dataset_replace
from tests.metrics.helpers import D, child, dataset, episode
from tests.web.journey import MADE_ON

PASSWORD = "a long test password"


@cache
def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can.

    Asks the server's maintenance database, `postgres`, which every server has (the run's own test
    database does not exist yet, and the URL's database name need not either), and checks the user may
    create the run's database."""
    config = settings.DATABASES["postgres"]
    where = f"PostgreSQL at {config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
    try:
        with psycopg.connect(
            host=config["HOST"] or "127.0.0.1",
            port=int(config["PORT"] or 5432),
            user=config["USER"],
            dbname="postgres",
            password=config["PASSWORD"] or None,
            connect_timeout=3,
        ) as connection:
            may_create = connection.execute(
                "select rolcreatedb or rolsuper from pg_roles where rolname = current_user"
            ).fetchone()
    except psycopg.Error as error:
        return f"{where} is unreachable: {' '.join(str(error).split())[:200]}"
    if not (may_create and may_create[0]):
        return f"{where} refuses to let user {config['USER']!r} create the test run's database"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("postgres") and (reason := postgres_unreachable()):
            item.add_marker(pytest.mark.skip(reason=reason))
            # pytest-django sets up every database the collected tests name, skipped or not; a skipped
            # test that names none lets the rest of the run go ahead on SQLite without the server.
            item.add_marker(pytest.mark.django_db(databases=[]), append=False)


def hand_made_authority() -> Dataset:
    """Three children allocated to IRO I1 and one to I2, in the 2024-25 year (as at 31 March 2025).

    A: in care from 1 May 2024, reviewed 20 May and 15 August 2024; the third review, due 6 months
       after the second, was not held: overdue.
    B: in care from 10 March 2025, no review yet: the first is due 20 working days later, in April.
    C: in care from 3 June 2024, reviewed 20 June 2024; the second review, due 3 months later, was
       not held: overdue longest.
    D: allocated to I2.
    """
    return dataset(
        children=[child("A"), child("B"), child("C"), child("D")],
        episodes=[
            episode("A", D(2024, 5, 1)),
            episode("B", D(2025, 3, 10)),
            episode("C", D(2024, 6, 3)),
            episode("D", D(2024, 4, 10)),
        ],
        reviews=[
            {"child_id": "A", "review_date": D(2024, 5, 20), "participation": "PN1"},
            {"child_id": "A", "review_date": D(2024, 8, 15), "participation": "PN1"},
            {"child_id": "C", "review_date": D(2024, 6, 20), "participation": "PN1"},
            {"child_id": "D", "review_date": D(2024, 5, 1), "participation": "PN1"},
        ],
        iro_staff=[
            {"iro_id": "I1", "name": "First IRO", "fte": 1.0, "start_date": D(2020, 1, 1)},
            {"iro_id": "I2", "name": "Second IRO", "fte": 1.0, "start_date": D(2020, 1, 1)},
        ],
        iro_allocations=[
            {"child_id": "A", "iro_id": "I1", "start_date": D(2024, 5, 2)},
            {"child_id": "B", "iro_id": "I1", "start_date": D(2025, 3, 11)},
            {"child_id": "C", "iro_id": "I1", "start_date": D(2024, 6, 4)},
            {"child_id": "D", "iro_id": "I2", "start_date": D(2024, 4, 11)},
        ],
    )


AS_AT = dt.date(2025, 3, 31)


@pytest.fixture
def pin_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Sets the workspace's today (`web.clock.workspace_today`, the one place pages ask) for the rest
    of the test: `pin_today(dt.date(2026, 4, 15))`."""

    def pin(day: dt.date) -> None:
        monkeypatch.setattr(clock, "workspace_today", lambda: day)

    return pin


@pytest.fixture(autouse=True)
def today_is_the_hand_made_authoritys_last_day(pin_today: Callable[[dt.date], None]) -> None:
    """Every web test runs on 31 March 2025 (`AS_AT`), the last day of the hand-made authority's data,
    unless it pins another day: its figures can then be checked by hand against the docstring of
    `hand_made_authority`. The workspace itself never stops at the end of the data (decision 0014)."""
    pin_today(AS_AT)


@pytest.fixture
def authority(db: None) -> Dataset:
    data = hand_made_authority()
    dataset_replace(dataset=data)
    return data


PEOPLE: dict[str, tuple[frozenset[Role], str | None]] = {
    "allocated_iro": (frozenset({Role.IRO}), "I1"),
    "colleague_iro": (frozenset({Role.IRO}), "I2"),
    "manager": (frozenset({Role.MANAGER}), None),
    "business_support": (frozenset({Role.BUSINESS_SUPPORT}), None),
    "analyst": (frozenset({Role.ANALYST}), None),
    "administrator": (frozenset({Role.ADMINISTRATOR}), None),
    "no_role": (frozenset(), None),
}


@pytest.fixture
def people(db: None) -> dict[str, User]:
    return {
        name: user_create(username=name, password=PASSWORD, roles=roles, iro_id=iro_id)
        for name, (roles, iro_id) in PEOPLE.items()
    }


@pytest.fixture
def signed_in(people: dict[str, User]) -> Iterator[dict[str, Client]]:
    clients = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    yield clients


@pytest.fixture(
    params=[
        pytest.param("default", marks=pytest.mark.django_db(databases=["default"]), id="sqlite"),
        pytest.param(
            "postgres", marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["postgres"])], id="postgresql"
        ),
    ]
)
def each_database(request: pytest.FixtureRequest, db: None) -> Iterator[str]:
    """Runs a test once on SQLite and once on PostgreSQL, through the pages as they are served.

    The pages and services write to the default database, so for PostgreSQL the `default` alias is
    pointed at the `postgres` connection for the length of the test (pytest-django has already wrapped
    that connection in the test's transaction). Request it before `authority` and `people`, for
    example with `@pytest.mark.usefixtures("each_database")`, so that they are stored there too."""
    alias: str = request.param
    if alias == "default":
        yield alias
        return
    with default_pointed_at(alias):
        yield alias


@contextmanager
def default_pointed_at(alias: str) -> Iterator[None]:
    """This thread's `default` alias using the connection of `alias` until the block ends."""
    # ConnectionHandler keeps each thread's connections by alias in `_connections`; Django has no
    # public way to point one alias at another's connection.
    per_thread = connections._connections  # type: ignore[attr-defined]
    original = connections[DEFAULT_DB_ALIAS]
    setattr(per_thread, DEFAULT_DB_ALIAS, connections[alias])
    try:
        yield
    finally:
        setattr(per_thread, DEFAULT_DB_ALIAS, original)


# -- the journey of tests/web/journey.py ---------------------------------------------------------


@pytest.fixture
def authority_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "authority"
    write_data_folder(generate(SynthConfig(children=60, years=3, seed=1), today=MADE_ON), folder)
    return folder


@pytest.fixture
def as_manager(db: None) -> Iterator[User]:
    """A manager, and writes made as theirs, as the workspace's middleware names them for each request."""
    manager = user_create(username="manager", password=PASSWORD, roles=frozenset({Role.MANAGER}), iro_id=None)
    token = recording_person.set(lambda: manager.get_username())
    yield manager
    recording_person.reset(token)
