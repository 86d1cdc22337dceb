from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from mozilla_django_oidc.views import OIDCAuthenticationRequestView  # type: ignore[import-untyped]

from iroscope.web.accounts.lockout import NOT_SIGNED_IN, username_tried
from iroscope.web.accounts.oidc import SingleSignOnCallbackView, single_sign_on
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record


class SignInView(LoginView):
    """Password sign-in, single sign-on, or both, as configured."""

    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and not settings.IROSCOPE_PASSWORD_SIGN_IN:
            return HttpResponseNotAllowed(["GET"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(
            user=user, action=Action.SIGN_IN, subject=f"the account {user.get_username()}", after={"method": "password"}
        )
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """A failed sign-in is written to the audit trail under the user name tried, never the password;
        one refused because the name is locked is written as a lockout (`lockout.locked_out_response`)."""
        if not getattr(self.request, "axes_locked_out", False):
            tried = username_tried(self.request)
            audit_record(
                user=None,
                action=Action.SIGN_IN_FAILED,
                subject=f"the user name {tried}" if tried else "a sign-in with no user name",
                after={"method": "password", "user name tried": tried},
                unnamed=NOT_SIGNED_IN,
            )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["single_sign_on"] = single_sign_on()
        context["password_sign_in"] = settings.IROSCOPE_PASSWORD_SIGN_IN
        return context


class SignOutView(LogoutView):
    pass


def single_sign_on_start(request: HttpRequest) -> HttpResponse:
    """Sends the person to the identity provider; not found when single sign-on is off."""
    if single_sign_on() is None:
        raise Http404
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


def single_sign_on_callback(request: HttpRequest) -> HttpResponse:
    if single_sign_on() is None:
        raise Http404
    response: HttpResponse = SingleSignOnCallbackView.as_view()(request)
    return response
