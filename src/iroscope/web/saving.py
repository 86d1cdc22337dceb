"""Saving what two people may save at the same moment (docs/decisions/0013-concurrent-saves.md).

Every service that writes a child's rows does so inside `child_records_saved`: one transaction that
first locks the children's rows of the `children` table, in child identifier order, and only then reads
what it checks and writes. Two saves about the same child therefore run one after the other, never
interleaved, and two saves about overlapping groups of children (a sibling group moved while one of its
children is moved alone) take their locks in the same order, so neither waits for the other in a
circle. A save that finds, once it holds the lock, that someone else's save changed what it checked
raises `ConcurrentSaveError` with words for the person; so does one the database refuses because another
got there first (a unique key taken, a deadlock, a serialization failure, a lock waited for too long,
SQLite busy for longer than its timeout). The view shows that message in the GOV.UK error summary above
the form as it was sent.

The database's own error is never passed on or chained: its text names the row's key (a child's
identifier, a date) and Django would log it with the request. Only its kind is logged.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, OperationalError, connections, router, transaction

from iroscope.web.forms import GovukForm
from iroscope.web.logs import database_error_kind
from iroscope.web.records.models import DATASET_MODELS

logger = logging.getLogger(__name__)

CHILDREN = DATASET_MODELS["children"]

# How long a save waits for another's lock on PostgreSQL before it is refused rather than left hanging
# (SQLite waits as long as its busy timeout, `SQLITE_BUSY_TIMEOUT_SECONDS` in the settings).
LOCK_TIMEOUT = "10s"

SAVED_MEANWHILE = (
    "Someone else saved a change to this child's record at the same moment, so yours has not been saved. "
    "Your entries are below: check the child's record, then save again."
)

# PostgreSQL's conditions that mean "another transaction was in the way", not "this save is wrong".
_POSTGRES_CONTENTION = frozenset(
    {
        "23505",  # unique_violation: the same row inserted by another save first
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
        "55P03",  # lock_not_available: waited longer than lock_timeout
    }
)
# SQLite's: the same key inserted first, or the database still locked after the busy timeout.
_SQLITE_CONTENTION = frozenset(
    {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_BUSY", "SQLITE_LOCKED"}
)


class ConcurrentSaveError(RuntimeError):
    """Another save of the same records came first; nothing of this one was saved. The message says so
    in plain words, for the error summary above the form."""

    def __init__(self, message: str = SAVED_MEANWHILE) -> None:
        super().__init__(message)


class SaveRefusedError(PermissionError):
    """The person may not save this."""


class SaveInvalidError(ValueError):
    """What was entered breaks a rule; `errors` maps each field to a message naming it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class StaleSaveError(RuntimeError):
    """Someone else saved the record after this form was opened; the message says so for the person."""


def form_saved(form: GovukForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Run the service `call` on a sent, valid form. False leaves the form, with the service's errors
    added to it and everything as typed, to be shown again; a refusal is a 403."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except SaveRefusedError as error:
        raise PermissionDenied from error
    except SaveInvalidError as error:
        form.add_service_errors(error.errors)
        return False
    except (StaleSaveError, ConcurrentSaveError) as error:
        form.add_error(None, str(error))
        return False
    return True


def _is_contention(error: DatabaseError) -> bool:
    cause = error.__cause__
    if isinstance(cause, psycopg.Error):
        return cause.sqlstate in _POSTGRES_CONTENTION
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "")
        return name in _SQLITE_CONTENTION or "database is locked" in str(cause)
    return False


def children_lock(*, child_ids: Iterable[str]) -> None:
    """Lock these children's rows until the transaction ends, in child identifier order (the one order
    every save takes them in). Must be called inside a transaction. Nothing to do on SQLite, where a
    transaction that may write already holds the whole database from its start (`transaction_mode`
    IMMEDIATE in the settings)."""
    wanted = sorted(set(child_ids))
    if not wanted or connections[router.db_for_write(CHILDREN)].vendor == "sqlite":
        return
    rows = CHILDREN._default_manager.filter(child_id__in=wanted).order_by("child_id")
    list(rows.select_for_update().values_list("child_id", flat=True))


def all_children_lock(*, using: str) -> None:
    """Lock every child's row, in child identifier order, before anything else: what an import that
    replaces the stored dataset takes first, so that a save waiting on it, or it on a save, never waits
    in a circle (decision 0013). Nothing to do on SQLite, as for `children_lock`."""
    if connections[using].vendor == "sqlite":
        return
    rows = CHILDREN._default_manager.using(using).order_by("child_id").select_for_update()
    list(rows.values_list("child_id", flat=True))


@contextmanager
def child_records_saved(*, child_ids: Iterable[str], refusal: str = SAVED_MEANWHILE) -> Iterator[None]:
    """One transaction for a save about these children, holding their locks (`children_lock`) from its
    start. A database error that means another save came first becomes `ConcurrentSaveError(refusal)`,
    with only its kind logged; any other database error is raised as it was.

    Nested inside another `child_records_saved` it is a savepoint, and the outer one's locks hold."""
    alias = router.db_for_write(CHILDREN)
    try:
        with transaction.atomic(using=alias):
            connection = connections[alias]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            children_lock(child_ids=child_ids)
            yield
    except (IntegrityError, OperationalError) as error:
        if not _is_contention(error):
            raise
        logger.warning("A save was refused because another save came first: %s", database_error_kind(error))
        raise ConcurrentSaveError(refusal) from None
