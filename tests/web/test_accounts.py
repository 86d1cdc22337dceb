"""Who the person is, read once a request: the account with its roles and IRO staff identifier in one
query, afresh each time, so that a role taken away, an account closed or a password changed counts from
the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_iro_id, user_roles, user_signed_in
from iroscope.web.accounts.services import user_create
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("each_database")

PERSON_TABLES = ("auth_user", "auth_group", "accounts_staff_profile")


def person_reads(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries if any(name in query["sql"] for name in PERSON_TABLES)]


def test_a_page_asks_the_database_about_the_person_once(authority: Dataset, signed_in: dict[str, Client]) -> None:
    # The caseload checks the roles, shows the menu for them and reads the IRO's staff identifier.
    assert len(person_reads(signed_in["allocated_iro"], "/caseload/")) == 1
    assert len(person_reads(signed_in["manager"], "/children/A/")) == 1


def test_the_account_is_read_with_every_role_and_its_staff_identifier_and_nothing_more_is_asked() -> None:
    both = user_create(username="both", password=None, roles=frozenset({Role.IRO, Role.MANAGER}), iro_id="I9")
    user = user_signed_in(user_id=str(both.pk))
    assert user is not None and (user.pk, user.username, user.password) == (both.pk, "both", both.password)
    with CaptureQueriesContext(connection) as queries:
        assert user_roles(user=user) == {Role.IRO, Role.MANAGER}
        assert user_iro_id(user=user) == "I9"
    assert len(queries) == 0


def test_the_account_is_read_as_the_orm_reads_it() -> None:
    account = user_create(username="iro", password=PASSWORD, roles=frozenset({Role.IRO}), iro_id="I9")
    account.last_login = timezone.now()
    account.save()
    user, stored = user_signed_in(user_id=str(account.pk)), User.objects.get(pk=account.pk)
    assert user is not None
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(stored, field.attname), field.name
    assert user.last_login is not None and timezone.is_aware(user.last_login)


def test_an_account_with_no_role_or_staff_profile_is_read_with_none() -> None:
    plain = User.objects.create_user(username="plain", password=None)
    user = user_signed_in(user_id=plain.pk)
    assert user is not None and user_roles(user=user) == frozenset() and user_iro_id(user=user) is None
    assert user_signed_in(user_id=plain.pk + 1000) is None
    assert user_signed_in(user_id="not a number") is None


def test_a_role_taken_away_counts_from_the_next_request(
    authority: Dataset, signed_in: dict[str, Client], people: dict[str, User]
) -> None:
    client = signed_in["manager"]
    assert client.get("/audit/").status_code == 200
    people["manager"].groups.remove(Group.objects.get(name=Role.MANAGER.value))
    assert client.get("/audit/").status_code == 403


def test_a_closed_account_is_signed_out_from_the_next_request(
    signed_in: dict[str, Client], people: dict[str, User]
) -> None:
    client = signed_in["manager"]
    assert client.get("/").status_code == 200
    people["manager"].is_active = False
    people["manager"].save()
    assert client.get("/").status_code == 302


def test_a_changed_password_signs_out_the_sessions_signed_in_before(
    signed_in: dict[str, Client], people: dict[str, User]
) -> None:
    client = signed_in["manager"]
    assert client.get("/").status_code == 200
    people["manager"].set_password("another long test password")
    people["manager"].save()
    assert client.get("/").status_code == 302
