"""Sign-ins in the audit trail: each failure under the user name tried (never the password), each
lockout, and an administrator's unlock, which lets the person sign in again at once."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from iroscope.web.audit.models import Action, AuditEvent
from tests.web.conftest import PASSWORD
from tests.web.walk import DENY, SIGN_IN, assert_allowed_or_refused, client_for

pytestmark = pytest.mark.django_db
WRONG = "not the password at all"
ADDRESS = "10.0.0.7"


def _try(username: str, password: str) -> int:
    return Client().post("/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS).status_code


def _lock(username: str) -> None:
    for _ in range(5):
        _try(username, WRONG)


def test_a_failed_sign_in_is_audited_under_the_user_name_tried_never_the_password(people: dict[str, User]) -> None:
    assert _try("manager", WRONG) == 200
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.username, event.user) == (Action.SIGN_IN_FAILED, "(not signed in)", None)
    assert event.subject == "the user name manager"
    assert event.after == {"method": "password", "user name tried": "manager"}
    assert WRONG not in json.dumps([event.before, event.after, event.subject])


def test_a_successful_sign_in_names_the_account(people: dict[str, User]) -> None:
    assert _try("manager", PASSWORD) == 302
    (event,) = AuditEvent.objects.all()
    assert (event.action, event.username, event.subject) == (Action.SIGN_IN, "manager", "the account manager")


def test_a_lockout_is_audited_and_so_is_every_attempt_refused_while_locked(people: dict[str, User]) -> None:
    _lock("manager")
    assert _try("manager", PASSWORD) == 429
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [Action.SIGN_IN_FAILED] * 4 + [Action.LOCKED_OUT] * 2
    locked = AuditEvent.objects.filter(action=Action.LOCKED_OUT).first()
    assert locked is not None and locked.subject == "the user name manager"


def test_an_administrator_unlocks_a_locked_sign_in_and_the_unlock_is_audited(
    people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    _lock("manager")
    page = signed_in["administrator"].get("/accounts/").content.decode()
    assert "Locked sign-ins" in page and 'data-locked="manager"' in page
    manager_row = page.split('data-account="manager"')[1].split("</tr>")[0]
    assert "Sign-in locked" in manager_row
    response = signed_in["administrator"].post("/accounts/unlock/", {"username": "manager"}, follow=True)
    assert "Sign-in unlocked for manager" in response.content.decode()
    unlock = AuditEvent.objects.get(action=Action.UNLOCK)
    assert (unlock.username, unlock.subject) == ("administrator", "the user name manager")
    assert _try("manager", PASSWORD) == 302
    assert "Locked sign-ins" not in signed_in["administrator"].get("/accounts/").content.decode()


@pytest.mark.parametrize("person", ["anonymous", "manager", "analyst", "allocated_iro"])
def test_only_an_administrator_may_unlock(person: str, people: dict[str, User], signed_in: dict[str, Client]) -> None:
    _lock("manager")
    response = client_for(person, signed_in).post("/accounts/unlock/", {"username": "manager"})
    assert_allowed_or_refused(response, SIGN_IN if person == "anonymous" else DENY)
    assert not AuditEvent.objects.filter(action=Action.UNLOCK).exists()
    assert _try("manager", PASSWORD) == 429


def test_searching_the_trail_for_a_person_finds_failed_sign_ins_and_unlocks_of_their_user_name(
    people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    _lock("manager")
    signed_in["administrator"].post("/accounts/unlock/", {"username": "manager"})
    _try("analyst", WRONG)
    page = signed_in["manager"].get("/audit/", {"username": "manager"}).content.decode()
    rows = page.split("<tbody", 1)[1]  # the entries, past the form's list of actions
    assert rows.count(">Failed sign-in (wrong user name or password)<") == 4
    assert ">Locked out after too many failed sign-ins<" in rows and ">Unlocked a locked sign-in<" in rows
    assert "the user name analyst" not in rows
