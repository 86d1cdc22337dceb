"""The workspace's feedback pages: a child's feedback requests (made there, then printed once with
their links and QR codes), and the comments received, which an IRO manager marks for publication.

Who may make requests: business support, IRO managers, and the IRO allocated to the child, as for
booking a review and sending its invitations. Everyone who reads case records sees the list."""

from __future__ import annotations

import datetime as dt

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from iroscope.rules import codes
from iroscope.web import clock
from iroscope.web.accounts.access import CASE_READERS, MANAGERS, role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_iro_id, user_roles
from iroscope.web.allocations.selectors import allocation_current_iro, child_exists
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.feedback.forms import RECIPIENT_FIELDS, RECIPIENT_QUESTIONS, RequestsForm
from iroscope.web.feedback.selectors import comments_received, requests_for_child, reviews_held
from iroscope.web.feedback.services import (
    FeedbackRequestInvalidError,
    MadeRequest,
    child_requests_version,
    feedback_comment_publish,
    feedback_requests_create,
)
from iroscope.web.practice.selectors import practice_current
from iroscope.web.saving import ConcurrentSaveError


def _may_request(request: HttpRequest, *, child_id: str) -> bool:
    roles = user_roles(user=request.user)
    if roles & {Role.MANAGER, Role.BUSINESS_SUPPORT}:
        return True
    iro_id = user_iro_id(user=request.user)
    return iro_id is not None and allocation_current_iro(child_id=child_id, on=clock.workspace_today()) == iro_id


def _qr_code(url: str) -> str:
    """The link as a QR code, an SVG data address an `<img>` can show and a printer can print."""
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def _printable(request: HttpRequest, made: list[MadeRequest]) -> list[dict[str, object]]:
    labels = codes.FEEDBACK_FROM.labels()
    links = []
    for number, item in enumerate(made, start=1):
        url = request.build_absolute_uri(reverse("feedback-public", args=[item.token]))
        links.append(
            {
                "number": number,
                "recipient": labels[item.recipient],
                "for_child": item.recipient == "CHILD",
                "url": url,
                "qr": _qr_code(url),
                "expires_on": timezone.localdate(item.expires_at),
            }
        )
    return links


@role_required(CASE_READERS)
@audited(Action.VIEW_PAGE, subject="the child's feedback requests")
def child_feedback_requests(request: HttpRequest, child_id: str) -> HttpResponse:
    """GET lists the child's requests and offers the form; a POST that makes requests answers with the
    page to print, the only page that ever shows their links."""
    if not child_exists(child_id=child_id):
        raise Http404("No such child")
    may_request = _may_request(request, child_id=child_id)
    held = reviews_held(child_id=child_id)
    form = RequestsForm(
        request.POST if request.method == "POST" else None,
        reviews=held,
        initial={"version": child_requests_version(child_id=child_id), "child": 1},
    )
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        if form.is_valid():
            practice = practice_current()
            review_date: dt.date = form.cleaned_data["review_date"]
            try:
                made = feedback_requests_create(
                    user=request.user,
                    child_id=child_id,
                    review_date=review_date,
                    iro_id=allocation_current_iro(child_id=child_id, on=review_date),
                    how_many=form.how_many(),
                    link_days=practice.feedback_link_days,
                    version=form.cleaned_data["version"] or None,
                )
            except FeedbackRequestInvalidError as refused:
                form.add_service_errors(
                    {RECIPIENT_FIELDS.get(key.upper(), key): message for key, message in refused.errors.items()}
                )
            except ConcurrentSaveError as refused:
                form.add_error(None, str(refused))
                form.data = {**request.POST.dict(), "version": child_requests_version(child_id=child_id)}
            else:
                context = {"child_id": child_id, "review_date": review_date, "links": _printable(request, made)}
                return render(request, "feedback/print.html", context)
    context = {
        "child_id": child_id,
        "requests": requests_for_child(child_id=child_id),
        "form": form,
        "count_fields": [form[name] for name in RECIPIENT_QUESTIONS],
        "may_request": may_request,
        "has_reviews": bool(held),
        "link_days": practice_current().feedback_link_days,
    }
    return render(request, "feedback/child.html", context, status=400 if form.errors else 200)


@role_required(MANAGERS)
@audited(Action.VIEW_PAGE, subject="the comments given in feedback")
def feedback_comments(request: HttpRequest) -> HttpResponse:
    """Comments received, each with a button to publish it in the report or take it out again."""
    if request.method == "POST":
        feedback_id = request.POST.get("feedback_id", "")
        publish = request.POST.get("publish") == "Y"
        try:
            feedback_comment_publish(user=request.user, feedback_id=feedback_id, publish=publish)
        except LookupError as error:
            raise Http404("No such comment") from error
        messages.success(
            request,
            f"The comment in feedback {feedback_id} "
            + ("may now be quoted in the report." if publish else "will not be quoted in the report."),
        )
        return redirect("feedback-comments")
    comments = comments_received()
    audit_note(request, comments=len(comments))
    return render(request, "feedback/comments.html", {"comments": comments})
