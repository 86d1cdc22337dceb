"""The synthetic authority is internally consistent, reads back unchanged, and looks like the seeds."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from iroscope.data.dataset import Dataset, year_end
from iroscope.data.files import MAX_TABLE_ROWS
from iroscope.data.folder import read_data_folder
from iroscope.data.writers import activity_fits_a_workbook, write_activity_csvs, write_data_folder
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.siblings import allocated_iro_on, sibling_groups_split_on
from iroscope.synth.generator import SynthConfig, generate, latest_complete_year, upn_check_letter
from tests.conftest import TODAY

LAST_YEAR = 2025  # 2025-26, the latest complete year on 22 November 2026


@pytest.fixture(scope="session")
def written(authority: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data_folder(authority, tmp_path_factory.mktemp("authority"))


def test_the_data_covers_the_latest_complete_years() -> None:
    assert latest_complete_year(dt.date(2026, 11, 22)) == 2025
    assert latest_complete_year(dt.date(2026, 3, 31)) == 2024
    assert latest_complete_year(dt.date(2026, 4, 1)) == 2025


def test_the_same_seed_gives_the_same_authority(authority: Dataset) -> None:
    again = generate(SynthConfig(children=400, years=3, seed=7), today=TODAY)
    assert again.same_as(authority)
    assert authority.years == (2023, 2024, 2025)


def test_writing_and_reading_back_gives_the_same_dataset_and_no_problems(authority: Dataset, written: Path) -> None:
    result = read_data_folder(written, today=TODAY)
    assert result.problems.frame.to_dicts() == []
    assert result.dataset.same_as(authority)
    assert sorted(p.name for p in (written / "ssda903").iterdir()) == ["2023-24", "2024-25", "2025-26"]


def test_the_activity_records_round_trip_through_csv_files_too(authority: Dataset, tmp_path: Path) -> None:
    write_data_folder(authority, tmp_path, activity_as="csv")
    assert (tmp_path / "activity" / "disputes.csv").exists()
    assert read_data_folder(tmp_path, today=TODAY).dataset.same_as(authority)


def test_a_table_longer_than_one_file_may_hold_is_split_into_files_read_back_as_one(
    authority: Dataset, tmp_path: Path
) -> None:
    consultations = authority["consultations"].height
    paths = write_activity_csvs(authority, tmp_path / "activity", rows_per_file=consultations // 2 + 1)
    assert [path.name for path in paths if path.name.startswith("consultations")] == [
        "consultations.csv",
        "consultations-2.csv",
    ]
    assert pl.read_csv(tmp_path / "activity" / "consultations-2.csv").height == consultations - (consultations // 2 + 1)
    write_data_folder(authority, tmp_path)  # the rest of the folder beside those files
    (tmp_path / "activity.xlsx").unlink()
    assert read_data_folder(tmp_path, today=TODAY).dataset.same_as(authority)


def test_an_authority_is_written_as_a_workbook_only_while_every_table_fits_a_sheet(authority: Dataset) -> None:
    assert activity_fits_a_workbook(authority)
    consultations = authority["consultations"]
    too_many = pl.concat([consultations] * (MAX_TABLE_ROWS // consultations.height + 1))
    assert not activity_fits_a_workbook(replace(authority, tables={**authority.tables, "consultations": too_many}))


def children_in_care_on(dataset: Dataset, day: dt.date) -> int:
    episodes = dataset["episodes"]
    return episodes.filter((pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day)))[
        "child_id"
    ].n_unique()


def test_about_the_requested_number_of_children_are_in_care_at_any_time(authority: Dataset) -> None:
    for year in authority.years:
        assert 330 <= children_in_care_on(authority, year_end(year)) <= 470


def test_review_timeliness_is_realistic(authority: Dataset) -> None:
    table = MetricContext(authority, Period.collection_year(LAST_YEAR)).timeliness
    held = table.filter(pl.col("status") == "held")
    on_time = held["on_time"].mean()
    assert isinstance(on_time, float)
    assert 0.85 <= on_time <= 0.97
    late = held.filter(~pl.col("on_time"))["working_days_late"]
    assert late.min() == 1 or late.min() == 2
    assert late.median() is not None and 3 <= float(late.median()) <= 20  # type: ignore[arg-type]
    per_child = held.height / children_in_care_on(authority, year_end(LAST_YEAR))
    assert 1.8 <= per_child <= 3.0  # seeds: 2.15 to 2.65 reviews per child a year


def test_participation_codes_are_in_proportions_like_north_east_lincolnshire(authority: Dataset) -> None:
    codes = authority["reviews"]["participation"].value_counts(normalize=True)
    share = dict(zip(codes["participation"], codes["proportion"], strict=True))
    aged_4_plus = 1 - share["PN0"]
    assert 0.1 <= share["PN0"] <= 0.3  # N: 178 of 1,100
    assert 0.3 <= share["PN1"] / aged_4_plus <= 0.55  # N: 359 of 922
    assert 0.35 <= share["PN6"] / aged_4_plus <= 0.6  # N: 490 of 922


def test_caseloads_sit_between_50_and_80_children_per_full_time_iro(authority: Dataset) -> None:
    staff = authority["iro_staff"]
    allocations = authority["iro_allocations"]
    day = year_end(LAST_YEAR)
    current = allocations.filter(
        (pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
    )
    in_post = staff.filter((pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day)))
    caseload = current.height / in_post["fte"].sum()
    assert 50 <= caseload <= 80


def test_disputes_some_visits_fail_and_some_reviews_are_adjourned(authority: Dataset) -> None:
    stages = authority["dispute_stages"]["stage"].value_counts(normalize=True)
    share = dict(zip(stages["stage"], stages["proportion"], strict=True))
    assert share["INFORMAL"] > share["STAGE_1"] > share["STAGE_2"]
    outcomes = authority["iro_contacts"].filter(pl.col("kind") == "VISIT")["outcome"].value_counts(normalize=True)
    failed = dict(zip(outcomes["outcome"], outcomes["proportion"], strict=True))["FAILED"]
    assert 0.05 <= failed <= 0.2
    adjourned = authority["review_meetings"].filter(pl.col("outcome") == "ADJOURNED").height
    assert 0.05 <= adjourned / authority["reviews"].height <= 0.15


def test_every_child_in_the_activity_records_is_a_child_in_the_returns(authority: Dataset) -> None:
    known = set(authority["children"]["child_id"])
    for table in ("iro_allocations", "review_details", "disputes", "iro_contacts", "case_tracking", "sibling_groups"):
        assert set(authority[table]["child_id"].drop_nulls()) <= known, table


def test_upn_check_letters_follow_the_dfe_algorithm() -> None:
    # 8010 0111 2001, weights 2 to 13: 16 + 0 + 4 + 0 + 0 + 7 + 8 + 9 + 20 + 0 + 0 + 13 = 77;
    # 77 mod 23 = 8, the ninth letter of ABCDEFGHJ... -> J
    assert upn_check_letter("801001112001") == "J"


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_a_small_authority_always_has_an_iro_to_allocate(seed: int) -> None:
    small = generate(SynthConfig(children=60, years=2, seed=seed), today=TODAY)
    allocated = set(small["iro_allocations"]["child_id"])
    in_care = set(small["episodes"].filter(pl.col("end_date").is_null())["child_id"])
    assert in_care <= allocated


def test_about_a_third_of_children_in_care_have_a_sibling_also_in_care(authority: Dataset) -> None:
    groups = authority["sibling_groups"]
    sizes = groups.group_by("sibling_group_id").len()["len"]
    assert sizes.min() == 2 and sizes.max() == 4
    assert set(groups["child_id"]) <= set(authority["children"]["child_id"])
    day = year_end(LAST_YEAR)
    in_care = authority["episodes"].filter(
        (pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
    )["child_id"]
    together = groups.filter(pl.col("child_id").is_in(in_care.implode())).filter(pl.len().over("sibling_group_id") >= 2)
    assert 0.2 <= together.height / in_care.n_unique() <= 0.45


def test_siblings_who_come_into_care_during_the_data_come_in_on_the_same_day(authority: Dataset) -> None:
    first_entry = authority["episodes"].group_by("child_id").agg(pl.col("start_date").min())
    entries = (
        authority["sibling_groups"]
        .join(first_entry, on="child_id")
        .group_by("sibling_group_id")
        .agg(pl.col("start_date").min().alias("first"), pl.col("start_date").n_unique().alias("days"))
        # Children already in care when the data began show only their episodes since then.
        .filter(pl.col("first") >= authority.data_start)
    )
    assert entries.height >= 20
    assert entries["days"].to_list() == [1] * entries.height


def test_most_sibling_groups_share_an_iro_but_a_few_are_split(authority: Dataset) -> None:
    day = year_end(LAST_YEAR)
    allocated = allocated_iro_on(authority["iro_allocations"], on=day)
    groups = authority["sibling_groups"].join(allocated, on="child_id").filter(pl.len().over("sibling_group_id") >= 2)
    split = sibling_groups_split_on(
        sibling_groups=authority["sibling_groups"], allocations=authority["iro_allocations"], on=day
    )
    split_groups = split["sibling_group_id"].n_unique()
    assert 1 <= split_groups <= 0.25 * groups["sibling_group_id"].n_unique()


def test_most_reviews_held_were_booked_with_the_invitations_of_the_review(authority: Dataset) -> None:
    held = authority["review_details"].select("child_id", "review_date", "invitations_sent_date")
    booked = authority["scheduled_reviews"]
    matched = held.join(
        booked.rename({"scheduled_date": "review_date", "invitations_sent_date": "booked_invitations"}),
        on=["child_id", "review_date"],
    )
    assert 0.85 <= matched.height / held.height <= 0.95  # REVIEWS_BOOKED_SHARE is 0.9
    assert (matched["invitations_sent_date"] == matched["booked_invitations"]).all()
    assert (matched["booked_date"] < matched["invitations_sent_date"]).all()


def test_next_reviews_are_booked_up_to_three_months_ahead_never_for_a_child_who_left(authority: Dataset) -> None:
    end = year_end(authority.years[-1])
    ahead = authority["scheduled_reviews"].filter(pl.col("scheduled_date") > end)
    assert ahead.height > 0
    assert ahead["scheduled_date"].max() <= end + dt.timedelta(days=91)  # type: ignore[operator]
    assert (ahead["booked_date"] <= end).all()
    open_at_end = authority["episodes"].filter(pl.col("end_date").is_null())["child_id"].unique()
    assert ahead["child_id"].is_in(open_at_end.implode()).all()
