"""The annual report builder: who may use each page, the narrative's versions (save, save again,
restore, and a save from a stale page refused), and that the preview and the downloads are the
command line's report of the stored data with the saved narrative.

The hand-made authority (tests/web/conftest.py) holds one year, 2024-25: four reviews were held in
it (A on 20 May and 15 August 2024, C on 20 June 2024, D on 1 May 2024), every child aged 12 and
every review coded PN1, so the report's participation sentence reads "All 4 reviews of children aged 4 or
over involved the child."
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from docx import Document
from pypdf import PdfReader

from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.formats import write_report
from iroscope.report.narrative import narrative_from_parts
from iroscope.web.audit.models import AuditEvent
from iroscope.web.reports.models import NarrativeVersion
from iroscope.web.reports.services import NarrativeEdit, StaleNarrativesError, narratives_save
from tests.report.agreement import read_docx, read_html
from tests.report.attack import attack
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

FOREWORD = "This year the service welcomed two new IROs and cleared its backlog of records."
SECOND = "A second draft: the service welcomed two new IROs."
TIMELINESS = "Reviews slipped in the summer when two IROs were on leave."
PARTICIPATION = "All 4 reviews of children aged 4 or over involved the child."

SAVE_FOREWORD = {"foreword-text": SECOND, "foreword-based_on": "1"}
URLS: dict[str, tuple[str, str, dict[str, str] | None]] = {
    "reports": ("get", "/reports/", None),
    "report-builder": ("get", "/reports/2024/", None),
    "report-preview": ("get", "/reports/2024/preview/", None),
    "report-download": ("get", "/reports/2024/download/pdf/", None),
    "narrative-save": ("post", "/reports/2024/narrative/foreword/", SAVE_FOREWORD),
    "narrative-history": ("get", "/reports/2024/narrative/foreword/versions/", None),
    "narrative-version": ("get", "/reports/2024/narrative/foreword/versions/1/", None),
    "narrative-restore": ("post", "/reports/2024/narrative/foreword/versions/1/restore/", {}),
}
EDITORS = {"manager", "analyst"}
READERS = EDITORS | {"allocated_iro", "colleague_iro", "business_support"}
WRITES = {"narrative-save", "narrative-restore"}


def _expected(person: str, url_name: str) -> int | str:
    if person == "anonymous":
        return SIGN_IN
    if url_name in WRITES:
        return 302 if person in EDITORS else DENY
    return ALLOW if person in READERS else DENY


PEOPLE = [*sorted(READERS), "administrator", "no_role", "anonymous"]


def _saved(part: str, text: str, user: User) -> NarrativeVersion:
    """A part's first version, saved by `user` from a page that showed none."""
    [version] = narratives_save(year=2024, edits=[NarrativeEdit(part=part, text=text, based_on=0)], user=user)
    return version


@pytest.fixture
def first_foreword(authority: Dataset, people: dict[str, User]) -> NarrativeVersion:
    return _saved("foreword", FOREWORD, people["manager"])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("url_name", list(URLS))
def test_each_person_is_allowed_or_refused_each_report_page(
    person: str, url_name: str, first_foreword: NarrativeVersion, signed_in: dict[str, Client]
) -> None:
    client = client_for(person, signed_in)
    method, path, data = URLS[url_name]
    response = client.post(path, data) if method == "post" else client.get(path)
    expected = _expected(person, url_name)
    if expected == 302:
        assert response.status_code == 302 and response["Location"] == "/reports/2024/#foreword"
    else:
        assert_allowed_or_refused(response, expected)


def test_a_year_not_held_in_the_data_is_not_found(
    first_foreword: NarrativeVersion, signed_in: dict[str, Client]
) -> None:
    assert signed_in["manager"].get("/reports/2023/").status_code == 404
    assert signed_in["manager"].get("/reports/2024/narrative/no_such_part/versions/").status_code == 404
    assert signed_in["manager"].get("/reports/2024/download/html/").status_code == 404


def test_choosing_a_year_opens_its_builder(authority: Dataset, signed_in: dict[str, Client]) -> None:
    page = signed_in["manager"].get("/reports/").content.decode()
    assert "2024-25 (1 April 2024 to 31 March 2025)" in page
    response = signed_in["manager"].get("/reports/?year=2024")
    assert response.status_code == 302 and response["Location"] == "/reports/2024/"
    refused = signed_in["manager"].get("/reports/?year=2019")
    assert refused.status_code == 400 and "Choose one of the years held in the data" in refused.content.decode()


