"""The two seed-report parts that needed data of their own (decision 0018). Care leavers' pathway plan
reviews chaired by the IRO service (Cheshire East's report): a part of the service section when the
data holds them, written from the registered figures, hidden when small numbers are, and absent, with
no heading, when the service records none. IRO vacancies: posts funded, filled and vacant in the staff
continuity part, only when the funded establishment is given."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from iroscope.data.dataset import Dataset
from iroscope.data.schema import ESTABLISHMENT, PATHWAY_PLAN_REVIEWS
from iroscope.report.build import build_report
from iroscope.report.figures import ReportFigures
from iroscope.report.model import Paragraph, Report, Section, Table
from iroscope.synth.generator import SynthConfig, generate
from tests.metrics.helpers import D, dataset

TODAY = dt.date(2026, 5, 1)


@pytest.fixture(scope="module")
def authority() -> Dataset:
    return generate(SynthConfig(children=150, years=2, seed=7), today=TODAY)


def pathway_part(report: Report) -> tuple[Section, Section] | None:
    for section in report.sections:
        for sub in section.subsections:
            if sub.id == "pathway_plans":
                return section, sub
    return None


def test_the_part_sits_in_the_service_section_and_says_n_of_m_from_the_figure(authority: Dataset) -> None:
    year = max(authority.years)
    found = pathway_part(build_report(authority, year, prepared=TODAY))
    assert found is not None
    section, sub = found
    assert section.id == "service"
    chaired = ReportFigures(authority, year).figure("pathway_plan_reviews_chaired")
    assert chaired.denominator
    text = next(block.text for block in sub.blocks if isinstance(block, Paragraph))
    assert f"{chaired.numerator:,} of the {chaired.denominator:,} pathway plan reviews held" in text
    table = next(block for block in sub.blocks if isinstance(block, Table))
    assert table.rows[0][-1] == f"{chaired.value:.1f}% ({chaired.numerator:,} of {chaired.denominator:,})"


def test_a_service_that_records_no_pathway_plan_reviews_has_no_heading_for_them(authority: Dataset) -> None:
    tables = {**authority.tables, "pathway_plan_reviews": PATHWAY_PLAN_REVIEWS.empty()}
    without = dataclasses.replace(authority, tables=tables)
    assert pathway_part(build_report(without, max(without.years), prepared=TODAY)) is None


def test_a_small_count_of_reviews_is_not_shown_when_small_numbers_are_hidden() -> None:
    data = dataset(
        pathway_plan_reviews=[
            {"child_id": f"L{n}", "review_date": D(2024, 6, n + 1), "chaired_by_iro_service": "Y" if n < 3 else "N"}
            for n in range(8)
        ]
    )
    figures = ReportFigures(data, 2024, suppress=True)
    sentence = figures.share("pathway_plan_reviews_chaired", of_the="reviews", outcome="were chaired")
    assert "3 of" not in sentence and "not shown" in sentence


def staff_text(report: Report) -> str:
    for section in report.sections:
        for sub in section.subsections:
            if sub.id == "continuity":
                return next(block.text for block in sub.blocks if isinstance(block, Paragraph))
    raise AssertionError("no staff continuity part")


def test_staff_continuity_gives_posts_funded_filled_and_vacant_when_the_establishment_is_known(
    authority: Dataset,
) -> None:
    year = max(authority.years)
    vacancies = ReportFigures(authority, year).figure("iro_vacancies")
    details = vacancies.details
    assert vacancies.value is not None
    text = staff_text(build_report(authority, year, prepared=TODAY))
    assert f"funded for {details['funded']:g} full-time IRO posts" in text
    assert f"{details['filled']:g} full-time equivalent were filled" in text
    vacant = f"{vacancies.value:g} full-time equivalent vacant" if vacancies.value else "no post vacant"
    assert f"leaving {vacant}" in text


def test_without_the_establishment_staff_continuity_says_nothing_of_posts(authority: Dataset) -> None:
    tables = {**authority.tables, "establishment": ESTABLISHMENT.empty()}
    without = dataclasses.replace(authority, tables=tables)
    text = staff_text(build_report(without, max(without.years), prepared=TODAY))
    assert "funded for" not in text and "vacant" not in text
