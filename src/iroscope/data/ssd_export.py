"""Writing a dataset as an export of the Standard Safeguarding Dataset (SSD), as a case-management
system's SSD scripts would: the tables `data/ssd.py` reads, as CSV in an `ssd/` folder.

It is how iroscope tests its SSD reader against its SSDA903 reader (the same synthetic authority both
ways), and how a service can see what an SSD export of its data would hold. Optionally it writes the
review due dates as systems that count days do (91 days after the first review, 183 after later ones)
and the placeholder dates systems leak for "no date" (1 January 1900), so that both can be checked.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Final

import polars as pl

from iroscope.data.dataset import SOURCE_COLUMN, Dataset
from iroscope.data.ssd_tables import CARE_PLAN_TYPES, PLACEHOLDER_DATES, SSD_FOLDER
from iroscope.rules import codes
from iroscope.rules.calendar import england_calendar
from iroscope.rules.schedule import review_schedule

NO_DATE: Final = PLACEHOLDER_DATES[0]  # what the systems write for an open end or a missing contact
IRO_ROLE: Final = "IRO"
# iroscope's plan types to the SSD's permanence plan keys; types the SSD has no key for are OTHERPLN.
PLAN_KEYS: Final = {
    "RETURN_HOME": "RETURNEV",
    **{plan: key for key, plan in CARE_PLAN_TYPES.items() if plan != "RETURN_HOME"},
}
CARE_PLAN_KEYS: Final = ("REMAINSUP", "RETURN1M", "RETURN6M", "RETURNEV", "LTRELFR", "LTFOST18", "RESPLMT", "SUPPLIV")
CARE_PLAN_KEYS_ALL: Final = (*CARE_PLAN_KEYS, "ADOPTION", "OTHERPLN")


def _iso(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m-%d")


def _or_no_date(column: str, *, placeholders: bool) -> pl.Expr:
    written = _iso(column)
    return written.fill_null(NO_DATE.isoformat()) if placeholders else written


def _periods(episodes: pl.DataFrame) -> pl.DataFrame:
    """Each episode with the identifier of its period of care (clae_cla_id): a period runs on through
    episodes that ceased X1 (the child stayed looked after)."""
    ordered = episodes.sort("child_id", "start_date")
    new_period = pl.col("reason_ceased").shift(1).over("child_id").fill_null("") != "X1"
    return ordered.with_columns(
        episode_id=pl.format("E{}", pl.int_range(1, pl.len() + 1)),
        cla_id=pl.format("{}-{}", pl.col("child_id"), new_period.cast(pl.Int64).cum_sum().over("child_id")),
    ).with_columns(
        period_start=pl.col("start_date").min().over("cla_id"),
    )


def system_due_dates(dataset: Dataset, *, count_days: bool) -> pl.DataFrame:
    """Each review held with the due date a system would hold for it: regulation 33's (`count_days`
    False), or 91 days after the period's first review and 183 after a later one (`count_days` True),
    the first review's 20 working days being the same either way. Blank where the due date is unknown."""
    schedule = review_schedule(
        episodes=dataset["episodes"],
        reviews=dataset["reviews"],
        data_start=dataset.data_start,
        calendar=england_calendar(),
    )
    counted = (
        pl.when(pl.col("due_date").is_null() | pl.col("previous_review_date").is_null())
        .then(pl.col("due_date"))
        .when(pl.col("review_sequence") == 2)
        .then(pl.col("previous_review_date") + dt.timedelta(days=91))
        .otherwise(pl.col("previous_review_date") + dt.timedelta(days=183))
    )
    return schedule.select("child_id", "review_date", (counted if count_days else pl.col("due_date")).alias("due"))


def _care_plan_json(plan_type: str) -> str:
    ticked = PLAN_KEYS.get(plan_type, "OTHERPLN")
    return json.dumps({key: ("Y" if key == ticked else "") for key in CARE_PLAN_KEYS_ALL}, separators=(",", ":"))