def test_the_builder_gives_each_part_a_textarea_with_its_prompt_as_hint(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/reports/2024/").content.decode()
    assert page.count('<textarea class="govuk-textarea"') == 25  # 7 parts, 7 key messages, targets, 10 commentaries
    hint = re.search(r'id="id_commentary-timeliness-text-hint" class="govuk-hint">([^<]*)<', page)
    assert hint and hint.group(1) == "Why reviews were late, and what was done about it."
    assert 'aria-describedby="id_commentary-timeliness-text-hint"' in page


def test_readers_see_the_narrative_without_boxes(
    first_foreword: NarrativeVersion, signed_in: dict[str, Client]
) -> None:
    page = signed_in["business_support"].get("/reports/2024/").content.decode()
    assert "<textarea" not in page and FOREWORD in page and "Restore" not in page
    version = signed_in["allocated_iro"].get("/reports/2024/narrative/foreword/versions/1/").content.decode()
    assert FOREWORD in version and "Restore version" not in version


# -- saving, on SQLite and PostgreSQL -------------------------------------------------------------


def _save(client: Client, part_slug: str, part_id: str, text: str, based_on: int) -> object:
    return client.post(
        f"/reports/2024/narrative/{part_id}/", {f"{part_slug}-text": text, f"{part_slug}-based_on": str(based_on)}
    )


@pytest.mark.usefixtures("each_database")
def test_each_save_is_a_new_version_and_restoring_version_1_saves_it_as_version_3(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    first = _save(manager, "foreword", "foreword", FOREWORD, 0)
    assert first.status_code == 302  # type: ignore[attr-defined]
    second = manager.post(
        "/reports/2024/narrative/foreword/", {"foreword-text": SECOND, "foreword-based_on": "1"}, follow=True
    )
    page = second.content.decode()
    assert "Foreword saved as version 2." in page
    assert "Version 2, saved by manager on" in page
    assert f">{SECOND}</textarea>" in page

    history = manager.get("/reports/2024/narrative/foreword/versions/").content.decode()
    assert re.findall(r"Version (\d)(?: \(latest\))?</th>", history) == ["2", "1"]
    assert FOREWORD in manager.get("/reports/2024/narrative/foreword/versions/1/").content.decode()

    restored = manager.post("/reports/2024/narrative/foreword/versions/1/restore/", follow=True).content.decode()
    assert "Foreword: version 1 restored as version 3." in restored
    assert f">{FOREWORD}</textarea>" in restored
    assert "Version 3, saved by manager on" in restored and "(version 1 restored)" in restored
    assert list(NarrativeVersion.objects.filter(part="foreword").values_list("number", "text")) == [
        (3, FOREWORD),
        (2, SECOND),
        (1, FOREWORD),
    ]
    events = list(AuditEvent.objects.filter(table="report_narrative_version").order_by("id"))
    assert [(e.before and e.before["version"], e.after and e.after["version"]) for e in events] == [
        (None, 1),
        (1, 2),
        (2, 3),
    ]
    assert events[1].before == {"year": 2024, "part": "foreword", "version": 1, "text": FOREWORD}
    assert events[1].after == {"year": 2024, "part": "foreword", "version": 2, "text": SECOND}
    assert events[2].username == "manager"


@pytest.mark.usefixtures("each_database")
def test_a_save_from_a_stale_page_is_refused_and_keeps_the_text_in_the_box(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    # Both opened the page when nothing was saved (version 0); the manager saves first.
    assert _save(signed_in["manager"], "foreword", "foreword", FOREWORD, 0).status_code == 302  # type: ignore[attr-defined]
    refused = _save(signed_in["analyst"], "foreword", "foreword", SECOND, 0)
    page = refused.content.decode()  # type: ignore[attr-defined]
    assert refused.status_code == 409  # type: ignore[attr-defined]
    assert "Someone else saved this section after you opened the page. Your text has not been saved" in page
    assert '<a href="#id_foreword-text">' in page  # the error summary links to the box
    assert f">{SECOND}</textarea>" in page
    assert "The latest version, version 1, saved by manager" in page and FOREWORD in page
    assert 'name="foreword-based_on" value="1"' in page  # saving again is now a choice made after seeing it
    assert list(NarrativeVersion.objects.values_list("number", "text")) == [(1, FOREWORD)]


@pytest.mark.usefixtures("each_database")
def test_text_typed_in_two_sections_is_kept_when_one_save_button_is_pressed(
    first_foreword: NarrativeVersion, signed_in: dict[str, Client]
) -> None:
    # The page sends every box (one form); the button pressed is the timeliness section's. The
    # foreword and the priorities were changed too; the participation section was left as shown.
    sent = {
        "foreword-text": SECOND,
        "foreword-based_on": "1",
        "commentary-timeliness-text": TIMELINESS,
        "commentary-timeliness-based_on": "0",
        "priorities-text": "Cut the wait for records.",
        "priorities-based_on": "0",
        "commentary-participation-text": "",
        "commentary-participation-based_on": "0",
    }
    response = signed_in["manager"].post("/reports/2024/narrative/commentary.timeliness/", sent, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [("/reports/2024/#commentary-timeliness", 302)]
    assert "Foreword saved as version 2." in page and "saved as version 1." in page
    assert f">{SECOND}</textarea>" in page and f">{TIMELINESS}</textarea>" in page
    assert sorted(NarrativeVersion.objects.values_list("part", "number", "text")) == [
        ("commentary.timeliness", 1, TIMELINESS),
        ("foreword", 1, FOREWORD),
        ("foreword", 2, SECOND),
        ("priorities", 1, "Cut the wait for records."),
    ]


@pytest.mark.usefixtures("each_database")
def test_a_section_left_as_shown_is_not_saved_over_a_colleagues_later_save(
    first_foreword: NarrativeVersion, signed_in: dict[str, Client]
) -> None:
    # The analyst's page showed the foreword before the manager saved version 2; the analyst changed
    # only the timeliness commentary, so their save keeps the manager's foreword.
    signed_in["manager"].post("/reports/2024/narrative/foreword/", {"foreword-text": SECOND, "foreword-based_on": "1"})
    sent = {
        "foreword-text": FOREWORD,
        "foreword-based_on": "1",
        "commentary-timeliness-text": TIMELINESS,
        "commentary-timeliness-based_on": "0",
    }
    assert signed_in["analyst"].post("/reports/2024/narrative/foreword/", sent).status_code == 302
    assert NarrativeVersion.objects.filter(part="foreword").order_by("-number").first().text == SECOND  # type: ignore[union-attr]
    assert NarrativeVersion.objects.filter(part="commentary.timeliness").count() == 1


@pytest.mark.usefixtures("each_database")
def test_a_stale_section_refuses_the_whole_save_and_keeps_every_box_as_typed(
    first_foreword: NarrativeVersion, signed_in: dict[str, Client]
) -> None:
    sent = {
        "foreword-text": SECOND,
        "foreword-based_on": "0",  # the page was opened before version 1
        "commentary-timeliness-text": TIMELINESS,
        "commentary-timeliness-based_on": "0",
    }
    refused = signed_in["analyst"].post("/reports/2024/narrative/commentary.timeliness/", sent)
    page = refused.content.decode()
    assert refused.status_code == 409
    assert f">{SECOND}</textarea>" in page and f">{TIMELINESS}</textarea>" in page
    assert '<a href="#id_foreword-text">Someone else saved this section' in page
    assert 'href="#id_commentary-timeliness-text"' not in page
    assert list(NarrativeVersion.objects.values_list("part", "number")) == [("foreword", 1)]


def test_the_builder_is_one_form_whose_every_button_saves_all_sections(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/reports/2024/").content.decode()
    assert page.count('<form method="post" action="/reports/2024/narrative/') == 1
    assert page.count('formaction="/reports/2024/narrative/') == 25
    assert "data-iroscope-unsaved-warning" in page


@pytest.mark.usefixtures("each_database")
def test_the_service_refuses_a_stale_save_and_changes_nothing(authority: Dataset, people: dict[str, User]) -> None:
    _saved("priorities", "One", people["manager"])
    with pytest.raises(StaleNarrativesError) as refused:
        _saved("priorities", "Two", people["analyst"])
    latest = refused.value.latest["priorities"]
    assert latest is not None and latest.text == "One"
    assert NarrativeVersion.objects.count() == 1


# -- the report itself ----------------------------------------------------------------------------


@pytest.fixture
def narrative(authority: Dataset, people: dict[str, User]) -> dict[str, str]:
    texts = {"foreword": FOREWORD, "commentary.timeliness": TIMELINESS}
    for part, text in texts.items():
        _saved(part, text, people["manager"])
    return texts


@pytest.mark.usefixtures("each_database")
def test_the_preview_is_the_report_with_the_saved_narrative_and_the_stored_figures(
    narrative: dict[str, str], signed_in: dict[str, Client]
) -> None:
    response = signed_in["business_support"].get("/reports/2024/preview/")
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>") and "<title>Independent Reviewing Officer service annual report" in page
    assert FOREWORD in page and TIMELINESS in page
    assert PARTICIPATION in page


def test_only_the_preview_may_use_inline_styles_and_its_own_script(
    narrative: dict[str, str], signed_in: dict[str, Client]
) -> None:
    preview = signed_in["manager"].get("/reports/2024/preview/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in preview.split(";"))
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert re.fullmatch(r"'self' 'sha256-[A-Za-z0-9+/]+=*'", directives["script-src"])
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    builder = signed_in["manager"].get("/reports/2024/")["Content-Security-Policy"]
    assert "unsafe-inline" not in builder and "'nonce-" in builder


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _word_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


@pytest.mark.usefixtures("each_database")
def test_the_downloads_are_what_iroscope_report_writes_for_the_same_data_and_narrative(
    narrative: dict[str, str], signed_in: dict[str, Client], tmp_path: Path, authority: Dataset
) -> None:
    pdf = signed_in["analyst"].get("/reports/2024/download/pdf/")
    word = signed_in["allocated_iro"].get("/reports/2024/download/docx/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="iro-annual-report-2024-25.pdf"'
    assert word["Content-Disposition"] == 'attachment; filename="iro-annual-report-2024-25.docx"'
    pdf_text, word_text = _pdf_text(pdf.content), _word_text(word.content)
    assert "welcomed two new IROs" in " ".join(pdf_text.split()) and FOREWORD in word_text
    assert TIMELINESS in word_text and PARTICIPATION in word_text

    # The command line's report for the same dataset and narrative, written by write_report.
    report = build_report(authority, 2024, narrative=narrative_from_parts(narrative))
    written = {path.suffix: path.read_bytes() for path in write_report(report, tmp_path, ["pdf", "docx"])}
    assert pdf_text == _pdf_text(written[".pdf"])
    assert word_text == _word_text(written[".docx"])


def test_the_parts_of_the_narrative_read_as_the_narrative_file_would() -> None:
    content = narrative_from_parts(
        {
            "authority": "  Anytown  Council ",
            "practice_examples": "Keeping brothers together\nThe IRO asked for a joint placement.\n\nA return home",
            "childrens_words": "My IRO listened.\n\nShe came to see me\nat school.",
            "progress": "Faster records\nMost records now go out within 20 working days.",
            "priorities": "Visit every child before review\n\nFewer late reviews\n",
            "commentary.timeliness": TIMELINESS,
        }
    )
    assert content.authority == "Anytown Council" and content.prepared_by is None and content.foreword == ""
    assert [(e.title, e.text) for e in content.practice_examples] == [
        ("Keeping brothers together", "The IRO asked for a joint placement."),
        ("", "A return home"),
    ]
    assert content.childrens_words == ("My IRO listened.", "She came to see me at school.")
    assert [(p.priority, p.progress) for p in content.progress] == [
        ("Faster records", "Most records now go out within 20 working days.")
    ]
    assert content.priorities == ("Visit every child before review", "Fewer late reviews")
    assert content.commentary == {"timeliness": TIMELINESS}


# -- the report to publish hides small numbers, as --suppress-small-numbers does ------------------


@pytest.mark.usefixtures("each_database")
def test_the_report_to_publish_gives_away_no_small_count_in_its_preview_or_downloads(
    narrative: dict[str, str], signed_in: dict[str, Client], tmp_path: Path, authority: Dataset
) -> None:
    # Every count in the hand-made authority is small: with every count shown, the attack finds them.
    internal = signed_in["manager"].get("/reports/2024/preview/").content.decode()
    assert PARTICIPATION in internal and attack(read_html(internal), internal)

    page = signed_in["manager"].get("/reports/2024/preview/?small_numbers=hidden").content.decode()
    assert PARTICIPATION not in page and "fewer than 5" in page
    assert attack(read_html(page), page) == []
    word = signed_in["analyst"].get("/reports/2024/download/docx/?small_numbers=hidden")
    assert word["Content-Disposition"] == 'attachment; filename="iro-annual-report-2024-25.docx"'
    assert attack(read_docx(word.content)) == []
    pdf = signed_in["analyst"].get("/reports/2024/download/pdf/?small_numbers=hidden")

    # The same report as `iroscope report --suppress-small-numbers` writes for the same data and narrative.
    report = build_report(authority, 2024, narrative=narrative_from_parts(narrative), suppress=True)
    written = {path.suffix: path.read_bytes() for path in write_report(report, tmp_path, ["pdf", "docx"])}
    assert _pdf_text(pdf.content) == _pdf_text(written[".pdf"])
    assert _word_text(word.content) == _word_text(written[".docx"])


def test_the_builder_offers_the_report_to_publish_and_the_internal_one(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get("/reports/2024/").content.decode()
    assert 'href="/reports/2024/download/pdf/?small_numbers=hidden">Download the report to publish as PDF' in page
    assert 'href="/reports/2024/download/pdf/">Download the report with every count as PDF' in page
