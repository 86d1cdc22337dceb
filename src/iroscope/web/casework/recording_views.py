"""Recording pages: parse the form, make one service call, render or go back to the child's page.

Who may record (checked again by each service, so a refused person gets 403 whatever they post):
- a review, its later changes, a midway review, an IRO visit or consultation, a case-tracking
  check: the IRO allocated to the child, or an IRO manager. Another IRO can read the child's record
  but not record on it.
- a further meeting adjourned or stood down before a review already recorded (a review adjourned
  twice has two), a good practice notification, a practice alert and its resolution: the same people.
- the decisions date and the record-distributed date of a review already held: also business
  support, who send the decisions and the record out. Business support cannot record the review
  itself (its date, participation and the rest are the chairing IRO's record).
- booking a review (and changing or cancelling the booking), its invitations and the consultation
  forms of a review booked or held: business support, IRO managers and the allocated IRO.
- analysts and administrators: nothing (they do not see case records at all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from iroscope.rules import codes
from iroscope.rules.calendar import long_date
from iroscope.web import clock
from iroscope.web.accounts.access import CASE_READERS, role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audited
from iroscope.web.casework import (
    between_reviews,
    booking_recording,
    bookings,
    consultation_recording,
    practice_feedback,
    recording,
    review_reasons,
    review_recording,
)
from iroscope.web.casework.forms import (
    PARTICIPATION_HINTS,
    BookingCancelForm,
    BookingEditForm,
    BookingForm,
    CaseTrackingForm,
    ConsultationsForm,
    GoodPracticeForm,
    IroContactForm,
    MidwayReviewForm,
    PracticeAlertForm,
    PracticeAlertResolveForm,
    ReviewDatesForm,
    ReviewEditForm,
    ReviewForm,
    ReviewMeetingForm,
)
from iroscope.web.casework.selectors import ChildFacts, ChildNotFoundError, child_facts
from iroscope.web.decisions.forms import ReviewAndDecisionsForm
from iroscope.web.decisions.services import review_with_decisions_record
from iroscope.web.forms import GovukForm
from iroscope.web.practice.selectors import practice_current
from iroscope.web.records.selectors import NoDatasetError, dataset_snapshot
from iroscope.web.saving import form_saved

RECORDERS = frozenset({Role.IRO, Role.MANAGER})


def _facts(request: HttpRequest, child_id: str) -> ChildFacts:
    # A form sent: read afresh from the database (no snapshot), so that a service may be given these
    # facts to check its write against rather than read them a second time in the same request. A
    # form shown: what the worker holds will do, as for the child's page.
    try:
        snapshot = None if request.method == "POST" else dataset_snapshot()
        return child_facts(child_id=child_id, today=clock.workspace_today(), snapshot=snapshot)
    except (ChildNotFoundError, NoDatasetError) as error:
        raise Http404("No such child") from error


def facts_for_recorder(
    request: HttpRequest, child_id: str, *, may: Callable[..., bool] = recording.may_record
) -> ChildFacts:
    """The child's facts, once `may` (by default: may record for this child) allows this person."""
    facts = _facts(request, child_id)
    if not may(user=request.user, facts=facts):
        raise PermissionDenied
    return facts


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise Http404("No such review") from error


def _stored_review(*, child_id: str, held: dt.date) -> dict[str, Any]:
    """The review's stored rows; no such page when neither the review nor its details are stored."""
    snapshot = review_recording.review_snapshot(child_id=child_id, review_date=held)
    if snapshot["reviews"] is None and snapshot["review_details"] is None:
        raise Http404("No such review")
    return snapshot


def _posted(request: HttpRequest) -> QueryDict | None:
    """What the form was sent with, or None for a form not yet sent."""
    return request.POST if request.method == "POST" else None


