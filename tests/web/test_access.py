"""Every URL as every person: the allocated IRO, a colleague IRO not allocated to the child, each
other role, someone with no role, and someone signed out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from iroscope.data.dataset import Dataset
from tests.web.test_decisions import URLS as DECISION_URLS
from tests.web.test_recording_access import URLS as RECORDING_URLS
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

AWAY, NOT_FOUND = 302, 404

# (url name, method, path) → what each person gets.
URLS = {
    "home": ("get", "/"),
    "sign-in": ("get", "/sign-in/"),
    "sign-out": ("post", "/sign-out/"),
    "session-keep": ("post", "/session/keep/"),
    "caseload": ("get", "/caseload/"),
    "child": ("get", "/children/A/"),
    "audit": ("get", "/audit/"),
    "find-child": ("get", "/find-a-child/?child_id=A"),
    "iro-caseload": ("get", "/caseloads/I1/"),
    "help": ("get", "/help/"),
    "accessibility": ("get", "/accessibility/"),
    # Single sign-on is off in the tests' settings, so its addresses are not found for anyone;
    # tests/web/test_oidc.py covers them switched on.
    "sign-in-single-sign-on": ("get", "/sign-in/single-sign-on/"),
    "sign-in-single-sign-on-callback": ("get", "/sign-in/single-sign-on/callback/"),
}
SINGLE_SIGN_ON_OFF = {"sign-in-single-sign-on": NOT_FOUND, "sign-in-single-sign-on-callback": NOT_FOUND}
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": {
        "home": SIGN_IN,
        "sign-in": ALLOW,
        "sign-out": AWAY,
        "session-keep": SIGN_IN,
        "caseload": SIGN_IN,
        "child": SIGN_IN,
        "audit": SIGN_IN,
        "find-child": SIGN_IN,
        "iro-caseload": SIGN_IN,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "allocated_iro": {
        "home": ALLOW,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": ALLOW,
        "child": ALLOW,
        "audit": DENY,
        "find-child": AWAY,
        "iro-caseload": DENY,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "colleague_iro": {
        "home": ALLOW,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": ALLOW,
        "child": ALLOW,
        "audit": DENY,
        "find-child": AWAY,
        "iro-caseload": DENY,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "manager": {
        "home": ALLOW,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": DENY,
        "child": ALLOW,
        "audit": ALLOW,
        "find-child": AWAY,
        "iro-caseload": ALLOW,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "business_support": {
        "home": ALLOW,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": DENY,
        "child": ALLOW,
        "audit": DENY,
        "find-child": AWAY,
        "iro-caseload": DENY,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "analyst": {
        "home": ALLOW,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": DENY,
        "child": DENY,
        "audit": DENY,
        "find-child": ALLOW,
        "iro-caseload": DENY,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "administrator": {
        "home": ALLOW,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": DENY,
        "child": DENY,
        "audit": DENY,
        "find-child": ALLOW,
        "iro-caseload": DENY,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
    "no_role": {
        "home": DENY,
        "sign-in": AWAY,
        "sign-out": AWAY,
        "session-keep": ALLOW,
        "caseload": DENY,
        "child": DENY,
        "audit": DENY,
        "find-child": DENY,
        "iro-caseload": DENY,
        "help": ALLOW,
        "accessibility": ALLOW,
        **SINGLE_SIGN_ON_OFF,
    },
}


# URLs walked as every person by the test module of the app that owns them.
WALKED_ELSEWHERE = {
    **dict.fromkeys(RECORDING_URLS, "tests/web/test_recording_access.py"),
    **dict.fromkeys(DECISION_URLS, "tests/web/test_decisions.py"),
    "child-disputes": "tests/web/test_disputes_views.py",
    "dispute": "tests/web/test_disputes_views.py",
    "disputes-overdue": "tests/web/test_disputes_views.py",
    "allocations": "tests/web/test_allocations.py",
    **dict.fromkeys(["accounts", "account-new", "account-edit"], "tests/web/test_accounts_views.py"),
    "account-unlock": "tests/web/test_sign_in_audit.py",
    "password-change": "tests/web/test_password_change.py",
    "audit-download": "tests/web/test_audit_trail.py",
    "practice-settings": "tests/web/test_practice_settings.py",
    "dashboard": "tests/web/test_dashboard.py",
    "dashboard-records": "tests/web/test_dashboard.py",
    "dashboard-chart": "tests/web/test_dashboard.py",
    **dict.fromkeys(
        ["imports", "import-new", "import-report", "import-confirm", "import-abandon"], "tests/web/test_imports.py"
    ),
    "export": "tests/web/test_export.py",
    **dict.fromkeys(
        [
            "reports",
            "report-builder",
            "report-preview",
            "report-download",
            "narrative-save",
            "narrative-history",
            "narrative-version",
            "narrative-restore",
        ],
        "tests/web/test_reports_views.py",
    ),
    **dict.fromkeys(
        ["worklists", "worklist", "worklist-download", "worklists-weekly"], "tests/web/test_worklists_views.py"
    ),
    **dict.fromkeys(["letter", "letter-sent", "letter-download"], "tests/web/test_letters.py"),
}


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_the_walks_cover_every_url_of_the_workspace_including_included_ones() -> None:
    assert _names(get_resolver().url_patterns) == set(URLS) | set(WALKED_ELSEWHERE)
    assert all(set(row) == set(URLS) for row in EXPECTED.values())


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_page_as_the_roles_say(
    person: str, url_name: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = client_for(person, signed_in)
    method, path = URLS[url_name]
    response = getattr(client, method)(path)
    expected = EXPECTED[person][url_name]
    assert_allowed_or_refused(response, expected)


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_security_headers(client: Client) -> None:
    response = client.get("/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "'nonce-" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_user_name(client: Client, people: dict[str, object]) -> None:
    for _ in range(5):
        client.post("/sign-in/", {"username": "manager", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        "/sign-in/", {"username": "manager", "password": "a long test password"}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert b"too many failed attempts" in locked.content


@pytest.mark.django_db
def test_a_person_signs_in_with_their_password(client: Client, people: dict[str, object]) -> None:
    response = client.post("/sign-in/", {"username": "manager", "password": "a long test password"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
