from __future__ import annotations

from django.http import HttpRequest

from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles
from iroscope.web.navigation import current_page, may_read_children, menu_for


def roles(request: HttpRequest) -> dict[str, object]:
    held = user_roles(user=request.user)
    menu = menu_for(held)
    return {
        "roles": [role for role in Role if role in held],
        "menu": menu,
        # The service navigation marks the page being shown (aria-current).
        "menu_current": current_page(menu, request.path),
        # The header's "Find a child" form, for those who may read children's records.
        "may_find_child": may_read_children(user=request.user),
    }
