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


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
ACCOUNT_CLAIMS = ("email", "preferred_username", "upn", "oid", "sub")
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


def parse_https_url(text: str) -> str:
    """An https address; plain http only on this machine, for trying a provider out."""
    url = text.strip()
    parts = urlsplit(url)
    if not parts.netloc or parts.scheme not in {"https", "http"}:
        raise ValueError(f"expected an https:// address, not {text!r}")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"expected an https:// address (http only on localhost), not {text!r}")
    return url


def parse_text(text: str) -> str:
    if not text.strip():
        raise ValueError("expected some text")
    return text.strip()


def parse_scopes(text: str) -> str:
    """Space-separated OpenID Connect scopes; `openid` is what makes it OpenID Connect."""
    scopes = text.split()
    if "openid" not in scopes:
        raise ValueError(f"expected space-separated scopes including openid, not {text!r}")
    return " ".join(scopes)


def parse_account_claim(text: str) -> str:
    claim = text.strip()
    if claim not in ACCOUNT_CLAIMS:
        raise ValueError(f"expected one of {', '.join(ACCOUNT_CLAIMS)}, not {text!r}")
    return claim


def parse_signing_algorithm(text: str) -> str:
    algorithm = text.strip().upper()
    if algorithm not in SIGNING_ALGORITHMS:
        raise ValueError(f"expected one of {', '.join(SIGNING_ALGORITHMS)}, not {text!r}")
    return algorithm


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
        "IROSCOPE_PREPARED_STATEMENTS",
        parse_boolean,
        "true",
        "On PostgreSQL, send each query's values apart from the query, and have the server keep the plan of "
        "every query a worker sends more than once: most queries are the same few on every page. Set `false` "
        "behind a connection pooler in transaction mode that does not keep prepared statements (PgBouncer "
        "before 1.21, or without `max_prepared_statements`).",
    ),
    Setting(
        "IROSCOPE_SESSIONS_CACHED",
        parse_boolean,
        "true",
        "Read sessions from the cache the workers on one machine share (files under the data folder); they "
        "are written to the database as well. Set `false` when workers run on more than one machine: a "
        "sign-out on one would not reach the copies kept on the others.",
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
        "IROSCOPE_PASSWORD_SIGN_IN",
        parse_boolean,
        "true",
        "Let people sign in with a user name and password. May be `false` only when single sign-on is on "
        "(`IROSCOPE_OIDC_CLIENT_ID` set); then the sign-in page offers single sign-on alone.",
    ),
    Setting(
        "IROSCOPE_OIDC_CLIENT_ID",
        parse_text,
        None,
        "Single sign-on by OpenID Connect is on when this is set: the workspace's client (application) id "
        "at the identity provider. The other `IROSCOPE_OIDC_` settings without a default are then required. "
        "Default: none (single sign-on off).",
    ),
    Setting(
        "IROSCOPE_OIDC_CLIENT_SECRET",
        parse_text,
        None,
        "The client secret issued by the identity provider. Required when single sign-on is on.",
    ),
    Setting(
        "IROSCOPE_OIDC_ISSUER",
        parse_https_url,
        None,
        "The provider's issuer; an ID token whose `iss` differs is refused. Entra ID: "
        "`https://login.microsoftonline.com/TENANT_ID/v2.0`. Required when single sign-on is on.",
    ),
    Setting(
        "IROSCOPE_OIDC_AUTHORIZATION_ENDPOINT",
        parse_https_url,
        None,
        "Where people are sent to sign in (`authorization_endpoint` in the provider's "
        "`.well-known/openid-configuration`). Required when single sign-on is on.",
    ),
    Setting(
        "IROSCOPE_OIDC_TOKEN_ENDPOINT",
        parse_https_url,
        None,
        "Where the workspace exchanges the sign-in code for tokens (`token_endpoint`). Required when "
        "single sign-on is on.",
    ),
    Setting(
        "IROSCOPE_OIDC_JWKS_ENDPOINT",
        parse_https_url,
        None,
        "The provider's public signing keys (`jwks_uri`), to check the ID token's signature. Required when "
        "single sign-on is on.",
    ),
    Setting(
        "IROSCOPE_OIDC_USERINFO_ENDPOINT",
        parse_https_url,
        None,
        "Optional `userinfo_endpoint`: claims the ID token lacks are read from it. Default: none (the ID "
        "token's claims alone; enough for Entra ID).",
    ),
    Setting(
        "IROSCOPE_OIDC_SCOPES",
        parse_scopes,
        "openid email profile",
        "Scopes asked for, space-separated; must include `openid`.",
    ),
    Setting(
        "IROSCOPE_OIDC_SIGNING_ALGORITHM",
        parse_signing_algorithm,
        "RS256",
        "The algorithm the provider signs ID tokens with (public-key algorithms only; Entra ID uses RS256).",
    ),
    Setting(
        "IROSCOPE_OIDC_ACCOUNT_CLAIM",
        parse_account_claim,
        "email",
        "Which claim names the person's workspace account: its value must equal an existing account's user "
        "name (ignoring case). One of `email`, `preferred_username`, `upn`, `oid`, `sub`. Nobody gets an "
        "account by signing in: an administrator creates it and gives it its roles.",
    ),
    Setting(
        "IROSCOPE_OIDC_PROVIDER_NAME",
        parse_text,
        "your council account",
        'Completes the button on the sign-in page: "Sign in with your council account".',
    ),
    Setting(
        "IROSCOPE_IMPORT_MAX_MEGABYTES",
        parse_positive_integer,
        "50",
        "The largest upload the Imports page accepts, in megabytes: the files chosen together, or the files "
        "inside a zip once opened. A 903 return for a large authority is a few megabytes.",
    ),
    Setting(
        "IROSCOPE_WORKBOOK_UNZIPPED_MEGABYTES",
        parse_positive_integer,
        "256",
        "The most a workbook (.xlsx, .ods) may unpack to, in megabytes, all its parts together: checked before it "
        "is opened, on the Imports page and by `iroscope load`, so that a small file cannot fill the memory.",
    ),
    Setting(
        "IROSCOPE_WORKBOOK_MAX_CELLS",
        parse_positive_integer,
        "5000000",
        "The most cells one sheet of a workbook may reach (rows times columns, as far as the last cell it "
        "declares or holds), checked before it is opened.",
    ),
    Setting(
        "IROSCOPE_IMPORT_MAX_ROWS",
        parse_positive_integer,
        "1000000",
        "The most rows one table file or sheet may hold below its header.",
    ),
    Setting(
        "IROSCOPE_IMPORT_MAX_CELL_CHARACTERS",
        parse_positive_integer,
        "32767",
        "The most characters one cell of an imported file may hold (Excel's own limit for a cell).",
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


OIDC_REQUIRED = (
    "IROSCOPE_OIDC_CLIENT_ID",
    "IROSCOPE_OIDC_CLIENT_SECRET",
    "IROSCOPE_OIDC_ISSUER",
    "IROSCOPE_OIDC_AUTHORIZATION_ENDPOINT",
    "IROSCOPE_OIDC_TOKEN_ENDPOINT",
    "IROSCOPE_OIDC_JWKS_ENDPOINT",
)


@dataclass(frozen=True)
class SingleSignOn:
    """Single sign-on by OpenID Connect, as configured (see docs/decisions/0007-single-sign-on.md)."""

    client_id: str
    client_secret: str
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_endpoint: str
    userinfo_endpoint: str | None
    scopes: str
    signing_algorithm: str
    account_claim: str
    provider_name: str

    def __repr__(self) -> str:
        # The secret must never reach a log or an error page.
        return f"SingleSignOn(issuer={self.issuer!r}, client_id={self.client_id!r})"


def read_single_sign_on(values: Mapping[str, Any]) -> SingleSignOn | None:
    """Single sign-on when its client id is set, with every required part; None when no part is set."""
    given = [name for name in OIDC_REQUIRED if values[name] is not None]
    if not given:
        return None
    missing = [name for name in OIDC_REQUIRED if values[name] is None]
    if missing:
        raise SettingError(f"Single sign-on needs these set as well: {', '.join(missing)}")
    return SingleSignOn(
        client_id=values["IROSCOPE_OIDC_CLIENT_ID"],
        client_secret=values["IROSCOPE_OIDC_CLIENT_SECRET"],
        issuer=values["IROSCOPE_OIDC_ISSUER"],
        authorization_endpoint=values["IROSCOPE_OIDC_AUTHORIZATION_ENDPOINT"],
        token_endpoint=values["IROSCOPE_OIDC_TOKEN_ENDPOINT"],
        jwks_endpoint=values["IROSCOPE_OIDC_JWKS_ENDPOINT"],
        userinfo_endpoint=values["IROSCOPE_OIDC_USERINFO_ENDPOINT"],
        scopes=values["IROSCOPE_OIDC_SCOPES"],
        signing_algorithm=values["IROSCOPE_OIDC_SIGNING_ALGORITHM"],
        account_claim=values["IROSCOPE_OIDC_ACCOUNT_CLAIM"],
        provider_name=values["IROSCOPE_OIDC_PROVIDER_NAME"],
    )


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
    password_sign_in: bool = True
    sessions_cached: bool = True
    prepared_statements: bool = True
    single_sign_on: SingleSignOn | None = None
    import_max_megabytes: int = 50
    workbook_unzipped_megabytes: int = 256
    workbook_max_cells: int = 5_000_000
    import_max_rows: int = 1_000_000
    import_max_cell_characters: int = 32_767


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
    single_sign_on = read_single_sign_on(values)
    if not values["IROSCOPE_PASSWORD_SIGN_IN"] and single_sign_on is None:
        raise SettingError("IROSCOPE_PASSWORD_SIGN_IN: may be false only when single sign-on is on")
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
        password_sign_in=values["IROSCOPE_PASSWORD_SIGN_IN"],
        sessions_cached=values["IROSCOPE_SESSIONS_CACHED"],
        prepared_statements=values["IROSCOPE_PREPARED_STATEMENTS"],
        single_sign_on=single_sign_on,
        import_max_megabytes=values["IROSCOPE_IMPORT_MAX_MEGABYTES"],
        workbook_unzipped_megabytes=values["IROSCOPE_WORKBOOK_UNZIPPED_MEGABYTES"],
        workbook_max_cells=values["IROSCOPE_WORKBOOK_MAX_CELLS"],
        import_max_rows=values["IROSCOPE_IMPORT_MAX_ROWS"],
        import_max_cell_characters=values["IROSCOPE_IMPORT_MAX_CELL_CHARACTERS"],
    )
