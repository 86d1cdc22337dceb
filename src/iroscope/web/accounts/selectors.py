"""Who a person is in the workspace."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.roles import Role

AnyUser = AbstractBaseUser | AnonymousUser


# A page asks who the person is several times (the access check, the menu, the page itself); the
# answer is kept on the user object, which Django loads afresh for every request.
_ROLES, _IRO_ID = "_iroscope_roles", "_iroscope_iro_id"


def user_roles(*, user: AnyUser) -> frozenset[Role]:
    pk = user.pk
    if pk is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    known: frozenset[Role] | None = getattr(user, _ROLES, None)
    if known is None:
        names = set(Group.objects.filter(user__pk=pk).values_list("name", flat=True))
        known = frozenset(role for role in Role if role.value in names)
        setattr(user, _ROLES, known)
    return known


def user_iro_id(*, user: AnyUser) -> str | None:
    """The IRO staff identifier linked to an IRO's account, if any."""
    if Role.IRO not in user_roles(user=user):
        return None
    if not hasattr(user, _IRO_ID):
        pk = user.pk
        profile = StaffProfile.objects.filter(user__pk=pk).first() if pk is not None else None
        setattr(user, _IRO_ID, profile.iro_id if profile else None)
    iro_id: str | None = getattr(user, _IRO_ID)
    return iro_id
