"""Imports: upload, read the validation report, confirm or abandon; and the history of every import.
Views parse the request, make one call to the imports services and render."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from iroscope.data.merge import TableMerge
from iroscope.data.problems import ERROR, WARNING
from iroscope.data.schema import TABLES_BY_NAME
from iroscope.web import clock
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles
from iroscope.web.audit.models import Action
from iroscope.web.audit.viewing import audited
from iroscope.web.imports.forms import ImportForm
from iroscope.web.imports.models import DataImport, Outcome
from iroscope.web.imports.services import (
    PROBLEMS_KEPT,
    ConfirmRefusedError,
    UploadError,
    dataset_export_zip,
    import_abandon,
    import_check,
    import_confirm,
    import_problems,
    imports_clean_stale,
    upload_limit_bytes,
)
from iroscope.web.paging import paging_for
from iroscope.web.records.selectors import NoDatasetError

IMPORTERS = frozenset({Role.ANALYST, Role.MANAGER})
EXPORTERS = frozenset({Role.MANAGER})
TAKE_UPLOAD = "upload"  # a conflict's choice on the confirm form; anything else keeps the workspace's row


@dataclass(frozen=True)
class TableChange:
    title: str
    change: TableMerge


def _table_changes(data_import: DataImport) -> list[TableChange]:
    fields = {field.name for field in dataclasses.fields(TableMerge)}
    return [
        TableChange(
            TABLES_BY_NAME[name].title, TableMerge(**{key: value for key, value in change.items() if key in fields})
        )
        for name, change in data_import.changes.items()
        if name in TABLES_BY_NAME
    ]


def _totals(changes: list[TableChange]) -> dict[str, int]:
    return {
        field.name: sum(getattr(entry.change, field.name) for entry in changes)
        for field in dataclasses.fields(TableMerge)
    }


@role_required(IMPORTERS)
def history(request: HttpRequest) -> HttpResponse:
    imports_clean_stale(now=timezone.now())
    imports = DataImport.objects.all()
    paging = paging_for(count=imports.count(), query=request.GET)
    shown = imports[paging.offset : paging.offset + paging.size]
    may_export = bool(user_roles(user=request.user) & EXPORTERS)
    return render(request, "imports/history.html", {"imports": shown, "paging": paging, "may_export": may_export})


@role_required(EXPORTERS)
def export(request: HttpRequest) -> HttpResponse:
    """Everything stored, what was recorded in the workspace included, as a zip of a data folder."""
    try:
        archive = dataset_export_zip(user=request.user)
    except NoDatasetError:
        raise Http404("No dataset has been loaded") from None
    response = HttpResponse(archive, content_type="application/zip")
    name = f"iroscope-export-{clock.workspace_today().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(IMPORTERS)
def upload(request: HttpRequest) -> HttpResponse:
    limit = upload_limit_bytes()
    if request.method != "POST":
        form = ImportForm(today=timezone.localdate(), limit=limit)
        return render(request, "imports/upload.html", {"form": form, "limit_mb": limit // (1024 * 1024)})
    form = ImportForm(request.POST, request.FILES, today=timezone.localdate(), limit=limit)
    if not form.is_valid():
        context = {"form": form, "limit_mb": limit // (1024 * 1024)}
        return render(request, "imports/upload.html", context, status=400)
    try:
        data_import = import_check(
            user=request.user,
            kind=form.cleaned_data["kind"],
            year=form.chosen_year(),
            files=form.cleaned_data["contents"],
            today=timezone.localdate(),
            extract_date=form.chosen_extract_date(),
        )
    except UploadError as error:
        form.add_error("upload", str(error))
        context = {"form": form, "limit_mb": limit // (1024 * 1024)}
        return render(request, "imports/upload.html", context, status=400)
    return redirect("import-report", token=data_import.token)


def _own_import(request: HttpRequest, token: uuid.UUID) -> DataImport:
    """The import with this token, only for the person who uploaded it: the token alone is not enough."""
    data_import = DataImport.objects.filter(token=token, user=request.user.pk).first()
    if data_import is None:
        raise Http404("No such upload")
    return data_import


def _report(request: HttpRequest, data_import: DataImport, *, refusal: str = "", status: int = 200) -> HttpResponse:
    problems = import_problems(data_import)
    changes = _table_changes(data_import)
    errors = warnings = None
    if problems is not None:
        errors = list(problems.filter(severity=ERROR).head(PROBLEMS_KEPT).iter_rows(named=True))
        warnings = list(problems.filter(severity=WARNING).head(PROBLEMS_KEPT).iter_rows(named=True))
    context = {
        "data_import": data_import,
        "errors": errors,
        "warnings": warnings,
        "shown": PROBLEMS_KEPT,
        "changes": changes,
        "totals": _totals(changes),
        "refusal": refusal,
        "waiting": data_import.outcome == Outcome.CHECKED,
    }
    return render(request, "imports/report.html", context, status=status)


@role_required(IMPORTERS)
@audited(Action.VIEW_PAGE, subject="the report on a file the person uploaded, with its problems row by row")
def report(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    return _report(request, _own_import(request, token))


@role_required(IMPORTERS)
@require_POST
def confirm(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    data_import = _own_import(request, token)
    try:
        chosen = {
            conflict["id"]
            for number, conflict in enumerate(data_import.conflicts)
            if request.POST.get(f"conflict-{number}") == TAKE_UPLOAD
        }
        import_confirm(user=request.user, data_import=data_import, today=timezone.localdate(), take_incoming=chosen)
    except ConfirmRefusedError as refused:
        data_import.refresh_from_db()
        return _report(request, data_import, refusal=str(refused), status=409)
    return redirect("import-report", token=data_import.token)


@role_required(IMPORTERS)
@require_POST
def abandon(request: HttpRequest, token: uuid.UUID) -> HttpResponse:
    import_abandon(user=request.user, data_import=_own_import(request, token))
    return redirect("imports")
