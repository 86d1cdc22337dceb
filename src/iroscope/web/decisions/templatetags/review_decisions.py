"""`{% child_decisions child_id as reviews %}`: each review held for the child with its decisions, as at
the workspace's today, for the child's page."""

from __future__ import annotations

from django import template

from iroscope.web import clock
from iroscope.web.decisions.selectors import ReviewDecisions
from iroscope.web.decisions.selectors import child_decisions as read_child_decisions

register = template.Library()


@register.simple_tag
def child_decisions(child_id: str) -> list[ReviewDecisions]:
    return read_child_decisions(child_id=child_id, today=clock.workspace_today())


@register.filter
def count_for(counts: dict[str, int], child_id: str) -> int:
    """The child's count in a dict of counts by child, 0 when the child has none."""
    return counts.get(child_id, 0) if counts else 0