def _offer_pn0(form: ReviewForm | ReviewEditForm, *, facts: ChildFacts, review_date: dt.date | None) -> None:
    """PN0 is offered only for a child under 4 on the review's date (before a date is entered: under 4
    on the first day the review could be held). The service refuses it otherwise, whatever is posted."""
    field = form.fields["participation"]
    field.choice_hints = PARTICIPATION_HINTS  # type: ignore[attr-defined]
    earliest = review_date or (facts.periods[-1][0] if facts.periods else clock.workspace_today())
    offered = recording.pn0_allowed(date_of_birth=facts.date_of_birth, review_date=earliest)
    field.hidden_choices = set() if offered else {"PN0"}  # type: ignore[attr-defined]
    field.help_text = "PN0 is only for a child under 4 on the day of the review. PN1 to PN4 count as attended."


def _form_date(form: GovukForm, name: str) -> dt.date | None:
    try:
        value = form.fields[name].clean(form.fields[name].widget.value_from_datadict(form.data, form.files, name))
    except Exception:  # a date not yet entered, or not a real one
        return None
    return value if isinstance(value, dt.date) else None


def _save(
    request: HttpRequest, form: GovukForm, *, call: Callable[[dict[str, Any]], object], child_id: str, done: str
) -> HttpResponse | None:
    """Run the service on a valid form; None means show the form again with its errors."""
    if not form_saved(form, call):
        return None
    messages.success(request, done)
    return redirect("child", child_id=child_id)


def _page(
    request: HttpRequest,
    form: GovukForm,
    *,
    child_id: str,
    heading: str,
    intro: str = "",
    template: str = "casework/record_form.html",
    **extra: Any,
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "child_id": child_id, "heading": heading, "intro": intro, **extra}
    return render(request, template, context, status=status)


def form_page(
    request: HttpRequest,
    form: GovukForm,
    *,
    child_id: str,
    call: Callable[[dict[str, Any]], object],
    done: str,
    heading: str,
    **page: Any,
) -> HttpResponse:
    """A sent form runs `call` and goes back to the child's record with `done`; otherwise, or when the
    form has errors, the page with the form."""
    if request.method == "POST" and (finished := _save(request, form, call=call, child_id=child_id, done=done)):
        return finished
    return _page(request, form, child_id=child_id, heading=heading, **page)


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record a review")
def review_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a review held. IROs for their allocated children, managers for any child."""
    facts = facts_for_recorder(request, child_id)
    form = ReviewAndDecisionsForm(_posted(request))
    _offer_pn0(form, facts=facts, review_date=_form_date(form, "review_date") if form.is_bound else None)
    form.offer_late_reasons(
        review_reasons.late_reason_choices(practice=practice_current()),
        due_date=bookings.next_review_due(child_id=child_id, today=clock.workspace_today()),
    )

    def call(data: dict[str, Any]) -> object:
        # The review's decisions are stored with it, in one transaction (iroscope.web.decisions).
        return review_with_decisions_record(
            user=request.user,
            child_id=child_id,
            review_date=data["review_date"],
            decisions=data["decisions"],
            record=lambda: record_review(data),
        )

    def record_review(data: dict[str, Any]) -> object:
        meeting = None
        if data["had_meeting"]:
            meeting = review_recording.MeetingInput(
                meeting_date=data["meeting_date"],
                outcome=data["meeting_outcome"],
                reason=data["meeting_reason"],
                reconvened_date=data["reconvened_date"],
            )
        return review_recording.review_record(
            user=request.user,
            child_id=child_id,
            review_date=data["review_date"],
            participation=data["participation"],
            review_format=data["review_format"] or None,
            series_of_meetings=data["series_of_meetings"],
            decisions_date=data["decisions_date"],
            record_distributed_date=data["record_distributed_date"],
            permanence_plan=data["permanence_plan"],
            meeting=meeting,
            reasons=_reasons(data),
            today=clock.workspace_today(),
        )

    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Review recorded. The next review due is below.",
        heading="Record a review",
        template="decisions/review_form.html",
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to change a review")
def review_edit(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    """Change a review already recorded. The form carries the review's version; a save over someone
    else's later save is refused and the values entered are shown again, not lost."""
    held = _parse_date(review_date)
    facts = facts_for_recorder(request, child_id)
    snapshot = _stored_review(child_id=child_id, held=held)
    form = ReviewEditForm(_posted(request), initial=_review_initial(snapshot))
    _offer_pn0(form, facts=facts, review_date=held)
    stored_late_reason = (snapshot["review_details"] or {}).get("late_reason")
    form.offer_late_reasons(
        review_reasons.late_reason_choices(practice=practice_current(), stored=stored_late_reason),
        # Shown to say whether a reason is needed; a form sent is checked by the service, which works the
        # due date out from the database, so it is not read a second time for the hint.
        due_date=None
        if request.method == "POST"
        else review_reasons.review_due_date(child_id=child_id, review_date=held, snapshot=dataset_snapshot()),
        held=held,
    )

    def call(data: dict[str, Any]) -> object:
        return review_recording.review_update(
            user=request.user,
            child_id=child_id,
            review_date=held,
            version=data["version"],
            participation=data["participation"],
            review_format=data["review_format"] or None,
            series_of_meetings=data["series_of_meetings"],
            decisions_date=data["decisions_date"],
            record_distributed_date=data["record_distributed_date"],
            permanence_plan=data["permanence_plan"],
            today=clock.workspace_today(),
            facts=facts,
            reasons=_reasons(data),
        )

    heading = f"Change the review held on {long_date(held)}"
    return form_page(request, form, child_id=child_id, call=call, done="Review changed.", heading=heading)


