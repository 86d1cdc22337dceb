"""Every page says who is signed in and links to where they change their own password: checked by the
configured validators, refused for an account that signs in by single sign-on only, and audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create
from iroscope.web.audit.models import Action, AuditEvent
from tests.web.conftest import PASSWORD
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

pytestmark = pytest.mark.django_db
NEW = "three unrelated words together"


def _change(client: Client, current: str, new: str, again: str | None = None) -> tuple[int, str]:
    form = {"current_password": current, "new_password": new, "new_password_again": new if again is None else again}
    response = client.post("/password/", form)
    return response.status_code, response.content.decode()


def _signs_in(username: str, password: str) -> bool:
    return Client().post("/sign-in/", {"username": username, "password": password}).status_code == 302


@pytest.mark.parametrize(
    ("person", "expected"),
    [("anonymous", SIGN_IN), ("allocated_iro", ALLOW), ("analyst", ALLOW), ("administrator", ALLOW), ("no_role", DENY)],
)
def test_everyone_with_a_role_opens_the_change_password_page(
    person: str, expected: int | str, signed_in: dict[str, Client]
) -> None:
    assert_allowed_or_refused(client_for(person, signed_in).get("/password/"), expected)


def test_every_page_says_who_is_signed_in_and_links_to_changing_the_password(signed_in: dict[str, Client]) -> None:
    page = signed_in["analyst"].get("/").content.decode()
    assert "Signed in as analyst" in page
    assert 'href="/password/">Change your password</a>' in page
    assert "Signed in as" not in Client().get("/sign-in/").content.decode()


def test_a_person_changes_their_own_password_and_it_is_audited(signed_in: dict[str, Client]) -> None:
    client = signed_in["manager"]
    response = client.post(
        "/password/", {"current_password": PASSWORD, "new_password": NEW, "new_password_again": NEW}, follow=True
    )
    assert "Your password has been changed." in response.content.decode()
    assert client.get("/").status_code == 200  # still signed in here
    assert _signs_in("manager", NEW) and not _signs_in("manager", PASSWORD)
    (event,) = AuditEvent.objects.filter(action=Action.PASSWORD_CHANGE)
    assert (event.username, event.subject, event.after) == ("manager", "the account manager", {"password": "changed"})


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("wrong", NEW, NEW, "Your current password is not right: enter the password you signed in with"),
        (PASSWORD, "short", "short", "This password is too short. It must contain at least 12 characters."),
        (PASSWORD, "password1234", "password1234", "This password is too common."),
        (PASSWORD, NEW, NEW + "x", "The two new passwords do not match"),
        ("", NEW, NEW, "Enter your current password"),
    ],
)
def test_a_wrong_or_weak_password_is_refused_with_a_message_naming_the_box(
    current: str, new: str, again: str, message: str, signed_in: dict[str, Client]
) -> None:
    status, page = _change(signed_in["manager"], current, new, again)
    assert status == 400 and message in page.replace("&#x27;", "'")
    assert "<title>Error: Change your password" in page
    assert not AuditEvent.objects.filter(action=Action.PASSWORD_CHANGE).exists()
    assert _signs_in("manager", PASSWORD)


def test_an_account_that_signs_in_by_single_sign_on_only_is_told_where_to_change_it() -> None:
    person = user_create(username="jo.smith@council.gov.uk", password=None, roles=frozenset({Role.IRO}))
    client = Client()
    client.force_login(person)
    page = client.get("/password/").content.decode()
    assert "Your account signs in with single sign-on only" in page and '<form method="post" novalidate>' not in page
    status, _ = _change(client, "anything", NEW)
    assert status == 400
    assert not User.objects.get(pk=person.pk).has_usable_password()
    assert not AuditEvent.objects.filter(action=Action.PASSWORD_CHANGE).exists()
