"""Request lines in every log carry no child identifier: the values of query strings are withheld in
the workspace's own logs, runserver's request log and gunicorn's access log."""

from __future__ import annotations

import datetime as dt
import io
import logging
from types import SimpleNamespace

import pytest
from gunicorn.config import Config  # type: ignore[import-untyped]

from iroscope.web.logs import RedactChildIdentifiers, RedactedGunicornLogger, redact


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (
            '"GET /audit/?child_id=C000190&page=2 HTTP/1.1" 200 512',
            '"GET /audit/?child_id=[redacted]&page=[redacted] HTTP/1.1" 200 512',
        ),
        ("GET /sign-in/?next=/children/C000190/ HTTP/1.1", "GET /sign-in/?next=[redacted] HTTP/1.1"),
        ("/lists/reviews_due/?q=2012-03-04&iro=I1", "/lists/reviews_due/?q=[redacted]&iro=[redacted]"),
        ("https://iro.example/caseload/?C000190", "https://iro.example/caseload/?[redacted]"),
        ("/dashboard/?%3CC000190%3E=1", "/dashboard/?[redacted]=[redacted]"),
        ("Not Found: /children/C000190/disputes/", "Not Found: /children/[redacted]/disputes/"),
        ("Is the service up? It is.", "Is the service up? It is."),
    ],
)  # fmt: skip
def test_query_string_values_and_child_paths_are_withheld(line: str, shown: str) -> None:
    assert redact(line) == shown


def test_runserver_request_lines_are_redacted() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /audit/?child_id=C000190 HTTP/1.1", 200, 9),
        None,
    )
    RedactChildIdentifiers().filter(record)
    assert record.getMessage() == '"GET /audit/?child_id=[redacted] HTTP/1.1" 200 9'


def test_gunicorns_access_log_is_redacted_with_the_workspaces_logger_class() -> None:
    config = Config()
    config.set("accesslog", "-")
    logger = RedactedGunicornLogger(config)
    written = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(written)]
    response = SimpleNamespace(status="200 OK", sent=12, headers=[])
    request = SimpleNamespace(headers=[])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/audit/?child_id=C000190",
        "PATH_INFO": "/audit/",
        "QUERY_STRING": "child_id=C000190",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "https://iro.example/children/C000190/?from=2012-03-04",
    }
    logger.access(response, request, environ, dt.timedelta(seconds=0.1))
    line = written.getvalue()
    assert "GET /audit/?child_id=[redacted] HTTP/1.1" in line, line
    assert "C000190" not in line and "2012-03-04" not in line
