"""The report builder's key messages and targets: the manager's words under each key-message heading,
added after the message worked out from the figures or replacing it, and the service's own targets
written one to a line, shown in the preview and the downloads as `iroscope report --narrative` shows
them for the same narrative file.

The hand-made authority (tests/web/conftest.py) holds one year, 2024-25, with four reviews held, every
child aged 12 and every review coded PN1: the participation message reads "All 4 reviews of children
aged 4 or over involved the child." and the participation rate is 4 of 4, 100%.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from docx import Document

from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.formats import write_report
from iroscope.report.narrative import parse_narrative, read_target_lines
from iroscope.web.reports.models import NarrativeVersion
from iroscope.web.reports.services import NarrativeEdit, narratives_save

PARTICIPATION = "All 4 reviews of children aged 4 or over involved the child."
MINE = "Children told us they want shorter meetings held at school."
BUILDER = "/reports/2024/"
SAVE = "/reports/2024/narrative/key_messages.participation/"


def _word_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _key_participation(page: str) -> str:
    """The HTML of the key messages' participation heading, up to the next heading."""
    start = page.index('id="key_participation"')
    return page[start : page.index("</section>", start)]


def _participation(text: str, *, replace: str, based_on: int = 0, replace_based_on: int = 0) -> dict[str, str]:
    return {
        "key-messages-participation-text": text,
        "key-messages-participation-based_on": str(based_on),
        "key-messages-participation-replace-text": replace,
        "key-messages-participation-replace-based_on": str(replace_based_on),
    }


