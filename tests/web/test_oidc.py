"""Single sign-on by OpenID Connect, against a fake identity provider: the library's calls to the
token and key endpoints are answered here, with ID tokens signed by a key made for the test."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from iroscope.web.accounts.oidc import NO_ACCOUNT, SignInRefusedError, account_for_claims
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.environment import SingleSignOn
from iroscope.web.settings import sign_in_settings
from tests.web.conftest import PASSWORD

ISSUER = "https://login.example.test/tenant-1/v2.0"
SSO = SingleSignOn(
    client_id="iroscope-client",
    client_secret="not-a-real-secret",
    issuer=ISSUER,
    authorization_endpoint="https://login.example.test/tenant-1/authorize",
    token_endpoint="https://login.example.test/tenant-1/token",
    jwks_endpoint="https://login.example.test/tenant-1/keys",
    userinfo_endpoint=None,
    scopes="openid email profile",
    signing_algorithm="RS256",
    account_claim="email",
    provider_name="your council account",
)
KNOWN_EMAIL = "jo.manager@council.example"
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KEY_ID = "test-key"


def single_sign_on(*, password_sign_in: bool = True, configured: SingleSignOn | None = SSO) -> Any:
    return override_settings(**sign_in_settings(single_sign_on=configured, password_sign_in=password_sign_in))


class FakeResponse:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.status_code = 200
        self.headers = {"content-type": "application/json"}
        self.url = "https://login.example.test/"
        self.text = ""

    def json(self) -> dict[str, Any]:
        return self.body

    def raise_for_status(self) -> None:
        return None


class FakeProvider:
    """Answers the token request with an ID token carrying `claims`, and the keys request with its key."""

    def __init__(self) -> None:
        self.claims: dict[str, Any] = {}
        self.nonce = ""

    def id_token(self) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": SSO.client_id, "sub": "subject-1", "iat": now, "exp": now + 300}
        payload |= {"nonce": self.nonce, **self.claims}
        return jwt.encode(payload, SIGNING_KEY, algorithm="RS256", headers={"kid": KEY_ID})

    def post(self, url: str, **_: Any) -> FakeResponse:
        assert url == SSO.token_endpoint
        return FakeResponse({"id_token": self.id_token(), "access_token": "access", "token_type": "Bearer"})

    def get(self, url: str, **_: Any) -> FakeResponse:
        assert url == SSO.jwks_endpoint
        key = jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True)
        return FakeResponse({"keys": [key | {"kid": KEY_ID, "alg": "RS256", "use": "sig"}]})


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    fake = FakeProvider()
    with mock.patch("mozilla_django_oidc.auth.requests") as requests:
        requests.post.side_effect = fake.post
        requests.get.side_effect = fake.get
        yield fake


def sign_in_through_the_provider(client: Client, provider: FakeProvider, **claims: Any) -> Any:
    """Follows the button to the provider, then comes back as the provider would, signed in as `claims`."""
    start = client.get("/sign-in/single-sign-on/")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    provider.nonce = query["nonce"][0]
    provider.claims = claims
    return client.get("/sign-in/single-sign-on/callback/", {"code": "code-from-provider", "state": query["state"][0]})


@pytest.fixture
def known_manager(db: None) -> User:
    return user_create(username=KNOWN_EMAIL, password=PASSWORD, roles=frozenset({Role.MANAGER}))


@pytest.mark.django_db
def test_with_single_sign_on_off_there_is_no_button_and_its_addresses_are_not_found(client: Client) -> None:
    assert "Sign in with" not in client.get("/sign-in/").content.decode()
    assert client.get("/sign-in/single-sign-on/").status_code == 404
    assert client.get("/sign-in/single-sign-on/callback/", {"code": "c", "state": "s"}).status_code == 404


@pytest.mark.django_db
def test_with_single_sign_on_on_the_sign_in_page_offers_it_beside_the_password(client: Client) -> None:
    with single_sign_on():
        page = client.get("/sign-in/?next=/audit/").content.decode()
    assert 'href="/sign-in/single-sign-on/?next=/audit/"' in page
    assert "Sign in with your council account" in page
    assert 'name="password"' in page


@pytest.mark.django_db
def test_the_button_sends_the_person_to_the_provider_with_state_nonce_and_pkce(client: Client) -> None:
    with single_sign_on():
        response = client.get("/sign-in/single-sign-on/")
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == SSO.authorization_endpoint
    assert query["client_id"] == ["iroscope-client"]
    assert query["redirect_uri"] == ["http://testserver/sign-in/single-sign-on/callback/"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["state"][0]) == 32 and len(query["nonce"][0]) == 32


@pytest.mark.django_db
def test_password_sign_in_switched_off_leaves_only_the_button_and_refuses_a_posted_password(
    client: Client, known_manager: User
) -> None:
    with single_sign_on(password_sign_in=False):
        page = client.get("/sign-in/").content.decode()
        posted = client.post("/sign-in/", {"username": KNOWN_EMAIL, "password": PASSWORD})
    assert "Sign in with your council account" in page
    assert 'name="password"' not in page
    assert posted.status_code == 405
    assert client.get("/").status_code == 302  # still signed out


@pytest.mark.django_db
def test_a_known_person_signs_in_and_lands_on_their_home_page_with_their_role(
    client: Client, provider: FakeProvider, known_manager: User
) -> None:
    with single_sign_on():
        # The account's user name is written in lower case; the provider sends capitals.
        response = sign_in_through_the_provider(client, provider, email="Jo.Manager@Council.Example")
        assert response.status_code == 302 and response["Location"] == "/"
        home = client.get("/").content.decode()
    assert "Your roles: IRO manager." in home
    (event,) = AuditEvent.objects.filter(action=Action.SIGN_IN)
    assert (event.username, event.after) == (KNOWN_EMAIL, {"method": "single sign-on"})


@pytest.mark.django_db
def test_a_person_signed_in_by_single_sign_on_is_read_with_their_roles_in_one_query_a_page(
    client: Client, provider: FakeProvider, known_manager: User
) -> None:
    with single_sign_on():
        sign_in_through_the_provider(client, provider, email=KNOWN_EMAIL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/audit/").status_code == 200
        assert len([query for query in queries.captured_queries if "auth_" in query["sql"]]) == 1
        known_manager.groups.clear()
        assert client.get("/audit/").status_code == 403  # a role taken away counts from the next request


@pytest.mark.django_db
def test_an_unknown_person_is_refused_with_a_page_saying_why_and_the_refusal_is_audited_without_their_details(
    client: Client, provider: FakeProvider, known_manager: User
) -> None:
    with single_sign_on():
        response = sign_in_through_the_provider(client, provider, email="stranger@council.example", name="A Stranger")
        assert client.get("/").status_code == 302  # not signed in
    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot sign in to the IRO workspace" in page
    assert "it is not linked to an account in the IRO workspace" in page
    (event,) = AuditEvent.objects.filter(action=Action.SIGN_IN_REFUSED)
    assert event.user is None and event.username == "(not signed in)"
    assert event.after == {"method": "single sign-on", "reason": "no account matches"}
    assert not User.objects.filter(username__icontains="stranger").exists()  # no account was made


@pytest.mark.django_db
def test_an_id_token_for_another_application_is_refused(
    client: Client, provider: FakeProvider, known_manager: User
) -> None:
    with single_sign_on():
        response = sign_in_through_the_provider(client, provider, email=KNOWN_EMAIL, aud="another-application")
    assert response.status_code == 403
    (event,) = AuditEvent.objects.filter(action=Action.SIGN_IN_REFUSED)
    assert event.after == {"method": "single sign-on", "reason": "the ID token is not for this workspace"}


@pytest.mark.django_db
def test_an_unverified_email_address_is_refused(client: Client, provider: FakeProvider, known_manager: User) -> None:
    with single_sign_on():
        response = sign_in_through_the_provider(client, provider, email=KNOWN_EMAIL, email_verified=False)
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(action=Action.SIGN_IN_REFUSED)
    assert refusal.after == {"method": "single sign-on", "reason": "the email address is not verified"}


@pytest.mark.django_db
def test_a_deactivated_account_is_refused(client: Client, provider: FakeProvider, known_manager: User) -> None:
    User.objects.filter(pk=known_manager.pk).update(is_active=False)
    with single_sign_on():
        response = sign_in_through_the_provider(client, provider, email=KNOWN_EMAIL)
    assert response.status_code == 403
    assert AuditEvent.objects.get(action=Action.SIGN_IN_REFUSED).after == {
        "method": "single sign-on",
        "reason": NO_ACCOUNT,
    }


@pytest.mark.django_db
def test_entra_id_can_match_on_the_preferred_user_name_instead(
    client: Client, provider: FakeProvider, known_manager: User
) -> None:
    by_upn = SingleSignOn(**{**SSO.__dict__, "account_claim": "preferred_username"})
    with single_sign_on(configured=by_upn):
        response = sign_in_through_the_provider(client, provider, preferred_username=KNOWN_EMAIL)
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_cancelling_at_the_provider_signs_nobody_in_and_says_so(client: Client, provider: FakeProvider) -> None:
    with single_sign_on():
        client.get("/sign-in/single-sign-on/")
        response = client.get("/sign-in/single-sign-on/callback/", {"error": "access_denied"})
    assert response.status_code == 403
    assert "Sign-in did not finish" in response.content.decode()
    refusal = AuditEvent.objects.get(action=Action.SIGN_IN_REFUSED)
    assert refusal.after == {"method": "single sign-on", "reason": "sign-in not completed at the provider"}


@pytest.mark.django_db
def test_a_password_sign_in_is_audited_too(client: Client, known_manager: User) -> None:
    client.post("/sign-in/", {"username": KNOWN_EMAIL, "password": PASSWORD})
    (event,) = AuditEvent.objects.filter(action=Action.SIGN_IN)
    assert (event.username, event.after) == (KNOWN_EMAIL, {"method": "password"})


@pytest.mark.django_db
def test_the_sign_in_page_keeps_its_content_security_policy_with_single_sign_on_on(client: Client) -> None:
    with single_sign_on():
        policy = client.get("/sign-in/")["Content-Security-Policy"]
    assert "form-action 'self'" in policy and "default-src 'self'" in policy


@pytest.mark.parametrize(
    "alias",
    [
        pytest.param("default", marks=pytest.mark.django_db(databases=["default"]), id="sqlite"),
        pytest.param(
            "postgres", marks=[pytest.mark.postgres, pytest.mark.django_db(databases=["postgres"])], id="postgresql"
        ),
    ],
)
def test_the_account_is_matched_ignoring_case_and_only_when_exactly_one_is_active(alias: str) -> None:
    accounts = User.objects.db_manager(alias)
    accounts.create_user(username="sam.iro@council.example")
    found = account_for_claims(claims={"email": "SAM.IRO@council.example"}, configured=SSO, using=alias)
    assert found.username == "sam.iro@council.example"
    with pytest.raises(SignInRefusedError, match="no account matches"):
        account_for_claims(claims={"email": "sam.iro@council.example.evil"}, configured=SSO, using=alias)
    with pytest.raises(SignInRefusedError, match="the account claim is missing"):
        account_for_claims(claims={"preferred_username": "sam.iro@council.example"}, configured=SSO, using=alias)


@pytest.mark.django_db
def test_an_administrator_creates_an_account_for_single_sign_on_with_no_password() -> None:
    out = StringIO()
    with single_sign_on():
        call_command("create_account", "Sam.Manager@council.example", "--role", "IRO manager", stdout=out)
    account = User.objects.get(username="Sam.Manager@council.example")
    assert not account.has_usable_password()
    assert list(account.groups.values_list("name", flat=True)) == ["IRO manager"]
    assert out.getvalue() == "Created Sam.Manager@council.example (IRO manager), signing in with single sign-on only.\n"
    with (
        single_sign_on(),
        pytest.raises(CommandError, match=re.escape("An account named 'sam.manager@council.example' already exists")),
    ):
        call_command("create_account", "sam.manager@council.example", "--role", "Analyst")
