from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from iroscope.web.environment import SETTINGS, SettingError, read_environment

DEPLOYMENT_DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
KEY = "k" * 60


def test_the_defaults_are_safe(tmp_path: Path) -> None:
    env = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)})
    assert env.debug is False
    assert env.secure_cookies is True
    assert env.session_idle_minutes == 30
    assert env.deployment == "embedded"
    assert env.database_url == f"sqlite:///{tmp_path / 'iroscope.sqlite3'}"


def test_the_embedded_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)}).secret_key
    second = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)}).secret_key
    assert first == second and len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_production_refuses_to_start_without_its_required_settings(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS"):
        read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), "IROSCOPE_DEPLOYMENT": "production"})


def test_production_refuses_debug(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="DEBUG"):
        read_environment(
            {
                "IROSCOPE_DEPLOYMENT": "production",
                "SECRET_KEY": KEY,
                "DATABASE_URL": "postgres://iroscope@db/iroscope",
                "ALLOWED_HOSTS": "iro.example.gov.uk",
                "DEBUG": "true",
            }
        )


def test_production_generates_nothing_and_reads_what_it_is_given(tmp_path: Path) -> None:
    env = read_environment(
        {
            "IROSCOPE_DATA_DIR": str(tmp_path),
            "IROSCOPE_DEPLOYMENT": "production",
            "SECRET_KEY": KEY,
            "DATABASE_URL": "postgres://iroscope@db/iroscope",
            "ALLOWED_HOSTS": "iro.example.gov.uk, other.example.gov.uk",
            "IROSCOPE_SESSION_IDLE_MINUTES": "15",
        }
    )
    assert env.allowed_hosts == ["iro.example.gov.uk", "other.example.gov.uk"]
    assert env.session_idle_minutes == 15
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("IROSCOPE_SECURE_COOKIES", "ture"),
        ("IROSCOPE_SESSION_IDLE_MINUTES", "0"),
        ("IROSCOPE_SESSION_IDLE_MINUTES", "thirty"),
        ("ALLOWED_HOSTS", "a,,b"),
        ("DATABASE_URL", "mysql://root@localhost/iroscope"),
        ("SECRET_KEY", "short"),
        ("CSRF_TRUSTED_ORIGINS", "iro.example.gov.uk"),
        ("IROSCOPE_DEPLOYMENT", "staging"),
        ("IROSCOPE_LOG_LEVEL", "loud"),
        ("IROSCOPE_PASSWORD_SIGN_IN", "never"),
        ("IROSCOPE_OIDC_ISSUER", "http://login.example.com/tenant/v2.0"),
        ("IROSCOPE_OIDC_TOKEN_ENDPOINT", "login.example.com/token"),
        ("IROSCOPE_OIDC_SCOPES", "email profile"),
        ("IROSCOPE_OIDC_ACCOUNT_CLAIM", "name"),
        ("IROSCOPE_OIDC_SIGNING_ALGORITHM", "HS256"),
    ],
)
def test_a_value_that_does_not_parse_is_refused_with_the_variables_name(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingError, match=f"^{name}: "):
        read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), name: value})


def test_every_setting_is_documented_in_the_deployment_guide() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", DEPLOYMENT_DOC.read_text(encoding="utf-8"), re.MULTILINE))
    assert {setting.name for setting in SETTINGS} == documented


def test_sessions_are_read_from_the_shared_cache_unless_workers_span_machines(tmp_path: Path) -> None:
    assert read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)}).sessions_cached is True
    spanning = {"IROSCOPE_DATA_DIR": str(tmp_path), "IROSCOPE_SESSIONS_CACHED": "false"}
    assert read_environment(spanning).sessions_cached is False
    from iroscope.web import settings as workspace

    assert (workspace.SESSION_ENGINE, workspace.SESSION_CACHE_ALIAS) == (
        "django.contrib.sessions.backends.cached_db",
        "shared",
    )


def test_the_workspace_hashes_passwords_with_argon2_first() -> None:
    from iroscope.web import settings as workspace

    assert workspace.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


