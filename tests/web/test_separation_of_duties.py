"""Separation of duties: an administrator cannot give themselves a role that opens children's records
(IRO, IRO manager, business support); another administrator must, and the trail says who did."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import account_roles
from iroscope.web.accounts.services import user_create
from iroscope.web.audit.models import Action, AuditEvent
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _change(client: Client, account: User, *roles: str) -> tuple[int, str]:
    form = {"roles": list(roles), "iro_id": "", "active": "open", "password": "", "password_again": ""}
    response = client.post(f"/accounts/{account.pk}/", form)
    return response.status_code, response.content.decode()


@pytest.fixture
def second_administrator(people: dict[str, User]) -> Client:
    user_create(username="second_administrator", password=PASSWORD, roles=frozenset({Role.ADMINISTRATOR}))
    client = Client()
    client.force_login(User.objects.get(username="second_administrator"))
    return client


def test_an_administrator_cannot_give_themselves_a_role_that_opens_childrens_records_but_another_can(
    people: dict[str, User], signed_in: dict[str, Client], second_administrator: Client
) -> None:
    me = people["administrator"]
    status, page = _change(signed_in["administrator"], me, "Administrator", "IRO manager")
    assert status == 400
    message = (
        "You cannot give yourself the IRO manager role, as it opens children&#x27;s records: "
        "ask another administrator to give it to you"
    )
    assert f'<a href="#id_roles">{message}</a>' in page  # in the error summary, linked to the field
    assert account_roles(account=me) == [Role.ADMINISTRATOR]
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()

    status, _ = _change(second_administrator, me, "Administrator", "IRO manager")
    assert status == 302
    assert account_roles(account=me) == [Role.MANAGER, Role.ADMINISTRATOR]
    (change,) = AuditEvent.objects.filter(action=Action.UPDATE)
    assert (change.username, change.subject) == ("second_administrator", "the account administrator")
    assert (change.before or {})["roles"] == ["Administrator"]
    assert (change.after or {})["roles"] == ["IRO manager", "Administrator"]


@pytest.mark.parametrize("role", ["Business support", "IRO manager"])
def test_each_role_that_reads_childrens_records_is_refused_to_oneself(
    role: str, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    status, page = _change(signed_in["administrator"], people["administrator"], "Administrator", role)
    assert status == 400 and f"You cannot give yourself the {role} role" in page


def test_an_administrator_may_give_themselves_a_role_without_childrens_records(
    people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    status, _ = _change(signed_in["administrator"], people["administrator"], "Administrator", "Analyst")
    assert status == 302
    assert account_roles(account=people["administrator"]) == [Role.ANALYST, Role.ADMINISTRATOR]


def test_an_administrator_who_already_holds_such_a_role_keeps_it_when_changing_their_account(
    people: dict[str, User], signed_in: dict[str, Client], second_administrator: Client
) -> None:
    me = people["administrator"]
    assert _change(second_administrator, me, "Administrator", "IRO manager")[0] == 302
    assert _change(signed_in["administrator"], me, "Administrator", "IRO manager", "Analyst")[0] == 302
