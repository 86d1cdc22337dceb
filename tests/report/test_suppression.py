"""Small-number suppression that holds: the rules on their own, then an attack on whole published
reports that tries to recover every hidden count from what the report shows (tests/report/attack.py),
run on the demo-sized synthetic authority and on two small ones where most counts are small."""

from __future__ import annotations

import datetime as dt

import pytest

from iroscope.report.build import build_report
from iroscope.report.docx import render_docx
from iroscope.report.html import render_html
from iroscope.report.model import Paragraph, Report, Section, Table
from iroscope.report.suppression import NOT_SHOWN, protect_column, protect_staff_column, rate_hidden
from iroscope.synth.generator import SynthConfig, generate
from tests.report.agreement import read_docx, read_html
from tests.report.attack import attack

TODAY = dt.date(2026, 5, 1)
DEMO = SynthConfig(children=600, years=3, seed=1)  # what `iroscope demo` makes


def test_a_small_count_beside_one_other_hides_both_so_the_total_gives_nothing_away() -> None:
    column = protect_column({"Female": 9, "Male": 2}, ["Female", "Male"])
    assert column.cells == {"Female": NOT_SHOWN, "Male": "fewer than 5"}


def test_hiding_continues_until_no_hidden_count_can_be_pinned_down() -> None:
    # Hiding 1 and then 5 leaves 6 to share: the 1 would be pinned (1 + 5), so the 7 goes too.
    column = protect_column({"a": 1, "b": 5, "c": 7, "d": 40}, ["a", "b", "c", "d"])
    assert column.hidden == {"a", "b", "c"} and column.cells["d"] == "40"
    # Two fours and nothing else: 8 = 4 + 4 pins both, and nothing is left to hide, so the column goes.
    assert protect_column({"a": 4, "b": 4}, ["a", "b"]).withheld


def test_a_column_with_no_small_count_is_shown_whole() -> None:
    column = protect_column({"a": 5, "b": 0, "c": 12}, ["a", "b", "c"])
    assert column.cells == {"a": "5", "b": "0", "c": "12"} and not column.hidden


def test_a_staff_column_with_any_small_count_is_withheld_whole() -> None:
    # One IRO of a group can be identified by the row alone, whatever its count reads.
    assert protect_staff_column(
        {"White British": 7, "Black African": 1, "Asian": 3}, ["White British", "Black African", "Asian"]
    ).withheld
    assert not protect_staff_column({"Female": 9, "Male": 6}, ["Female", "Male"]).withheld


@pytest.mark.parametrize(
    ("numerator", "denominator", "hidden"),
    [(78, 80, True), (2, 80, True), (3, 4, True), (70, 80, False), (80, 80, False), (0, 80, False)],
)
def test_a_rate_is_hidden_when_its_part_whole_or_remainder_is_small(
    numerator: int, denominator: int, hidden: bool
) -> None:
    assert rate_hidden(numerator, denominator) is hidden


def _leaky_report() -> Report:
    """The three leaks the issue found, as a report printed them."""
    by_sex = Table("IROs by sex", ("Sex", "IROs"), (("Female", "9"), ("Male", "fewer than 5"), ("Total", "11")))
    ethnicity = Table(
        "IROs by ethnic group",
        ("Ethnic group", "IROs"),
        (("White British", "7"), ("Black African", "fewer than 5"), ("Asian", "fewer than 5"), ("Total", "9")),
    )
    disputes = Paragraph(
        "78 of the 80 formal disputes resolved were resolved within timescale (97.5%). "
        "1 IRO had a caseload outside that range."
    )
    return Report("Report", "2025-26", "Anytown (synthetic)", "2025-26", "Prepared", (
        Section("s", "Figures", (by_sex, ethnicity, disputes)),
    ), suppressed=True)  # fmt: skip


def test_the_attack_recovers_each_count_the_old_report_gave_away() -> None:
    found = attack(read_html(render_html(_leaky_report())))
    assert any("column 'IROs'" in problem and "total 11" in problem for problem in found), found
    assert any("total 9" in problem for problem in found), found  # 7 shown, two hidden ones make 2: 1 and 1
    assert any("'78 of 80' shows or reveals a remainder of 2" in problem for problem in found), found
    assert any("'1 IRO' is a small count" in problem for problem in found), found


@pytest.fixture(
    scope="module",
    params=[
        DEMO,
        SynthConfig(children=80, years=2, seed=2),  # one IRO's caseload outside the Handbook's range
        SynthConfig(children=40, years=2, seed=3),
        SynthConfig(children=20, years=2, seed=11),
    ],
    ids=lambda config: f"{config.children}-children-seed-{config.seed}",
)
def authority(request: pytest.FixtureRequest) -> SynthConfig:
    return request.param  # type: ignore[no-any-return]


def test_no_hidden_count_can_be_recovered_from_the_published_report(authority: SynthConfig) -> None:
    dataset = generate(authority, today=TODAY)
    report = build_report(dataset, max(dataset.years), suppress=True, prepared=TODAY)
    page = render_html(report)
    assert attack(read_html(page), page) == []
    assert attack(read_docx(render_docx(report))) == []
    assert "fewer than 5" in page  # there was something to hide


def test_without_suppression_the_attack_finds_the_small_counts_it_looks_for() -> None:
    dataset = generate(SynthConfig(children=40, years=2, seed=3), today=TODAY)
    page = render_html(build_report(dataset, max(dataset.years), prepared=TODAY))
    assert len(attack(read_html(page), page)) > 10
