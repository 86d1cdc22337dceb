"""What every KPI for a period needs, derived once from the dataset and shared: the periods of care,
the children looked after at the period's end, the review schedule. Frames are read-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import polars as pl

from iroscope.data.dataset import PROVENANCE_COLUMNS, Dataset, collection_year_label, year_end, year_start
from iroscope.rules.calendar import WorkingDayCalendar, add_months_expr, england_calendar
from iroscope.rules.periods import SHORT_BREAK_LEGAL_STATUSES, episodes_with_period_id, periods_of_care
from iroscope.rules.schedule import review_schedule, reviews_overdue_at

T = TypeVar("T")
AGE_BANDS = (("Under 1", 0, 1), ("1 to 4", 1, 5), ("5 to 9", 5, 10), ("10 to 15", 10, 16), ("16 and over", 16, 200))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @classmethod
    def collection_year(cls, year: int) -> Period:
        return cls(year_start(year), year_end(year), collection_year_label(year))

    @property
    def year(self) -> int | None:
        """The collection year this period is, if it is exactly one."""
        if self.start.month == 4 and self.start.day == 1 and self.end == year_end(self.start.year):
            return self.start.year
        return None


def age_on(date_of_birth: pl.Expr, day: pl.Expr | dt.date) -> pl.Expr:
    """Age in whole years on a day (birthdays by the corresponding-date rule)."""
    on = pl.lit(day) if isinstance(day, dt.date) else day
    years = on.dt.year() - date_of_birth.dt.year()
    had_birthday = add_months_expr(date_of_birth, years * 12) <= on
    return pl.when(had_birthday).then(years).otherwise(years - 1)


def age_band(age: pl.Expr) -> pl.Expr:
    bands = [pl.when((age >= low) & (age < high)).then(pl.lit(label)) for label, low, high in AGE_BANDS]
    return pl.coalesce(bands)


class MetricContext:
    def __init__(self, dataset: Dataset, period: Period, *, calendar: WorkingDayCalendar | None = None):
        self.dataset = dataset
        self.period = period
        self.calendar = calendar or england_calendar()
        self.practice = dataset.practice
        # Shared by every context on the same data and calendar, whatever its period.
        self._dataset_wide: dict[str, Any] = dataset.derived.setdefault(("metrics", self.calendar), {})

    def for_period(self, period: Period) -> MetricContext:
        """A context for another period of the same data: what does not depend on the period
        (episodes, periods of care, the full review schedule) is shared, so a series costs little."""
        return MetricContext(self.dataset, period, calendar=self.calendar)

    def dataset_wide(self, name: str, compute: Callable[[], T]) -> T:
        """A value that depends on the dataset only, worked out once for every context on the same
        data (a KPI's rows for all periods, before picking its own)."""
        if name not in self._dataset_wide:
            self._dataset_wide[name] = compute()
        value: T = self._dataset_wide[name]
        return value

    # -- care -------------------------------------------------------------------------------
    @property
    def episodes(self) -> pl.DataFrame:
        """Episodes with their period of care, short breaks excluded (as DfE statistics do)."""

        def numbered() -> pl.DataFrame:
            episodes = episodes_with_period_id(self.dataset["episodes"])
            return episodes.filter(~pl.col("legal_status").is_in(SHORT_BREAK_LEGAL_STATUSES))

        return self.dataset_wide("episodes", numbered)

    @property
    def periods(self) -> pl.DataFrame:
        return self.dataset_wide(
            "periods", lambda: periods_of_care(self.dataset["episodes"]).filter(~pl.col("short_break"))
        )

    def episodes_open_on(self, day: dt.date) -> pl.DataFrame:
        """The episode each child was in at the end of `day` (looked after that night)."""
        return self.episodes.filter(
            (pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
        )

    @cached_property
    def in_care_at_end(self) -> pl.DataFrame:
        """Children looked after at the end of the period, with their current episode and profile."""
        current = self.episodes_open_on(self.period.end)
        children = self.dataset["children"].select("child_id", "sex", "date_of_birth", "ethnicity")
        return current.join(children, on="child_id", how="left").with_columns(
            age=age_on(pl.col("date_of_birth"), self.period.end)
        )

    @cached_property
    def in_care_during(self) -> pl.DataFrame:
        """One row per child looked after at any time in the period."""
        overlapping = self.episodes.filter(
            (pl.col("start_date") <= self.period.end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= self.period.start))
        )
        return overlapping.select("child_id").unique()

    @cached_property
    def starts(self) -> pl.DataFrame:
        """Each child's first start in the period (DfE counts a child once)."""
        started = self.episodes.filter(
            (pl.col("reason_new_episode") == "S") & pl.col("start_date").is_between(self.period.start, self.period.end)
        )
        children = self.dataset["children"].select("child_id", "date_of_birth")
        return (
            started.sort("start_date")
            .unique("child_id", keep="first")
            .join(children, on="child_id", how="left")
            .with_columns(age=age_on(pl.col("date_of_birth"), pl.col("start_date")))
        )

    @cached_property
    def exits(self) -> pl.DataFrame:
        """Each child's last exit from care in the period."""
        ended = self.episodes.filter(
            pl.col("reason_ceased").is_not_null()
            & (pl.col("reason_ceased") != "X1")
            & pl.col("end_date").is_between(self.period.start, self.period.end)
        )
        return ended.sort("end_date").unique("child_id", keep="last")

    # -- reviews ----------------------------------------------------------------------------
    @property
    def full_schedule(self) -> pl.DataFrame:
        """Every review in the data with its due date and timeliness (regulation 33)."""
        return self.dataset_wide(
            "full_schedule",
            lambda: review_schedule(
                episodes=self.dataset["episodes"],
                reviews=self.dataset["reviews"],
                data_start=self.dataset.data_start,
                calendar=self.calendar,
            ),
        )

    @cached_property
    def schedule(self) -> pl.DataFrame:
        """The reviews held in the period, from the full schedule."""
        return self.full_schedule.filter(pl.col("review_date").is_between(self.period.start, self.period.end))

    @cached_property
    def overdue_at_end(self) -> pl.DataFrame:
        return reviews_overdue_at(
            episodes=self.dataset["episodes"],
            reviews=self.dataset["reviews"],
            as_at=self.period.end,
            data_start=self.dataset.data_start,
            calendar=self.calendar,
        )

    @cached_property
    def timeliness(self) -> pl.DataFrame:
        """The statutory timeliness table: each review held in the period, then each review overdue
        and not held at its end (columns `SCHEDULE_COLUMNS` and `period_id`)."""
        combined = pl.concat([self.schedule, self.overdue_at_end], how="vertical_relaxed")
        return combined.sort("status", "child_id", "review_date", nulls_last=True)

    @cached_property
    def reviews_in_period(self) -> pl.DataFrame:
        """Every review held in the period, with participation, age and the activity details."""
        reviews = self.dataset["reviews"].filter(pl.col("review_date").is_between(self.period.start, self.period.end))
        children = self.dataset["children"].select("child_id", "date_of_birth")
        details = self.dataset["review_details"].drop("participation", *PROVENANCE_COLUMNS)
        return (
            reviews.join(children, on="child_id", how="left")
            .with_columns(age=age_on(pl.col("date_of_birth"), pl.col("review_date")))
            .join(details, on=["child_id", "review_date"], how="left")
        )

    def in_period(self, table: str, column: str) -> pl.DataFrame:
        """Rows of an activity table dated within the period."""
        return self.dataset[table].filter(pl.col(column).is_between(self.period.start, self.period.end))

    # -- geography --------------------------------------------------------------------------
    @cached_property
    def placements_at_end(self) -> pl.DataFrame:
        """Children looked after at the end with where they are placed: the placement's authority,
        whether it is our own, and the straight-line miles from home (the DfE's formulae). UASC and
        children with no home postcode in England have no distance."""
        from iroscope.data.geography import distance_miles, postcode_directory

        frame = self.in_care_at_end
        directory = postcode_directory()
        home = directory.lookup(frame["home_postcode"])
        placed = directory.lookup(frame["placement_postcode"])
        uasc = self.dataset["uasc"]["child_id"].implode()
        own = self.dataset.authority_code or _most_common(home["authority"])
        miles = distance_miles(
            home["easting"].to_numpy(),
            home["northing"].to_numpy(),
            placed["easting"].to_numpy(),
            placed["northing"].to_numpy(),
        )
        return frame.with_columns(
            placement_authority=placed["authority"],
            # Unknown, not "outside", when the authority is neither set nor to be told from home postcodes
            # (an SSD export holds none).
            inside_authority=pl.when(placed["authority"].is_not_null() & (own is not None)).then(
                placed["authority"] == (own or "")
            ),
            miles=pl.when(~pl.col("child_id").is_in(uasc) & home["authority"].is_not_null()).then(pl.Series(miles)),
        )


def _most_common(values: pl.Series) -> str | None:
    counts = values.drop_nulls().value_counts(sort=True)
    return None if counts.is_empty() else str(counts[values.name][0])
