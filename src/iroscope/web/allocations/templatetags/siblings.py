"""`{% child_siblings child_id on as siblings %}`: a child's brothers and sisters with their IROs, for
templates included in pages whose views do not otherwise read sibling groups (the child record)."""

from __future__ import annotations

import datetime as dt

from django import template

from iroscope.web.allocations.selectors import Sibling
from iroscope.web.allocations.selectors import child_siblings as select_child_siblings
from iroscope.web.records.selectors import NoDatasetError, dataset_snapshot

register = template.Library()


@register.simple_tag
def child_siblings(child_id: str, on: dt.date) -> list[Sibling]:
    try:
        snapshot = dataset_snapshot()  # what the worker holds will do for showing them
    except NoDatasetError:
        return []
    return select_child_siblings(child_id=child_id, on=on, snapshot=snapshot)
