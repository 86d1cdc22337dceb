"""The parts the seed reports have that this report lacked, each inside the section it belongs to and
written from a registered figure: reviews stood down and why, why late reviews were late, the year
quarter by quarter, staff continuity, brothers and sisters, audits, feedback and targets; and every
year resting on part of its reviews marked where a breakdown shows it."""

from __future__ import annotations

import datetime as dt

import pytest

from iroscope.data.dataset import Dataset
from iroscope.report.build import build_report
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Report, Section, Table
from iroscope.report.narrative import NarrativeContent, parse_narrative
from iroscope.report.subsections import SUBSECTIONS, subsection, with_subsections
from iroscope.synth.generator import SynthConfig, generate

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def authority() -> Dataset:
    return generate(SynthConfig(children=150, years=2, seed=7), today=TODAY)


@pytest.fixture(scope="module")
def figures(authority: Dataset) -> ReportFigures:
    return ReportFigures(authority, max(authority.years))


@pytest.fixture(scope="module")
def report(authority: Dataset) -> Report:
    narrative = parse_narrative(
        "targets:\n  - figure: reviews_on_time\n    target: 100\n"
        "  - figure: caseload_per_iro\n    target: 200\n    at_most: true\n"
    )
    return build_report(authority, max(authority.years), narrative=narrative, prepared=TODAY)


def part(report: Report, part_id: str) -> tuple[Section, Section]:
    """The subsection `part_id` and the section it sits in."""
    for section in report.sections:
        for sub in section.subsections:
            if sub.id == part_id:
                return section, sub
    raise AssertionError(f"no subsection {part_id}")


def tables(section: Section) -> dict[str, Table]:
    return {block.caption: block for block in section.blocks if isinstance(block, Table)}


@pytest.mark.parametrize(
    ("part_id", "parent"),
    [
        ("stood_down", "timeliness"),
        ("non_attendance", "participation"),
        ("chairing_and_families", "participation"),
        ("late_reasons_recorded", "timeliness"),
        ("quarters", "timeliness"),
        ("continuity", "service"),
        ("siblings", "service"),
        ("audit_findings", "quality"),
        ("feedback", "quality"),
        ("targets", "progress"),
    ],
)
def test_each_part_the_seeds_have_sits_in_its_section(report: Report, part_id: str, parent: str) -> None:
    section, _sub = part(report, part_id)
    assert section.id == parent


def test_reviews_stood_down_are_shown_by_reason_with_the_figure_the_adjourned_count_gives(
    report: Report, figures: ReportFigures
) -> None:
    _, sub = part(report, "stood_down")
    table = tables(sub)["Why review meetings were stood down"]
    stood_down = figures.figure("reviews_adjourned").details["stood_down"]
    assert table.rows[-1] == ("Total", *(f"{figures.figure('reviews_stood_down', y).value:,}" for y in figures.years))
    assert table.rows[-1][-1] == f"{stood_down:,}"


def test_a_year_whose_reviews_cannot_all_be_dated_is_marked_on_each_breakdown_of_late_reviews(
    report: Report, figures: ReportFigures
) -> None:
    first = min(figures.years)
    undated = figures.undated("reviews_on_time", first)
    dated = figures.figure("reviews_on_time", first).denominator or 0
    mark = f"{figures.label(first)} ({dated:,} of {dated + undated:,} reviews dated)"
    timeliness = next(section for section in report.sections if section.id == "timeliness")
    _, late = part(report, "late_reasons_recorded")
    assert tables(timeliness)["How late the late reviews were"].columns[1] == mark
    assert tables(late)["Late reviews by the reason recorded"].columns[1] == mark
    assert tables(late)["Late reviews by the reason recorded"].columns[2] == figures.label(figures.year)


