from __future__ import annotations

from django.http import HttpRequest

from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles


def roles(request: HttpRequest) -> dict[str, object]:
    held = user_roles(user=request.user)
    return {"roles": held, "Role": {role.name: role for role in Role}}
