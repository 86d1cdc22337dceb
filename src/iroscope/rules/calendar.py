"""Working days in England and calendar-month arithmetic.

A working day is any day except a Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday
in England and Wales (Banking and Financial Dealings Act 1971, with royal proclamations for
substitute and one-off days). The `holidays` package supplies the dates, including the one-off
days (2 and 3 June 2022, 19 September 2022, 8 May 2023) and substitute days; an authority can add
a newly proclaimed day through `extra_holidays` without waiting for a new package release.

Every helper accepts a single `datetime.date`, a numpy array of `datetime64[D]`, or a polars
Series of dates, and returns the same kind, so the same rule serves one child on a web page and
84,000 children in a national run. Blank dates stay blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar, overload

import numpy as np
import polars as pl
from dateutil.relativedelta import relativedelta

FIRST_CALENDAR_YEAR = 1990
LAST_CALENDAR_YEAR = 2060

DateLike = TypeVar("DateLike", dt.date, np.ndarray, pl.Series)


def _to_days(values: dt.date | np.ndarray | pl.Series) -> np.ndarray:
    if isinstance(values, pl.Series):
        return values.cast(pl.Date).to_numpy().astype("datetime64[D]")
    if isinstance(values, np.ndarray):
        return values.astype("datetime64[D]")
    return np.array([values], dtype="datetime64[D]")


def _from_days(days: np.ndarray, like: dt.date | np.ndarray | pl.Series) -> dt.date | np.ndarray | pl.Series:
    if isinstance(like, pl.Series):
        return pl.Series(like.name, days, dtype=pl.Date)
    if isinstance(like, np.ndarray):
        return days
    return days[0].astype(dt.date)  # type: ignore[no-any-return]


def _england_holidays(first_year: int, last_year: int) -> tuple[dt.date, ...]:
    import holidays as holidays_package  # loaded with the first calendar: most commands never need one

    calendar = holidays_package.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(calendar.keys()))


@dataclass(frozen=True)
class WorkingDayCalendar:
    """England's working days, with any extra holidays an authority adds."""

    holidays: tuple[dt.date, ...]
    _busdaycal: np.busdaycalendar = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_busdaycal",
            np.busdaycalendar(weekmask="1111100", holidays=np.array(self.holidays, dtype="datetime64[D]")),
        )

    @classmethod
    def england(cls, *, extra_holidays: Iterable[dt.date] = ()) -> WorkingDayCalendar:
        days = set(_england_holidays(FIRST_CALENDAR_YEAR, LAST_CALENDAR_YEAR)) | set(extra_holidays)
        return cls(holidays=tuple(sorted(days)))

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of a bank holiday, for messages such as "due date moved past Easter Monday"."""
        import holidays as holidays_package

        names = holidays_package.country_holidays("GB", subdiv="ENG", years=day.year)
        return names.get(day)

    @overload
    def is_working_day(self, dates: dt.date) -> bool: ...
    @overload
    def is_working_day(self, dates: np.ndarray | pl.Series) -> np.ndarray: ...
    def is_working_day(self, dates: dt.date | np.ndarray | pl.Series) -> bool | np.ndarray:
        result = np.is_busday(_to_days(dates), busdaycal=self._busdaycal)
        return bool(result[0]) if isinstance(dates, dt.date) else result

    def add_working_days(self, dates: DateLike, days: int | np.ndarray) -> DateLike:
        """The day that is `days` working days after each date (before it, when negative).

        The date itself is day 0. When it is not a working day, the first working day after it is
        day 1: "within 20 working days of Saturday 4 January 2025" ends on Friday 31 January.
        Counting backwards from a non-working day, the working day before it is day -1. Adding 0
        returns the date itself.
        """
        offsets = np.asarray(days)
        given = _to_days(dates)
        missing = np.isnat(given)
        starts = np.where(missing, np.datetime64("2000-01-03"), given)  # blanks stay blank below
        forward = np.busday_offset(starts, offsets, roll="backward", busdaycal=self._busdaycal)
        backward = np.busday_offset(starts, offsets, roll="forward", busdaycal=self._busdaycal)
        result = np.where(offsets > 0, forward, np.where(offsets < 0, backward, starts))
        result = np.where(missing, np.datetime64("NaT"), result).astype("datetime64[D]")
        return _from_days(result, dates)  # type: ignore[return-value]

    @overload
    def working_days_after(self, start: dt.date, end: dt.date) -> int: ...
    @overload
    def working_days_after(self, start: np.ndarray | pl.Series, end: np.ndarray | pl.Series) -> np.ndarray: ...
    def working_days_after(
        self, start: dt.date | np.ndarray | pl.Series, end: dt.date | np.ndarray | pl.Series
    ) -> int | np.ndarray:
        """Working days after `start` up to and including `end`; 0 when `end` is not after `start`.

        This is how lateness is counted: a review due on Friday and held the next Monday is one
        working day late. It is the inverse of `add_working_days` for working-day starts.
        """
        one_day = np.timedelta64(1, "D")
        begin = _to_days(start) + one_day
        finish = _to_days(end) + one_day
        counts = np.busday_count(begin, np.maximum(begin, finish), busdaycal=self._busdaycal)
        return int(counts[0]) if isinstance(start, dt.date) else counts


@lru_cache(maxsize=1)
def england_calendar() -> WorkingDayCalendar:
    """The shared England calendar (built once; it holds every bank holiday from 1990 to 2060)."""
    return WorkingDayCalendar.england()


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months by the corresponding-date rule (Dodds v Walker): 30 November + 3 months is
    28 February, or 29 February in a leap year."""
    return day + relativedelta(months=months)


def add_months_expr(dates: pl.Expr, months: int | pl.Expr) -> pl.Expr:
    """Vectorised `add_months` for polars: polars clamps to the month end exactly as the rule does."""
    if isinstance(months, int):
        return dates.dt.offset_by(f"{months}mo")
    return dates.dt.offset_by(pl.format("{}mo", months))


# Written out rather than strftime's %B, which follows the process's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """A date as a UK public service writes it: 3 March 2025."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