def test_the_quarters_add_up_to_the_year_and_each_quarters_rate_is_its_own_counts(
    report: Report, figures: ReportFigures
) -> None:
    _, sub = part(report, "quarters")
    reviews = tables(sub)[f"Reviews by quarter, {figures.label(figures.year)}"]
    assert [row[0] for row in reviews.rows][-1] == "Whole year" and len(reviews.rows) == 5
    assert reviews.columns == ("Quarter", "Reviews held", "Held on time", "Involved the child (aged 4 or over)")
    held = [int(row[1].replace(",", "")) for row in reviews.rows]
    assert sum(held[:4]) == held[4] == figures.figure("reviews_held").value
    year = figures.figure("reviews_on_time")
    assert reviews.rows[-1][2] == f"{year.value:.1f}% ({year.numerator:,} of {year.denominator:,})"


def test_the_feedback_sheet_is_collated_by_who_gave_it_with_a_total_of_the_rows(
    report: Report, figures: ReportFigures
) -> None:
    _, sub = part(report, "feedback")
    table = tables(sub)[f"Feedback on the IRO service, {figures.label(figures.year)}"]
    given = figures.figure("feedback_received")
    assert given.value and given.value > 0
    rows, total = table.rows[:-1], table.rows[-1]
    assert {row[0] for row in rows} <= {"Child or young person", "Parent", "Carer", "Professional"}
    assert total[0] == "Total" and total[1] == f"{given.value:,}"
    assert sum(int(row[1]) for row in rows) == given.value


def test_staff_continuity_names_joiners_leavers_and_the_iros_each_child_has_had(
    report: Report, figures: ReportFigures
) -> None:
    _, sub = part(report, "continuity")
    text = next(block.text for block in sub.blocks if isinstance(block, Paragraph))
    joined = figures.figure("iro_starters").value
    assert f"{joined} IRO" in text and "joined the service" in text
    by_iros = tables(sub)["Children in care at the year end by how many IROs they have had"]
    assert by_iros.rows[-1][-1] == f"{figures.figure('cic_at_period_end').value:,}"


def test_targets_are_shown_met_or_not_met_against_this_years_figure(report: Report, figures: ReportFigures) -> None:
    _, sub = part(report, "targets")
    rows = {row[0]: row for row in next(iter(tables(sub).values())).rows}
    on_time = figures.figure("reviews_on_time")
    assert rows["Reviews held on time"][1:] == (
        "at least 100%",
        f"{on_time.value:.1f}% ({on_time.numerator:,} of {on_time.denominator:,})",
        "Not met",
    )
    assert rows["Children per full-time IRO"][1] == "at most 200" and rows["Children per full-time IRO"][3] == "Met"


def test_a_report_without_targets_has_no_empty_targets_heading(authority: Dataset) -> None:
    plain = build_report(authority, max(authority.years), prepared=TODAY)
    # Without a narrative the progress section holds only what the author has still to write, so it is
    # listed at the front for them and left out; with or without it, no targets heading stands empty.
    assert [sub.id for section in plain.sections if section.id == "progress" for sub in section.subsections] == []


def test_a_subsection_registered_for_a_section_the_report_lacks_is_refused(figures: ReportFigures) -> None:
    @subsection("no_such_section")
    def orphan(figures: ReportFigures, narrative: NarrativeContent) -> Section:
        return Section("orphan", "Orphan", ())

    try:
        with pytest.raises(ValueError, match="no_such_section"):
            with_subsections([Section("summary", "At a glance", ())], figures, NarrativeContent())
    finally:
        SUBSECTIONS.remove(("no_such_section", orphan))


def test_why_children_did_not_attend_counts_under_4s_and_the_recorded_reasons(
    report: Report, figures: ReportFigures
) -> None:
    _, sub = part(report, "non_attendance")
    table = tables(sub)["Why children did not attend their review"]
    labels = [row[0] for row in table.rows]
    assert labels[0] == "Under 4 at the time of the review" and "Chose not to attend" in labels
    assert table.rows[-1] == (
        "Total",
        *(f"{figures.figure('non_attendance_reasons', y).value:,}" for y in figures.years),
    )
