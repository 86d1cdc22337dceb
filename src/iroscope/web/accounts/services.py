"""Creating and changing accounts: from the command line (`user_create`) and by an administrator on the
accounts pages (`account_create`, `account_update`), which check what they are given, say what is
wrong field by field, and write the audit trail."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from iroscope.web.accounts.access import CASE_READERS
from iroscope.web.accounts.models import StaffProfile
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import AnyUser, account_roles
from iroscope.web.audit.models import Action
from iroscope.web.audit.services import audit_record
from iroscope.web.records.models import DATASET_MODELS

ACCOUNTS_TABLE = "accounts"  # how the audit trail names what was changed


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


class AccountInvalidError(ValueError):
    """What is wrong with an account as given, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def account_create(
    *, user: AnyUser, username: str, roles: Collection[Role], iro_id: str | None, password: str | None
) -> User:
    """An administrator's new account. Without a password it signs in by single sign-on only."""
    username = username.strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "Enter a user name"
    elif len(username) > 150:
        errors["username"] = "User name must be 150 characters or fewer"
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = "User name must only include letters, numbers and the characters @ . + - _"
        else:
            existing = User.objects.filter(username__iexact=username).first()
            if existing is not None:
                errors["username"] = f"There is already an account with the user name {existing.username}"
    _check_roles_and_iro(errors, roles=roles, iro_id=iro_id, account=None)
    _check_password(errors, password=password, username=username)
    if errors:
        raise AccountInvalidError(errors)
    with transaction.atomic():
        account = user_create(username=username, password=password or None, roles=frozenset(roles), iro_id=iro_id)
        audit_record(
            user=user,
            action=Action.CREATE,
            table=ACCOUNTS_TABLE,
            subject=f"the account {account.username}",
            after=account_as_audited(account),
        )
    return account


def account_update(
    *,
    user: AnyUser,
    account: User,
    roles: Collection[Role],
    iro_id: str | None,
    active: bool,
    password: str | None,
) -> User:
    """Change an account's roles, IRO link or status, or set a new password (None: leave it). An
    administrator may not close their own account or take away their own administrator role: the
    service would be left with nobody to manage accounts; nor give themselves a role that opens children's
    records: another administrator must (decision 0015). A change counts from the person's next page."""
    errors: dict[str, str] = {}
    if account.pk == user.pk:
        if not active:
            errors["active"] = "You cannot close your own account: ask another administrator to close it"
        if Role.ADMINISTRATOR not in roles:
            errors["roles"] = "You cannot take away your own administrator role: ask another administrator"
        elif gained := [
            role for role in Role if role in roles and role in CASE_READERS - set(account_roles(account=account))
        ]:
            # Separation of duties: whoever manages accounts cannot open children's records on their own say.
            named = " and ".join(role.value for role in gained)
            errors["roles"] = (
                f"You cannot give yourself the {named} role{'s' if len(gained) > 1 else ''}, as it opens "
                "children's records: ask another administrator to give it to you"
            )
    _check_roles_and_iro(errors, roles=roles, iro_id=iro_id, account=account)
    _check_password(errors, password=password, username=account.username)
    if errors:
        raise AccountInvalidError(errors)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        before = account_as_audited(account)
        account.is_active = active
        if password:
            account.set_password(password)
        account.save()
        account.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
        StaffProfile.objects.update_or_create(user=account, defaults={"iro_id": iro_id})
        after = account_as_audited(account) | ({"password": "changed"} if password else {})
        audit_record(
            user=user,
            action=Action.UPDATE,
            table=ACCOUNTS_TABLE,
            subject=f"the account {account.username}",
            before=before,
            after=after,
        )
    return account


def account_as_audited(account: User) -> dict[str, Any]:
    """What the audit trail keeps of an account: never its password."""
    profile = StaffProfile.objects.filter(user=account).first()
    return {
        "username": account.username,
        "roles": [role.value for role in account_roles(account=account)],
        "iro_id": profile.iro_id if profile is not None else None,
        "active": account.is_active,
        "password sign-in": account.has_usable_password(),
    }


def _check_roles_and_iro(
    errors: dict[str, str], *, roles: Collection[Role], iro_id: str | None, account: User | None
) -> None:
    if not roles:
        errors["roles"] = "Select at least one role"
    if Role.IRO in roles and not iro_id:
        errors["iro_id"] = "Select the IRO staff record this IRO's account belongs to"
    elif iro_id and Role.IRO not in roles:
        errors["iro_id"] = "Only an IRO's account is linked to an IRO staff record: select IRO as a role, or no IRO"
    elif iro_id:
        kept = account is not None and StaffProfile.objects.filter(user=account, iro_id=iro_id).exists()
        if not kept and not DATASET_MODELS["iro_staff"]._default_manager.filter(iro_id=iro_id).exists():
            # A link made before (from the command line, or to an IRO since gone from the list) may stay.
            errors["iro_id"] = f"There is no IRO {iro_id} on the IRO staff list"
        else:
            linked = StaffProfile.objects.filter(iro_id=iro_id).exclude(user=account).select_related("user").first()
            if linked is not None:
                errors["iro_id"] = f"IRO {iro_id} is already linked to the account {linked.user.username}"


def _check_password(errors: dict[str, str], *, password: str | None, username: str) -> None:
    if not password:
        return
    try:
        validate_password(password, user=User(username=username))
    except ValidationError as error:
        errors["password"] = " ".join(error.messages)
