"""The annual report builder: choose a year, write and version the narrative, preview the report and
download it. The report is built by `build_report` and the registered formats, exactly as
`iroscope report` builds it, from the stored dataset and the saved narrative. Building is quick
enough (a few seconds for a whole authority) to do while the person waits
(docs/decisions/0009-report-builder.md)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from iroscope.data.dataset import collection_year_label
from iroscope.report.html import render_html
from iroscope.report.narrative import NarrativePart
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles
from iroscope.web.records.selectors import NoDatasetError, dataset_from_database
from iroscope.web.reports import selectors, services
from iroscope.web.reports.forms import NarrativeForm, YearForm, part_slug

# Managers write the report and analysts prepare its figures: both build it and edit its narrative.
# IROs and business support may read it as it stands. Administrators manage accounts only.
REPORT_EDITORS = frozenset({Role.MANAGER, Role.ANALYST})
REPORT_READERS = REPORT_EDITORS | {Role.IRO, Role.BUSINESS_SUPPORT}


def _stored_years() -> list[int]:
    try:
        # No tables: the years are all the page needs, and they come with the dataset's description.
        return selectors.report_years(dataset_from_database(tables=()))
    except NoDatasetError:
        return []


def _year_or_404(year: int) -> None:
    if year not in _stored_years():
        raise Http404("No data is held for that year")


def _part_or_404(part_id: str) -> NarrativePart:
    part = selectors.PARTS.get(part_id)
    if part is None:
        raise Http404("The report has no such part")
    return part


def _can_edit(request: HttpRequest) -> bool:
    return bool(user_roles(user=request.user) & REPORT_EDITORS)


@role_required(REPORT_READERS)
def report_years_page(request: HttpRequest) -> HttpResponse:
    years = _stored_years()
    form = YearForm(request.GET or None, years=years)
    if form.is_bound and form.is_valid():
        return redirect("report-builder", year=form.cleaned_data["year"])
    if not form.is_bound and years:
        form = YearForm(None, years=years)
        form.initial = {"year": years[0]}
    return render(request, "reports/years.html", {"form": form, "years": years}, status=400 if form.errors else 200)


def _builder(
    request: HttpRequest, year: int, *, bound: NarrativeForm | None = None, stale: Any = None, status: int = 200
) -> HttpResponse:
    latest = selectors.narrative_latest(year=year)
    sections = []
    for part in selectors.PARTS.values():
        version = latest.get(part.id)
        if bound is not None and bound.part.id == part.id:
            form = bound
        else:
            form = NarrativeForm(
                part=part,
                initial={"text": version.text if version else "", "based_on": version.number if version else 0},
            )
        sections.append({"part": part, "slug": part_slug(part.id), "latest": version, "form": form})
    context = {
        "year": year,
        "label": collection_year_label(year),
        "sections": sections,
        "can_edit": _can_edit(request),
        "bound": bound,
        "stale": stale,
    }
    return render(request, "reports/builder.html", context, status=status)


@role_required(REPORT_READERS)
def report_builder(request: HttpRequest, year: int) -> HttpResponse:
    _year_or_404(year)
    return _builder(request, year)


@require_POST
@role_required(REPORT_EDITORS)
def narrative_save_page(request: HttpRequest, year: int, part_id: str) -> HttpResponse:
    _year_or_404(year)
    part = _part_or_404(part_id)
    form = NarrativeForm(request.POST, part=part)
    if not form.is_valid():
        return _builder(request, year, bound=form, status=400)
    try:
        version = services.narrative_save(
            year=year,
            part=part.id,
            text=form.cleaned_data["text"],
            based_on=form.cleaned_data["based_on"],
            user=request.user,
        )
    except services.StaleNarrativeError as error:
        # Keep the person's text; base the form on the latest version, so saving again is a choice
        # made after seeing it.
        data = request.POST.copy()
        data[f"{form.prefix}-based_on"] = str(error.latest.number if error.latest else 0)
        refused = NarrativeForm(data, part=part)
        refused.is_valid()
        refused.add_error(None, str(error))
        return _builder(request, year, bound=refused, stale=error.latest, status=409)
    messages.success(request, f"{part.title} saved as version {version.number}.")
    return redirect(reverse("report-builder", kwargs={"year": year}) + f"#{part_slug(part.id)}")


@role_required(REPORT_READERS)
def narrative_history_page(request: HttpRequest, year: int, part_id: str) -> HttpResponse:
    _year_or_404(year)
    part = _part_or_404(part_id)
    context = {
        "year": year,
        "label": collection_year_label(year),
        "part": part,
        "slug": part_slug(part.id),
        "versions": selectors.narrative_history(year=year, part=part.id),
    }
    return render(request, "reports/history.html", context)


@role_required(REPORT_READERS)
def narrative_version_page(request: HttpRequest, year: int, part_id: str, number: int) -> HttpResponse:
    _year_or_404(year)
    part = _part_or_404(part_id)
    version = selectors.narrative_version(year=year, part=part.id, number=number)
    if version is None:
        raise Http404("No such version")
    latest = selectors.narrative_counts(year=year).get(part.id, 0)
    context = {
        "year": year,
        "label": collection_year_label(year),
        "part": part,
        "version": version,
        "is_latest": version.number == latest,
        "can_edit": _can_edit(request),
    }
    return render(request, "reports/version.html", context)


@require_POST
@role_required(REPORT_EDITORS)
def narrative_restore_page(request: HttpRequest, year: int, part_id: str, number: int) -> HttpResponse:
    _year_or_404(year)
    part = _part_or_404(part_id)
    if selectors.narrative_version(year=year, part=part.id, number=number) is None:
        raise Http404("No such version")
    version = services.narrative_restore(year=year, part=part.id, number=number, user=request.user)
    messages.success(request, f"{part.title}: version {number} restored as version {version.number}.")
    return redirect(reverse("report-builder", kwargs={"year": year}) + f"#{part_slug(part.id)}")


# The preview and downloads for publishing hide small numbers exactly as `iroscope report
# --suppress-small-numbers` does; without the parameter they show every count, for internal use.
SMALL_NUMBERS = "small_numbers"
HIDDEN = "hidden"


def _suppress(request: HttpRequest) -> bool:
    return request.GET.get(SMALL_NUMBERS) == HIDDEN


def _report(year: int, *, suppress: bool = False) -> Any:
    _year_or_404(year)
    return selectors.report_for_year(dataset=dataset_from_database(), year=year, suppress=suppress)


def _inline_script_hashes(html: str) -> list[str]:
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'" for script in scripts]


@role_required(REPORT_READERS)
def report_preview(request: HttpRequest, year: int) -> HttpResponse:
    """The report's own self-contained page. Its stylesheet and its charts' styles are inline, so this
    response alone allows inline styles; its one script (opening the data tables for printing) is
    allowed by its hash. Every other page keeps the workspace's policy."""
    html = render_html(_report(year, suppress=_suppress(request)))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response._csp_replace = {  # type: ignore[attr-defined]  # django-csp reads this, as its decorators set it
        "style-src": [SELF, UNSAFE_INLINE],
        "script-src": [SELF, *_inline_script_hashes(html)],
    }
    return response


@role_required(REPORT_READERS)
def report_download(request: HttpRequest, year: int, format_name: str) -> HttpResponse:
    if format_name not in selectors.DOWNLOADS:
        raise Http404("The report can be downloaded as PDF or Word")
    file = selectors.report_file(report=_report(year, suppress=_suppress(request)), year=year, format_name=format_name)
    response = HttpResponse(file.content, content_type=file.media_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response
