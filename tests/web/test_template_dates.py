"""The pages' date filters, built into every template: `long_date` and `iso_date` write dates as
Django's `date:"j F Y"` and `date:"Y-m-d"` did, faster."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines

from iroscope.web.casework.templatetags.dates import iso_date, long_date


def rendered(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_a_date_is_written_as_a_uk_public_service_writes_it() -> None:
    assert rendered("{{ day|long_date }}", day=dt.date(2025, 3, 3)) == "3 March 2025"
    assert rendered("{{ day|iso_date }}", day=dt.date(2025, 3, 3)) == "2025-03-03"


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_is_written_as_djangos_date_filter_wrote_it(month: int) -> None:
    for day in (dt.date(2024, month, 1), dt.date(2025, month, 28)):
        assert rendered("{{ day|long_date }}", day=day) == rendered('{{ day|date:"j F Y" }}', day=day)
        assert rendered("{{ day|iso_date }}", day=day) == rendered("{{ day|date:'Y-m-d' }}", day=day)


@pytest.mark.parametrize("missing", [None, ""])
def test_no_date_is_written_as_nothing_so_a_default_can_follow(missing: object) -> None:
    assert rendered('{{ day|long_date|default:"Open" }}', day=missing) == "Open"
    assert rendered("{{ day|iso_date }}", day=missing) == ""
    assert long_date(missing) == iso_date(missing) == ""


def test_a_value_that_is_not_a_date_is_written_as_nothing_as_djangos_filter_did() -> None:
    assert long_date("2025-03-03") == rendered('{{ day|date:"j F Y" }}', day="2025-03-03") == ""
    assert iso_date(20250303) == ""


def test_a_moment_is_written_as_its_day_in_the_uk() -> None:
    # 11:30pm on 30 June in UTC is half past midnight on 1 July in London (summer time).
    moment = dt.datetime(2025, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert rendered("{{ moment|long_date }}", moment=moment) == "1 July 2025"
    assert rendered("{{ moment|long_date }}", moment=moment) == rendered('{{ moment|date:"j F Y" }}', moment=moment)
    assert rendered("{{ moment|iso_date }}", moment=moment) == "2025-07-01"
