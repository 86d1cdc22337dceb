"""Every setting of the workspace, in one declarative list, read only from the environment through
strict parsers. `settings.py` builds Django's settings from it, and docs/deployment.md documents it
(a test fails when a setting is missing from the docs).

A value that does not parse stops the workspace at start-up with the variable's name and the reason,
rather than running with a half-understood configuration.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

EMBEDDED, PRODUCTION = "embedded", "production"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
DATABASE_SCHEMES = frozenset({"sqlite", "postgres", "postgresql"})


class SettingError(ValueError):
    """A setting's value could not be used; the message names the variable and why."""


def parse_boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"expected one of {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}, not {text!r}")


def parse_positive_integer(text: str) -> int:
    stripped = text.strip()
    if not stripped.isdigit() or int(stripped) < 1:
        raise ValueError(f"expected a whole number of 1 or more, not {text!r}")
    return int(stripped)


def parse_whole_number(text: str) -> int:
    stripped = text.strip()
    if not stripped.isdigit():
        raise ValueError(f"expected a whole number of 0 or more, not {text!r}")
    return int(stripped)


def parse_list(text: str) -> list[str]:
    """Comma-separated, spaces around items ignored; an empty item is a mistake."""
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or any(not item for item in items):
        raise ValueError(f"expected a comma-separated list with no empty items, not {text!r}")
    return items


def parse_origins(text: str) -> list[str]:
    origins = parse_list(text)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"}:
            raise ValueError(f"{origin!r} is not an origin such as https://iro.example.gov.uk")
    return origins


def parse_database_url(text: str) -> str:
    scheme = urlsplit(text.strip()).scheme
    if scheme not in DATABASE_SCHEMES:
        raise ValueError(f"expected a sqlite:/// or postgres:// URL, not one starting {scheme or text!r}")
    return text.strip()


def parse_deployment(text: str) -> str:
    word = text.strip().lower()
    if word not in {EMBEDDED, PRODUCTION}:
        raise ValueError(f"expected {EMBEDDED} or {PRODUCTION}, not {text!r}")
    return word


def parse_secret_key(text: str) -> str:
    if len(text) < 50:
        raise ValueError(
            "expected at least 50 characters (generate one with `python -c 'import secrets; "
            "print(secrets.token_urlsafe(64))'`)"
        )
    return text


def parse_path(text: str) -> Path:
    if not text.strip():
        raise ValueError("expected a folder path")
    return Path(text.strip()).expanduser()


def parse_log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError(f"expected DEBUG, INFO, WARNING, ERROR or CRITICAL, not {text!r}")
    return level


