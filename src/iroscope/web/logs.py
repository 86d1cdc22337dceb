"""Keep personal details out of logs: a child's identifier in a request path and every value of a query
string are replaced (the workspace's own logs, runserver's and gunicorn's access log), and a
database error is logged by its kind and where it was raised, never by its text, which quotes the
values of the row it was about (PostgreSQL: "Key (child_id, review_date)=(...) already exists")."""

from __future__ import annotations

import logging
import re
import sqlite3
import traceback
from types import TracebackType
from typing import Any

import psycopg
from django.db import DatabaseError
from gunicorn.glogging import Logger as GunicornLogger  # type: ignore[import-untyped]

CHILD_PATH = re.compile(r"/children/[^/\s\"?]+")
REDACTED = "/children/[redacted]"
# A feedback link's token works as a key to the public form until it is used: kept out of logs too.
FEEDBACK_LINK_PATH = re.compile(r"/feedback/(?!sent/)[^/\s\"?]+")
FEEDBACK_LINK_REDACTED = "/feedback/[redacted]"
# A query string after a path or address, up to the end of the request line's field: every value in it
# may be a child's identifier or date of birth (`/audit/?child_id=…`, `?q=…`, `?next=/children/…`).
QUERY_STRING = re.compile(r"(?<=[^\s\"?])\?([^\s\"#]+)")
PARAMETER_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]{1,40}")
VALUE_REDACTED = "[redacted]"
WITHHELD = "its text is withheld from the log: it may quote a child's details"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def _query_redacted(match: re.Match[str]) -> str:
    """The query string with each parameter's name kept (when it looks like one) and its value withheld."""
    shown = []
    for pair in match.group(1).split("&"):
        name, has_value, _ = pair.partition("=")
        if not has_value:  # a bare value, "?C000190": nothing in it is a name
            shown.append(VALUE_REDACTED)
        else:
            shown.append(f"{name if PARAMETER_NAME.fullmatch(name) else VALUE_REDACTED}={VALUE_REDACTED}")
    return "?" + "&".join(shown)


def redact(text: str) -> str:
    """`text` with child identifiers and feedback tokens in paths and every value of every query string
    withheld."""
    paths = FEEDBACK_LINK_PATH.sub(FEEDBACK_LINK_REDACTED, CHILD_PATH.sub(REDACTED, text))
    return QUERY_STRING.sub(_query_redacted, paths)


def database_error_kind(error: BaseException) -> str:
    """What kind of database error this is, without its text: the class, and PostgreSQL's SQLSTATE or
    SQLite's error name when the driver gives one ("IntegrityError (23505)")."""
    cause = error.__cause__ if isinstance(error, DatabaseError) and error.__cause__ is not None else error
    code = None
    if isinstance(cause, psycopg.Error):
        code = cause.sqlstate
    elif isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorname", None)
    return f"{type(error).__name__} ({code})" if code else type(error).__name__


def _database_error_in(error: BaseException | None) -> BaseException | None:
    """The first database error in `error`'s chain (itself, its cause or its context), if any."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DatabaseError | psycopg.Error | sqlite3.Error):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def _traceback_without_values(exc_info: ExcInfo, database_error: BaseException) -> str:
    """The traceback's frames (file, line, code: no values), ended by the database error's kind."""
    frames = "".join(traceback.format_tb(exc_info[2]))
    return f"Traceback (most recent call last):\n{frames}{database_error_kind(database_error)}: {WITHHELD}"


class RedactChildIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.db.backends") and hasattr(record, "params"):
            # Django's query log (DEBUG only) gives each query with its parameters, or with them merged in.
            duration = getattr(record, "duration", None)
            took = f"({duration:.3f}) " if isinstance(duration, float) else ""
            record.msg, record.args = f"{took}a query on {getattr(record, 'alias', '?')}: {WITHHELD}", ()
            record.sql, record.params = None, None
        message = record.getMessage()
        record.msg, record.args = redact(message), ()
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None
        if record.exc_info and (database_error := _database_error_in(record.exc_info[1])) is not None:
            exc_info: ExcInfo = record.exc_info  # type: ignore[assignment]  # a logged exception's, not (None, None, None)
            record.exc_text = _traceback_without_values(exc_info, database_error)
            record.exc_info = None
        return True


class RedactedGunicornLogger(GunicornLogger):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's logger with its access and error logs redacted like the workspace's own:
    `gunicorn --logger-class iroscope.web.logs.RedactedGunicornLogger` (docs/deployment.md)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactChildIdentifiers())
