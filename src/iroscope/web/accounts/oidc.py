"""Single sign-on by OpenID Connect (mozilla-django-oidc), on only when configured.

Signing in proves who someone is at the council's identity provider; it never gives them access.
The claim named by `IROSCOPE_OIDC_ACCOUNT_CLAIM` must equal the user name of an active account an
administrator has created, and that account's roles decide what they see (decision 0007). Anyone
else is refused with a page saying why, and the refusal is audited without their details.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped]
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView  # type: ignore[import-untyped]

from iroscope.web.accounts.selectors import user_signed_in
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.environment import SingleSignOn

METHOD = "single sign-on"
NOT_SIGNED_IN = "(not signed in)"

# Why a sign-in was refused, as written to the audit trail: never the person's claims.
NO_ACCOUNT = "no account matches"
NO_CLAIM = "the account claim is missing"
EMAIL_NOT_VERIFIED = "the email address is not verified"
WRONG_TOKEN = "the ID token is not for this workspace"
NOT_COMPLETED = "sign-in not completed at the provider"


class SignInRefusedError(Exception):
    """The provider vouched for someone the workspace does not let in."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def single_sign_on() -> SingleSignOn | None:
    configured: SingleSignOn | None = settings.IROSCOPE_SINGLE_SIGN_ON
    return configured


def account_for_claims(*, claims: dict[str, Any], configured: SingleSignOn, using: str = "default") -> User:
    """The one active account named by the configured claim (ignoring case), or SignInRefusedError."""
    if configured.account_claim == "email" and claims.get("email_verified") is False:
        raise SignInRefusedError(EMAIL_NOT_VERIFIED)
    value = claims.get(configured.account_claim)
    if not isinstance(value, str) or not value.strip():
        raise SignInRefusedError(NO_CLAIM)
    accounts = list(User.objects.using(using).filter(username__iexact=value.strip(), is_active=True)[:2])
    if len(accounts) != 1:
        raise SignInRefusedError(NO_ACCOUNT)
    return accounts[0]


class SingleSignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Checks the ID token is meant for us, then finds the existing account; never creates one."""

    def get_user(self, user_id: Any) -> User | None:
        """As the library does, with the person's roles and IRO staff identifier in the same query."""
        return user_signed_in(user_id=user_id)

    async def aget_user(self, user_id: Any) -> User | None:
        return await sync_to_async(self.get_user)(user_id)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        configured = single_sign_on()
        if configured is None:
            raise SignInRefusedError(NOT_COMPLETED)
        # The library checks the signature, expiry and nonce; OpenID Connect also asks for these two.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != configured.issuer or configured.client_id not in audiences:
            raise SignInRefusedError(WRONG_TOKEN)
        claims = dict(payload)
        if configured.userinfo_endpoint:
            userinfo: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SignInRefusedError(WRONG_TOKEN)
            claims = userinfo | payload
        return account_for_claims(claims=claims, configured=configured)


class SingleSignOnCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends people back: signs them in, or explains why not, and audits both."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            response: HttpResponse = super().get(request)
        except SignInRefusedError as refusal:
            return refuse(request, reason=refusal.reason)
        return response

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        subject = f"the account {self.user.get_username()}"
        audit_record(user=self.user, action=Action.SIGN_IN, subject=subject, after={"method": METHOD})
        return response

    def login_failure(self) -> HttpResponse:
        return refuse(self.request, reason=NOT_COMPLETED)


def refuse(request: HttpRequest, *, reason: str) -> HttpResponse:
    audit_record(
        user=None,
        action=Action.SIGN_IN_REFUSED,
        subject="a sign-in by single sign-on",
        after={"method": METHOD, "reason": reason},
        unnamed=NOT_SIGNED_IN,
    )
    template = (
        "accounts/single_sign_on_failed.html" if reason == NOT_COMPLETED else "accounts/single_sign_on_refused.html"
    )
    return render(request, template, {"single_sign_on": single_sign_on()}, status=403)
