"""Children in care: how many, who they are, where they live, how they came and left."""

from __future__ import annotations

import polars as pl

from iroscope.metrics.context import AGE_BANDS, MetricContext, age_band
from iroscope.metrics.registry import Figure, Unit, breakdown, kpi, label_counts, rate
from iroscope.rules import codes

SECTION = "Children in care"
LONG_TERM_YEARS_IN_CARE = 2.5
LONG_TERM_YEARS_IN_PLACEMENT = 2
PLACEMENT_STARTS = ("S", "P", "B", "U")  # a new carer; T (same carer) is not a move


@kpi(
    id="cic_at_period_end",
    title="Children in care at the end of the period",
    definition="Children looked after at the end of the last day of the period (in care that night). Children "
    "looked after only for short breaks are left out, as in the Department for Education's "
    "statistics.",
    details_meaning="Short breaks are legal statuses V3 and V4.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_at_period_end(context: MetricContext) -> Figure:
    return Figure(context.in_care_at_end["child_id"].n_unique())


@kpi(
    id="cic_in_period",
    title="Children in care at any time in the period",
    definition="Children looked after on at least one day of the period, short breaks excluded.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_in_period(context: MetricContext) -> Figure:
    return Figure(context.in_care_during.height)


@kpi(
    id="cic_rate_per_10k",
    title="Children in care per 10,000 children",
    definition="Children in care at the end of the period per 10,000 children aged 0 to 17 living in the "
    "authority (the figure the authority supplies for the year).",
    unit=Unit.PER_10K,
    section=SECTION,
)
def cic_rate_per_10k(context: MetricContext) -> Figure:
    population = context.dataset["population"].filter(pl.col("year") == context.period.label)
    count = context.in_care_at_end["child_id"].n_unique()
    if population.is_empty():
        return Figure(None, numerator=count, denominator=None)
    children = int(population["population_0_17"][0])
    return Figure(round(10_000 * count / children, 1), numerator=count, denominator=children)


@kpi(
    id="cic_started",
    title="Children who started to be looked after",
    definition="Children who started a period of care during the period, counted once however many times they "
    "started. Short breaks are left out.",
    details_meaning="A start is an episode with reason for new episode S.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_started(context: MetricContext) -> Figure:
    return Figure(context.starts.height)


@kpi(
    id="cic_ceased",
    title="Children who ceased to be looked after",
    definition="Children whose period of care ended during the period, counted once at their last exit. A move "
    "from one placement or legal status to another within care is not leaving care; short breaks are "
    "left out.",
    details_meaning="Episodes ending with reason X1 (a change within care) are not exits.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_ceased(context: MetricContext) -> Figure:
    return Figure(context.exits.height)


@kpi(
    id="cic_by_age_band",
    title="Children in care by age",
    definition="Children in care at the end of the period by their age that day, in the Department for "
    "Education's bands.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_age_band(context: MetricContext) -> Figure:
    banded = context.in_care_at_end.with_columns(band=age_band(pl.col("age")))
    return breakdown(label_counts(banded, "band"), order=[label for label, _low, _high in AGE_BANDS])


@kpi(
    id="cic_by_gender",
    title="Children in care by sex",
    definition="Children in care at the end of the period by sex, as recorded in the statutory return to the "
    "Department for Education.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_gender(context: MetricContext) -> Figure:
    labelled = context.in_care_at_end.with_columns(label=pl.col("sex").replace_strict(codes.SEX.labels(), default=None))
    return breakdown(label_counts(labelled, "label"), order=["Male", "Female"])


def ethnic_group(ethnicity: pl.Expr) -> pl.Expr:
    mapping = {code: group for group, members in codes.ETHNIC_GROUPS.items() for code in members}
    return ethnicity.replace_strict(mapping, default="Not recorded")


@kpi(
    id="cic_by_ethnicity",
    title="Children in care by ethnic group",
    definition="Children in care at the end of the period by broad ethnic group, as recorded in the statutory return "
    "to the Department for Education.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_ethnicity(context: MetricContext) -> Figure:
    grouped = context.in_care_at_end.with_columns(group=ethnic_group(pl.col("ethnicity")))
    return breakdown(label_counts(grouped, "group"), order=list(codes.ETHNIC_GROUPS))


@kpi(
    id="cic_uasc",
    title="Unaccompanied asylum-seeking children in care",
    definition="Children in care at the end of the period who were unaccompanied asylum-seeking children, of "
    "all children in care then.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def cic_uasc(context: MetricContext) -> Figure:
    uasc = context.dataset["uasc"]["child_id"].implode()
    children = context.in_care_at_end
    return rate(children.filter(pl.col("child_id").is_in(uasc)).height, children.height)


@kpi(
    id="cic_by_legal_status",
    title="Children in care by legal status",
    definition="Children in care at the end of the period by the legal status of their episode that day.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_legal_status(context: MetricContext) -> Figure:
    labels = codes.LEGAL_STATUS.labels()
    return breakdown(label_counts(context.in_care_at_end, "legal_status", labels), order=list(labels.values()))


@kpi(
    id="cic_by_placement_group",
    title="Children in care by type of placement",
    definition="Children in care at the end of the period by the group of their placement type "
    "(foster care, placed for adoption, with parents, children's homes, supported or independent living, other).",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_placement_group(context: MetricContext) -> Figure:
    mapping = {code: group for group, members in codes.PLACEMENT_GROUPS.items() for code in members}
    grouped = context.in_care_at_end.with_columns(
        group=pl.col("placement_type").replace_strict(mapping, default="Other")
    )
    return breakdown(label_counts(grouped, "group"), order=list(codes.PLACEMENT_GROUPS))


@kpi(
    id="cic_by_placement_type",
    title="Children placed inside and outside the authority",
    definition="Children in care at the end of the period by whether the postcode of where they live is inside the "
    "authority's boundary (by the Office for National Statistics' postcode directory). Placements with no "
    "known postcode are shown apart.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_placement_type(context: MetricContext) -> Figure:
    located = context.placements_at_end.with_columns(
        where=pl.when(pl.col("inside_authority").is_null())
        .then(pl.lit("Postcode not known"))
        .when(pl.col("inside_authority"))
        .then(pl.lit("Inside the authority"))
        .otherwise(pl.lit("Outside the authority"))
    )
    return breakdown(label_counts(located, "where"), order=["Inside the authority", "Outside the authority"])


@kpi(
    id="cic_by_placement_provider",
    title="Children in care by placement provider",
    definition="Children in care at the end of the period by who provides their placement.",
    unit=Unit.COUNT,
    section=SECTION,
)
def cic_by_placement_provider(context: MetricContext) -> Figure:
    labelled = context.in_care_at_end.with_columns(
        provider=pl.col("placement_provider").replace_strict(codes.PLACEMENT_PROVIDER.labels(), default=None)
    )
    return breakdown(label_counts(labelled, "provider"), order=list(codes.PLACEMENT_PROVIDER.labels().values()))


@kpi(
    id="cic_placed_over_20_miles",
    title="Children placed more than 20 miles from home",
    definition="Children in care at the end of the period living more than 20 miles (in a straight line, as the "
    "Department for Education measures it) from their home postcode, of those whose distance is known. "
    "Unaccompanied asylum-seeking children and children without a home postcode in England are left out, "
    "as in the Department for Education's statistics.",
    details_meaning="Unaccompanied asylum-seeking children are those with UASC recorded.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def cic_placed_over_20_miles(context: MetricContext) -> Figure:
    known = context.placements_at_end.filter(pl.col("miles").is_not_null())
    return rate(known.filter(pl.col("miles") > 20).height, known.height)


def placements_in_period(context: MetricContext) -> pl.DataFrame:
    """Each child's number of placements during the period: the placement they were in when it began
    (or started in it) and each move to a new carer. Moves to the same carer (RNE T), changes of
    legal status only (L) and temporary placements (T0-T4) are not counted as new placements."""
    overlapping = context.episodes.filter(
        (pl.col("start_date") <= context.period.end)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= context.period.start))
        & ~pl.col("placement_type").is_in(codes.TEMPORARY_PLACEMENTS)
    ).sort("child_id", "start_date")
    first = pl.col("start_date") == pl.col("start_date").min().over("child_id")
    counts = overlapping.with_columns(
        new_placement=(
            first
            | ((pl.col("start_date") >= context.period.start) & pl.col("reason_new_episode").is_in(PLACEMENT_STARTS))
        )
    )
    return counts.group_by("child_id").agg(placements=pl.col("new_placement").sum())


@kpi(
    id="placement_moves_3plus",
    title="Children with three or more placements in the period",
    definition="Children in care at the end of the period who had three or more placements during it, of all "
    "children in care at the end. A placement counts when a child comes into care or moves to a new "
    "carer; changes with the same carer and temporary placements do not count.",
    details_meaning="Placements are episodes with reason for new episode S, P, B or U.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def placement_moves_3plus(context: MetricContext) -> Figure:
    at_end = context.in_care_at_end.select("child_id").unique()
    counted = at_end.join(placements_in_period(context), on="child_id", how="left")
    return rate(counted.filter(pl.col("placements") >= 3).height, at_end.height)


@kpi(
    id="long_term_placement_stability",
    title="Long-term placement stability",
    definition="Children under 16 at the end of the period who had been looked after continuously for at least "
    "2½ years, and had lived in the same placement (same carer) for at least 2 years, of all children under 16 "
    "looked after for at least 2½ years (the Department for Education's measure).",
    unit=Unit.PERCENT,
    section=SECTION,
)
def long_term_placement_stability(context: MetricContext) -> Figure:
    end = pl.lit(context.period.end)
    periods = context.periods.select("period_id", "period_start")
    at_end = context.in_care_at_end.join(periods, on="period_id", how="left")
    long_in_care = at_end.filter(
        (pl.col("age") < 16)
        & (pl.col("period_start").dt.offset_by("30mo") <= end)
        & pl.col("period_start").is_not_null()
    )
    placement_starts = (
        context.episodes.filter(pl.col("reason_new_episode").is_in(PLACEMENT_STARTS))
        .group_by("period_id")
        .agg(placement_start=pl.col("start_date").filter(pl.col("start_date") <= context.period.end).max())
    )
    stable = long_in_care.join(placement_starts, on="period_id", how="left").filter(
        pl.col("placement_start").dt.offset_by("24mo") <= end
    )
    return rate(stable.height, long_in_care.height)


@kpi(
    id="ceased_by_reason",
    title="Children who ceased to be looked after, by reason",
    definition="Children whose period of care ended during the period, by the reason it ended (their last exit).",
    unit=Unit.COUNT,
    section=SECTION,
)
def ceased_by_reason(context: MetricContext) -> Figure:
    labels = codes.REASON_CEASED.labels()
    return breakdown(label_counts(context.exits, "reason_ceased", labels), order=list(labels.values())[1:])


@kpi(
    id="ceased_to_permanence",
    title="Children who left care to legal permanence",
    definition="Children who left care through adoption, a special guardianship order or a child arrangements order, "
    "of all children who left care.",
    details_meaning="Reasons episode ceased E11, E12, E41 and E45 to E48.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def ceased_to_permanence(context: MetricContext) -> Figure:
    exits = context.exits
    return rate(exits.filter(pl.col("reason_ceased").is_in(codes.PERMANENCE_REASONS_CEASED)).height, exits.height)


@kpi(
    id="started_under_1",
    title="Children who started to be looked after before their first birthday",
    definition="Children who started to be looked after during the period aged under 1 on the day they started.",
    unit=Unit.COUNT,
    section=SECTION,
)
def started_under_1(context: MetricContext) -> Figure:
    return Figure(context.starts.filter(pl.col("age") < 1).height)


@kpi(
    id="started_16_plus",
    title="Young people who started to be looked after aged 16 or 17",
    definition="Children who started to be looked after during the period aged 16 or over on the day they started.",
    unit=Unit.COUNT,
    section=SECTION,
)
def started_16_plus(context: MetricContext) -> Figure:
    return Figure(context.starts.filter(pl.col("age") >= 16).height)


@kpi(
    id="missing_in_period",
    title="Children missing or away from placement",
    definition="Children looked after during the period who had a missing or away-from-placement episode "
    "starting in it, counted once, of all children looked after during the period. The breakdown counts "
    "episodes by type.",
    unit=Unit.PERCENT,
    section=SECTION,
)
def missing_in_period(context: MetricContext) -> Figure:
    episodes = context.in_period("missing", "start_date").join(context.in_care_during, on="child_id", how="semi")
    figure = rate(episodes["child_id"].n_unique(), context.in_care_during.height)
    labelled = episodes.with_columns(
        kind=pl.col("missing_type").replace_strict(codes.MISSING_TYPE.labels(), default=None)
    )
    return figure.with_breakdown(label_counts(labelled, "kind"))
