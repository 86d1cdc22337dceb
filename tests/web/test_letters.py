"""The letter to the child in the workspace: drafted for the child's age, edited and saved without losing
a word, made final, downloaded as Word and PDF, marked sent, and shown only to those who may read the
child's record.

Child A (tests/web/conftest.py) was born on 1 June 2012 and reviewed on 15 August 2024, aged 12: the
letter is written for a child of 8 to 12. A is allocated to I1, First IRO; the third review was due 6
months after the second, on 15 February 2025, and nothing later is held or booked."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from iroscope.data.dataset import Dataset
from iroscope.web import clock
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.letters.services import letter_stored, letter_version
from iroscope.web.letters.urls import urlpatterns
from iroscope.web.records.models import DATASET_MODELS
from tests.metrics.helpers import D
from tests.web.test_practice_settings import default_form
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

PAGE = "/children/A/reviews/2024-08-15/letter/"
SENT = PAGE + "sent/"
WORD = PAGE + "letter.docx"
PDF = PAGE + "letter.pdf"
LETTERS: Any = DATASET_MODELS["review_letters"]._default_manager
TYPED = "Dear Sam,\n\nThank you for coming to your review.\n\nWhat we decided\n\n- You will start swimming lessons."


@pytest.fixture
def decisions(authority: Dataset) -> None:
    """Two decisions of A's review on 15 August 2024, recorded out of order of their dates."""
    model = DATASET_MODELS["review_decisions"]._default_manager
    model.create(
        decision_id="DEC-2",
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Find a swimming club near Sam's home",
        responsible="CARER",
        due_date=D(2024, 10, 31),
    )
    model.create(
        decision_id="DEC-1",
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Arrange for Sam to see their brother every month",
        responsible="SOCIAL_WORKER",
        due_date=D(2024, 9, 15),
    )


@pytest.fixture
def final_letter(authority: Dataset) -> None:
    LETTERS.create(child_id="A", review_date=D(2024, 8, 15), letter=TYPED, finalised_date=D(2024, 8, 20), iro_id="I1")