def _reasons(data: dict[str, Any]) -> review_reasons.ReviewReasons:
    return review_reasons.ReviewReasons(
        late_reason=data["late_reason"] or None,
        non_attendance_reason=data["non_attendance_reason"] or None,
        child_chaired=data["child_chaired"],
    )


def _review_initial(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The form's values from the review's stored rows; its version from the same rows, not read again."""
    reviews, details = snapshot["reviews"] or {}, snapshot["review_details"] or {}

    def day(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    def flag(value: str | None) -> str | None:
        return value

    return {
        "participation": reviews.get("participation") or details.get("participation"),
        "review_format": details.get("format"),
        "series_of_meetings": flag(details.get("series_of_meetings")),
        "invitations_sent_date": day(details.get("invitations_sent_date")),
        "decisions_date": day(details.get("decisions_date")),
        "record_distributed_date": day(details.get("record_distributed_date")),
        "permanence_plan": flag(details.get("permanence_plan")),
        "late_reason": details.get("late_reason"),
        "non_attendance_reason": details.get("non_attendance_reason"),
        "child_chaired": flag(details.get("child_chaired")),
        "version": review_recording.snapshot_version(snapshot),
    }


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the form to record a review's record and decision dates")
def review_dates(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    """The decisions and record-distributed dates of a review: business support as well as the
    allocated IRO and managers."""
    held = _parse_date(review_date)
    facts = facts_for_recorder(request, child_id, may=recording.may_record_review_dates)
    snapshot = _stored_review(child_id=child_id, held=held)
    initial = _review_initial(snapshot)
    form = ReviewDatesForm(_posted(request), initial=initial)

    def call(data: dict[str, Any]) -> object:
        return review_recording.review_dates_record(
            user=request.user,
            child_id=child_id,
            review_date=held,
            version=data["version"],
            decisions_date=data["decisions_date"],
            record_distributed_date=data["record_distributed_date"],
            invitations_sent_date=data["invitations_sent_date"],
            today=clock.workspace_today(),
            facts=facts,
        )

    heading = f"Invitations, decisions and record for the review held on {long_date(held)}"
    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Decisions and record dates saved.",
        heading=heading,
    )


# ---------------------------------------------------------------- booking reviews -----------------


def _booking_page(
    request: HttpRequest, form: GovukForm, *, child_id: str, call: Callable[[dict[str, Any]], object], **page: Any
) -> HttpResponse:
    """A booking form: saved, back to the child's record with a warning when the review is booked after
    it is due; otherwise the form, with the statutory due date above it."""
    due = bookings.next_review_due(child_id=child_id, today=clock.workspace_today())
    saved: list[booking_recording.BookingSaved] = []

    def save(data: dict[str, Any]) -> object:
        result = call(data)
        assert isinstance(result, booking_recording.BookingSaved)
        saved.append(result)
        return result

    response = form_page(
        request, form, child_id=child_id, call=save, template="casework/booking_form.html", due_date=due, **page
    )
    if saved and (
        warning := booking_recording.booking_late_warning(
            scheduled_date=saved[0].row["scheduled_date"], due_date=saved[0].due_date
        )
    ):
        messages.warning(request, warning)
    return response


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the form to book a review")
def review_booking_new(request: HttpRequest, child_id: str) -> HttpResponse:
    """Book the child's next review: business support, managers and the allocated IRO."""
    facts_for_recorder(request, child_id, may=booking_recording.may_book)
    form = BookingForm(_posted(request))

    def call(data: dict[str, Any]) -> object:
        return booking_recording.review_booking_record(
            user=request.user,
            child_id=child_id,
            scheduled_date=data["scheduled_date"],
            review_format=data["review_format"] or None,
            invitations_sent_date=data["invitations_sent_date"],
            today=clock.workspace_today(),
        )

    return _booking_page(
        request, form, child_id=child_id, call=call, done="Review booked.", heading="Book the next review"
    )


def _stored_booking(*, child_id: str, booked_for: dt.date) -> dict[str, Any]:
    booking = booking_recording.booking_snapshot(child_id=child_id, scheduled_date=booked_for)
    if booking is None:
        raise Http404("No such booking")
    return booking


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the form to change a booked review")
def review_booking_edit(request: HttpRequest, child_id: str, scheduled_date: str) -> HttpResponse:
    """Move a booking or change its format or invitations date. A save over someone else's is refused."""
    booked_for = _parse_date(scheduled_date)
    facts_for_recorder(request, child_id, may=booking_recording.may_book)
    booking = _stored_booking(child_id=child_id, booked_for=booked_for)
    sent = booking["invitations_sent_date"]
    initial = {
        "scheduled_date": booked_for,
        "review_format": booking["format"],
        "invitations_sent_date": dt.date.fromisoformat(sent) if sent else None,
        "version": booking_recording.booking_version(child_id=child_id, scheduled_date=booked_for),
    }
    form = BookingEditForm(_posted(request), initial=initial)

    def call(data: dict[str, Any]) -> object:
        return booking_recording.review_booking_update(
            user=request.user,
            child_id=child_id,
            scheduled_date=booked_for,
            version=data["version"],
            new_scheduled_date=data["scheduled_date"],
            review_format=data["review_format"] or None,
            invitations_sent_date=data["invitations_sent_date"],
            today=clock.workspace_today(),
        )

    return _booking_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Booking changed.",
        heading=f"Change the review booked for {long_date(booked_for)}",
        cancel_url=reverse("booking-cancel", args=[child_id, booked_for.isoformat()]),
    )


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the form to cancel a booked review")
def review_booking_cancel(request: HttpRequest, child_id: str, scheduled_date: str) -> HttpResponse:
    """Cancel a booking, after asking."""
    booked_for = _parse_date(scheduled_date)
    facts_for_recorder(request, child_id, may=booking_recording.may_book)
    _stored_booking(child_id=child_id, booked_for=booked_for)
    form = BookingCancelForm(
        _posted(request),
        initial={"version": booking_recording.booking_version(child_id=child_id, scheduled_date=booked_for)},
    )

    def call(data: dict[str, Any]) -> object:
        return booking_recording.review_booking_cancel(
            user=request.user,
            child_id=child_id,
            scheduled_date=booked_for,
            version=data["version"],
            today=clock.workspace_today(),
        )

    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Booking cancelled.",
        heading=f"Cancel the review booked for {long_date(booked_for)}",
        intro="The booking is removed. Tell everyone invited that the review will not go ahead on this day.",
        template="casework/booking_cancel.html",
    )


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the form to record consultations")
def consultations_record(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    """The consultation forms sent before a review booked or held, and which came back."""
    day = _parse_date(review_date)
    facts_for_recorder(request, child_id, may=booking_recording.may_book)
    if not consultation_recording.review_is_booked_or_held(child_id=child_id, review_date=day):
        raise Http404("No such review")
    initial: dict[str, Any] = {
        "version": consultation_recording.consultations_version(child_id=child_id, review_date=day)
    }
    for stored in bookings.consultation_forms(child_id=child_id, review_date=day):
        initial[f"sent_{stored['recipient']}"] = stored["sent_date"]
        initial[f"returned_{stored['recipient']}"] = stored["returned_date"]
    form = ConsultationsForm(_posted(request), initial=initial)

    def call(data: dict[str, Any]) -> object:
        return consultation_recording.consultations_record(
            user=request.user,
            child_id=child_id,
            review_date=day,
            version=data["version"],
            forms=[
                consultation_recording.ConsultationInput(
                    recipient=code, sent_date=data[f"sent_{code}"], returned_date=data[f"returned_{code}"]
                )
                for code in codes.CONSULTATION_RECIPIENT.valid_codes()
            ],
            today=clock.workspace_today(),
        )

    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Consultation forms saved.",
        heading=f"Consultation forms for the review on {long_date(day)}",
        intro="Give the date each form was sent and, once it came back, the date it was returned. "
        "Leave both dates blank for anyone not sent a form.",
    )


