"""Who may open each page. Every view is wrapped in `role_required`; a test walks every URL as every role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles

P = ParamSpec("P")
View = Callable[..., HttpResponseBase]
_ALLOWED = "roles_allowed"

CASE_READERS = frozenset({Role.IRO, Role.MANAGER, Role.BUSINESS_SUPPORT})
MANAGERS = frozenset({Role.MANAGER})
IROS = frozenset({Role.IRO})
EVERYONE = frozenset(Role)


def role_required(allowed: frozenset[Role]) -> Callable[[View], View]:
    """Signed-out people are sent to sign in; signed-in people without an allowed role get 403."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_roles(user=request.user) & allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, _ALLOWED, allowed)
        return wrapped

    return decorate


def roles_allowed(view: Callable[..., object]) -> frozenset[Role]:
    """Who may open the page `view` serves, as its `role_required` says (nobody, for a view without)."""
    allowed: frozenset[Role] = getattr(view, _ALLOWED, frozenset())
    return allowed