ENTRA = {
    "IROSCOPE_OIDC_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
    "IROSCOPE_OIDC_CLIENT_SECRET": "secret-from-entra",
    "IROSCOPE_OIDC_ISSUER": "https://login.microsoftonline.com/tenant-id/v2.0",
    "IROSCOPE_OIDC_AUTHORIZATION_ENDPOINT": "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/authorize",
    "IROSCOPE_OIDC_TOKEN_ENDPOINT": "https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token",
    "IROSCOPE_OIDC_JWKS_ENDPOINT": "https://login.microsoftonline.com/tenant-id/discovery/v2.0/keys",
}


def test_single_sign_on_is_off_and_passwords_on_unless_configured(tmp_path: Path) -> None:
    env = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)})
    assert env.single_sign_on is None
    assert env.password_sign_in is True


def test_single_sign_on_is_on_with_its_client_id_and_endpoints(tmp_path: Path) -> None:
    env = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), **ENTRA, "IROSCOPE_PASSWORD_SIGN_IN": "false"})
    assert env.single_sign_on is not None
    assert env.single_sign_on.client_id == "11111111-2222-3333-4444-555555555555"
    assert env.single_sign_on.scopes == "openid email profile"
    assert env.single_sign_on.account_claim == "email"
    assert env.single_sign_on.userinfo_endpoint is None
    assert env.password_sign_in is False
    assert "secret-from-entra" not in repr(env)


def test_single_sign_on_half_configured_names_what_is_missing(tmp_path: Path) -> None:
    partial = {name: value for name, value in ENTRA.items() if name != "IROSCOPE_OIDC_JWKS_ENDPOINT"}
    partial.pop("IROSCOPE_OIDC_CLIENT_SECRET")
    with pytest.raises(SettingError, match=r"^Single sign-on needs these set as well: IROSCOPE_OIDC_CLIENT_SECRET, "):
        read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), **partial})


def test_password_sign_in_cannot_be_switched_off_without_single_sign_on(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match=r"^IROSCOPE_PASSWORD_SIGN_IN: may be false only when single sign-on is on"):
        read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), "IROSCOPE_PASSWORD_SIGN_IN": "false"})


def test_postgresql_keeps_query_plans_unless_a_pooler_cannot(tmp_path: Path) -> None:
    assert read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)}).prepared_statements is True
    pooled = {"IROSCOPE_DATA_DIR": str(tmp_path), "IROSCOPE_PREPARED_STATEMENTS": "false"}
    assert read_environment(pooled).prepared_statements is False
    from django.conf import settings

    # Every test on PostgreSQL runs with them, as a deployment does by default.
    assert settings.DATABASES["postgres"]["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 2}


def test_the_import_limits_are_settings_with_documented_defaults(tmp_path: Path) -> None:
    environment = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path)})
    assert (
        environment.workbook_unzipped_megabytes,
        environment.workbook_max_cells,
        environment.import_max_rows,
        environment.import_max_cell_characters,
    ) == (256, 5_000_000, 1_000_000, 32_767)
    changed = read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), "IROSCOPE_IMPORT_MAX_ROWS": "5000"})
    assert changed.import_max_rows == 5000
    with pytest.raises(SettingError, match=r"^IROSCOPE_IMPORT_MAX_CELL_CHARACTERS: "):
        read_environment({"IROSCOPE_DATA_DIR": str(tmp_path), "IROSCOPE_IMPORT_MAX_CELL_CHARACTERS": "0"})


def test_the_proxy_example_accepts_an_upload_as_large_as_the_import_limit() -> None:
    # nginx's own default of 1 MB would refuse any import over 1 MB before the workspace saw it.
    guide = DEPLOYMENT_DOC.read_text(encoding="utf-8")
    (proxy_megabytes,) = re.findall(r"client_max_body_size (\d+)m;", guide)
    default = next(s.default for s in SETTINGS if s.name == "IROSCOPE_IMPORT_MAX_MEGABYTES")
    assert default is not None and int(proxy_megabytes) > int(default)