def _simple_record(
    request: HttpRequest,
    child_id: str,
    *,
    form_class: type[GovukForm],
    save: Callable[[dict[str, Any]], object],
    done: str,
    heading: str,
    intro: str = "",
) -> HttpResponse:
    """A one-form recording page: refused unless this person may record for this child; the form
    again with its errors, or back to the child's record with `done`."""
    facts_for_recorder(request, child_id)
    form = form_class(_posted(request))
    return form_page(request, form, child_id=child_id, call=save, done=done, heading=heading, intro=intro)


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record a midway review")
def midway_review_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a midway review. IROs for their allocated children, managers for any child."""
    return _simple_record(
        request,
        child_id,
        form_class=MidwayReviewForm,
        save=lambda data: between_reviews.midway_review_record(
            user=request.user,
            child_id=child_id,
            midway_date=data["midway_date"],
            concerns_identified=data["concerns_identified"],
            today=clock.workspace_today(),
        ),
        done="Midway review recorded.",
        heading="Record a midway review",
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record an IRO visit or contact")
def iro_contact_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record an IRO visit or consultation, completed, failed or declined. IROs for their allocated
    children, managers for any child."""
    return _simple_record(
        request,
        child_id,
        form_class=IroContactForm,
        save=lambda data: between_reviews.iro_contact_record(
            user=request.user,
            child_id=child_id,
            contact_date=data["contact_date"],
            kind=data["kind"],
            method=data["method"] or None,
            outcome=data["outcome"],
            today=clock.workspace_today(),
        ),
        done="Visit or consultation recorded.",
        heading="Record a visit or consultation",
        intro="Record visits and consultations that failed or that the child declined, as well as those completed.",
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record case tracking")
def case_tracking_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a case-tracking check and its RAG level. IROs for their allocated children, managers for
    any child."""
    return _simple_record(
        request,
        child_id,
        form_class=CaseTrackingForm,
        save=lambda data: between_reviews.case_tracking_record(
            user=request.user,
            child_id=child_id,
            check_date=data["check_date"],
            rag_level=data["rag_level"],
            today=clock.workspace_today(),
        ),
        done="Case-tracking check recorded.",
        heading="Record a case-tracking check",
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to add a meeting to a review")
def review_meeting_add(request: HttpRequest, child_id: str, review_date: str) -> HttpResponse:
    """Add a meeting adjourned or stood down to a review already recorded, one meeting at a time, so
    that a review adjourned twice is stored as two meetings. The page lists the meetings already
    recorded for the review."""
    held = _parse_date(review_date)
    facts_for_recorder(request, child_id)
    _stored_review(child_id=child_id, held=held)
    form = ReviewMeetingForm(_posted(request))

    def call(data: dict[str, Any]) -> object:
        return review_recording.review_meeting_add(
            user=request.user,
            child_id=child_id,
            review_date=held,
            meeting_date=data["meeting_date"],
            outcome=data["meeting_outcome"],
            reason=data["meeting_reason"],
            today=clock.workspace_today(),
        )

    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Adjourned or stood-down meeting added.",
        heading=f"Add a meeting adjourned or stood down before the review held on {long_date(held)}",
        intro="Add each meeting separately: a review adjourned twice has two meetings. A meeting reconvened at "
        "the next meeting, or, for the last one, on the day the review was held.",
        template="casework/review_meeting_form.html",
        meetings=review_recording.review_meetings_series(child_id=child_id, review_date=held),
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to record good practice")
def good_practice_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a good practice notification. IROs for their allocated children, managers for any child."""
    return _simple_record(
        request,
        child_id,
        form_class=GoodPracticeForm,
        save=lambda data: practice_feedback.good_practice_record(
            user=request.user,
            child_id=child_id,
            notification_date=data["notification_date"],
            theme=data["theme"],
            service=data["service"],
            today=clock.workspace_today(),
        ),
        done="Good practice notification recorded.",
        heading="Record a good practice notification",
        intro="Record good practice you recognised and fed back to the team or service and their manager.",
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to raise a practice alert")
def practice_alert_record(request: HttpRequest, child_id: str) -> HttpResponse:
    """Raise a practice alert. IROs for their allocated children, managers for any child."""
    return _simple_record(
        request,
        child_id,
        form_class=PracticeAlertForm,
        save=lambda data: practice_feedback.practice_alert_record(
            user=request.user,
            child_id=child_id,
            raised_date=data["raised_date"],
            reasons=list(data["reasons"]),
            service=data["service"],
            today=clock.workspace_today(),
        ),
        done="Practice alert raised.",
        heading="Raise a practice alert",
        intro="A practice alert raises a concern about the quality of the work with the child outside the "
        "formal dispute resolution process. It stays open until you mark it resolved.",
    )


@role_required(RECORDERS)
@audited(Action.VIEW_PAGE, subject="the form to resolve a practice alert")
def practice_alert_resolve(request: HttpRequest, child_id: str, alert_id: str) -> HttpResponse:
    """Mark a practice alert resolved. IROs for their allocated children, managers for any child."""
    facts_for_recorder(request, child_id)
    alert = practice_feedback.practice_alert(child_id=child_id, alert_id=alert_id)
    if alert is None:
        raise Http404("No such practice alert")
    form = PracticeAlertResolveForm(_posted(request))

    def call(data: dict[str, Any]) -> object:
        return practice_feedback.practice_alert_resolve(
            user=request.user,
            child_id=child_id,
            alert_id=alert_id,
            resolved_date=data["resolved_date"],
            impact=data["impact"],
            today=clock.workspace_today(),
        )

    return form_page(
        request,
        form,
        child_id=child_id,
        call=call,
        done="Practice alert marked resolved.",
        heading="Mark a practice alert resolved",
        intro=f"Alert {alert_id}, raised on {long_date(alert['raised_date'])}.",
    )
