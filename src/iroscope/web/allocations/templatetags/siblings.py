"""`{% child_siblings child_id on as siblings %}`: a child's brothers and sisters with their IROs, for
templates included in pages whose views do not otherwise read sibling groups (the child record), from
the page's dataset snapshot (`snapshot` in the context) when it has one."""

from __future__ import annotations

import datetime as dt

from django import template
from django.template import Context

from iroscope.web.allocations.selectors import Sibling
from iroscope.web.allocations.selectors import child_siblings as select_child_siblings
from iroscope.web.records.selectors import DatasetSnapshot, NoDatasetError, dataset_snapshot

register = template.Library()


@register.simple_tag(takes_context=True)
def child_siblings(context: Context, child_id: str, on: dt.date) -> list[Sibling]:
    # What the worker holds will do for showing them.
    snapshot: DatasetSnapshot | None = context.get("snapshot")
    if snapshot is None:
        try:
            snapshot = dataset_snapshot()
        except NoDatasetError:
            return []
    return select_child_siblings(child_id=child_id, on=on, snapshot=snapshot)
