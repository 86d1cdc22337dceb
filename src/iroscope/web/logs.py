"""Keep personal details out of logs: a child's identifier in a request path is replaced."""

from __future__ import annotations

import logging
import re

CHILD_PATH = re.compile(r"/children/[^/\s\"?]+")
REDACTED = "/children/[redacted]"


def redact(text: str) -> str:
    return CHILD_PATH.sub(REDACTED, text)


class RedactChildIdentifiers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), ()
        request = getattr(record, "request", None)
        if request is not None:
            record.request = None
        return True
