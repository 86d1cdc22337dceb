"""The letter to the child after a held review: draft it, edit and save it, make it final, download it
as Word or PDF, and record the day it was sent.

Who may open the page: whoever may read the child's record (the child page's own rule, read from it
by `navigation.may_open`, so the two cannot drift apart). Who may write, approve and mark sent: see
`iroscope.web.letters.services`, which checks again whatever is posted. Every showing and every
download is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from iroscope.report.letters import letter_blocks, letter_docx, letter_file_name, letter_pdf
from iroscope.rules.calendar import england_calendar
from iroscope.rules.letters import LetterFacts, draft_letter, letter_age_band, letter_sent_due
from iroscope.web import clock
from iroscope.web.accounts.access import CASE_READERS, role_required
from iroscope.web.accounts.selectors import user_iro_id
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.casework.selectors import ChildFacts, ChildNotFoundError, child_facts, child_record
from iroscope.web.letters import selectors, services
from iroscope.web.letters.forms import LetterDraftForm, LetterForm, LetterReopenForm, LetterSentForm
from iroscope.web.navigation import may_open
from iroscope.web.practice.selectors import practice_current
from iroscope.web.records.selectors import NoDatasetError, dataset_snapshot
from iroscope.web.saving import form_saved

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"docx": (DOCX, "Word"), "pdf": ("application/pdf", "PDF")}


def _review_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise Http404("No such review") from error


def _facts(request: HttpRequest, child_id: str, review_date: str) -> tuple[ChildFacts, dt.date]:
    """The child's facts read afresh, once the person may read the child's record and the review is held."""
    if not may_open(user=request.user, url=reverse("child", args=[child_id])):
        raise PermissionDenied
    held = _review_day(review_date)
    try:
        facts = child_facts(child_id=child_id, today=clock.workspace_today())
    except (ChildNotFoundError, NoDatasetError) as error:
        raise Http404("No such child") from error
    if not selectors.review_held(child_id=child_id, review_date=held):
        raise Http404("No such review")
    return facts, held


def _first_draft(*, request: HttpRequest, facts: ChildFacts, held: dt.date, data: dict[str, Any]) -> str:
    snapshot = dataset_snapshot()
    today = clock.workspace_today()
    record = child_record(child_id=facts.child_id, today=today, snapshot=snapshot)
    due = record.next_review.due_date if record.next_review else None
    following = selectors.next_review_after(child_id=facts.child_id, review_date=held, due_date=due)
    chair = selectors.review_chair(child_id=facts.child_id, review_date=held)
    writer = chair or user_iro_id(user=request.user) or facts.allocated_iro_id
    dataset = snapshot.dataset(())
    practice = practice_current()
    return draft_letter(
        LetterFacts(
            first_name=data["first_name"],
            date_of_birth=facts.date_of_birth,
            review_date=held,
            talked_about=data["talked_about"],
            decisions=selectors.review_decisions(child_id=facts.child_id, review_date=held),
            next_review=following.day,
            next_review_booked=following.fixed,
            iro_name=selectors.iro_name(iro_id=writer),
            service_contact=practice.iro_service_contact,
            advocacy_contact=practice.advocacy_contact,
            authority=selectors.authority_name(dataset),
        )
    )


def _page(
    request: HttpRequest,
    *,
    facts: ChildFacts,
    held: dt.date,
    stored: dict[str, Any] | None,
    draft_form: LetterDraftForm,
    letter_form: LetterForm,
    drafted: bool = False,
) -> HttpResponse:
    may_write = services.may_write_letter(user=request.user, facts=facts)
    final = stored is not None and stored["finalised_date"] is not None
    practice = practice_current()
    context = {
        "child_id": facts.child_id,
        "review_date": held,
        "stored": stored,
        # Shown as the Word and PDF files will show it: headings, paragraphs and lists.
        "blocks": letter_blocks(stored["letter"]) if stored else [],
        "final": final,
        "may_write": may_write and not final,
        "may_reopen": final and stored is not None and stored["sent_date"] is None and may_write,
        "may_mark_sent": final
        and stored is not None
        and stored["sent_date"] is None
        and services.may_mark_sent(user=request.user, facts=facts),
        "draft_form": draft_form,
        "letter_form": letter_form,
        "drafted": drafted,
        "age_band": letter_age_band(date_of_birth=facts.date_of_birth, review_date=held).value,
        "send_by": letter_sent_due(review_date=held, practice=practice, calendar=england_calendar()),
        "send_within": practice.letter_sent_working_days,
        "error_links": draft_form.error_links() + letter_form.error_links(),
    }
    failed = (draft_form.is_bound and draft_form.errors) or (letter_form.is_bound and letter_form.errors)
    if failed:
        audit_note(request, child_id=facts.child_id)
    return render(request, "letters/letter.html", context, status=400 if failed else 200)


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the letter to the child")
def letter(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    """The letter about one review. A GET shows it; a POST either drafts it afresh from the facts typed
    (`action=draft`, nothing saved) or saves the letter as typed (`action=save`, or `finalise` to save
    it as final)."""
    facts, held = _facts(request, child_id, review_date)
    stored = services.letter_stored(child_id=child_id, review_date=held)
    version = services.letter_version(stored)
    initial = {"letter": stored["letter"] if stored else "", "version": version}
    if request.method != "POST":
        return _page(
            request,
            facts=facts,
            held=held,
            stored=stored,
            draft_form=LetterDraftForm(),
            letter_form=LetterForm(initial=initial),
        )
    if not services.may_write_letter(user=request.user, facts=facts):
        raise PermissionDenied
    action = request.POST.get("action", "save")
    if action == "draft":
        draft_form = LetterDraftForm(request.POST)
        if not draft_form.is_valid():
            return _page(
                request,
                facts=facts,
                held=held,
                stored=stored,
                draft_form=draft_form,
                letter_form=LetterForm(initial=initial),
            )
        text = _first_draft(request=request, facts=facts, held=held, data=draft_form.cleaned_data)
        # The draft is shown to be checked, not saved: the version stays the one read above, so a save
        # of it over someone else's meanwhile is refused like any other.
        letter_form = LetterForm(initial={"letter": text, "version": request.POST.get("version") or version})
        return _page(
            request,
            facts=facts,
            held=held,
            stored=stored,
            draft_form=draft_form,
            letter_form=letter_form,
            drafted=True,
        )
    if action == "reopen":
        if stored is None:
            raise Http404("No letter")
        return _reopen(request, facts=facts, held=held, stored=stored)
    letter_form = LetterForm(request.POST)

    def save(data: dict[str, Any]) -> object:
        return services.letter_save(
            user=request.user,
            facts=facts,
            review_date=held,
            version=data["version"],
            letter=data["letter"],
            finalise=action == "finalise",
            today=clock.workspace_today(),
        )

    if form_saved(letter_form, save):
        done = "Letter saved and made final. You can now download it." if action == "finalise" else "Letter saved."
        messages.success(request, done)
        return redirect("letter", child_id=child_id, review_date=held.isoformat())
    return _page(request, facts=facts, held=held, stored=stored, draft_form=LetterDraftForm(), letter_form=letter_form)


def _reopen(request: HttpRequest, *, facts: ChildFacts, held: dt.date, stored: dict[str, Any]) -> HttpResponse:
    form = LetterReopenForm(request.POST)

    def reopen(data: dict[str, Any]) -> object:
        return services.letter_reopen(user=request.user, facts=facts, review_date=held, version=data["version"])

    if form_saved(form, reopen):
        messages.success(request, "The letter is a draft again. Correct it, then make it final.")
        return redirect("letter", child_id=facts.child_id, review_date=held.isoformat())
    # Refused (sent meanwhile, or changed by someone else): the letter as stored, with the reason.
    letter_form = LetterForm({"letter": stored["letter"], "version": services.letter_version(stored)})
    letter_form.is_valid()
    letter_form.add_error(None, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return _page(request, facts=facts, held=held, stored=stored, draft_form=LetterDraftForm(), letter_form=letter_form)


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the form to record that the letter to the child was sent")
def letter_sent(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    """Record the day a final letter was sent: business support, the allocated IRO and managers."""
    facts, held = _facts(request, child_id, review_date)
    if not services.may_mark_sent(user=request.user, facts=facts):
        raise PermissionDenied
    stored = services.letter_stored(child_id=child_id, review_date=held)
    if stored is None or stored["finalised_date"] is None:
        raise Http404("No final letter")
    form = LetterSentForm(
        request.POST if request.method == "POST" else None,
        initial={"sent_date": stored["sent_date"], "version": services.letter_version(stored)},
    )

    def record(data: dict[str, Any]) -> object:
        return services.letter_sent_record(
            user=request.user,
            facts=facts,
            review_date=held,
            version=data["version"],
            sent_date=data["sent_date"],
            today=clock.workspace_today(),
        )

    if request.method == "POST" and form_saved(form, record):
        messages.success(request, "The date the letter was sent is saved.")
        return redirect("letter", child_id=child_id, review_date=held.isoformat())
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "child_id": child_id, "review_date": held}
    return render(request, "letters/letter_sent.html", context, status=status)


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the letter to the child, downloaded")
def letter_download(request: HttpRequest, child_id: str, review_date: str, file_format: str) -> HttpResponse:
    """The final letter as Word or PDF, named by the review's date, never by the child."""
    if file_format not in FORMATS:
        raise Http404("No such format")
    _, held = _facts(request, child_id, review_date)
    stored = services.letter_stored(child_id=child_id, review_date=held)
    if stored is None or stored["finalised_date"] is None:
        raise Http404("No final letter")
    authority = selectors.authority_name(dataset_snapshot().dataset(()))
    make = letter_docx if file_format == "docx" else letter_pdf
    content = make(text=stored["letter"], authority=authority, written_on=stored["finalised_date"])
    content_type, name = FORMATS[file_format]
    audit_note(request, subject=f"the letter to the child, downloaded as {name}")
    response = HttpResponse(content, content_type=content_type)
    filename = letter_file_name(review_date=held, file_format=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
