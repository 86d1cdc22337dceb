"""The accounts pages: administrators create accounts, give people their roles, link an IRO's account to
the IRO staff list and close accounts, each change in the audit trail; and the menu every page shows,
which offers each person exactly the pages they may open."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import account_roles, user_iro_id
from iroscope.web.accounts.services import user_create
from iroscope.web.audit.models import Action, AuditEvent
from tests.web.conftest import PASSWORD
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

pytestmark = pytest.mark.usefixtures("each_database")

NEW_PASSWORD = "a long enough pass phrase 2026"
URLS = {"accounts": "/accounts/", "account-new": "/accounts/new/", "account-edit": "/accounts/{manager}/"}
PERSONS = ["anonymous", "allocated_iro", "manager", "business_support", "analyst", "administrator", "no_role"]


@pytest.mark.parametrize("person", PERSONS)
@pytest.mark.parametrize("url_name", list(URLS))
def test_only_administrators_open_the_accounts_pages(
    person: str, url_name: str, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    path = URLS[url_name].format(manager=people["manager"].pk)
    expected: int | str = SIGN_IN if person == "anonymous" else ALLOW if person == "administrator" else DENY
    assert_allowed_or_refused(client_for(person, signed_in).get(path), expected)


def signs_in(username: str, password: str) -> bool:
    """Whether the sign-in page lets the person in with this password (it sends them on when it does)."""
    response = Client().post("/sign-in/", {"username": username, "password": password})
    return response.status_code == 302


def _account_form(**fields: str | list[str]) -> dict[str, str | list[str]]:
    empty: dict[str, str | list[str]] = {
        "username": "",
        "roles": [],
        "iro_id": "",
        "password": "",
        "password_again": "",
    }
    return empty | fields


def test_an_administrator_creates_an_iros_account_with_a_password_and_it_is_audited(
    authority: Dataset, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    form = _account_form(
        username="jo.smith@council.gov.uk",
        roles=["IRO", "Business support"],
        iro_id="I2",
        password=NEW_PASSWORD,
        password_again=NEW_PASSWORD,
    )
    # I2 is the colleague IRO's: another account cannot take it.
    refused = signed_in["administrator"].post("/accounts/new/", form)
    assert refused.status_code == 400
    assert "IRO I2 is already linked to the account colleague_iro" in refused.content.decode()
    people["colleague_iro"].staff_profile.delete()

    response = signed_in["administrator"].post("/accounts/new/", form, follow=True)
    page = response.content.decode()
    assert "Account jo.smith@council.gov.uk created. It signs in with a password." in page
    row = re.search(r'<tr class="govuk-table__row" data-account="jo.smith@council.gov.uk">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    assert cells[:6] == ["jo.smith@council.gov.uk", "IRO, Business support", "Second IRO (I2)",
                         "A password or single sign-on", "Never", "Open"]  # fmt: skip

    account = User.objects.get(username="jo.smith@council.gov.uk")
    assert account_roles(account=account) == [Role.IRO, Role.BUSINESS_SUPPORT]
    assert user_iro_id(user=account) == "I2"
    assert signs_in("jo.smith@council.gov.uk", NEW_PASSWORD)
    event = AuditEvent.objects.get(action=Action.CREATE, table="accounts")
    assert event.username == "administrator"
    assert event.after == {
        "username": "jo.smith@council.gov.uk",
        "roles": ["IRO", "Business support"],
        "iro_id": "I2",
        "active": True,
        "password sign-in": True,
    }


def test_an_account_without_a_password_signs_in_by_single_sign_on_only(
    authority: Dataset, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    form = _account_form(username="sam.jones@council.gov.uk", roles=["Analyst"])
    response = signed_in["administrator"].post("/accounts/new/", form, follow=True)
    assert (
        "Account sam.jones@council.gov.uk created. It signs in with single sign-on only." in response.content.decode()
    )
    assert not User.objects.get(username="sam.jones@council.gov.uk").has_usable_password()


@pytest.mark.parametrize(
    ("fields", "anchor", "message"),
    [
        ({}, "id_username", "Enter a user name"),
        ({"username": "new.person"}, "id_roles", "Select at least one role"),
        ({"username": "ALLOCATED_IRO", "roles": ["Analyst"]}, "id_username",
         "There is already an account with the user name allocated_iro"),
        ({"username": "jo smith", "roles": ["Analyst"]}, "id_username",
         "User name must only include letters, numbers and the characters @ . + - _"),
        ({"username": "new.iro", "roles": ["IRO"]}, "id_iro_id",
         "Select the IRO staff record this IRO&#x27;s account belongs to"),
        ({"username": "new.analyst", "roles": ["Analyst"], "iro_id": "I2"}, "id_iro_id",
         "Only an IRO&#x27;s account is linked to an IRO staff record"),
        ({"username": "new.iro", "roles": ["IRO"], "iro_id": "I9"}, "id_iro_id", "Select a valid choice"),
        ({"username": "new.analyst", "roles": ["Analyst"], "password": "short", "password_again": "short"},
         "id_password", "This password is too short. It must contain at least 12 characters."),
        ({"username": "new.analyst", "roles": ["Analyst"], "password": NEW_PASSWORD, "password_again": "other"},
         "id_password_again", "The two passwords do not match"),
        ({"username": "new.analyst", "roles": ["Owner"]}, "id_roles", "Select roles from the list"),
    ],
)  # fmt: skip
def test_a_wrong_account_is_refused_field_by_field_and_nothing_is_created(
    authority: Dataset,
    people: dict[str, User],
    signed_in: dict[str, Client],
    fields: dict[str, str | list[str]],
    anchor: str,
    message: str,
) -> None:
    accounts_before = User.objects.count()
    response = signed_in["administrator"].post("/accounts/new/", _account_form(**fields))
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(rf'<a href="#{anchor}">{re.escape(message)}', page), page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: Create an account" in page
    assert User.objects.count() == accounts_before
    assert not AuditEvent.objects.filter(table="accounts").exists()


def test_an_administrator_gives_a_role_and_closes_an_account_and_each_counts_from_the_next_page(
    authority: Dataset, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    person, client = people["business_support"], signed_in["business_support"]
    assert client.get("/imports/").status_code == DENY
    change = {"roles": ["Business support", "Analyst"], "iro_id": "", "active": "open"}
    response = signed_in["administrator"].post(f"/accounts/{person.pk}/", change, follow=True)
    assert "Account business_support saved. The change counts from their next page." in response.content.decode()
    assert client.get("/imports/").status_code == ALLOW

    signed_in["administrator"].post(f"/accounts/{person.pk}/", change | {"active": "closed"})
    assert_allowed_or_refused(client.get("/imports/"), SIGN_IN)
    assert not signs_in("business_support", PASSWORD)

    first, second = AuditEvent.objects.filter(action=Action.UPDATE, table="accounts").order_by("id")
    assert (first.before, first.after) == (
        {"username": "business_support", "roles": ["Business support"], "iro_id": None, "active": True,
         "password sign-in": True},
        {"username": "business_support", "roles": ["Business support", "Analyst"], "iro_id": None, "active": True,
         "password sign-in": True},
    )  # fmt: skip
    assert (second.before["active"], second.after["active"]) == (True, False)  # type: ignore[index]


def test_a_new_password_set_by_an_administrator_replaces_the_old_one(
    authority: Dataset, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    analyst = people["analyst"]
    change = {"roles": ["Analyst"], "iro_id": "", "active": "open"}
    signed_in["administrator"].post(
        f"/accounts/{analyst.pk}/", change | {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert not signs_in("analyst", PASSWORD)
    assert signs_in("analyst", NEW_PASSWORD)
    event = AuditEvent.objects.get(action=Action.UPDATE, table="accounts")
    assert event.after is not None and event.after["password"] == "changed"
    assert NEW_PASSWORD not in str(event.after)


@pytest.mark.parametrize(
    ("change", "anchor", "message"),
    [
        ({"roles": ["Administrator"], "active": "closed"}, "id_active_0",
         "You cannot close your own account: ask another administrator to close it"),
        ({"roles": ["Analyst"], "active": "open"}, "id_roles",
         "You cannot take away your own administrator role: ask another administrator"),
    ],
)  # fmt: skip
def test_an_administrator_cannot_lock_themselves_out(
    authority: Dataset,
    people: dict[str, User],
    signed_in: dict[str, Client],
    change: dict[str, str | list[str]],
    anchor: str,
    message: str,
) -> None:
    administrator = people["administrator"]
    response = signed_in["administrator"].post(f"/accounts/{administrator.pk}/", change | {"iro_id": ""})
    assert response.status_code == 400
    assert f'<a href="#{anchor}">{message}</a>' in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active and account_roles(account=administrator) == [Role.ADMINISTRATOR]


def test_an_unknown_account_is_not_found(people: dict[str, User], signed_in: dict[str, Client]) -> None:
    assert signed_in["administrator"].get("/accounts/999999/").status_code == 404


# What each person's menu offers, in the header's order: written out, not worked out.
MENUS = {
    "allocated_iro": ["My caseload", "Disputes past their deadline", "Dashboard", "Annual report", "Lists"],
    "manager": [
        "Disputes past their deadline",
        "Dashboard",
        "Annual report",
        "Lists",
        "Imports",
        "Allocations",
        "Feedback comments",
        "Settings",
        "Audit trail",
    ],
    "business_support": ["Disputes past their deadline", "Dashboard", "Annual report", "Lists"],
    "analyst": ["Dashboard", "Annual report", "Lists", "Imports"],
    "administrator": ["Accounts"],
}


@pytest.mark.parametrize("person", list(MENUS))
def test_the_menu_offers_each_person_the_pages_they_may_open_and_no_other(
    person: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = signed_in[person]
    home = client.get("/").content.decode()
    header = home.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    links = re.findall(
        r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>(?:<strong[^>]*>)?([^<]+)<', header
    )
    assert [label for _, label in links] == MENUS[person]
    for address, _ in links:
        assert client.get(address).status_code == ALLOW
    # The home page lists the same pages, each with what it is for.
    body = home.split('id="main-content"', 1)[1]
    assert (
        re.findall(r'<dt class="govuk-summary-list__key"><a class="govuk-link" href="[^"]+">([^<]+)</a>', body)
        == (MENUS[person])
    )


def test_an_iros_account_linked_to_an_iro_not_on_the_staff_list_can_still_be_changed(
    authority: Dataset, people: dict[str, User], signed_in: dict[str, Client]
) -> None:
    # Made from the command line for I9, who is not on the loaded staff list (I1 and I2).
    leaver = user_create(username="leaver", password=None, roles=frozenset({Role.IRO}), iro_id="I9")
    page = signed_in["administrator"].get(f"/accounts/{leaver.pk}/").content.decode()
    assert '<option value="I9" selected>I9 (not on the IRO staff list)</option>' in page
    change = {"roles": ["IRO", "Business support"], "iro_id": "I9", "active": "open"}
    assert signed_in["administrator"].post(f"/accounts/{leaver.pk}/", change).status_code == 302
    assert account_roles(account=leaver) == [Role.IRO, Role.BUSINESS_SUPPORT]
    # Another account cannot be linked to I9: only an existing link may stay.
    other = {"roles": ["IRO"], "iro_id": "I9", "active": "open"}
    response = signed_in["administrator"].post(f"/accounts/{people['analyst'].pk}/", other)
    assert response.status_code == 400


def test_before_any_data_is_loaded_the_home_page_says_who_loads_it_and_where(signed_in: dict[str, Client]) -> None:
    page = signed_in["analyst"].get("/").content.decode()
    assert (
        "No data has been loaded yet. An analyst or an IRO manager loads an SSDA903 return on the Imports page" in page
    )
    assert '<a class="govuk-link" href="/imports/">Imports</a>' in page
