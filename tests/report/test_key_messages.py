"""The key messages that open the report: written from the figures the later sections show, under the
IRO Handbook's headings, naming the outliers, and replaced or extended by the service manager's words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.figures import ReportFigures
from iroscope.report.key_messages import STANDARD
from iroscope.report.model import Narrative, Paragraph, Report, Section
from iroscope.report.narrative import KEY_MESSAGE_HEADINGS, NarrativeError, parse_narrative
from iroscope.synth.generator import SynthConfig, generate

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def authority() -> Dataset:
    return generate(SynthConfig(children=150, years=2, seed=7), today=TODAY)


@pytest.fixture(scope="module")
def report(authority: Dataset) -> Report:
    return build_report(authority, max(authority.years), prepared=TODAY)


def key_messages(report: Report) -> Section:
    return next(section for section in report.sections if section.id == "key_messages")


def texts(section: Section) -> list[str]:
    return [block.text for block in section.blocks if isinstance(block, Paragraph | Narrative)]


def heading(report: Report, heading_id: str) -> list[str]:
    found = [sub for sub in key_messages(report).subsections if sub.id == f"key_{heading_id}"]
    return texts(found[0]) if found else []


def test_the_key_messages_follow_the_year_at_a_glance_under_the_handbooks_headings(report: Report) -> None:
    assert [section.id for section in report.sections[:3]] == ["summary", "key_messages", "introduction"]
    titles = [sub.title for sub in key_messages(report).subsections]
    assert titles == [title for title in KEY_MESSAGE_HEADINGS.values() if title in titles]
    for needed in (
        "Timeliness of reviews",
        "Issues for further development",
        "Resource issues that put the service at risk",
    ):
        assert needed in titles
    opening = texts(key_messages(report))[0]
    assert "Going well:" in opening and "The service is worried about:" in opening and "Needs resources:" in opening


def test_the_timeliness_message_is_the_sentence_the_timeliness_section_writes_from_the_same_figure(
    authority: Dataset, report: Report
) -> None:
    figures = ReportFigures(authority, max(authority.years))
    on_time = figures.figure("reviews_on_time")
    expected = f"{on_time.numerator:,} of the {on_time.denominator:,} reviews whose due date is known were held on time"
    assert any(text.startswith(expected) for text in heading(report, "timeliness"))


def test_last_years_timeliness_is_said_to_rest_on_the_reviews_that_could_be_dated(
    authority: Dataset, report: Report
) -> None:
    figures = ReportFigures(authority, max(authority.years))
    last_year = max(authority.years) - 1
    undated = figures.undated("reviews_on_time", last_year)
    dated = figures.figure("reviews_on_time", last_year).denominator or 0
    assert undated > 0  # the first data year cannot date most of its reviews
    change = next(text for text in heading(report, "timeliness") if text.startswith("The share"))
    assert f"rests on the {dated:,} of its {dated + undated:,} reviews that could be given a due date" in change


def test_caseloads_above_the_band_are_named_with_the_highest_and_by_how_much(authority: Dataset) -> None:
    tight = replace(authority, practice=replace(authority.practice, caseload_band=(10, 20)))
    report = build_report(tight, max(tight.years), prepared=TODAY)
    caseload = ReportFigures(tight, max(tight.years)).figure("caseload_per_iro")
    highest = float(caseload.details["max"] or 0)
    above = int(caseload.details["above_band"] or 0)
    assert above > 0
    message = next(text for text in heading(report, "resources") if "above the top of the range" in text)
    assert f"{above:,} IRO" in message and "more than 20 children for each full-time post" in message
    assert f"the highest caseload was {highest:,.1f} children per full-time post, {highest - 20:,.1f} above" in message
    assert "caseloads above the recommended range" in texts(key_messages(report))[0]


def test_audits_mostly_below_good_and_late_case_tracking_are_named_as_issues_with_their_counts(
    authority: Dataset, report: Report
) -> None:
    figures = ReportFigures(authority, max(authority.years))
    grades = figures.figure("audit_grades").breakdown or {}
    below = int(grades["Requires improvement"] + grades["Inadequate"])
    audits = int(figures.figure("audit_grades").value or 0)
    assert 100 * below / audits >= 25  # the synthetic authority's audits are mostly below good
    issues = heading(report, "further_development")
    assert any(text.startswith(f"{below:,} of the {audits:,} audits completed were graded") for text in issues)
    tracking = figures.figure("case_tracking_compliance")
    assert (tracking.value or 0) < STANDARD
    assert any(
        text.startswith(
            f"Case tracking on time: {tracking.value:.1f}% ({tracking.numerator:,} of {tracking.denominator:,})"
        )
        for text in issues
    )


def test_the_managers_words_extend_one_heading_and_replace_another(authority: Dataset, report: Report) -> None:
    narrative = parse_narrative(
        """
key_messages:
  timeliness: "Reviews slipped in the summer when two IROs were off sick."
  participation:
    text: "Children told us their reviews felt like theirs."
    replace: true
"""
    )
    written = build_report(authority, max(authority.years), narrative=narrative, prepared=TODAY)
    timeliness = heading(written, "timeliness")
    assert timeliness[:-1] == heading(report, "timeliness")  # the worked-out messages stay, first
    assert timeliness[-1] == "Reviews slipped in the summer when two IROs were off sick."
    assert heading(written, "participation") == ["Children told us their reviews felt like theirs."]


def test_a_target_the_service_set_decides_whether_a_rate_is_going_well(authority: Dataset) -> None:
    narrative = parse_narrative("targets:\n  - figure: initial_reviews\n    target: 100\n")
    written = build_report(authority, max(authority.years), narrative=narrative, prepared=TODAY)
    first = ReportFigures(authority, max(authority.years)).figure("initial_reviews")
    assert (first.value or 0) < 100
    assert any(
        text.startswith("First reviews on time:") and text.endswith("below the service's target of 100%.")
        for text in heading(written, "further_development")
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key_messages:\n  foreword: x\n", "key messages for unknown heading foreword"),
        ("key_messages:\n  timeliness:\n    text: x\n    replace: maybe\n", "'replace' should be true or false"),
        ("targets:\n  - figure: reviews_on_time\n", "target 1 needs a 'figure' and a 'target'"),
        ("targets:\n  - figure: reviews_on_time\n    target: high\n", "'target' should be a number"),
        ("targets:\n  - figure: on_time\n    target: 95\n", "target 1: there is no figure called 'on_time'"),
    ],
)
def test_a_narrative_with_unusable_key_messages_or_targets_is_refused_with_where_and_why(
    text: str, message: str
) -> None:
    with pytest.raises(NarrativeError, match=message):
        parse_narrative(text, source="narrative.yaml")


def test_in_the_first_data_year_the_timeliness_message_says_how_many_reviews_could_not_be_dated() -> None:
    first_year = generate(SynthConfig(children=60, years=1, seed=5), today=TODAY)
    report = build_report(first_year, max(first_year.years), prepared=TODAY)
    undated = ReportFigures(first_year, max(first_year.years)).undated("reviews_on_time")
    assert undated > 0
    assert any(
        text.startswith(f"A further {undated:,} review") and "could not be given a due date" in text
        for text in heading(report, "timeliness")
    )
