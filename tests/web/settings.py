"""Settings for the test suite: the workspace's own, from a throwaway environment, plus a second
database alias for PostgreSQL so that the dataset's round trip runs on both."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url

TEST_DATA_DIR = Path(tempfile.mkdtemp(prefix="iroscope-test-"))
os.environ["IROSCOPE_DATA_DIR"] = str(TEST_DATA_DIR)
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 60)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TEST_DATA_DIR / 'test.sqlite3'}")

from iroscope.web.settings import *  # noqa: E402, F403
from iroscope.web.settings import DATABASES, PREPARED_STATEMENTS  # noqa: E402

# The server, user and password come from IROSCOPE_TEST_POSTGRES_URL; its database name, when given, only
# starts the name of the database this run makes. Each run makes one of its own (the process id and a
# random suffix), so two runs on one server, from two worktrees or two people, never meet; pytest-django
# creates it when the first test needs it and drops it when the run ends.
POSTGRES_URL = os.environ.get("IROSCOPE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/iroscope")
DATABASES["postgres"] = dj_database_url.parse(POSTGRES_URL)
DATABASES["postgres"]["OPTIONS"] = PREPARED_STATEMENTS  # as a deployment has it by default
POSTGRES_RUN_DATABASE = f"test_{DATABASES['postgres']['NAME'] or 'iroscope'}_{os.getpid()}_{secrets.token_hex(4)}"
DATABASES["postgres"]["TEST"] = {"NAME": POSTGRES_RUN_DATABASE[:63], "DEPENDENCIES": []}  # 63: PostgreSQL's limit

# Saves made at the same moment need connections of their own to one database. The default SQLite test
# database lives in memory, one connection shared by every thread, so the tests of parallel saves use
# this alias instead: a SQLite file, with the workspace's own SQLite options (WAL, BEGIN IMMEDIATE, the
# busy timeout).
DATABASES["sqlite_file"] = {
    **DATABASES["default"],
    "TEST": {"NAME": str(TEST_DATA_DIR / "parallel-saves.sqlite3"), "DEPENDENCIES": []},
}

# Hashing with Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The browser tests copy GOV.UK Frontend into the data folder when their session starts, after these
# settings are read; point the static files at it now so the pages they check are styled as users see them.
from iroscope.web.frontend import govuk_dist  # noqa: E402
from iroscope.web.settings import STATICFILES_DIRS  # noqa: E402

if ("govuk", govuk_dist(TEST_DATA_DIR)) not in STATICFILES_DIRS:
    STATICFILES_DIRS.append(("govuk", govuk_dist(TEST_DATA_DIR)))
# Its fonts and images are asked for at /assets/; served by WhiteNoise, they never reach Django, whose
# live test server shares one SQLite connection between the threads answering a page's requests.
WHITENOISE_ROOT = govuk_dist(TEST_DATA_DIR)