def textarea(html: str) -> str:
    match = re.search(r'<textarea[^>]*name="letter"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert match, "the page has the letter's box"
    return unescape(match.group(1))


def version_of(html: str) -> str:
    match = re.search(r'name="version" value="([^"]*)"', html)
    assert match
    return match.group(1)


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_iro_drafts_a_letter_for_a_child_of_12_with_the_reviews_decisions_and_next_review(
    decisions: None, signed_in: dict[str, Client]
) -> None:
    page = signed_in["allocated_iro"].get(PAGE).content.decode()
    response = signed_in["allocated_iro"].post(
        PAGE,
        {
            "action": "draft",
            "first_name": "Sam",
            "talked_about": "Your new school.",
            "version": version_of(page),
        },
    )
    assert response.status_code == 200
    draft = textarea(response.content.decode())
    assert draft.startswith("Dear Sam,\n\nI am First IRO, your Independent Reviewing Officer (IRO).")
    assert "I am writing to tell you about your review on 15 August 2024." in draft
    assert "Your new school." in draft
    # Soonest due first, each with who will do it and by when, in words.
    assert (
        "- Arrange for Sam to see their brother every month. Your social worker will do this by 15 September 2024.\n"
        "- Find a swimming club near Sam's home. Your carer will do this by 31 October 2024." in draft
    )
    assert "Your next review will be by 15 February 2025." in draft
    assert "Ask your social worker or IRO for an advocate." in draft
    assert draft.endswith("First IRO\nIndependent Reviewing Officer, North East Lincolnshire")
    assert not LETTERS.exists(), "a draft is only shown until the IRO saves it"


def test_a_draft_without_the_childs_first_name_says_so_by_the_field(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post(PAGE, {"action": "draft", "first_name": "", "version": "new"})
    assert response.status_code == 400
    assert '<a href="#id_first_name">Enter the child&#x27;s first name</a>' in response.content.decode()


@pytest.mark.usefixtures("each_database")
def test_a_saved_letter_is_stored_as_typed_and_audited_with_what_it_was_before_and_after(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["allocated_iro"].post(PAGE, {"action": "save", "letter": TYPED, "version": "new"})
    assert response.status_code == 302
    stored = LETTERS.get(child_id="A", review_date=D(2024, 8, 15))
    assert (stored.letter, stored.finalised_date, stored.iro_id) == (TYPED, None, "I1")
    (created,) = AuditEvent.objects.filter(action=Action.CREATE)
    assert (created.table, created.child_id, created.before) == ("review_letters", "A", None)
    assert (created.after or {})["letter"] == TYPED
    changed = TYPED + "\n\nSee you soon."
    version = version_of(signed_in["manager"].get(PAGE).content.decode())
    signed_in["manager"].post(PAGE, {"action": "save", "letter": changed, "version": version})
    (updated,) = AuditEvent.objects.filter(action=Action.UPDATE)
    assert ((updated.before or {})["letter"], (updated.after or {})["letter"]) == (TYPED, changed)


@pytest.mark.usefixtures("each_database")
def test_a_save_over_someone_elses_later_save_is_refused_and_keeps_what_was_typed(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["allocated_iro"].post(PAGE, {"action": "save", "letter": TYPED, "version": "new"})
    opened = version_of(signed_in["allocated_iro"].get(PAGE).content.decode())
    theirs = TYPED + "\n\nFrom the manager."
    assert signed_in["manager"].post(PAGE, {"action": "save", "letter": theirs, "version": opened}).status_code == 302
    mine = TYPED + "\n\nA long paragraph the IRO typed and must not lose."
    response = signed_in["allocated_iro"].post(PAGE, {"action": "save", "letter": mine, "version": opened})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this letter after you opened it, so your changes have not been saved." in unescape(html)
    assert textarea(html) == mine
    assert LETTERS.get(child_id="A").letter == theirs


def test_an_empty_letter_is_refused_naming_the_box(authority: Dataset, signed_in: dict[str, Client]) -> None:
    response = signed_in["manager"].post(PAGE, {"action": "save", "letter": "   ", "version": "new"})
    assert response.status_code == 400
    assert '<a href="#id_letter">Enter the letter to the child</a>' in response.content.decode()
    assert not LETTERS.exists()


def test_a_letter_made_final_is_dated_and_can_no_longer_be_changed(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    iro.post(PAGE, {"action": "finalise", "letter": TYPED, "version": "new"})
    stored = LETTERS.get(child_id="A")
    assert stored.finalised_date == clock.workspace_today()
    page = iro.get(PAGE).content.decode()
    assert "<textarea" not in page
    assert 'href="/children/A/reviews/2024-08-15/letter/letter.docx"' in page
    version = letter_version(letter_stored(child_id="A", review_date=D(2024, 8, 15)))
    response = iro.post(PAGE, {"action": "save", "letter": "Something else", "version": version})
    assert response.status_code == 400
    today = clock.workspace_today()
    assert f"The letter to the child was made final on {today.day} {today:%B %Y}: it cannot be changed" in unescape(
        response.content.decode()
    )
    assert LETTERS.get(child_id="A").letter == TYPED


def test_the_final_letter_downloads_as_word_with_the_letter_the_authority_and_the_date_in_words(
    final_letter: None, signed_in: dict[str, Client]
) -> None:
    response = signed_in["business_support"].get(WORD)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="letter-about-the-review-of-2024-08-15.docx"'
    document = Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:3] == ["North East Lincolnshire", "A letter about your review", "20 August 2024"]
    assert "Dear Sam," in texts
    assert ("Heading 1", "What we decided") in [(getattr(p.style, "name", None), p.text) for p in document.paragraphs]
    assert "You will start swimming lessons." in texts
    (event,) = AuditEvent.objects.all()
    assert (event.child_id, event.subject) == ("A", "the letter to the child, downloaded as Word")


def test_the_final_letter_downloads_as_pdf_with_the_same_words(
    final_letter: None, signed_in: dict[str, Client]
) -> None:
    response = signed_in["manager"].get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "North East Lincolnshire" in text
    assert "20 August 2024" in text
    assert "Dear Sam, Thank you for coming to your review." in text
    assert "You will start swimming lessons." in text


def test_a_draft_cannot_be_downloaded(authority: Dataset, signed_in: dict[str, Client]) -> None:
    LETTERS.create(child_id="A", review_date=D(2024, 8, 15), letter=TYPED, iro_id="I1")
    assert signed_in["manager"].get(WORD).status_code == 404
    assert signed_in["manager"].get(SENT).status_code == 404


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            {"day": "14", "month": "8", "year": "2024"},
            "Date sent must be on or after the date of the review, 15 August 2024",
        ),
        (
            {"day": "19", "month": "8", "year": "2024"},
            "Date sent must be on or after the day the letter was made final, 20 August 2024",
        ),
        (None, "Date sent must be today or in the past"),
        ({"day": "31", "month": "2", "year": "2025"}, "Date sent must be a real date"),
    ],
)
def test_a_sent_date_before_the_review_or_the_letter_or_in_the_future_is_refused_by_the_field(
    final_letter: None, signed_in: dict[str, Client], day: dict[str, str] | None, message: str
) -> None:
    tomorrow = clock.workspace_today() + dt.timedelta(days=1)
    parts = day or {"day": str(tomorrow.day), "month": str(tomorrow.month), "year": str(tomorrow.year)}
    client = signed_in["business_support"]
    version = version_of(client.get(SENT).content.decode())
    response = client.post(SENT, {**{f"sent_date-{key}": value for key, value in parts.items()}, "version": version})
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert LETTERS.get(child_id="A").sent_date is None


@pytest.mark.usefixtures("each_database")
def test_business_support_record_the_day_the_letter_was_sent(final_letter: None, signed_in: dict[str, Client]) -> None:
    client = signed_in["business_support"]
    version = version_of(client.get(SENT).content.decode())
    form: dict[str, Any] = {"sent_date-day": "22", "sent_date-month": "8", "sent_date-year": "2024", "version": version}
    assert client.post(SENT, form).status_code == 302
    assert LETTERS.get(child_id="A").sent_date == D(2024, 8, 22)
    assert "Sent on 22 August 2024" in words(client.get(PAGE).content.decode())


@pytest.mark.usefixtures("each_database")
def test_a_final_letter_not_yet_sent_is_reopened_to_correct_it_and_the_trail_says_so(
    final_letter: None, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    page = iro.get(PAGE).content.decode()
    assert 'value="reopen"' in page
    assert iro.post(PAGE, {"action": "reopen", "version": version_of(page)}).status_code == 302
    stored = LETTERS.get(child_id="A")
    assert stored.finalised_date is None and stored.letter == TYPED
    assert "Draft, not final" in words(iro.get(PAGE).content.decode())
    event = AuditEvent.objects.filter(table="review_letters").latest("id")
    assert event.subject == "the letter to the child, reopened to correct it"
    assert (event.before or {})["finalised_date"] == "2024-08-20" and (event.after or {})["finalised_date"] is None


def test_a_sent_letter_stays_as_the_child_received_it(final_letter: None, signed_in: dict[str, Client]) -> None:
    LETTERS.filter(child_id="A").update(sent_date=D(2024, 8, 22))
    iro = signed_in["allocated_iro"]
    page = iro.get(PAGE).content.decode()
    assert 'value="reopen"' not in page
    version = letter_version(letter_stored(child_id="A", review_date=D(2024, 8, 15)))
    response = iro.post(PAGE, {"action": "reopen", "version": version})
    assert response.status_code == 400
    assert "The letter was sent on 22 August 2024: it stays as the child received it." in words(
        response.content.decode()
    )
    assert LETTERS.get(child_id="A").finalised_date == D(2024, 8, 20)


def test_business_support_may_not_reopen_a_final_letter(final_letter: None, signed_in: dict[str, Client]) -> None:
    client = signed_in["business_support"]
    page = client.get(PAGE).content.decode()
    assert 'value="reopen"' not in page
    assert client.post(PAGE, {"action": "reopen", "version": "x"}).status_code == 403
    assert LETTERS.get(child_id="A").finalised_date == D(2024, 8, 20)


def test_the_childs_page_offers_the_letter_for_each_review_held(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    html = signed_in["allocated_iro"].get("/children/A/").content.decode()
    assert f'href="{PAGE}">Write a letter to the child' in html


# -- who may ---------------------------------------------------------------------------------------------
URLS = {"letter": PAGE, "letter-sent": SENT, "letter-download": WORD}
READERS: dict[str, int | str] = {"letter": ALLOW, "letter-sent": DENY, "letter-download": ALLOW}
EXPECTED: dict[str, dict[str, int | str]] = {
    "anonymous": dict.fromkeys(URLS, SIGN_IN),
    "allocated_iro": dict.fromkeys(URLS, ALLOW),
    "colleague_iro": READERS,  # may read A's record, so the letter; may not mark it sent
    "manager": dict.fromkeys(URLS, ALLOW),
    "business_support": dict.fromkeys(URLS, ALLOW),
    "analyst": dict.fromkeys(URLS, DENY),
    "administrator": dict.fromkeys(URLS, DENY),
    "no_role": dict.fromkeys(URLS, DENY),
}


def test_the_walk_covers_every_letter_url() -> None:
    assert {pattern.name for pattern in urlpatterns} == set(URLS)


@pytest.mark.parametrize("person", list(EXPECTED))
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_letter_page(
    person: str, url_name: str, final_letter: None, signed_in: dict[str, Client]
) -> None:
    response = client_for(person, signed_in).get(URLS[url_name])
    assert_allowed_or_refused(response, EXPECTED[person][url_name])
    if EXPECTED[person][url_name] != ALLOW:
        assert b"swimming" not in response.content, "the letter is never shown to someone refused"


@pytest.mark.parametrize("person", ["colleague_iro", "business_support", "analyst"])
def test_only_the_allocated_iro_and_managers_may_save_the_letter(
    person: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in[person].post(PAGE, {"action": "save", "letter": TYPED, "version": "new"})
    assert response.status_code == 403
    assert not LETTERS.exists()


def test_a_review_not_held_has_no_letter(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["manager"].get("/children/A/reviews/2024-08-16/letter/").status_code == 404
    assert signed_in["manager"].get("/children/A/reviews/not-a-date/letter/").status_code == 404
    assert signed_in["manager"].get("/children/NOPE/reviews/2024-08-15/letter/").status_code == 404


def test_a_colleague_iro_reads_the_letter_as_it_will_be_printed_but_cannot_change_it(
    final_letter: None, signed_in: dict[str, Client]
) -> None:
    html = signed_in["colleague_iro"].get(PAGE).content.decode()
    assert '<h3 class="govuk-heading-s">What we decided</h3>' in html
    assert "<li>You will start swimming lessons.</li>" in html
    assert "<textarea" not in html
    assert "Record that the letter was sent" not in html


@pytest.mark.usefixtures("each_database")
def test_a_second_first_save_such_as_a_double_click_is_refused_with_its_text_kept(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    first = signed_in["allocated_iro"].post(PAGE, {"action": "save", "letter": TYPED, "version": "new"})
    assert first.status_code == 302
    again = TYPED + " And a line added before the second press."
    second = signed_in["allocated_iro"].post(PAGE, {"action": "save", "letter": again, "version": "new"})
    assert second.status_code == 400
    assert textarea(second.content.decode()) == again
    assert LETTERS.get(child_id="A").letter == TYPED


def test_the_draft_quotes_the_contact_details_the_service_set_on_the_settings_page(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    settings = default_form(
        iro_service_contact="Call the IRO team on 01234 000000.", advocacy_contact="Text ADVOCATE to 60000."
    )
    assert signed_in["manager"].post("/settings/", settings).status_code == 302
    response = signed_in["manager"].post(
        PAGE, {"action": "draft", "first_name": "Sam", "talked_about": "", "version": "new"}
    )
    draft = textarea(response.content.decode())
    assert "Call the IRO team on 01234 000000." in draft
    assert "Text ADVOCATE to 60000." in draft
    assert "(Write here what was talked about.)" in draft


def test_a_blank_contact_setting_is_refused_naming_the_field(db: None, signed_in: dict[str, Client]) -> None:
    response = signed_in["manager"].post("/settings/", default_form(advocacy_contact=" "))
    assert response.status_code == 400
    assert (
        '<a href="#advocacy_contact">How a child gets an advocate (the letter to the child quotes it) '
        "must not be blank</a>" in response.content.decode()
    )