def write_ssd_export(
    dataset: Dataset,
    root: Path,
    *,
    count_days: bool = False,
    placeholders: bool = True,
    source: str | None = None,
) -> list[Path]:
    """Write `dataset` as SSD tables in `root/ssd/` and return the files written. `count_days`: review
    due dates counted in days as some systems do; `placeholders`: 1 January 1900 for an open
    involvement's end and a missing last IRO contact, as systems leak; `source`: only the rows that
    came from it (`Source.SSD`, so that a workspace's rows from an SSD export are exported as one)."""
    if source is not None:
        dataset = replace(
            dataset,
            tables={name: frame.filter(pl.col(SOURCE_COLUMN) == source) for name, frame in dataset.tables.items()},
        )
    folder = root / SSD_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, frame: pl.DataFrame) -> None:
        path = folder / f"{name}.csv"
        frame.write_csv(path)
        written.append(path)

    children = dataset["children"]
    write(
        "ssd_person",
        children.sort("child_id").select(
            pl.col("child_id").alias("pers_person_id"),
            pl.col("sex").alias("pers_sex"),
            _iso("date_of_birth").alias("pers_dob"),
            pl.col("ethnicity").alias("pers_ethnicity"),
            pl.when(pl.col("upn").is_in(list(codes.UPN_PLACEHOLDER.valid_codes())))
            .then(pl.col("upn"))
            .alias("pers_upn_unknown"),
            pl.col("mother").replace_strict({"1": "Y", "0": "N"}, default=None).alias("pers_is_mother"),
        ),
    )
    episodes = _periods(dataset["episodes"])
    write(
        "ssd_cla_episodes",
        episodes.select(
            pl.col("episode_id").alias("clae_cla_episode_id"),
            pl.col("child_id").alias("clae_person_id"),
            _iso("start_date").alias("clae_cla_episode_start_date"),
            pl.col("reason_new_episode").alias("clae_cla_episode_start_reason"),
            pl.col("category_of_need").alias("clae_cla_primary_need_code"),
            _iso("end_date").alias("clae_cla_episode_ceased_date"),
            pl.col("reason_ceased").alias("clae_cla_episode_ceased_reason"),
            pl.col("cla_id").alias("clae_cla_id"),
            pl.format("P{}", pl.col("episode_id")).alias("clae_cla_placement_id"),
            _iso("period_start").alias("clae_entered_care_date"),
            pl.lit(NO_DATE.isoformat() if placeholders else None, dtype=pl.String).alias(
                "clae_cla_last_iro_contact_date"
            ),
        ),
    )
    write(
        "ssd_legal_status",
        episodes.select(
            pl.format("L{}", pl.col("episode_id")).alias("lega_legal_status_id"),
            pl.col("child_id").alias("lega_person_id"),
            pl.col("legal_status").alias("lega_legal_status"),
            _iso("start_date").alias("lega_legal_status_start_date"),
            _iso("end_date").alias("lega_legal_status_end_date"),
        ),
    )
    write(
        "ssd_cla_placement",
        episodes.select(
            pl.format("P{}", pl.col("episode_id")).alias("clap_cla_placement_id"),
            _iso("start_date").alias("clap_cla_placement_start_date"),
            pl.col("placement_type").alias("clap_cla_placement_type"),
            pl.col("urn").alias("clap_cla_placement_urn"),
            pl.col("cla_id").alias("clap_cla_id"),
            pl.col("placement_provider").alias("clap_cla_placement_provider"),
            pl.col("placement_postcode").alias("clap_cla_placement_postcode"),
            _iso("end_date").alias("clap_cla_placement_end_date"),
            pl.col("reason_place_change").alias("clap_cla_placement_change_reason"),
            pl.col("child_id").alias("clap_person_id"),
        ),
    )
    write("ssd_cla_reviews", _reviews(dataset, episodes, count_days=count_days))
    allocations = dataset["iro_allocations"].sort("child_id", "start_date")
    write(
        "ssd_involvements",
        allocations.select(
            pl.format("I{}", pl.int_range(1, pl.len() + 1)).alias("invo_involvements_id"),
            pl.col("iro_id").alias("invo_professional_id"),
            pl.lit(IRO_ROLE).alias("invo_professional_role_id"),
            pl.lit(None, dtype=pl.String).alias("invo_professional_team"),
            _iso("start_date").alias("invo_involvement_start_date"),
            _or_no_date("end_date", placeholders=placeholders).alias("invo_involvement_end_date"),
            pl.col("reason").alias("invo_worker_change_reason"),
            pl.col("child_id").alias("invo_person_id"),
        ),
    )
    write(
        "ssd_professionals",
        dataset["iro_staff"]
        .sort("iro_id")
        .select(
            pl.col("iro_id").alias("prof_professional_id"),
            pl.col("iro_id").alias("prof_staff_id"),
            pl.col("name").alias("prof_professional_name"),
            pl.lit("Independent Reviewing Officer").alias("prof_professional_job_title"),
            pl.col("team").alias("prof_professional_department"),
            pl.col("fte").alias("prof_full_time_equivalency"),
            pl.col("agency").alias("prof_agency_worker_flag"),
        ),
    )
    plans = dataset["permanence_plans"].sort("child_id", "plan_date")
    if not plans.is_empty():
        write(
            "ssd_cla_care_plan",
            plans.select(
                pl.format("C{}", pl.int_range(1, pl.len() + 1)).alias("lacp_table_id"),
                pl.col("child_id").alias("lacp_person_id"),
                _iso("plan_date").alias("lacp_cla_care_plan_start_date"),
                pl.lit(None, dtype=pl.String).alias("lacp_cla_care_plan_end_date"),
                pl.col("plan_type")
                .map_elements(_care_plan_json, return_dtype=pl.String)
                .alias("lacp_cla_care_plan_json"),
            ),
        )
    return written


