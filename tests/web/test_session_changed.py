"""A form sent after the session changed (signed in again in another tab, say) gets the workspace's own
page, in plain words, with what was typed kept and a fresh token to send it again; never Django's
developer page, never a password or the old token."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from iroscope.data.dataset import Dataset

TYPED = "The IRO spoke to Sam's carer <b>twice</b> & agreed a plan."


def _stale_client(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/")  # a token cookie from this session
    return client


def test_a_form_sent_with_a_stale_token_gets_the_branded_page_with_the_typed_text(
    authority: Dataset, people: dict[str, User]
) -> None:
    client = _stale_client(people["manager"])
    response = client.post(
        "/reports/2024/narrative/foreword/",
        {"csrfmiddlewaretoken": "a" * 64, "foreword-text": TYPED, "foreword-based_on": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="govuk-heading-l">Your form was not sent</h1>' in page
    assert "signed in again in another tab" in page
    assert "DEBUG" not in page and "CSRF verification failed" not in page
    # Shown back escaped, and kept in a form that sends it again with a fresh token.
    assert "Sam&#x27;s carer &lt;b&gt;twice&lt;/b&gt; &amp; agreed a plan." in page
    assert '<input type="hidden" name="foreword-text" value="The IRO spoke to Sam&#x27;s carer' in page
    assert 'action="/reports/2024/narrative/foreword/"' in page
    assert page.count('name="csrfmiddlewaretoken"') == 2  # the sign-out button's and the form's, both fresh
    assert "a" * 64 not in page
    assert ">Send again</button>" in page


def test_a_password_is_never_shown_back_and_its_form_is_not_offered_to_send_again(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/sign-in/")
    response = client.post(
        "/sign-in/", {"csrfmiddlewaretoken": "b" * 64, "username": "manager", "password": "hunter2 secret words"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "hunter2" not in page and "b" * 64 not in page
    assert "manager" in page and "A password cannot be kept" in page
    assert ">Send again</button>" not in page


def test_a_form_too_large_to_accept_gets_a_page_in_plain_words(authority: Dataset, people: dict[str, User]) -> None:
    client = Client()
    client.force_login(people["manager"])
    response = client.post(
        "/reports/2024/narrative/foreword/", {"foreword-text": "x" * 3_000_000, "foreword-based_on": "0"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, what was sent could not be used" in page and "it was too large to accept" in page
    assert "Bad Request" not in page
