"""Who a person is in the workspace."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User

from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.roles import Role

AnyUser = AbstractBaseUser | AnonymousUser


# A page asks who the person is several times (the access check, the menu, the page itself); the
# answer is kept on the user object, which Django loads afresh for every request.
_ROLES, _IRO_ID = "_iroscope_roles", "_iroscope_iro_id"

_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]


def user_signed_in(*, user_id: Any) -> User | None:
    """The account a session names, as the authentication backends load it for every request, with its
    roles and IRO staff identifier read in the same query (one row per group it is in): the access
    check, the menu and the page then ask the database nothing more about the person. Read afresh on
    every request, so a role taken away or an account closed counts from the next one."""
    queryset = User._default_manager.filter(pk=user_id)
    rows = list(queryset.values_list(*_USER_FIELDS, "staff_profile__iro_id", "groups__name"))
    if not rows:
        return None
    user = User.from_db(queryset.db, _USER_FIELDS, rows[0][: len(_USER_FIELDS)])
    names = {row[-1] for row in rows}
    setattr(user, _ROLES, frozenset(role for role in Role if role.value in names))
    setattr(user, _IRO_ID, rows[0][-2])
    return user


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
