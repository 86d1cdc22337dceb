"""Creating accounts."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db import transaction

from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.roles import Role


def user_create(*, username: str, password: str | None, roles: frozenset[Role], iro_id: str | None = None) -> User:
    """An account with its roles; an IRO's account is linked to their IRO staff identifier.

    Without a password the account can sign in only by single sign-on (decision 0007).
    """
    if iro_id is not None and Role.IRO not in roles:
        raise ValueError("Only an IRO's account is linked to an IRO staff identifier")
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        for role in roles:
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        StaffProfile.objects.create(user=user, iro_id=iro_id)
    return user
