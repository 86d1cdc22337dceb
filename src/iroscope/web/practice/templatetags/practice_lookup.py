"""`{{ mapping|get:key }}` for the pages whose inputs are named by setting paths."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    if not mapping:
        return ""
    value = mapping.get(key, "")
    return "" if value is None else value
