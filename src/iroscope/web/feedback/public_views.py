"""The public feedback form, reached from a link or QR code with no sign-in.

It says nothing about the child: the address holds only the token, the page names only the authority.
A link unknown, used or expired gets the same page with the same status, so trying addresses reveals
nothing about which exist. Every request to these pages is throttled (`throttle`) before anything is
looked up. The form is CSRF-protected like every other: Django's token lives in a cookie, so it needs
no session, and nothing here stores one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from iroscope.web import clock
from iroscope.web.feedback.forms import QUESTIONS, PublicFeedbackForm
from iroscope.web.feedback.selectors import authority_name
from iroscope.web.feedback.services import (
    FeedbackAnswers,
    LinkCannotBeUsedError,
    feedback_request_usable,
    feedback_respond,
)
from iroscope.web.feedback.throttle import public_form_visit_allowed

NOT_USABLE_STATUS = 404


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "feedback/public_too_many.html", {"authority": authority_name()}, status=429)
    response["Retry-After"] = "60"
    return response


def _cannot_be_used(request: HttpRequest) -> HttpResponse:
    return render(
        request, "feedback/public_cannot_be_used.html", {"authority": authority_name()}, status=NOT_USABLE_STATUS
    )


@require_http_methods(["GET", "POST"])
def feedback_public(request: HttpRequest, token: str) -> HttpResponse:
    if not public_form_visit_allowed(request):
        return _too_many(request)
    try:
        feedback_request = feedback_request_usable(token=token)
    except LinkCannotBeUsedError:
        return _cannot_be_used(request)
    for_child = feedback_request.recipient == "CHILD"
    form = PublicFeedbackForm(request.POST if request.method == "POST" else None, for_child=for_child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = FeedbackAnswers(
            listened_to=data["listened_to"],
            understood_decisions=data["understood_decisions"],
            could_take_part=data["could_take_part"],
            rating=int(data["rating"]),
            comment=data["comment"],
        )
        try:
            feedback_respond(token=token, answers=answers, on=clock.workspace_today())
        except LinkCannotBeUsedError:
            return _cannot_be_used(request)
        return redirect("feedback-sent")
    context = {
        "form": form,
        "for_child": for_child,
        "questions": [form[name] for name, _, _ in QUESTIONS],
        "authority": authority_name(),
    }
    return render(request, "feedback/public_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def feedback_sent(request: HttpRequest) -> HttpResponse:
    if not public_form_visit_allowed(request):
        return _too_many(request)
    return render(request, "feedback/public_sent.html", {"authority": authority_name()})
