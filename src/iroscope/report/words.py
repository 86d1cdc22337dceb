"""Numbers, dates and changes in plain English, as a UK public service writes them."""

from __future__ import annotations

import datetime as dt

from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.metrics.registry import Figure
from iroscope.rules.calendar import long_date
from iroscope.rules.suppression import SMALL_NUMBER_LIMIT, is_small, rate_hidden

__all__ = ["SMALL_NUMBER_LIMIT", "is_small", "long_date", "rate_hidden"]

FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown"


def count(value: int | float | None, *, suppress: bool = False) -> str:
    if value is None:
        return "not available"
    number = int(value) if float(value).is_integer() else value
    if suppress and isinstance(number, int) and 0 < number < SMALL_NUMBER_LIMIT:
        return FEWER_THAN_5
    return f"{number:,}"


def percent(value: float | None) -> str:
    return "not available" if value is None else f"{value:.1f}%"


def rate_text(figure: Figure, *, of_what: str, suppress: bool = False) -> str:
    """ "84.7% (830 of 980 reviews)"; suppressed when either count is small."""
    if figure.denominator in (0, None):
        return f"not available (no {of_what})"
    if suppress and rate_hidden(figure.numerator, figure.denominator):
        return f"not shown (too few {of_what} to publish)"
    shown = percent(float(figure.value) if figure.value is not None else None)
    return f"{shown} ({figure.numerator:,} of {figure.denominator:,} {of_what})"


def change_in_count(before: float | None, after: float | None, *, noun: str = "") -> str:
    """ "fell by 7%, from 469 to 438" — or "stayed at 438"."""
    if before is None or after is None:
        return ""
    suffix = f" {noun}" if noun else ""
    if after == before:
        return f"stayed at {count(after)}{suffix}"
    direction = "rose" if after > before else "fell"
    if before == 0:
        return f"{direction} from 0 to {count(after)}{suffix}"
    change = round(abs(after - before) / before * 100)
    return f"{direction} by {change}%, from {count(before)} to {count(after)}{suffix}"


def change_in_rate(before: float | None, after: float | None) -> str:
    """ "rose from 84.0% to 89.1%, up 5.1 percentage points"."""
    if before is None or after is None:
        return ""
    if round(after, 1) == round(before, 1):
        return f"stayed at {percent(after)}"
    direction, updown = ("rose", "up") if after > before else ("fell", "down")
    points = abs(after - before)
    return f"{direction} from {percent(before)} to {percent(after)}, {updown} {points:.1f} percentage points"


def plural(number: int, singular: str, plural_form: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else (plural_form or singular + 's')}"


def data_known_from(*, dataset: Dataset, today: dt.date) -> str:
    """How old the data is, in the words every page and the weekly summary use: "Children in care known
    from the return extracted on 31 March 2026 (249 days ago)", or "from the Standard Safeguarding Dataset
    export extracted on …" when that is where the children came from. Counted in calendar days, as a
    person would count them from a calendar on the wall."""
    extracted = dataset.data_end
    children = dataset["children"]
    from_ssd = SOURCE_COLUMN in children.columns and set(children[SOURCE_COLUMN].unique()) == {Source.SSD}
    source = "the Standard Safeguarding Dataset export" if from_ssd else "the return"
    days = (today - extracted).days
    if days == 0:
        age = "today"
    elif days > 0:
        age = f"{plural(days, 'day')} ago"
    else:
        age = f"{plural(-days, 'day')} after {long_date(today)}"
    return f"Children in care known from {source} extracted on {long_date(extracted)} ({age})."
