"""`{% child_bookings child_id as bookings %}`: the child page's panel about the next review's booking,
for the person viewing it (see `iroscope.web.casework.bookings`), from the page's dataset snapshot
(`snapshot` in the context) when it has one."""

from __future__ import annotations

from django import template
from django.template import Context

from iroscope.web import clock
from iroscope.web.casework.bookings import ChildBookings
from iroscope.web.casework.bookings import child_bookings as read_child_bookings

register = template.Library()


@register.simple_tag(takes_context=True)
def child_bookings(context: Context, child_id: str) -> ChildBookings:
    return read_child_bookings(
        user=context["request"].user,
        child_id=child_id,
        today=clock.workspace_today(),
        snapshot=context.get("snapshot"),
    )
