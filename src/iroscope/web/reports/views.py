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
from iroscope.report.narrative import KEY_MESSAGE_HEADINGS, NarrativePart, key_message_part, replace_part
from iroscope.web.accounts.access import role_required
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import user_roles
from iroscope.web.records.selectors import NoDatasetError, dataset_from_database
from iroscope.web.reports import selectors, services
from iroscope.web.reports.forms import PartForm, ReplaceForm, YearForm, part_form, part_slug

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
    request: HttpRequest,
    year: int,
    *,
    bound: dict[str, PartForm] | None = None,
    stale: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The builder; `bound` holds the forms as sent (every part the page sent, so nothing typed is
    lost when the save is refused) and `stale` the latest version of each part saved meanwhile."""
    bound = bound or {}
    stale = stale or {}
    latest = selectors.narrative_latest(year=year)

    def entry(part: NarrativePart) -> dict[str, Any]:
        version = latest.get(part.id)
        form = bound.get(part.id) or part_form(
            part=part,
            initial={"text": version.text if version else "", "based_on": version.number if version else 0},
        )
        return {
            "part": part,
            "slug": part_slug(part.id),
            "latest": version,
            "form": form,
            "is_stale": part.id in stale,
            "stale": stale.get(part.id),
        }

    computed = selectors.key_messages_computed(dataset=dataset_from_database(), year=year)
    key_message_headings = {key_message_part(heading): heading for heading in KEY_MESSAGE_HEADINGS}
    sections = []
    for part in selectors.PARTS.values():
        if part.kind == "yes_no":
            continue  # shown with the key message it belongs to
        section = entry(part)
        heading = key_message_headings.get(part.id)
        if heading is not None:
            section["computed"] = computed[heading]
            section["replace"] = entry(selectors.PARTS[replace_part(heading)])
        sections.append(section)
    context = {
        "year": year,
        "label": collection_year_label(year),
        "sections": sections,
        "can_edit": _can_edit(request),
        "target_figures": selectors.target_figures(),
        "error_links": [link for form in bound.values() for link in form.error_links()],
    }
    return render(request, "reports/builder.html", context, status=status)


@role_required(REPORT_READERS)
def report_builder(request: HttpRequest, year: int) -> HttpResponse:
    _year_or_404(year)
    return _builder(request, year)


def _forms_sent(request: HttpRequest) -> dict[str, PartForm]:
    """A form for every part whose box the page sent: the builder is one form, so all of them."""
    forms = {}
    for part in selectors.PARTS.values():
        form = part_form(request.POST, part=part)
        if f"{form.prefix}-text" in request.POST:
            forms[part.id] = form
    return forms


def _replace_needs_words(forms: dict[str, PartForm]) -> None:
    """Replacing the computed message with nothing would leave its heading empty: ask for the words."""
    for heading, title in KEY_MESSAGE_HEADINGS.items():
        replace, words = forms.get(replace_part(heading)), forms.get(key_message_part(heading))
        if not (isinstance(replace, ReplaceForm) and words is not None and replace.is_valid() and words.is_valid()):
            continue
        if replace.cleaned_data["text"] and not words.cleaned_data["text"].strip():
            replace.add_error(
                "text",
                f"Write your key message for {title.lower()}, or choose to keep the computed message: "
                "replacing it with nothing would leave the heading empty",
            )


@require_POST
@role_required(REPORT_EDITORS)
def narrative_save_page(request: HttpRequest, year: int, part_id: str) -> HttpResponse:
    """Saves every section the person changed, whichever section's button they pressed; `part_id` is
    the section to return to."""
    _year_or_404(year)
    part = _part_or_404(part_id)
    forms = _forms_sent(request)
    _replace_needs_words(forms)
    if not all([form.is_valid() for form in forms.values()]):
        return _builder(request, year, bound=forms, status=400)
    edits = [
        services.NarrativeEdit(part=part_id, text=form.cleaned_data["text"], based_on=form.cleaned_data["based_on"])
        for part_id, form in forms.items()
    ]
    try:
        versions = services.narratives_save(year=year, edits=edits, user=request.user)
    except services.StaleNarrativesError as error:
        # Keep the person's text in every box; base each refused part on its latest version, so saving
        # again is a choice made after seeing it.
        data = request.POST.copy()
        for stale_part, latest in error.latest.items():
            data[f"{part_slug(stale_part)}-based_on"] = str(latest.number if latest else 0)
        refused = {sent_part: part_form(data, part=selectors.PARTS[sent_part]) for sent_part in forms}
        for sent_part, form in refused.items():
            form.is_valid()
            if sent_part in error.latest:
                form.add_error(None, str(error))
        return _builder(request, year, bound=refused, stale=error.latest, status=409)
    for version in versions:
        messages.success(request, f"{selectors.PARTS[version.part].title} saved as version {version.number}.")
    if not versions:
        messages.success(request, "Nothing had changed since the page was opened, so no new version was saved.")
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
