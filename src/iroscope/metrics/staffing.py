"""Continuity of the IRO service: who joined and left the team, how many IROs each child has had,
and whether brothers and sisters share one IRO. The seeds report staff movement in words ("the
departure of 4 permanent staff members", "two agency IROs into permanent posts"); these are the
figures behind such sentences.

Staff and allocation end dates are the last day in post or allocated, as in `metrics.team`.
"""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import MetricContext
from iroscope.metrics.registry import Figure, Unit, breakdown, kpi, rate
from iroscope.metrics.siblings import allocated_iro_on

SECTION = "The IRO service"
NO_IRO_RECORDED = "No IRO allocation recorded"
IRO_COUNT_BANDS = ("One IRO", "Two IROs", "Three IROs", "Four or more IROs", NO_IRO_RECORDED)


def _staff_dated_in_period(context: MetricContext, column: str) -> pl.DataFrame:
    return context.dataset["iro_staff"].filter(pl.col(column).is_between(context.period.start, context.period.end))


@kpi(
    id="iro_leavers",
    title="IROs who left the service",
    definition="IROs whose last day in the IRO service fell in the period.",
    details_meaning="fte is the full-time equivalent of those who left.",
    unit=Unit.COUNT,
    section=SECTION,
)
def iro_leavers(context: MetricContext) -> Figure:
    left = _staff_dated_in_period(context, "end_date")
    return Figure(left.height, details={"fte": round(float(left["fte"].fill_null(0).sum()), 2)})


@kpi(
    id="iro_starters",
    title="IROs who joined the service",
    definition="IROs whose first day in the IRO service fell in the period.",
    details_meaning="fte is the full-time equivalent of those who joined.",
    unit=Unit.COUNT,
    section=SECTION,
)
def iro_starters(context: MetricContext) -> Figure:
    joined = _staff_dated_in_period(context, "start_date")
    return Figure(joined.height, details={"fte": round(float(joined["fte"].fill_null(0).sum()), 2)})


def _band(iros: int | None) -> str:
    if not iros:
        return NO_IRO_RECORDED
    return IRO_COUNT_BANDS[min(iros, 4) - 1]


@kpi(
    id="iros_per_child",
    title="Children by how many IROs they have had",
    definition="Children in care at the end of the period by how many different IROs have been allocated to them "
    "since their current period of care began (or since the earliest data, for a period of care that began "
    "before it). A child with no allocation recorded is counted separately.",
    unit=Unit.COUNT,
    section=SECTION,
)
def iros_per_child(context: MetricContext) -> Figure:
    end = context.period.end
    children = (
        context.in_care_at_end.select("child_id", "period_id")
        .unique("child_id")
        .join(context.periods.select("period_id", "period_start"), on="period_id", how="left")
    )
    allocations = context.dataset["iro_allocations"].select("child_id", "iro_id", "start_date", "end_date")
    overlapping = (
        children.join(allocations, on="child_id", how="inner")
        .filter(
            (pl.col("start_date") <= end)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("period_start")))
        )
        .group_by("child_id")
        .agg(iros=pl.col("iro_id").n_unique())
    )
    counted = children.join(overlapping, on="child_id", how="left")
    counts: dict[str, int] = {}
    for iros in counted["iros"].to_list():
        band = _band(iros)
        counts[band] = counts.get(band, 0) + 1
    return breakdown(counts, order=list(IRO_COUNT_BANDS))


@kpi(
    id="sibling_groups_sharing_iro",
    title="Sibling groups who share one IRO",
    definition="Groups of brothers and sisters with at least two children allocated to an IRO on the last day of "
    "the period whose allocated children all have the same IRO, of all such groups.",
    details_meaning="children counts the allocated children in those groups.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def sibling_groups_sharing_iro(context: MetricContext) -> Figure:
    allocated = (
        context.dataset["sibling_groups"]
        .select("sibling_group_id", "child_id")
        .join(allocated_iro_on(context.dataset["iro_allocations"], on=context.period.end), on="child_id", how="inner")
    )
    groups = (
        allocated.group_by("sibling_group_id")
        .agg(children=pl.len(), iros=pl.col("iro_id").n_unique())
        .filter(pl.col("children") >= 2)
    )
    sharing = groups.filter(pl.col("iros") == 1).height
    return rate(sharing, groups.height).with_details({"children": int(groups["children"].sum())})


@kpi(
    id="agency_iros",
    title="IROs working through an agency",
    definition="IROs in post on the last day of the period who work through an agency (agency cover) rather than "
    "being employed by the authority, of the IROs in post whose employment was recorded.",
    details_meaning="fte is the full-time equivalent of the agency IROs; not_recorded counts IROs in post with "
    "the agency field blank.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def agency_iros(context: MetricContext) -> Figure:
    end = context.period.end
    in_post = context.dataset["iro_staff"].filter(
        (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") >= end))
    )
    recorded = in_post.filter(pl.col("agency").is_not_null())
    agency = recorded.filter(pl.col("agency") == "Y")
    return rate(agency.height, recorded.height).with_details(
        {"fte": round(float(agency["fte"].fill_null(0).sum()), 2), "not_recorded": in_post.height - recorded.height}
    )


@kpi(
    id="iro_vacancies",
    title="Vacant IRO posts",
    definition="Full-time IRO posts the service is funded for at the end of the period, less the full-time "
    "equivalent of the IROs in post that day (agency IROs included, since they cover posts); none when more "
    "are in post than funded. Only known when the service gives its funded establishment.",
    details_meaning="From the optional establishment reference table; funded is funded_fte for the period's year, "
    "filled the fte of the IROs in post and agency_fte the part of it worked through an agency. The value is "
    "blank when the year has no establishment.",
    unit=Unit.NUMBER,
    section=SECTION,
)
def iro_vacancies(context: MetricContext) -> Figure:
    funded = context.dataset["establishment"].filter(pl.col("year") == context.period.label)["funded_fte"]
    if funded.is_empty() or funded[0] is None:
        return Figure(None)
    end = context.period.end
    in_post = context.dataset["iro_staff"].filter(
        (pl.col("start_date") <= end) & (pl.col("end_date").is_null() | (pl.col("end_date") >= end))
    )
    filled = round(float(in_post["fte"].fill_null(0).sum()), 2)
    agency = round(float(in_post.filter(pl.col("agency") == "Y")["fte"].fill_null(0).sum()), 2)
    posts = round(float(funded[0]), 2)
    return Figure(round(max(posts - filled, 0.0), 2), details={"funded": posts, "filled": filled, "agency_fte": agency})
