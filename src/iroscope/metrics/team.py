"""The IRO service: the team's size, caseloads, continuity for children, and who the IROs are beside
the children they serve.

Staff and allocation end dates are the last day in post or allocated: an IRO whose end date is the
last day of the period is still in post at its end, and so is an allocation ending that day.
"""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Number, Unit, kpi, rate, rate_of
from iroscope.rules import codes
from iroscope.rules.calendar import WorkingDayCalendar

SECTION = "The IRO service"
YES = "Y"
NOT_RECORDED = "Not recorded"


def _in_post_at_end(context: MetricContext) -> pl.DataFrame:
    """IROs in post on the last day of the period."""
    end = context.period.end
    return context.dataset["iro_staff"].filter(
        (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") >= end))
    )


def _allocated_at_end(context: MetricContext) -> pl.DataFrame:
    """Each child's IRO allocation open on the last day of the period (the latest-starting one, if the
    records overlap)."""
    end = context.period.end
    current = context.dataset["iro_allocations"].filter(
        (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") >= end))
    )
    return current.sort("start_date").unique("child_id", keep="last")


@kpi(
    id="iro_fte",
    title="IRO full-time equivalent",
    definition="Full-time equivalent of the IROs in post on the last day of the period (started on or before it "
    "and not left before it).",
    details_meaning="headcount counts those IROs; dual_role counts those who also chair child protection conferences.",
    unit=Unit.NUMBER,
    section=SECTION,
)
def iro_fte(context: MetricContext) -> Figure:
    staff = _in_post_at_end(context)
    fte = round(float(staff["fte"].fill_null(0).sum()), 2)
    dual = staff.filter(pl.col("dual_role") == YES).height
    return Figure(fte, details={"headcount": staff.height, "dual_role": dual})


@kpi(
    id="caseload_per_iro",
    title="Children per full-time IRO",
    definition="Children allocated to an IRO in post on the last day of the period, divided by the full-time "
    "equivalent of the IROs in post (a child counts once, with their latest allocation). It counts "
    "the children allocated, which can differ from the children in care that day. The IRO Handbook "
    "recommends 50 to 70 children for each full-time IRO (the authority may set its own range).",
    details_meaning="details: children and fte behind it; min and max are the lowest and highest caseload per FTE of "
    "one IRO (children allocated to the IRO divided by the IRO's FTE); outside_band counts IROs whose "
    "caseload per FTE is outside the authority's recommended band (caseload_band), above_band those above its "
    "top; "
    "allocated_to_iro_not_in_post counts children whose open allocation names an IRO not in post.",
    unit=Unit.NUMBER,
    section=SECTION,
)
def caseload_per_iro(context: MetricContext) -> Figure:
    staff = _in_post_at_end(context).filter(pl.col("fte") > 0).select("iro_id", "fte")
    allocated = _allocated_at_end(context)
    per_iro = (
        staff.join(allocated.group_by("iro_id").agg(children=pl.len()), on="iro_id", how="left")
        .with_columns(pl.col("children").fill_null(0).cast(pl.Int64))
        .with_columns(per_fte=pl.col("children") / pl.col("fte"))
    )
    children = int(per_iro["children"].sum())
    fte = float(per_iro["fte"].sum())
    low, high = context.practice.caseload_band
    outside = per_iro.filter((pl.col("per_fte") < low) | (pl.col("per_fte") > high)).height
    above = per_iro.filter(pl.col("per_fte") > high).height
    elsewhere = allocated.join(_in_post_at_end(context).select("iro_id"), on="iro_id", how="anti").height
    details: dict[str, Number | None] = {
        "children": children,
        "fte": round(fte, 2),
        "min": _rounded(per_iro["per_fte"].min()),
        "max": _rounded(per_iro["per_fte"].max()),
        "outside_band": outside,
        "above_band": above,
        "allocated_to_iro_not_in_post": elsewhere,
    }
    return Figure(round(children / fte, 1) if fte else None, details=details)


def allocation_due(
    *, periods: pl.DataFrame, allocations: pl.DataFrame, calendar: WorkingDayCalendar, working_days: int
) -> pl.DataFrame:
    """Each period of care in `periods` (`child_id`, `period_start`) with the day its IRO had to be
    allocated by (`allocation_due_date`: `working_days` working days after the child came into care,
    that day being day 0, so weekends and England's bank holidays are not counted) and the day one was
    (`allocated_date`: the earliest start of an allocation of the child not ended before the period
    began, or the period's first day for one already open then; blank when none is recorded)."""
    keyed = periods.select("child_id", "period_start").unique()
    due = keyed.with_columns(allocation_due_date=calendar.add_working_days(keyed["period_start"], working_days))
    allocated = (
        keyed.join(allocations.select("child_id", "start_date", "end_date"), on="child_id", how="inner")
        .filter(pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("period_start")))
        .group_by("child_id", "period_start")
        .agg(allocated_date=pl.max_horizontal(pl.col("start_date").min(), pl.col("period_start").first()))
    )
    return due.join(allocated, on=["child_id", "period_start"], how="left")


def _allocations_due(context: MetricContext) -> pl.DataFrame:
    """Periods of care whose IRO was due to be allocated during the period, each counted when the IRO
    was allocated by then. Only periods we hold from their first day: for the rest the day the child
    came into care is not known."""

    def every_period() -> pl.DataFrame:
        started = context.periods.filter(pl.col("period_start_known"))
        return allocation_due(
            periods=started,
            allocations=context.dataset["iro_allocations"],
            calendar=context.calendar,
            working_days=context.practice.iro_allocated_working_days,
        ).with_columns(
            counted=pl.col("allocated_date").is_not_null() & (pl.col("allocated_date") <= pl.col("allocation_due_date"))
        )

    everything = context.dataset_wide(f"allocations_due:{context.practice.iro_allocated_working_days}", every_period)
    return everything.filter(pl.col("allocation_due_date").is_between(context.period.start, context.period.end)).sort(
        "allocation_due_date", "child_id"
    )


@kpi(
    id="iro_allocated_in_time",
    title="Children allocated an IRO in time",
    definition="Children who came into care and whose IRO was due to be allocated during the period, who had an "
    "IRO allocated within the authority's timescale (default 5 working days after the day they came into care, "
    "as the IRO Handbook asks; weekends and bank holidays in England are not counted), of all those children. "
    "A child who comes into care twice counts each time. Children whose first day in care is before the data "
    "begins are not counted.",
    details_meaning="The timescale is the setting iro_allocated_working_days. not_allocated counts children with no "
    "IRO allocation recorded at all for that period of care.",
    unit=Unit.PERCENT,
    section=SECTION,
    records=_allocations_due,
    dated_by="allocation_due_date",
    counted_by="allocated_date",
)
def iro_allocated_in_time(context: MetricContext) -> Figure:
    records = _allocations_due(context)
    not_allocated = records.filter(pl.col("allocated_date").is_null()).height
    return rate_of(records).with_details({"not_allocated": not_allocated})


def _rounded(value: object) -> float | None:
    return round(float(value), 1) if isinstance(value, int | float) else None


@kpi(
    id="iro_continuity",
    title="Children who kept the same IRO all year",
    definition="Children in care throughout the period (in one period of care from its first day to its last) "
    "who had the same IRO all year, of all children in care throughout the period. A child with no "
    "IRO allocation recorded in the period did not keep an IRO.",
    details_meaning="no_allocation_recorded counts children with no allocation overlapping the period.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def iro_continuity(context: MetricContext) -> Figure:
    start, end = context.period.start, context.period.end
    throughout = (
        context.periods.filter(
            (pl.col("period_start") <= start) & (pl.col("period_end").is_null() | (pl.col("period_end") > end))
        )
        .select("child_id")
        .unique()
    )
    overlapping = context.dataset["iro_allocations"].filter(
        (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") >= start))
    )
    iros = throughout.join(
        overlapping.group_by("child_id").agg(iros=pl.col("iro_id").n_unique()), on="child_id", how="left"
    )
    kept = iros.filter(pl.col("iros") == 1).height
    unallocated = iros.filter(pl.col("iros").is_null()).height
    figure = rate(kept, iros.height)
    return figure.with_details({"no_allocation_recorded": unallocated})


def _profile(frame: pl.DataFrame, column: str, labels: dict[str, str], prefix: str) -> dict[str, Number]:
    labelled = frame.select(pl.col(column).replace(labels).fill_null(NOT_RECORDED).alias("_label"))
    counts = {str(label): int(count) for label, count in labelled.group_by("_label").len().iter_rows()}
    order = list(dict.fromkeys(labels.values())) + sorted(set(counts) - set(labels.values()))
    return {f"{prefix}: {label}": counts.get(label, 0) for label in order}


def _ethnic_group_labels() -> dict[str, str]:
    return {code: group for group, members in codes.ETHNIC_GROUPS.items() for code in members}


@kpi(
    id="iro_team_profile",
    title="The IRO team beside the children in care",
    definition="IROs in post on the last day of the period by gender and by broad ethnic group, beside the children "
    "in care at the end of the period (short breaks left out) by sex and by broad ethnic group, the "
    "groups the Department for Education uses.",
    details_meaning="Breakdown keys name the population and the dimension, for example "
    "'IROs by gender: Female', 'IROs by "
    "ethnic group: White', 'Children by sex: Female', 'Children by ethnic group: White'; every category "
    "is listed, with Not recorded for a blank. The value is the number of IROs in post; iros and children "
    "give the two totals.",
    unit=Unit.COUNT,
    section=SECTION,
)
def iro_team_profile(context: MetricContext) -> Figure:
    staff = _in_post_at_end(context)
    children = context.in_care_at_end.unique("child_id")
    groups = _ethnic_group_labels()
    profile = {
        **_profile(staff, "gender", codes.GENDER.labels(), "IROs by gender"),
        **_profile(staff, "ethnicity", groups, "IROs by ethnic group"),
        **_profile(children, "sex", codes.SEX.labels(), "Children by sex"),
        **_profile(children, "ethnicity", groups, "Children by ethnic group"),
    }
    return Figure(staff.height, breakdown=profile, details={"iros": staff.height, "children": children.height})
