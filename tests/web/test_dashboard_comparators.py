"""Other areas' figures (the stored comparators) on the dashboard: beside the whole service's headline
for a whole collection year, and said beneath the month-by-month trends, which they are not drawn on.

The hand-made authority (tests/web/conftest.py) holds 2024-25 as at 31 March 2025: 4 reviews held,
every one of a child aged 12 who took part (PN1), so its participation rate is 100.0% (4 of 4).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset
from iroscope.web.records.services import dataset_replace
from tests.metrics.helpers import table
from tests.web.conftest import hand_made_authority

YEAR = "/dashboard/?period=year-2024"
PUBLISHED_NOTE = "counted its own way rather than by the definitions on this page"
NOT_DRAWN = "Other areas' figures are for whole years, so the chart does not draw them by month."


def comparator(kpi_id: str, area: str, value: float, year: str = "2024-25") -> dict[str, Any]:
    return {"kpi_id": kpi_id, "year": year, "area": area, "value": value}


def stored_with(rows: list[dict[str, Any]]) -> Dataset:
    """The hand-made authority with these comparators, stored in place of whatever was stored."""
    data = hand_made_authority()
    data = dataclasses.replace(data, tables={**data.tables, "comparators": table("comparators", rows)})
    dataset_replace(dataset=data)
    return data


def text_of(html: str) -> str:
    """What a reader sees: tags removed, spaces run together."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def headline_cell(html: str, kpi_id: str) -> str:
    """The whole figure cell of a headline row (the figure and anything beside it), as text."""
    row = re.search(rf'<tr class="govuk-table__row" id="kpi-{kpi_id}">(.*?)</tr>', html, re.DOTALL)
    assert row, kpi_id
    cell = re.search(r'<td class="govuk-table__cell">(.*?)</td>', row.group(1), re.DOTALL)
    assert cell, kpi_id
    return text_of(re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", cell.group(1), flags=re.DOTALL))


def trend_section(html: str, title: str) -> str:
    """The month-by-month section headed `title`, as text."""
    for section in re.findall(r"<section .*?</section>", html, re.DOTALL):
        if f">{title}</h3>" in section:
            return text_of(section)
    raise AssertionError(f"No trend section headed {title}")


@pytest.mark.django_db
def test_englands_figure_is_beside_the_headline_formatted_like_it(signed_in: dict[str, Client]) -> None:
    stored_with(
        [
            comparator("participation_rate", "England", 88.1),
            comparator("reviews_held", "England", 61234),
            comparator("caseload_per_iro", "England", 17.25),
        ]
    )
    html = signed_in["manager"].get(YEAR).content.decode()
    assert headline_cell(html, "participation_rate") == (
        "100.0% (4 of 4 reviews of children aged 4 or over) Other areas, 2024-25: England: 88.1%"
    )
    assert headline_cell(html, "reviews_held") == "4 Other areas, 2024-25: England: 61,234"
    assert headline_cell(html, "caseload_per_iro").endswith(
        "Other areas, 2024-25: England: 17.2 children per full-time IRO"
    )
    # Headlines with no comparator for the year have nothing beside them.
    assert headline_cell(html, "reviews_overdue_not_held") == "3"
    assert PUBLISHED_NOTE not in html  # no council's published figure among them


@pytest.mark.django_db
def test_areas_of_other_years_are_not_beside_the_headline(signed_in: dict[str, Client]) -> None:
    stored_with(
        [
            comparator("participation_rate", "England", 88.1),
            comparator("participation_rate", "England", 87.0, year="2023-24"),
            comparator("participation_rate", "Cheshire East (published report)", 91.0, year="2017-18"),
        ]
    )
    html = signed_in["manager"].get(YEAR).content.decode()
    assert headline_cell(html, "participation_rate").endswith("Other areas, 2024-25: England: 88.1%")
    assert "87.0%" not in html
    assert "Cheshire East" not in html


@pytest.mark.django_db
def test_a_sixth_area_is_listed_under_and_1_more(signed_in: dict[str, Client]) -> None:
    stored_with(
        [
            comparator("participation_rate", "Wirral", 90.0),
            comparator("participation_rate", "Walsall (published report)", 95.0),
            comparator("participation_rate", "North West", 85.5),
            comparator("participation_rate", "England", 88.1),
            comparator("participation_rate", "Statistical neighbours", 86.4),
            comparator("participation_rate", "Halton", 84.0),
        ]
    )
    html = signed_in["manager"].get(YEAR).content.decode()
    # England first, then the other areas by name, then councils' published figures.
    assert headline_cell(html, "participation_rate").endswith(
        "Other areas, 2024-25: England: 88.1% Halton: 84.0% North West: 85.5% Statistical neighbours: 86.4% "
        "Wirral: 90.0% and 1 more Walsall (published report): 95.0%"
    )
    row = re.search(r'id="kpi-participation_rate">(.*?)</tr>', html, re.DOTALL)
    assert row
    more = re.search(r"<details[^>]*>\s*<summary.*?and 1 more.*?</details>", row.group(1), re.DOTALL)
    assert more and "Walsall (published report): 95.0%" in more.group(0)
    assert f"A figure marked (published report) is as that council printed it, {PUBLISHED_NOTE}." in html


@pytest.mark.django_db
def test_the_trend_says_the_years_comparators_beneath_the_chart(signed_in: dict[str, Client]) -> None:
    stored_with([comparator("participation_rate", "England", 88.1), comparator("reviews_held", "England", 61234)])
    html = signed_in["manager"].get(YEAR).content.decode()
    participation = trend_section(html, "Children who took part in their review")
    assert f"{NOT_DRAWN} Other areas, 2024-25: England: 88.1%" in participation
    assert "Other areas, 2024-25: England: 61,234" in trend_section(html, "Reviews held")
    assert "Other areas" not in trend_section(html, "Reviews held on time")
    assert html.count(NOT_DRAWN) == 2


@pytest.mark.django_db
def test_part_of_a_year_has_no_comparators_beside_its_headlines_but_its_trends_say_the_years(
    signed_in: dict[str, Client],
) -> None:
    stored_with([comparator("participation_rate", "England", 88.1)])
    html = signed_in["manager"].get("/dashboard/?period=months&first_month=2024-04&last_month=2024-09").content.decode()
    assert headline_cell(html, "participation_rate") == "100.0% (4 of 4 reviews of children aged 4 or over)"
    assert f"{NOT_DRAWN} Other areas, 2024-25: England: 88.1%" in trend_section(
        html, "Children who took part in their review"
    )


@pytest.mark.django_db
def test_one_iros_dashboard_has_no_comparators(signed_in: dict[str, Client]) -> None:
    """An area's figure is a whole service's: it does not compare with one IRO's children."""
    stored_with([comparator("participation_rate", "England", 88.1)])
    html = signed_in["manager"].get(YEAR + "&iro=I1").content.decode()
    assert "88.1%" not in html
    assert "Other areas" not in html


@pytest.mark.usefixtures("each_database")  # stored and read back on SQLite and on PostgreSQL
def test_comparators_loaded_again_show_at_once(signed_in: dict[str, Client]) -> None:
    stored_with([comparator("participation_rate", "England", 88.1)])
    before = signed_in["manager"].get(YEAR).content.decode()
    assert headline_cell(before, "participation_rate").endswith("England: 88.1%")
    stored_with([comparator("participation_rate", "England", 90.2), comparator("participation_rate", "Halton", 84.0)])
    after = signed_in["manager"].get(YEAR).content.decode()
    assert headline_cell(after, "participation_rate").endswith("England: 90.2% Halton: 84.0%")
    assert "88.1%" not in after
    stored_with([])
    cleared = signed_in["manager"].get(YEAR).content.decode()
    assert "Other areas" not in cleared


@pytest.mark.django_db
def test_no_comparators_means_no_comparator_markup(signed_in: dict[str, Client]) -> None:
    stored_with([])
    html = signed_in["manager"].get(YEAR).content.decode()
    assert "Other areas" not in html
    assert NOT_DRAWN not in html
    assert "iroscope-trend-comparators" not in html
    assert PUBLISHED_NOTE not in html
    assert headline_cell(html, "participation_rate") == "100.0% (4 of 4 reviews of children aged 4 or over)"
