"""`{% child_permanence child_id as permanence %}`: the child page's permanence panel (see
`iroscope.web.permanence.selectors`), as at the workspace's today."""

from __future__ import annotations

from django import template

from iroscope.web import clock
from iroscope.web.permanence.selectors import ChildPermanence
from iroscope.web.permanence.selectors import child_permanence as read_child_permanence

register = template.Library()


@register.simple_tag
def child_permanence(child_id: str) -> ChildPermanence:
    return read_child_permanence(child_id=child_id, today=clock.workspace_today())