@dataclass(frozen=True)
class Setting:
    """One environment variable: its parser, its default (as the text a person would set) and what it does."""

    name: str
    parse: Callable[[str], Any]
    default: str | None
    description: str
    required_in_production: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "IROSCOPE_DEPLOYMENT",
        parse_deployment,
        EMBEDDED,
        "`embedded` (one machine, `iroscope serve`) or `production`. In production `SECRET_KEY`, "
        "`ALLOWED_HOSTS` and `DATABASE_URL` must be set explicitly and nothing is generated.",
    ),
    Setting(
        "IROSCOPE_DATA_DIR",
        parse_path,
        None,
        "Folder for the embedded SQLite database, the generated secret key and the GOV.UK Frontend assets. "
        "Default: the user's data folder (for example `~/.local/share/iroscope`).",
    ),
    Setting(
        "SECRET_KEY",
        parse_secret_key,
        None,
        "Django's signing key, at least 50 characters. Embedded: generated once and kept in "
        "`IROSCOPE_DATA_DIR/secret_key` (readable by its owner only). Required in production.",
        required_in_production=True,
    ),
    Setting(
        "DATABASE_URL",
        parse_database_url,
        None,
        "Where the dataset, accounts and audit trail are stored: `sqlite:///path/to/file.sqlite3` or "
        "`postgres://user:password@host:5432/name` (psycopg 3). Default: `IROSCOPE_DATA_DIR/iroscope.sqlite3`. "
        "Required in production.",
        required_in_production=True,
    ),
    Setting(
        "ALLOWED_HOSTS",
        parse_list,
        "localhost,127.0.0.1,[::1]",
        "Host names the workspace answers to, comma-separated (for example `iro.example.gov.uk`). "
        "Required in production.",
        required_in_production=True,
    ),
    Setting(
        "CSRF_TRUSTED_ORIGINS",
        parse_origins,
        None,
        "Origins allowed to post forms when they differ from the host, for example "
        "`https://iro.example.gov.uk` behind a proxy that rewrites the host. Default: none.",
    ),
    Setting(
        "DEBUG",
        parse_boolean,
        "false",
        "Django's debug pages. Never on in production: they show settings and data.",
    ),
    Setting(
        "IROSCOPE_SECURE_COOKIES",
        parse_boolean,
        "true",
        "Send the session and CSRF cookies over HTTPS only. `iroscope serve` on a loopback address turns "
        "this off for plain-http use on one machine unless it is set.",
    ),
    Setting(
        "IROSCOPE_BEHIND_PROXY",
        parse_boolean,
        "false",
        "Trust the reverse proxy's `X-Forwarded-Proto` and `X-Forwarded-For` headers (only when a proxy "
        "you control sets them).",
    ),
    Setting(
        "IROSCOPE_HSTS_SECONDS",
        parse_whole_number,
        "0",
        "Strict-Transport-Security max-age sent by the workspace; 0 leaves HSTS to the reverse proxy.",
    ),
    Setting(
        "IROSCOPE_SESSION_IDLE_MINUTES",
        parse_positive_integer,
        "30",
        "Sign a person out after this many minutes without a request.",
    ),
    Setting(
        "IROSCOPE_SIGN_IN_ATTEMPTS",
        parse_positive_integer,
        "5",
        "Failed sign-ins allowed for one user name from one address before sign-in is locked.",
    ),
    Setting(
        "IROSCOPE_SIGN_IN_LOCKOUT_MINUTES",
        parse_positive_integer,
        "30",
        "How long a locked sign-in stays locked.",
    ),
    Setting(
        "STATIC_ROOT",
        parse_path,
        None,
        "Folder `iroscope manage collectstatic` copies static files to, for a production deployment. "
        "Default: none (files are served from where they are installed).",
    ),
    Setting(
        "IROSCOPE_LOG_LEVEL",
        parse_log_level,
        "INFO",
        "Application log level. Logs never hold personal details: child identifiers in paths are redacted.",
    ),
)
SETTINGS_BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def read_setting(name: str, environ: Mapping[str, str]) -> Any:
    """The parsed value of one setting, or None when unset and without a default."""
    setting = SETTINGS_BY_NAME[name]
    raw = environ.get(name)
    if raw is None or raw == "":
        return None if setting.default is None else setting.parse(setting.default)
    try:
        return setting.parse(raw)
    except ValueError as error:
        raise SettingError(f"{name}: {error}") from error


@dataclass(frozen=True)
class Environment:
    """The settings, parsed and checked as a whole."""

    deployment: str
    data_dir: Path
    secret_key: str
    database_url: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    debug: bool
    secure_cookies: bool
    behind_proxy: bool
    hsts_seconds: int
    session_idle_minutes: int
    sign_in_attempts: int
    sign_in_lockout_minutes: int
    static_root: Path | None
    log_level: str


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("iroscope", appauthor=False))


def embedded_secret_key(data_dir: Path) -> str:
    """The embedded deployment's key: made once, kept readable by its owner only."""
    path = data_dir / "secret_key"
    if path.exists():
        return parse_secret_key(path.read_text(encoding="utf-8").strip())
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    env = os.environ if environ is None else environ
    values = {setting.name: read_setting(setting.name, env) for setting in SETTINGS}
    deployment = values["IROSCOPE_DEPLOYMENT"]
    if deployment == PRODUCTION:
        missing = [s.name for s in SETTINGS if s.required_in_production and not env.get(s.name)]
        if missing:
            raise SettingError(f"In production these must be set: {', '.join(missing)}")
        if values["DEBUG"]:
            raise SettingError("DEBUG: must be false in production")
    data_dir: Path = values["IROSCOPE_DATA_DIR"] or default_data_dir()
    secret_key = values["SECRET_KEY"] or embedded_secret_key(data_dir)
    database_url = values["DATABASE_URL"] or f"sqlite:///{data_dir / 'iroscope.sqlite3'}"
    return Environment(
        deployment=deployment,
        data_dir=data_dir,
        secret_key=secret_key,
        database_url=database_url,
        allowed_hosts=values["ALLOWED_HOSTS"],
        csrf_trusted_origins=values["CSRF_TRUSTED_ORIGINS"] or [],
        debug=values["DEBUG"],
        secure_cookies=values["IROSCOPE_SECURE_COOKIES"],
        behind_proxy=values["IROSCOPE_BEHIND_PROXY"],
        hsts_seconds=values["IROSCOPE_HSTS_SECONDS"],
        session_idle_minutes=values["IROSCOPE_SESSION_IDLE_MINUTES"],
        sign_in_attempts=values["IROSCOPE_SIGN_IN_ATTEMPTS"],
        sign_in_lockout_minutes=values["IROSCOPE_SIGN_IN_LOCKOUT_MINUTES"],
        static_root=values["STATIC_ROOT"],
        log_level=values["IROSCOPE_LOG_LEVEL"],
    )