def _reviews(dataset: Dataset, episodes: pl.DataFrame, *, count_days: bool) -> pl.DataFrame:
    """Held reviews with the system's due date, and reviews stood down as cancelled (no review date, the
    day they were due as their due date). Like the specification, no person column: a review reaches its
    child through its period of care."""
    in_force = episodes.select("child_id", "start_date", "cla_id").sort("start_date")
    due = system_due_dates(dataset, count_days=count_days)
    held = (
        dataset["reviews"]
        .select("child_id", "review_date", "participation")
        .join(due, on=["child_id", "review_date"], how="left")
        .with_columns(cancelled=pl.lit("N"))
    )
    meetings = dataset["review_meetings"]
    stood_down = meetings.filter(pl.col("outcome") == "STOOD_DOWN").select(
        "child_id",
        pl.lit(None, dtype=pl.Date).alias("review_date"),
        pl.lit(None, dtype=pl.String).alias("participation"),
        pl.col("meeting_date").alias("due"),
        pl.lit("Y").alias("cancelled"),
    )
    rows = pl.concat([held, stood_down], how="vertical_relaxed").with_columns(_on=pl.coalesce("review_date", "due"))
    rows = rows.sort("_on").join_asof(
        in_force, left_on="_on", right_on="start_date", by="child_id", strategy="backward", check_sortedness=False
    )
    return (
        rows.filter(pl.col("cla_id").is_not_null())
        .sort("child_id", "_on")
        .select(
            pl.format("R{}", pl.int_range(1, pl.len() + 1)).alias("clar_cla_review_id"),
            pl.col("cla_id").alias("clar_cla_id"),
            _iso("due").alias("clar_cla_review_due_date"),
            _iso("review_date").alias("clar_cla_review_date"),
            pl.col("cancelled").alias("clar_cla_review_cancelled"),
            pl.col("participation").alias("clar_cla_review_participation"),
        )
    )
