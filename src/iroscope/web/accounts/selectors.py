"""Who a person is in the workspace."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.roles import Role

AnyUser = AbstractBaseUser | AnonymousUser


def user_roles(*, user: AnyUser) -> frozenset[Role]:
    pk = user.pk
    if pk is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    names = set(Group.objects.filter(user__pk=pk).values_list("name", flat=True))
    return frozenset(role for role in Role if role.value in names)


def user_iro_id(*, user: AnyUser) -> str | None:
    """The IRO staff identifier linked to an IRO's account, if any."""
    if Role.IRO not in user_roles(user=user):
        return None
    pk = user.pk
    profile = StaffProfile.objects.filter(user__pk=pk).first() if pk is not None else None
    return profile.iro_id if profile else None
