"""The child's record says how its feedback requests stand, beside the link to them."""

from __future__ import annotations

from django import template

from iroscope.web.feedback.selectors import requests_for_child

register = template.Library()


@register.simple_tag
def feedback_requests_summary(child_id: str) -> str:
    """ "2 waiting for an answer, 1 answered", or "none made"."""
    states: dict[str, int] = {}
    for request in requests_for_child(child_id=child_id):
        states[request.state] = states.get(request.state, 0) + 1
    if not states:
        return "none made"
    return ", ".join(f"{count} {state.lower()}" for state, count in states.items())
