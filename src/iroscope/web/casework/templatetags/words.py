"""Words for what the data holds, built into every template (settings `TEMPLATES` builtins):

- `{{ code|code_meaning:"participation" }}`: a code's meaning from its code list in `rules.codes`, with
  the code in brackets after it where the code is one people quote (PN6, V2, U6: those with a digit),
  "Child does not attend but conveys their views by another method (PN6)"; words such as ADJOURNED or
  GREEN are replaced by their meaning alone;
- `{{ moment|clock_time }}`: a time as GOV.UK writes it, "11:40am", "12pm" for midday, "12am" for midnight;
- `{% child_link child_id %}`: the child's identifier as a link to their record for those who may read
  it, as plain text for everyone else, so no page offers a link that would be refused.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.urls import reverse
from django.utils.html import format_html

from iroscope.rules import codes
from iroscope.web.navigation import may_read_children

register = template.Library()

_CODE_LISTS = {code_list.name: code_list for code_list in codes.ALL_CODE_LISTS}


@register.filter
def code_meaning(code: object, list_name: str) -> str:
    """`CodeList.described`: the code's meaning, the code after it in brackets if it has a digit; "" for
    no code."""
    if code is None or code == "":
        return ""
    return _CODE_LISTS[list_name].described(str(code))


@register.filter(expects_localtime=True)
def clock_time(value: object) -> str:
    """ "9am", "11:40am", "12pm" (midday), "12am" (midnight), as the GOV.UK style guide writes times."""
    if isinstance(value, dt.datetime):
        value = value.time()
    if not isinstance(value, dt.time):
        return ""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


@register.simple_tag(takes_context=True)
def child_link(context: template.Context, child_id: str, text: str = "") -> str:
    """A link to the child's record, or the identifier as text for someone who may not open it."""
    shown = text or child_id
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_read_children(user=user):
        return format_html("{}", shown)
    return format_html('<a class="govuk-link" href="{}">{}</a>', reverse("child", args=[child_id]), shown)
