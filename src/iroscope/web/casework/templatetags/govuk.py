"""Values the GOV.UK component templates under casework/ need from a bound form field."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

from iroscope.rules import codes
from iroscope.web.forms import GovukDateField

register = template.Library()


@register.filter
def radio_items(field: BoundField) -> list[dict[str, Any]]:
    """One item per choice offered, with the id the error summary links to on the first. A choice in
    the field's `hidden_choices` is left out unless it is the one already chosen."""
    value = field.value()
    chosen = "" if value is None else ("Y" if value is True else "N" if value is False else str(value))
    hidden: set[str] = getattr(field.field, "hidden_choices", set())
    hints = getattr(field.field, "choice_hints", {})
    items = []
    for code, label in field.field.choices:  # type: ignore[attr-defined]
        if code == "" or (code in hidden and code != chosen):
            continue
        items.append({"value": code, "label": label, "checked": code == chosen, "hint": hints.get(code, "")})
    for index, item in enumerate(items):
        item["id"] = f"id_{field.name}" if index == 0 else f"id_{field.name}-{index + 1}"
    return items


@register.filter
def component(field: BoundField) -> str:
    """Which GOV.UK component renders this field."""
    if isinstance(field.field, GovukDateField):
        return "date"
    if field.is_hidden:
        return "hidden"
    if getattr(field.field.widget, "input_type", "") == "radio":
        return "radios"
    return "select"


_CODE_LISTS = {code_list.name: code_list for code_list in codes.ALL_CODE_LISTS}


@register.filter
def code_label(code: str | None, list_name: str) -> str:
    """The code's plain-English label from the named code list (the code itself if it is not in it)."""
    if not code:
        return ""
    code_list = _CODE_LISTS[list_name]
    return code_list.label(code) if code in code_list else code
