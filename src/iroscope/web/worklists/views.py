"""The operational lists: parse the choice, ask the worklists registry, render or write a file.
The lists are the weekly workbook's and `iroscope weekly`'s, as at the workspace's today (`web.clock`),
as the caseload is: what has been recorded since the data was extracted counts."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.text import slugify

from iroscope.metrics.worklists import ColumnKind, Worklist, all_worklists
from iroscope.web import clock
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audit_note, audited
from iroscope.web.navigation import may_read_children
from iroscope.web.paging import Paging, paging_for
from iroscope.web.records.selectors import NoDatasetError, dataset_from_database
from iroscope.web.worklists.forms import WorklistFilterForm
from iroscope.web.worklists.selectors import (
    ASCENDING,
    CSV,
    DESCENDING,
    DOWNLOAD_FORMATS,
    XLSX,
    ShownList,
    Sorting,
    cell_text,
    day_text,
    weekly_workbook,
    worklist_counts,
    worklist_file,
    worklist_shown,
)

# Everyone who chases the service's work; analysts see the children's ids but not their records.
LIST_READERS = frozenset({Role.IRO, Role.MANAGER, Role.BUSINESS_SUPPORT, Role.ANALYST})
# The weekly summary is the manager's report, and the analyst's who may prepare it.
WEEKLY_READERS = frozenset({Role.MANAGER, Role.ANALYST})
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Header:
    heading: str
    href: str
    aria_sort: str
    numeric: bool


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None
    numeric: bool


def _entry(name: str) -> Worklist:
    entry = all_worklists().get(name)
    if entry is None:
        raise Http404("No such list")
    return entry


def _query(**values: str | None) -> str:
    present = {key: value for key, value in values.items() if value}
    return "?" + urlencode(present) if present else ""


def _headers(shown: ShownList, *, iro_id: str | None, sorting: Sorting) -> list[Header]:
    headers = []
    for column in shown.entry.columns:
        sorted_here = sorting.column == column.name
        # A heading sorts its column ascending; chosen again, it turns the order round.
        order = DESCENDING if sorted_here and sorting.order == ASCENDING else ASCENDING
        headers.append(
            Header(
                column.heading,
                _query(iro=iro_id, sort=column.name, order=order),
                sorting.order if sorted_here else "none",
                column.kind == ColumnKind.NUMBER,
            )
        )
    return headers


def _cells(shown: ShownList, *, link_children: bool, paging: Paging) -> list[list[Cell]]:
    columns = shown.entry.columns
    rows = []
    for values in shown.rows.slice(paging.offset, paging.size).iter_rows():
        row = []
        for column, value in zip(columns, values, strict=True):
            href = reverse("child", args=[value]) if link_children and column.name == "child_id" and value else None
            row.append(Cell(cell_text(column, value), href, column.kind == ColumnKind.NUMBER))
        rows.append(row)
    return rows


def _children_in(rows: pl.DataFrame) -> int:
    """How many children these rows of a list show (a child may have several rows, one per review, say)."""
    return rows["child_id"].n_unique() if "child_id" in rows.columns else rows.height


def _attachment(content: bytes, *, file_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    # The header is only ever missing for an inline file with no name; this one is named.
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    if disposition is not None:
        response["Content-Disposition"] = disposition
    return response


@role_required(LIST_READERS)
def worklist_index(request: HttpRequest) -> HttpResponse:
    try:
        dataset = dataset_from_database()
    except NoDatasetError:
        return render(request, "worklists/index.html", {"lists": None})
    as_at = clock.workspace_today()
    context = {
        "lists": worklist_counts(dataset=dataset, as_at=as_at),
        "as_at": day_text(as_at),
        "coverage": clock.data_coverage(dataset=dataset, today=as_at),
        "weekly": bool(user_roles(user=request.user) & WEEKLY_READERS),
    }
    return render(request, "worklists/index.html", context)


@role_required(LIST_READERS)
@audited(Action.VIEW_LIST, subject="an operational list")
def worklist_page(request: HttpRequest, name: str) -> HttpResponse:
    entry = _entry(name)
    try:
        dataset = dataset_from_database()
    except NoDatasetError:
        return render(request, "worklists/list.html", {"entry": entry, "shown": None})
    as_at = clock.workspace_today()
    form = WorklistFilterForm(request.GET or None, dataset=dataset)
    iro_id = form.iro_id()
    sorting = Sorting.parse(entry, column=request.GET.get("sort"), order=request.GET.get("order"))
    shown = worklist_shown(entry=entry, dataset=dataset, as_at=as_at, iro_id=iro_id, sorting=sorting)
    link_children = may_read_children(user=request.user)
    paging = paging_for(count=shown.rows.height, query=request.GET)
    audit_note(
        request,
        subject=f"the list {entry.title}",
        iro_id=iro_id,
        page=paging.number,
        children=_children_in(shown.rows.slice(paging.offset, paging.size)),
    )
    download_query = _query(iro=iro_id, sort=sorting.column, order=sorting.order if sorting.column else None)
    context = {
        "entry": entry,
        "shown": shown,
        "form": form,
        "as_at": day_text(as_at),
        "coverage": clock.data_coverage(dataset=dataset, today=as_at),
        "iro_id": iro_id,
        "sorting": sorting,
        "headers": _headers(shown, iro_id=iro_id, sorting=sorting),
        "rows": _cells(shown, link_children=link_children, paging=paging),
        "paging": paging,
        "download_query": download_query,
    }
    return render(request, "worklists/list.html", context, status=400 if form.errors else 200)


@role_required(LIST_READERS)
@audited(Action.DOWNLOAD_LIST, subject="an operational list")
def worklist_download(request: HttpRequest, name: str, file_format: str) -> HttpResponse:
    entry = _entry(name)
    if file_format not in DOWNLOAD_FORMATS:
        raise Http404("Lists download as CSV or Excel")
    try:
        dataset = dataset_from_database()
    except NoDatasetError as error:
        raise Http404("No data loaded") from error
    as_at = clock.workspace_today()
    form = WorklistFilterForm(request.GET or None, dataset=dataset)
    if form.errors:
        return HttpResponse("Choose an IRO from the list.", status=400, content_type="text/plain; charset=utf-8")
    iro_id = form.iro_id()
    sorting = Sorting.parse(entry, column=request.GET.get("sort"), order=request.GET.get("order"))
    shown = worklist_shown(entry=entry, dataset=dataset, as_at=as_at, iro_id=iro_id, sorting=sorting)
    stem = "-".join(part for part in (entry.name.replace("_", "-"), slugify(iro_id or ""), as_at.isoformat()) if part)
    content = worklist_file(shown=shown, file_format=file_format)
    audit_note(
        request,
        subject=f"the list {entry.title}, as {file_format.upper()}",
        iro_id=iro_id,
        rows=shown.rows.height,
        children=_children_in(shown.rows),
    )
    return _attachment(content, file_format=file_format, filename=f"{stem}.{file_format}")


@role_required(WEEKLY_READERS)
@audited(Action.DOWNLOAD_LIST, subject="the weekly summary workbook (every list)")
def weekly_download(request: HttpRequest) -> HttpResponse:
    try:
        dataset = dataset_from_database()
    except NoDatasetError as error:
        raise Http404("No data loaded") from error
    as_at = clock.workspace_today()
    content, children = weekly_workbook(dataset=dataset, as_at=as_at)
    audit_note(request, as_at=as_at.isoformat(), children=children)
    return _attachment(content, file_format=XLSX, filename=f"weekly-summary-{as_at.isoformat()}.xlsx")