def test_each_key_message_box_shows_what_the_figures_say_under_its_heading_today(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["manager"].get(BUILDER).content.decode()
    hint = re.search(r'id="id_key-messages-participation-text-hint" class="govuk-hint">(.*?)</div>', page, re.S)
    assert hint and f"“{PARTICIPATION}”" in hint.group(1)
    assert 'name="key-messages-participation-replace-text" type="radio" value="yes"' in page
    assert 'name="key-messages-participation-replace-text" type="radio" value="no" checked' in page
    assert "Replace the computed message with mine?</legend>" in page
    # Readers see it too, beside the manager's words, without a box.
    reader = signed_in["business_support"].get(BUILDER).content.decode()
    assert f"“{PARTICIPATION}”" in reader and "<textarea" not in reader


@pytest.mark.usefixtures("each_database")
def test_a_saved_key_message_follows_the_computed_one_in_the_preview_and_the_word_file(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    saved = signed_in["manager"].post(SAVE, _participation(MINE, replace="no"), follow=True)
    assert "Key messages: Participation of children and young people saved as version 1." in saved.content.decode()
    # "No" is stored as nothing, as a page never changed would leave it: no version is saved for it.
    assert list(NarrativeVersion.objects.values_list("part", "number", "text")) == [
        ("key_messages.participation", 1, MINE)
    ]
    key_participation = _key_participation(signed_in["manager"].get("/reports/2024/preview/").content.decode())
    assert key_participation.index(PARTICIPATION) < key_participation.index(MINE)
    word = _word_text(signed_in["analyst"].get("/reports/2024/download/docx/").content)
    assert MINE in word


@pytest.mark.usefixtures("each_database")
def test_replacing_the_computed_message_leaves_only_the_managers_words_under_the_heading(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in["manager"].post(SAVE, _participation(MINE, replace="yes")).status_code == 302
    assert NarrativeVersion.objects.get(part="key_messages.participation.replace").text == "yes"
    page = signed_in["manager"].get("/reports/2024/preview/").content.decode()
    key_participation = _key_participation(page)
    assert MINE in key_participation and PARTICIPATION not in key_participation
    assert PARTICIPATION in page  # the participation section itself still says it
    builder = signed_in["manager"].get(BUILDER).content.decode()
    assert 'name="key-messages-participation-replace-text" type="radio" value="yes" checked' in builder
    word = _word_text(signed_in["analyst"].get("/reports/2024/download/docx/").content)
    assert MINE in word


@pytest.mark.usefixtures("each_database")
def test_replacing_the_computed_message_with_nothing_is_refused_and_keeps_the_choice(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    refused = signed_in["manager"].post(SAVE, _participation("  ", replace="yes"))
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        '<a href="#id_key-messages-participation-replace-text_0">Write your key message for participation of '
        "children and young people, or choose to keep the computed message" in page
    )
    assert 'type="radio" value="yes" checked' in page
    assert NarrativeVersion.objects.count() == 0


TARGETS = "Children who took part in their review: at least 90\nreviews_held >= 10\n"


@pytest.mark.usefixtures("each_database")
def test_targets_written_one_to_a_line_are_shown_met_or_not_met_with_this_years_figure(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    sent = {"targets-text": TARGETS, "targets-based_on": "0"}
    assert signed_in["manager"].post("/reports/2024/narrative/targets/", sent).status_code == 302
    page = signed_in["manager"].get("/reports/2024/preview/").content.decode()
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page[page.index('id="targets"') :], re.S)[:3]
    ]
    assert rows == [
        ["Figure", "Target", "2024-25", "Met or not met"],
        ["Children who took part in their review", "at least 90%", "100.0% (4 of 4)", "Met"],
        ["Reviews held", "at least 10", "4", "Not met"],
    ]
    assert "The service set 2 targets for 2024-25 and met 1 of them." in page
    word = _word_text(signed_in["analyst"].get("/reports/2024/download/docx/").content)
    assert "Reviews held\nat least 10\n4\nNot met" in word


@pytest.mark.usefixtures("each_database")
def test_a_target_line_that_cannot_be_read_is_refused_by_its_number_and_every_box_keeps_its_text(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    sent = {
        "targets-text": "reviews_on_time >= 95\nreview_timelyness >= 90\nfaster records",
        "targets-based_on": "0",
        "foreword-text": "A foreword typed at the same time.",
        "foreword-based_on": "0",
        **_participation(MINE, replace="yes"),
    }
    refused = signed_in["manager"].post("/reports/2024/narrative/targets/", sent)
    page = refused.content.decode()
    assert refused.status_code == 400
    assert (
        '<a href="#id_targets-text">Line 2: there is no figure called &#x27;review_timelyness&#x27;. The figures '
        "you can name are listed below.</a>" in page
    )
    assert '<a href="#id_targets-text">Line 3: write the figure, then “at least” or “at most” and a number' in page
    assert ">reviews_on_time &gt;= 95\nreview_timelyness &gt;= 90\nfaster records</textarea>" in page
    assert ">A foreword typed at the same time.</textarea>" in page and f">{MINE}</textarea>" in page
    assert 'name="key-messages-participation-replace-text" type="radio" value="yes" checked' in page
    assert (
        '<td class="govuk-table__cell">Reviews held on time</td>'
        '<td class="govuk-table__cell"><code>reviews_on_time</code>' in page
    )
    assert NarrativeVersion.objects.count() == 0


@pytest.mark.usefixtures("each_database")
def test_key_messages_and_targets_keep_versions_and_refuse_a_stale_save_with_the_text_kept(
    authority: Dataset, signed_in: dict[str, Client], people: dict[str, User]
) -> None:
    manager, analyst = signed_in["manager"], signed_in["analyst"]
    assert manager.post(SAVE, _participation(MINE, replace="yes")).status_code == 302
    assert (
        manager.post(SAVE, _participation("Second words.", replace="yes", based_on=1, replace_based_on=1)).status_code
        == 302
    )
    assert list(NarrativeVersion.objects.filter(part="key_messages.participation").values_list("number", "text")) == [
        (2, "Second words."),
        (1, MINE),
    ]
    # The analyst opened the page before either save, wrote their own words and chose to replace too.
    refused = analyst.post(SAVE, _participation("Analyst's words.", replace="yes"))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert ">Analyst&#x27;s words.</textarea>" in page
    assert "The latest version, version 2, saved by manager" in page
    assert "The latest choice, version 1, saved by manager" in page and "replace the computed message." in page
    assert 'name="key-messages-participation-replace-text" type="radio" value="yes" checked' in page
    assert 'name="key-messages-participation-replace-based_on" value="1"' in page
    assert NarrativeVersion.objects.filter(part__startswith="key_messages.participation").count() == 3

    narratives_save(year=2024, edits=[NarrativeEdit("targets", "reviews_held >= 3", 0)], user=people["manager"])
    stale = analyst.post(
        "/reports/2024/narrative/targets/", {"targets-text": "reviews_held >= 9", "targets-based_on": "0"}
    )
    assert stale.status_code == 409 and ">reviews_held &gt;= 9</textarea>" in stale.content.decode()
    assert NarrativeVersion.objects.filter(part="targets").get().text == "reviews_held >= 3"
    history = manager.get("/reports/2024/narrative/key_messages.participation/versions/").content.decode()
    assert re.findall(r"Version (\d)(?: \(latest\))?</th>", history) == ["2", "1"]


NARRATIVE_FILE = f"""
key_messages:
  participation: "{MINE}"
  timeliness:
    text: "Timeliness words of our own."
    replace: true
targets:
  - figure: participation_rate
    target: 90
  - figure: reviews_held
    target: 10
"""


@pytest.mark.usefixtures("each_database")
def test_the_builders_key_messages_and_targets_give_the_report_iroscope_report_narrative_gives(
    authority: Dataset, signed_in: dict[str, Client], people: dict[str, User], tmp_path: Path
) -> None:
    edits = [
        NarrativeEdit("key_messages.participation", MINE, 0),
        NarrativeEdit("key_messages.timeliness", "Timeliness words of our own.", 0),
        NarrativeEdit("key_messages.timeliness.replace", "yes", 0),
        NarrativeEdit("targets", "Children who took part in their review: at least 90\nReviews held: at least 10", 0),
    ]
    narratives_save(year=2024, edits=edits, user=people["manager"])
    word = _word_text(signed_in["analyst"].get("/reports/2024/download/docx/").content)
    report = build_report(authority, 2024, narrative=parse_narrative(NARRATIVE_FILE))
    [written] = write_report(report, tmp_path, ["docx"])
    assert word == _word_text(written.read_bytes())
    assert "Timeliness words of our own." in word and "Met" in word


def test_target_lines_read_names_ids_and_signs_and_name_each_bad_line() -> None:
    lines = read_target_lines(
        "Reviews held on time: at least 95%\n\n  children per FULL-TIME iro:  at most 60\ncaseload_per_iro ≤ 1,000.5\n"
        "reviews_on_time = 95\n: at least 3"
    )
    assert [(t.figure, t.target, t.at_most) for t in lines.targets] == [
        ("reviews_on_time", 95.0, False),
        ("caseload_per_iro", 60.0, True),
        ("caseload_per_iro", 1000.5, True),
    ]
    assert [problem.split(":")[0] for problem in lines.problems] == ["Line 5", "Line 6"]
