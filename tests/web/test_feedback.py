"""Feedback by link and QR code: requests made in the workspace, the public form they open, its
throttle and CSRF check, and the manager's choice to publish a comment."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from iroscope.data.dataset import Dataset
from iroscope.rules.calendar import long_date
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.feedback import throttle
from iroscope.web.feedback.models import FeedbackRequest, PublicFormVisit
from iroscope.web.feedback.services import feedback_requests_create
from iroscope.web.logs import redact
from iroscope.web.records.models import DATASET_MODELS
from tests.web.test_saving import parallel_database, together  # noqa: F401 (a fixture, used by name)
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

FEEDBACK = DATASET_MODELS["feedback"]
TOKEN_IN_LINK = re.compile(r"/feedback/([A-Za-z0-9_-]{40,})/")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANSWERS = {"listened_to": "YES", "understood_decisions": "PARTLY", "could_take_part": "NO", "rating": "4"}

# A child whose identifier, birthday and review date are distinctive enough to search a page for.
SECRET_CHILD = "QZ7Y41X"
SECRET_BIRTHDAY = dt.date(2013, 11, 27)
SECRET_REVIEW = dt.date(2024, 10, 23)


def _stored() -> Any:
    """The one feedback row stored."""
    return FEEDBACK._default_manager.get()


def _links(response: Any) -> list[str]:
    return TOKEN_IN_LINK.findall(response.content.decode())


def _make(
    people: dict[str, Any], *, child_id: str = "A", review: dt.date = dt.date(2024, 8, 15), **how_many: int
) -> list[str]:
    made = feedback_requests_create(
        user=people["business_support"],
        child_id=child_id,
        review_date=review,
        iro_id="I1",
        how_many={code.upper(): n for code, n in how_many.items()},
        link_days=28,
    )
    return [item.token for item in made]


@pytest.fixture
def secret_child(authority: Dataset) -> None:
    DATASET_MODELS["children"]._default_manager.create(
        child_id=SECRET_CHILD, sex="F", date_of_birth=SECRET_BIRTHDAY, ethnicity="WBRI"
    )
    DATASET_MODELS["reviews"]._default_manager.create(
        child_id=SECRET_CHILD, review_date=SECRET_REVIEW, participation="PN1"
    )


# -- who may open each page --------------------------------------------------------------------------

URLS = {
    "child-feedback-requests": "/children/A/feedback-requests/",
    "feedback-comments": "/feedback-comments/",
    "feedback-public": "/feedback/not-a-link-anyone-was-given/",
    "feedback-sent": "/feedback/sent/",
}
CANNOT_BE_USED = 404
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": {
        "child-feedback-requests": SIGN_IN,
        "feedback-comments": SIGN_IN,
        "feedback-public": CANNOT_BE_USED,
        "feedback-sent": ALLOW,
    },
    **{
        person: {
            "child-feedback-requests": ALLOW,
            "feedback-comments": ALLOW if person == "manager" else DENY,
            "feedback-public": CANNOT_BE_USED,
            "feedback-sent": ALLOW,
        }
        for person in ("allocated_iro", "colleague_iro", "manager", "business_support")
    },
    **{
        person: {
            "child-feedback-requests": DENY,
            "feedback-comments": DENY,
            "feedback-public": CANNOT_BE_USED,
            "feedback-sent": ALLOW,
        }
        for person in ("analyst", "administrator", "no_role")
    },
}


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_feedback_page(
    person: str, url_name: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = client_for(person, signed_in).get(URLS[url_name])
    assert_allowed_or_refused(response, EXPECTED[person][url_name])


@pytest.mark.parametrize(
    ("person", "status"),
    [("business_support", 200), ("allocated_iro", 200), ("manager", 200), ("colleague_iro", 403)],
)
def test_business_support_managers_and_the_allocated_iro_make_requests_and_a_colleague_cannot(
    person: str, status: int, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in[person].post(
        "/children/A/feedback-requests/", {"review_date": "2024-08-15", "child": "1", "parent": "2"}
    )
    assert response.status_code == status
    assert FeedbackRequest.objects.count() == (3 if status == 200 else 0)


# -- making requests ---------------------------------------------------------------------------------


def test_made_requests_are_shown_once_with_their_links_and_qr_codes_and_listed_without_them(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    client = signed_in["business_support"]
    made = client.post(
        "/children/A/feedback-requests/",
        {"review_date": "2024-08-15", "child": "1", "parent": "2", "carer": "", "professional": "1"},
    )
    assert made.status_code == 200
    page = made.content.decode()
    links = _links(made)
    assert len(set(links)) == 4
    assert page.count('src="data:image/svg+xml') == 4
    assert "1. Child or young person" in page and "2. Parent" in page and "4. Professional" in page
    # Links expire by the real clock (the workspace's "today" is pinned for the figures only): 28 days on.
    assert f"works once, until {long_date(timezone.localdate() + dt.timedelta(days=28))}" in page
    stored = set(FeedbackRequest.objects.values_list("token_hash", flat=True))
    assert not stored & set(links), "only a hash of each token is stored"
    listed = client.get("/children/A/feedback-requests/").content.decode()
    assert listed.count("Waiting for an answer") == 4
    assert not any(token in listed for token in links)
    event = AuditEvent.objects.get(action=Action.CREATE, table="feedback_request")
    assert event.child_id == "A" and event.after == {
        "review_date": "2024-08-15",
        "CHILD": 1,
        "PARENT": 2,
        "PROFESSIONAL": 1,
    }


def test_requests_for_a_review_not_held_or_for_nobody_are_refused_with_the_field_named(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["business_support"].post(
        "/children/A/feedback-requests/", {"review_date": "2024-08-15", "child": "0", "parent": "eleven"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_parent">For parents must be a whole number, like 2' in page
    assert 'value="eleven"' in page, "what was typed is shown again"
    nobody = signed_in["business_support"].post(
        "/children/A/feedback-requests/", {"review_date": "2024-08-15", "child": "0"}
    )
    assert nobody.status_code == 400
    assert 'href="#id_child">Enter how many feedback requests to make' in nobody.content.decode()
    assert FeedbackRequest.objects.count() == 0


@pytest.mark.usefixtures("each_database")
def test_the_request_form_sent_twice_makes_its_requests_once(authority: Dataset, signed_in: dict[str, Client]) -> None:
    client = signed_in["business_support"]
    page = client.get("/children/A/feedback-requests/").content.decode()
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert version
    form = {"review_date": "2024-08-15", "child": "1", "carer": "1", "version": version.group(1)}
    assert client.post("/children/A/feedback-requests/", form).status_code == 200
    again = client.post("/children/A/feedback-requests/", form)
    assert again.status_code == 400
    assert "these have not been made" in again.content.decode()
    assert FeedbackRequest.objects.count() == 2


def test_the_list_says_which_requests_were_answered_and_which_expired(
    authority: Dataset, people: dict[str, Any], signed_in: dict[str, Client]
) -> None:
    answered, _expired, waiting = _make(people, parent=3)
    Client().post(f"/feedback/{answered}/", ANSWERS)
    FeedbackRequest.objects.filter(pk=FeedbackRequest.objects.order_by("id")[1].pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    page = signed_in["allocated_iro"].get("/children/A/feedback-requests/").content.decode()
    assert (page.count("Answered"), page.count("Expired"), page.count("Waiting for an answer")) == (1, 1, 1)
    assert waiting not in page


# -- the public form ---------------------------------------------------------------------------------


def test_the_public_form_names_no_child_date_of_birth_review_date_or_iro(
    secret_child: None, people: dict[str, Any]
) -> None:
    (token,) = _make(people, child_id=SECRET_CHILD, review=SECRET_REVIEW, child=1)
    response = Client().get(f"/feedback/{token}/")
    assert response.status_code == 200
    page = response.content.decode()
    shown_dates = [
        fmt(day)
        for day in (SECRET_BIRTHDAY, SECRET_REVIEW)
        for fmt in (
            dt.date.isoformat,
            lambda d: d.strftime("%d/%m/%Y"),
            lambda d: f"{d.day} {d:%B %Y}",
            lambda d: f"{d.day} {d:%b %Y}",
        )
    ]
    for secret in (SECRET_CHILD, "I1", "First IRO", *shown_dates):
        assert secret not in page, secret
        assert secret not in response.request["PATH_INFO"]
    assert "Did your IRO listen to you?" in page, "a child's request opens the form written for children"


def test_an_adults_request_opens_the_form_worded_for_adults(authority: Dataset, people: dict[str, Any]) -> None:
    (token,) = _make(people, carer=1)
    page = Client().get(f"/feedback/{token}/").content.decode()
    assert "Did you feel listened to?" in page and "Did your IRO listen to you?" not in page
    assert "4 – Good" in page


@pytest.mark.usefixtures("each_database")
def test_an_answer_is_written_once_naming_no_child_and_the_link_then_refuses_a_second_use(
    authority: Dataset, people: dict[str, Any]
) -> None:
    (token,) = _make(people, professional=1)
    sent = Client().post(f"/feedback/{token}/", {**ANSWERS, "comment": "  Well chaired and on time.  "})
    assert sent.status_code == 302 and sent["Location"] == "/feedback/sent/"
    again = Client().post(f"/feedback/{token}/", {**ANSWERS, "comment": "Well chaired and on time."})
    assert again.status_code == CANNOT_BE_USED
    (row,) = FEEDBACK._default_manager.values()
    assert row["feedback_date"] == dt.date(2025, 3, 31)
    assert (row["respondent"], row["rating"], row["iro_id"], row["channel"]) == ("PROFESSIONAL", 4, "I1", "LINK")
    assert (row["listened_to"], row["understood_decisions"], row["could_take_part"]) == ("YES", "PARTLY", "NO")
    assert (row["comment"], row["publish_comment"]) == ("Well chaired and on time.", "N")
    assert "child_id" not in row
    assert FeedbackRequest.objects.get().used_at is not None


def test_a_form_with_an_answer_missing_is_shown_again_with_what_was_typed(
    authority: Dataset, people: dict[str, Any]
) -> None:
    (token,) = _make(people, parent=1)
    typed = {**ANSWERS, "rating": "", "comment": "The meeting felt rushed & loud."}
    response = Client().post(f"/feedback/{token}/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_rating">Select a rating from 1 to 5' in page
    assert "The meeting felt rushed &amp; loud.</textarea>" in page
    assert re.search(r'value="PARTLY" checked', page)
    assert FEEDBACK._default_manager.count() == 0
    assert FeedbackRequest.objects.get().used_at is None, "the link still works after a mistake"


def test_a_comment_too_long_is_refused_naming_the_field_and_kept(authority: Dataset, people: dict[str, Any]) -> None:
    (token,) = _make(people, parent=1)
    response = Client().post(f"/feedback/{token}/", {**ANSWERS, "comment": "x" * 1201})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_comment">Anything else you want to tell us must be 1,200 characters or fewer' in page
    assert "x" * 1201 in page


@pytest.mark.usefixtures("each_database")
def test_expired_used_and_unknown_links_give_the_same_page_with_the_same_status(
    authority: Dataset, people: dict[str, Any]
) -> None:
    expired, used = _make(people, parent=2)
    FeedbackRequest.objects.filter(pk=FeedbackRequest.objects.order_by("id").first().pk).update(  # type: ignore[union-attr]
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    Client().post(f"/feedback/{used}/", ANSWERS)
    unknown = "A" * 43
    responses = [Client().get(f"/feedback/{token}/") for token in (expired, used, unknown)]
    posted = [Client().post(f"/feedback/{token}/", ANSWERS) for token in (expired, used, unknown)]
    assert {response.status_code for response in responses + posted} == {CANNOT_BE_USED}
    # The page carries no form, so no CSRF token: the bodies are byte for byte the same.
    assert len({response.content for response in responses + posted}) == 1
    assert b"This link cannot be used" in responses[0].content
    assert FEEDBACK._default_manager.count() == 1


@pytest.mark.usefixtures("each_database")
def test_the_public_form_refuses_a_post_without_its_csrf_token_and_accepts_one_with_it(
    authority: Dataset, people: dict[str, Any]
) -> None:
    (token,) = _make(people, carer=1)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/feedback/{token}/")
    assert "csrftoken" in page.cookies, "an anonymous visitor gets the cookie, with no session"
    assert "sessionid" not in page.cookies
    forged = Client(enforce_csrf_checks=True).post(f"/feedback/{token}/", {**ANSWERS, "comment": "Kept, please."})
    assert forged.status_code == 403
    refused = forged.content.decode()
    assert "Your answers were not sent" in refused and 'value="Kept, please."' in refused
    assert "IRO workspace" not in refused and "session" not in refused, "the public page's own words"
    assert FEEDBACK._default_manager.count() == 0
    found = CSRF_INPUT.search(page.content.decode())
    assert found
    sent = visitor.post(f"/feedback/{token}/", {**ANSWERS, "csrfmiddlewaretoken": found.group(1)})
    assert sent.status_code == 302
    assert FEEDBACK._default_manager.count() == 1


@pytest.mark.usefixtures("each_database")
def test_the_public_form_is_throttled_per_address_and_in_all(
    authority: Dataset, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "PER_ADDRESS_LIMIT", 3)
    monkeypatch.setattr(throttle, "TOTAL_LIMIT", 5)
    (token,) = _make(people, parent=1)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    assert [guesser.get(f"/feedback/guess-{n}/").status_code for n in range(4)] == [404, 404, 404, 429]
    refused = guesser.get(f"/feedback/{token}/")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert b"Sorry, there is a problem with the service" in refused.content
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.get(f"/feedback/{token}/").status_code == 200, "another address is still let in"
    assert other.get("/feedback/sent/").status_code == 200
    third = Client(REMOTE_ADDR="192.0.2.77")
    assert third.get(f"/feedback/{token}/").status_code == 429, "five visits in the minute is the limit in all"


def test_visits_older_than_a_minute_no_longer_count(authority: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(throttle, "PER_ADDRESS_LIMIT", 2)
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    assert [guesser.get("/feedback/guess/").status_code for _ in range(3)] == [404, 404, 429]
    PublicFormVisit.objects.update(at=timezone.now() - dt.timedelta(seconds=61))
    assert guesser.get("/feedback/guess/").status_code == 404


# -- publishing comments -----------------------------------------------------------------------------


@pytest.mark.usefixtures("each_database")
def test_a_manager_publishes_a_comment_and_takes_it_back_each_audited(
    authority: Dataset, people: dict[str, Any], signed_in: dict[str, Client]
) -> None:
    (token,) = _make(people, child=1)
    Client().post(f"/feedback/{token}/", {**ANSWERS, "comment": "My IRO asked what I wanted."})
    feedback_id = _stored().feedback_id
    manager = signed_in["manager"]
    page = manager.get("/feedback-comments/").content.decode()
    assert "My IRO asked what I wanted." in page and "Only publish a comment that identifies no one" in page
    assert "Child or young person, 31 March 2025" in page
    assert manager.post("/feedback-comments/", {"feedback_id": feedback_id, "publish": "Y"}).status_code == 302
    assert _stored().publish_comment == "Y"
    manager.post("/feedback-comments/", {"feedback_id": feedback_id, "publish": "N"})
    assert _stored().publish_comment == "N"
    changes = AuditEvent.objects.filter(action=Action.UPDATE, table="feedback").order_by("at", "id")
    assert [(event.username, event.before, event.after) for event in changes] == [
        (
            "manager",
            {"feedback_id": feedback_id, "publish_comment": "N"},
            {"feedback_id": feedback_id, "publish_comment": "Y"},
        ),
        (
            "manager",
            {"feedback_id": feedback_id, "publish_comment": "Y"},
            {"feedback_id": feedback_id, "publish_comment": "N"},
        ),
    ]
    assert all(event.child_id is None for event in changes)


def test_an_iro_cannot_publish_a_comment(
    authority: Dataset, people: dict[str, Any], signed_in: dict[str, Client]
) -> None:
    (token,) = _make(people, child=1)
    Client().post(f"/feedback/{token}/", {**ANSWERS, "comment": "Good."})
    feedback_id = _stored().feedback_id
    response = signed_in["allocated_iro"].post("/feedback-comments/", {"feedback_id": feedback_id, "publish": "Y"})
    assert response.status_code == 403
    assert _stored().publish_comment == "N"


def test_an_answer_given_by_link_appears_in_the_dashboard_by_who_gave_it(
    authority: Dataset, people: dict[str, Any], signed_in: dict[str, Client]
) -> None:
    first, second = _make(people, carer=2)
    Client().post(f"/feedback/{first}/", ANSWERS)  # listened yes, understood partly, took part no, rated 4
    Client().post(f"/feedback/{second}/", {**ANSWERS, "listened_to": "NO", "rating": "2"})
    page = signed_in["manager"].get("/dashboard/").content.decode()
    row = re.search(r'<th scope="row" class="govuk-table__header">Carer</th>(.*?)</tr>', page)
    assert row, "the feedback table has a row for carers"
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row.group(1))
    assert cells == [
        "2",
        "1 of 2 (50.0%)",
        "Yes 1 of 2 (50.0%); partly 0; no 1",
        "Yes 0 of 2 (0.0%); partly 2; no 0",
        "Yes 0 of 2 (0.0%); partly 0; no 2",
    ]


def test_a_feedback_links_token_is_kept_out_of_the_logs() -> None:
    line = '"GET /feedback/Zk3_q-9xYt0aBcDeFgHiJkLmNoPqRsTuVwXyZ012345/ HTTP/1.1" 200 / "POST /feedback/sent/ HTTP/1.1"'
    assert redact(line) == '"GET /feedback/[redacted]/ HTTP/1.1" 200 / "POST /feedback/sent/ HTTP/1.1"'


def test_the_same_answer_sent_twice_at_the_same_moment_is_stored_once(
    parallel_database: str,  # noqa: F811 (the fixture imported above)
    authority: Dataset,
    people: dict[str, Any],
) -> None:
    (token,) = _make(people, parent=1)

    def send() -> Any:
        return Client().post(f"/feedback/{token}/", ANSWERS)

    responses = together(parallel_database, send, send)
    assert sorted(response.status_code for response in responses) == [302, CANNOT_BE_USED]
    assert FEEDBACK._default_manager.count() == 1


def test_the_childs_record_says_how_its_feedback_requests_stand(
    authority: Dataset, people: dict[str, Any], signed_in: dict[str, Client]
) -> None:
    page = signed_in["colleague_iro"].get("/children/A/").content.decode()
    assert "Feedback requests by link and QR code</a> (none made)" in page
    answered, _waiting, _other = _make(people, child=1, carer=2)
    Client().post(f"/feedback/{answered}/", ANSWERS)
    page = signed_in["colleague_iro"].get("/children/A/").content.decode()
    assert "Feedback requests by link and QR code</a> (" in page
    summary = page.split("Feedback requests by link and QR code</a> (")[1].split(")")[0]
    assert sorted(summary.split(", ")) == ["1 answered", "2 waiting for an answer"]
