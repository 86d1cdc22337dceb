from __future__ import annotations

from django.http import HttpRequest

from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles
from iroscope.web.navigation import menu_for


def roles(request: HttpRequest) -> dict[str, object]:
    held = user_roles(user=request.user)
    return {"roles": [role for role in Role if role in held], "menu": menu_for(held)}
