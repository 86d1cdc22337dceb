"""Who a person is in the workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User
from django.core.exceptions import ValidationError

from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.roles import Role, roles_named
from iroscope.web.records.selectors import iro_staff_names

AnyUser = AbstractBaseUser | AnonymousUser


# A page asks who the person is several times (the access check, the menu, the page itself); the
# answer is kept on the user object, which Django loads afresh for every request.
_ROLES, _IRO_ID = "_iroscope_roles", "_iroscope_iro_id"

# The account, its staff identifier and the name of each group it is in, one row per group: written
# out rather than put together by the ORM on every request, which cost about 1 ms of CPU a page, three
# times as much as asking (the columns are read into the account as the ORM would read them).
_SIGNED_IN_SQL = (
    "SELECT u.*, p.iro_id AS staff_iro_id, g.name AS group_name FROM auth_user u"
    f" LEFT JOIN {StaffProfile._meta.db_table} p ON p.user_id = u.id"
    " LEFT JOIN auth_user_groups m ON m.user_id = u.id"
    " LEFT JOIN auth_group g ON g.id = m.group_id"
    " WHERE u.id = %s"
)


def user_signed_in(*, user_id: Any) -> User | None:
    """The account a session names, as the authentication backends load it for every request, with its
    roles and IRO staff identifier read in the same query: the access check, the menu and the page then
    ask the database nothing more about the person. Read afresh on every request, so a role taken away
    or an account closed counts from the next one."""
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    rows = list(User._default_manager.raw(_SIGNED_IN_SQL, [pk]))
    if not rows:
        return None
    user = rows[0]
    names = {getattr(row, "group_name") for row in rows}  # noqa: B009 (a column the model does not declare)
    setattr(user, _ROLES, frozenset(roles_named(names)))
    setattr(user, _IRO_ID, getattr(user, "staff_iro_id"))  # noqa: B009
    return user


def user_roles(*, user: AnyUser) -> frozenset[Role]:
    pk = user.pk
    if pk is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    known: frozenset[Role] | None = getattr(user, _ROLES, None)
    if known is None:
        names = set(Group.objects.filter(user__pk=pk).values_list("name", flat=True))
        known = frozenset(roles_named(names))
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


def account_roles(*, account: User) -> list[Role]:
    """An account's roles in the order the service lists them, whether or not the account is open."""
    return roles_named(set(account.groups.values_list("name", flat=True)))


@dataclass(frozen=True)
class AccountRow:
    account_id: int
    username: str
    roles: list[Role]
    iro_id: str | None
    iro_name: str | None
    active: bool
    password_sign_in: bool
    last_sign_in: dt.datetime | None


def accounts_listed() -> list[AccountRow]:
    """Every account, open ones first, each by user name."""
    names = iro_staff_names()
    groups: dict[int, set[str]] = {}
    for user_id, name in User.groups.through.objects.values_list("user_id", "group__name"):
        groups.setdefault(user_id, set()).add(name)
    staff = dict(StaffProfile.objects.values_list("user_id", "iro_id"))
    rows = [
        AccountRow(
            account_id=account.pk,
            username=account.username,
            roles=roles_named(groups.get(account.pk, set())),
            iro_id=staff.get(account.pk),
            iro_name=names.get(staff.get(account.pk) or ""),
            active=account.is_active,
            password_sign_in=account.has_usable_password(),
            last_sign_in=account.last_login,
        )
        for account in User.objects.all()
    ]
    return sorted(rows, key=lambda row: (not row.active, row.username.lower()))
