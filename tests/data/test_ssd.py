"""Reading an export of the Standard Safeguarding Dataset (data/ssd.py) and writing one (data/ssd_export.py).

The small export below was counted by hand. Child A came into care on Tuesday 1 October 2024: the first
review is due 20 working days later, on Tuesday 29 October 2024 (no bank holiday between). A's reviews
were held on 15 October 2024, 10 January 2025 and 1 July 2025:
- the second was due 3 months after 15 October 2024, on 15 January 2025; 91 days after it is 14 January
  2025 (16 days left in October, 30 in November, 31 in December, 14 in January);
- the third was due 6 months after 10 January 2025, on 10 July 2025; 183 days after it is 12 July 2025
  (21 days left in January, then 28 + 31 + 30 + 31 + 30 = 150 to the end of June, and 12 in July).
The export's system holds the 91- and 183-day dates, as the Mosaic SSD script counts.
"""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import Dataset, Source
from iroscope.data.folder import read_data_folder
from iroscope.data.merge import merge_sources, sources_in
from iroscope.data.ssd import NOT_IN_THE_SSD
from iroscope.data.ssd_due_dates import CAUSE_91_DAYS, CAUSE_183_DAYS
from iroscope.data.ssd_export import write_ssd_export
from iroscope.data.ssd_tables import PARTICIPATION_DESCRIPTIONS, participation_code, plain_words
from iroscope.data.writers import write_data_folder, write_ssda903_year
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import compute_all
from iroscope.rules.calendar import add_months, long_date
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import TODAY

D = dt.date

PERSON = [
    "pers_person_id,pers_sex,pers_dob,pers_ethnicity,pers_upn_unknown,pers_is_mother",
    "A,M,2012-06-01,WBRI,UN2,N",
    "B,F,2022-01-10 00:00:00.000,MWBC,UN1,N",
    "P9,F,1980-03-01,WBRI,,",
]
CLA_EPISODES = [
    "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,clae_cla_episode_start_reason,"
    "clae_cla_primary_need_code,clae_cla_episode_ceased_date,clae_cla_episode_ceased_reason,clae_cla_id,"
    "clae_cla_placement_id,clae_entered_care_date,clae_cla_last_iro_contact_date",
    "E1,A,2024-10-01,S,N1,,,CLA1,P1,2024-10-01,1900-01-01",
    "E2,B,2024-05-01,S,N4,,,CLA2,P2,2024-05-01,1900-01-01 00:00:00",
]
LEGAL_STATUS = [
    "lega_legal_status_id,lega_person_id,lega_legal_status,lega_legal_status_start_date,lega_legal_status_end_date",
    "L1,A,C1,2024-10-01,1900-01-01",
    "L2,B,V2,2024-05-01,",
]
PLACEMENT = [
    "clap_cla_placement_id,clap_person_id,clap_cla_placement_start_date,clap_cla_placement_type,"
    "clap_cla_placement_provider,clap_cla_placement_postcode,clap_cla_placement_urn,clap_cla_placement_end_date,"
    "clap_cla_placement_change_reason",
    "P1,A,2024-10-01,U6,PR1,DN34 5JF,SC123456,,",
    "P2,B,2024-05-01,U4,PR4,DN36 5YQ,SC654321,,",
]
REVIEWS_HEADER = (
    "clar_cla_review_id,clar_cla_id,clar_cla_review_due_date,clar_cla_review_date,clar_cla_review_cancelled,"
    "clar_cla_review_participation"
)
CLA_REVIEWS = [
    REVIEWS_HEADER,
    "R1,CLA1,2024-10-29,2024-10-15,N,PN1",
    "R2,CLA1,2025-01-14,2025-01-10,N,PN1 - Child physically attends and speaks for him or herself",
    "R3,CLA1,2025-07-12,2025-07-01,N,Child attends and speaks for themselves",
    "R4,CLA1,2025-12-01,,Y,",
    "R5,CLA2,,2024-05-29,N,Child aged under 4 at the time of the review",
]
INVOLVEMENTS = [
    "invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,"
    "invo_involvement_start_date,invo_involvement_end_date,invo_worker_change_reason,invo_person_id",
    "I1,W1,IRO,IRO team,2024-10-02,1900-01-01,,A",
    "I2,W2,CW,Team 1,2024-10-01,,,A",
    "I3,W1,IRO,IRO team,2024-05-02,,,B",
    "I4,W1,IRO,IRO team,2025-01-20,,,P7",
]
PROFESSIONALS = [
    "prof_professional_id,prof_staff_id,prof_professional_name,prof_professional_job_title,"
    "prof_professional_caseload,prof_professional_department,prof_full_time_equivalency,prof_agency_worker_flag",
    "W1,S1,Alex Example,Independent Reviewing Officer,55,IRO team,0.8,N",
    "W2,S2,Sam Example,Social Worker,18,Team 1,1,Y",
]
CARE_PLAN = [
    "lacp_table_id,lacp_person_id,lacp_cla_care_plan_start_date,lacp_cla_care_plan_end_date,lacp_cla_care_plan_json",
    'C1,A,2025-01-10,,"{""LTFOST18"":""Y"",""ADOPTION"":""""}"',
]
VISITS = [
    "clav_cla_visit_id,clav_cla_id,clav_person_id,clav_cla_visit_date,clav_cla_visit_seen,clav_cla_visit_seen_alone",
    "V1,CLA1,A,2024-11-01,Y,Y",
]
CP_REVIEWS = [
    "cppr_cp_review_id,cppr_person_id,cppr_cp_plan_id,cppr_cp_review_due,cppr_cp_review_date,"
    "cppr_cp_review_meeting_id,cppr_cp_review_outcome_continue_cp,cppr_cp_review_quorate,cppr_cp_review_participation",
    "Q1,P7,CP1,2025-02-01,2025-01-30,M1,Y,Y,",
]
EXPORT = {
    "ssd_person.csv": PERSON,
    "ssd_cla_episodes.csv": CLA_EPISODES,
    "ssd_legal_status.csv": LEGAL_STATUS,
    "ssd_cla_placement.csv": PLACEMENT,
    "ssd_cla_reviews.csv": CLA_REVIEWS,
    "ssd_involvements.csv": INVOLVEMENTS,
    "ssd_professionals.csv": PROFESSIONALS,
    "ssd_cla_care_plan.csv": CARE_PLAN,
    "ssd_cla_visits.csv": VISITS,
    "ssd_cp_reviews.csv": CP_REVIEWS,
}


def write_ssd(root: Path, files: dict[str, list[str]] = EXPORT, **changes: list[str] | None) -> Path:
    """Write an SSD export into root/ssd/; `changes` replaces (or, with None, leaves out) files by stem."""
    folder = root / "ssd"
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        stem = name.removesuffix(".csv")
        if stem in changes and changes[stem] is None:
            continue
        (folder / name).write_text("\n".join(changes.get(stem) or lines) + "\n", encoding="utf-8")
    return root


def problems(root: Path, check: str | None = None) -> list[dict[str, object]]:
    found = read_data_folder(root, today=TODAY).problems.frame.to_dicts()
    return [p for p in found if check is None or p["check"] == check]


def test_an_ssd_export_alone_reads_into_children_episodes_reviews_iro_staff_allocations_and_plans(
    tmp_path: Path,
) -> None:
    result = read_data_folder(write_ssd(tmp_path), today=TODAY)
    assert [p for p in result.problems.frame.to_dicts() if p["severity"] == "error"] == []
    dataset = result.dataset
    assert dataset.years == (2024, 2025)
    children = dataset["children"].sort("child_id")
    assert children.select("child_id", "sex", "date_of_birth", "ethnicity", "upn", "mother").rows() == [
        ("A", "M", D(2012, 6, 1), "WBRI", "UN2", "0"),
        ("B", "F", D(2022, 1, 10), "MWBC", "UN1", "0"),
    ]
    episodes = dataset["episodes"].sort("child_id")
    assert episodes.select("child_id", "start_date", "legal_status", "placement_type", "urn").rows() == [
        ("A", D(2024, 10, 1), "C1", "U6", "SC123456"),
        ("B", D(2024, 5, 1), "V2", "U4", "SC654321"),
    ]
    assert dataset["reviews"].sort("child_id", "review_date").select(
        "child_id", "review_date", "participation"
    ).rows() == [
        ("A", D(2024, 10, 15), "PN1"),
        ("A", D(2025, 1, 10), "PN1"),
        ("A", D(2025, 7, 1), "PN1"),
        ("B", D(2024, 5, 29), "PN0"),
    ]
    assert dataset["iro_staff"].select("iro_id", "name", "fte", "start_date", "agency", "team").rows() == [
        ("W1", "Alex Example", 0.8, D(2024, 5, 2), "N", "IRO team")
    ]
    assert dataset["iro_allocations"].sort("child_id").select(
        "child_id", "iro_id", "start_date", "end_date"
    ).rows() == [
        ("A", "W1", D(2024, 10, 2), None),
        ("B", "W1", D(2024, 5, 2), None),
    ]
    assert dataset["permanence_plans"].select("child_id", "plan_date", "plan_type").rows() == [
        ("A", D(2025, 1, 10), "LONG_TERM_FOSTERING")
    ]
    for name in ("children", "episodes", "reviews", "iro_staff", "iro_allocations", "permanence_plans"):
        assert dataset[name]["_source"].unique().to_list() == [Source.SSD], name
    assert Source.LABELS[Source.SSD] == "Standard Safeguarding Dataset export"


def test_what_has_no_home_is_checked_and_summarised_once_per_file(tmp_path: Path) -> None:
    summaries = {(p["file"], p["message"]) for p in problems(write_ssd(tmp_path), "ssd_summary")}
    assert summaries == {
        (
            "ssd/ssd_cla_reviews.csv",
            "1 cancelled review for 1 child: not counted as reviews held (1 without a date).",
        ),
        (
            "ssd/ssd_involvements.csv",
            "1 IRO involvement with 1 person never in care in this export (child protection, say) not read as IRO "
            "allocations.",
        ),
        (
            "ssd/ssd_cla_visits.csv",
            "Checked 1 visit by social workers to 1 child (1 with the child seen); iroscope has no table for them, "
            "so they are not used in any figure.",
        ),
        (
            "ssd/ssd_cp_reviews.csv",
            "Checked 1 child protection review (1 held) for 1 child; iroscope does not yet report child protection "
            "conferences, so they are not used in any figure.",
        ),
    }


def test_an_export_whose_latest_year_is_not_over_is_read_as_an_in_year_extract(tmp_path: Path) -> None:
    result = read_data_folder(write_ssd(tmp_path), today=D(2025, 8, 1))
    assert result.dataset.years == (2024, 2025)
    assert result.dataset.extracts == {2025: D(2025, 7, 1)}
    [problem] = [p for p in result.problems if p.check == "extract_date"]
    assert (problem.severity, problem.file, problem.message) == (
        "warning",
        "ssd",
        "2025-26 is not over, so the SSD export is read as an in-year extract taken on 1 July 2025, the latest date "
        "it holds.",
    )


def test_files_are_recognised_by_their_columns_not_their_names(tmp_path: Path) -> None:
    renamed = {f"export {number}.csv": lines for number, lines in enumerate(EXPORT.values(), start=1)}
    by_columns = read_data_folder(write_ssd(tmp_path / "renamed", renamed), today=TODAY).dataset
    by_names = read_data_folder(write_ssd(tmp_path / "named"), today=TODAY).dataset
    for name in ("children", "episodes", "reviews", "iro_staff", "iro_allocations", "permanence_plans"):
        assert by_columns.canonical(name).equals(by_names.canonical(name)), name


def test_a_csv_that_is_no_ssd_table_is_reported_and_not_used(tmp_path: Path) -> None:
    root = write_ssd(tmp_path)
    (root / "ssd" / "notes.csv").write_text("colour,shape\nred,square\n", encoding="utf-8")
    [problem] = problems(root, "unrecognised_table")
    assert (problem["severity"], problem["file"], problem["row"], problem["value"]) == (
        "error",
        "ssd/notes.csv",
        1,
        "colour, shape",
    )
    assert str(problem["message"]).startswith("These columns do not match any SSD table iroscope reads")


def test_placeholder_dates_are_read_as_blank_with_one_warning_per_file_saying_how_many(tmp_path: Path) -> None:
    root = write_ssd(tmp_path)
    warnings = {p["file"]: (p["column"], p["message"]) for p in problems(root, "placeholder_date")}
    assert warnings == {
        "ssd/ssd_cla_episodes.csv": (
            "clae_cla_last_iro_contact_date",
            "2 dates held a value systems write for no date (2 in clae_cla_last_iro_contact_date); read as blank.",
        ),
        "ssd/ssd_legal_status.csv": (
            "lega_legal_status_end_date",
            "1 date held a value systems write for no date (1 in lega_legal_status_end_date); read as blank.",
        ),
        "ssd/ssd_involvements.csv": (
            "invo_involvement_end_date",
            "1 date held a value systems write for no date (1 in invo_involvement_end_date); read as blank.",
        ),
    }
    # Not "before 1900" nor "in the future": blank, so A's IRO is still allocated.
    assert problems(root, "impossible_date") == [] and problems(root, "future_date") == []


def parse_date(text: str) -> dt.date:
    day = text.split()[0]
    return dt.datetime.strptime(day, "%d/%m/%Y" if "/" in day else "%Y-%m-%d").date()


@pytest.mark.parametrize("placeholder", ["1900-01-01", "01/01/1900", "1753-01-01", "9999-12-31 00:00:00.000"])
def test_each_placeholder_date_is_blank(tmp_path: Path, placeholder: str) -> None:
    involvements = [INVOLVEMENTS[0], f"I1,W1,IRO,IRO team,2024-10-02,{placeholder},,A"]
    result = read_data_folder(write_ssd(tmp_path, ssd_involvements=involvements), today=TODAY)
    assert result.dataset["iro_allocations"]["end_date"].to_list() == [None]
    [problem] = [p for p in result.problems if p.file == "ssd/ssd_involvements.csv"]
    assert (problem.check, problem.value) == ("placeholder_date", long_date(parse_date(placeholder)))


# Each line of PARTICIPATION_DESCRIPTIONS, as a system might write it (capitals, punctuation), and the code.
PARTICIPATION_TEXTS = [
    ("Child aged under 4 at the time of the review", "PN0"),
    ("Child under 4 at the time of the review.", "PN0"),
    ("Under 4", "PN0"),
    ("Child physically attends and speaks for him or herself", "PN1"),
    ("Child attends and speaks for themselves", "PN1"),
    ("Attendance", "PN1"),
    ("Child physically attends and an advocate speaks on his or her behalf", "PN2"),
    ("Child attends and an advocate speaks on their behalf", "PN2"),
    ("Attendance views represented by advocate or Independent Reviewing Officer (IRO)", "PN2"),
    ("Child attends and conveys his or her view symbolically (non-verbally)", "PN3"),
    ("Child attends and conveys their views non-verbally", "PN3"),
    ("Attendance symbols", "PN3"),
    ("Child physically attends but does not speak for him or herself", "PN4"),
    ("Child attends but does not convey their views", "PN4"),
    ("Attendance without contribution", "PN4"),
    ("Child does not attend physically but briefs an advocate to speak for him or her", "PN5"),
    ("Child does not attend but briefs an advocate to speak for them", "PN5"),
    ("Child does not attend but conveys his or her feelings to the review by a facilitative medium", "PN6"),
    ("Child does not attend but conveys their views by another method", "PN6"),
    ("Child does not attend nor are his or her views conveyed to the review", "PN7"),
    ("CHILD DOES NOT ATTEND AND THEIR VIEWS ARE NOT CONVEYED", "PN7"),
]


@pytest.mark.parametrize(("text", "code"), PARTICIPATION_TEXTS)
def test_a_participation_description_naming_one_code_is_that_code(text: str, code: str) -> None:
    assert participation_code(text) == code


def test_every_participation_mapping_line_has_its_test() -> None:
    assert {plain_words(text) for text, _ in PARTICIPATION_TEXTS} == set(PARTICIPATION_DESCRIPTIONS)


@pytest.mark.parametrize(
    ("text", "code"), [("PN6", "PN6"), ("pn3", "PN3"), ("PN5 - views through an advocate", "PN5"), ("PN50", None)]
)
def test_a_code_or_a_code_leading_a_description_is_the_code(text: str, code: str | None) -> None:
    assert participation_code(text) == code


@pytest.mark.parametrize("text", ["Written format", "Viewpoint", "Texting the chair", "Phone"])
def test_words_pn5_and_pn6_share_name_no_code(text: str) -> None:
    assert participation_code(text) is None


def test_participation_text_naming_no_code_is_reported_by_row_and_left_blank(tmp_path: Path) -> None:
    reviews = [REVIEWS_HEADER, "R1,CLA1,2024-10-29,2024-10-15,N,Viewpoint", "R5,CLA2,,2024-05-29,N,PN0"]
    root = write_ssd(tmp_path, ssd_cla_reviews=reviews)
    [problem] = problems(root, "participation_text")
    assert (problem["severity"], problem["file"], problem["row"], problem["child"], problem["column"]) == (
        "warning",
        "ssd/ssd_cla_reviews.csv",
        2,
        "A",
        "clar_cla_review_participation",
    )
    assert problem["value"] == "Viewpoint"
    assert str(problem["message"]).startswith("The participation Viewpoint names no one PN code (PN0 to PN7)")
    reviews_read = read_data_folder(root, today=TODAY).dataset["reviews"]
    assert reviews_read.filter(pl.col("child_id") == "A")["participation"].to_list() == [None]


def test_the_system_due_dates_counting_91_and_183_days_are_listed_by_child_against_regulation_33(
    tmp_path: Path,
) -> None:
    assert add_months(D(2025, 1, 10), 6) == D(2025, 7, 10)
    assert D(2025, 1, 10) + dt.timedelta(days=183) == D(2025, 7, 12)
    result = read_data_folder(write_ssd(tmp_path), today=TODAY)
    assert result.ssd is not None and result.ssd.due_date_differences is not None
    listed = result.ssd.due_date_differences.drop("_file", "_row").rows()
    assert listed == [
        ("A", D(2025, 1, 10), D(2025, 1, 14), D(2025, 1, 15), -1, CAUSE_91_DAYS),
        ("A", D(2025, 7, 1), D(2025, 7, 12), D(2025, 7, 10), 2, CAUSE_183_DAYS),
    ]
    warnings = [(p.file, p.row, p.child, p.message) for p in result.problems if p.check == "system_due_date"]
    assert warnings == [
        (
            "ssd/ssd_cla_reviews.csv",
            3,
            "A",
            "Child A's review on 10 January 2025: the system's due date is 14 January 2025, regulation 33's is 15 "
            "January 2025 (1 day earlier); likely cause: counts 91 days instead of 3 months. iroscope uses "
            "regulation 33's.",
        ),
        (
            "ssd/ssd_cla_reviews.csv",
            4,
            "A",
            "Child A's review on 1 July 2025: the system's due date is 12 July 2025, regulation 33's is 10 July 2025 "
            "(2 days later); likely cause: counts 183 days instead of 6 months. iroscope uses regulation 33's.",
        ),
    ]


def test_a_required_column_missing_is_an_error_naming_it_and_the_file_is_not_used(tmp_path: Path) -> None:
    episodes = [line.replace("clae_person_id,", "") if i == 0 else line for i, line in enumerate(CLA_EPISODES)]
    [problem] = problems(write_ssd(tmp_path, ssd_cla_episodes=episodes), "missing_column")
    assert (problem["severity"], problem["file"], problem["row"], problem["value"], problem["message"]) == (
        "error",
        "ssd/ssd_cla_episodes.csv",
        1,
        "clae_person_id",
        "Recognised as the SSD table ssd_cla_episodes, but required columns are missing: clae_person_id. The file "
        "was not used.",
    )


def test_an_impossible_date_is_an_error_at_its_row_and_column(tmp_path: Path) -> None:
    reviews = [*CLA_REVIEWS[:2], "R2,CLA1,2025-01-14,2025-02-30,N,PN1", *CLA_REVIEWS[3:]]
    [problem] = problems(write_ssd(tmp_path, ssd_cla_reviews=reviews), "date")
    assert (problem["file"], problem["row"], problem["child"], problem["column"], problem["value"]) == (
        "ssd/ssd_cla_reviews.csv",
        3,
        "A",
        "clar_cla_review_date",
        "2025-02-30",
    )
    assert problem["message"] == "2025-02-30 is not a real date (expected a date such as 2025-03-31 or 31/03/2025)."


def test_a_review_row_repeated_by_a_one_to_many_join_is_reported_and_read_once(tmp_path: Path) -> None:
    reviews = [*CLA_REVIEWS, CLA_REVIEWS[2]]
    root = write_ssd(tmp_path, ssd_cla_reviews=reviews)
    [problem] = problems(root, "duplicate")
    assert (problem["severity"], problem["file"], problem["row"], problem["message"]) == (
        "error",
        "ssd/ssd_cla_reviews.csv",
        7,
        "This row repeats row 3 exactly (clar_cla_person_id, clar_cla_review_date).",
    )
    assert read_data_folder(root, today=TODAY).dataset["reviews"].height == 4


def test_a_review_whose_period_of_care_is_unknown_is_an_error_naming_it(tmp_path: Path) -> None:
    reviews = [REVIEWS_HEADER, "R9,CLA7,,2025-01-10,N,PN1"]
    [problem] = problems(write_ssd(tmp_path, ssd_cla_reviews=reviews), "unknown_child")
    assert (problem["file"], problem["row"], problem["value"], problem["message"]) == (
        "ssd/ssd_cla_reviews.csv",
        2,
        "CLA7",
        "The review's child is not known: clar_cla_person_id is blank and clar_cla_id CLA7 is no clae_cla_id in "
        "ssd_cla_episodes. The review was not used.",
    )


def test_a_local_iro_role_code_is_a_setting(tmp_path: Path) -> None:
    involvements = [INVOLVEMENTS[0], "I1,W1,IRVO,IRO team,2024-10-02,,,A"]
    root = write_ssd(tmp_path, ssd_involvements=involvements)
    [warning] = problems(root, "no_iro_involvements")
    assert warning["value"] == "IRVO"
    (root / "settings.toml").write_text('[ssd]\niro_roles = ["IRVO"]\n', encoding="utf-8")
    assert read_data_folder(root, today=TODAY).dataset["iro_allocations"]["iro_id"].to_list() == ["W1"]


def test_beside_a_903_return_the_return_wins_and_the_ssd_fills_allocations_and_staff(
    small_return: Path,
) -> None:
    # The SMALL_RETURN holds children A and B (MOTHER blank); the SSD says A is female. A's episode in the
    # return begins on 6 January 2025, in the SSD on 1 October 2024.
    person = [PERSON[0], "A,F,2012-06-01,WBRI,UN2,", "B,F,2022-01-10,MWBC,UN1,"]
    result = read_data_folder(write_ssd(small_return, ssd_person=person), today=TODAY)
    dataset = result.dataset
    assert dataset["children"].filter(pl.col("child_id") == "A")["sex"].to_list() == ["M"]
    assert set(dataset["children"]["_source"]) == {Source.SSDA903}
    assert dataset["iro_allocations"]["_source"].unique().to_list() == [Source.SSD]
    disagreements = [(p.file, p.row, p.child, p.message) for p in result.problems if p.check == "ssd_disagrees"]
    assert disagreements == [
        (
            "ssd/ssd_cla_episodes.csv",
            None,
            None,
            "Comparing the SSD's episodes of care with the SSDA903 return's: 1 in the SSD only (not used; the SSDA903 "
            "return is the statutory record); 1 in the SSDA903 return only.",
        ),
        (
            "ssd/ssd_cla_reviews.csv",
            None,
            None,
            "Comparing the SSD's reviews with the SSDA903 return's: 3 in the SSD only (not used; the SSDA903 return "
            "is the statutory record); 1 in the SSDA903 return only.",
        ),
        (
            "ssd/ssd_person.csv",
            2,
            "A",
            "The SSD and the SSDA903 return disagree on this child: sex M in the SSDA903 return, F in the SSD. "
            "The SSDA903 return is used.",
        ),
    ]


def _synthetic(tmp_path: Path) -> tuple[Path, Path]:
    dataset = generate(SynthConfig(children=50, years=2, seed=7), today=TODAY)
    return_folder, ssd_folder = tmp_path / "return", tmp_path / "ssd-export"
    for year in dataset.years:
        write_ssda903_year(dataset, year, return_folder / "ssda903" / f"{year}-{(year + 1) % 100:02d}")
    write_ssd_export(dataset, ssd_folder)
    write_ssd_export(dataset, tmp_path / "counting-days", count_days=True)
    return return_folder, ssd_folder


def test_a_synthetic_authority_written_as_an_ssd_export_reads_to_the_same_children_episodes_and_reviews(
    tmp_path: Path,
) -> None:
    return_folder, ssd_folder = _synthetic(tmp_path)
    from_return = read_data_folder(return_folder, today=TODAY)
    from_ssd = read_data_folder(ssd_folder, today=TODAY)
    assert not from_return.problems.has_errors and not from_ssd.problems.has_errors
    assert from_ssd.dataset.years == from_return.dataset.years
    for name in ("children", "episodes", "reviews"):
        expected = from_return.dataset.canonical(name)
        got = from_ssd.dataset.canonical(name)
        compared = [column for column in expected.columns if column not in NOT_IN_THE_SSD]
        assert got.height == expected.height > 0, name
        assert got.select(compared).equals(expected.select(compared)), name
    # Its system due dates are regulation 33's, so none differ.
    assert from_ssd.ssd is not None and from_ssd.ssd.due_date_differences is not None
    assert from_ssd.ssd.due_date_differences.is_empty()


# What an SSD export and a 903 return both hold; the rest come from one or the other (the return's UASC,
# missing episodes and postcodes; the export's IRO staff and allocations).
SHARED_KPIS = (
    "cic_at_period_end",
    "cic_in_period",
    "cic_started",
    "cic_ceased",
    "cic_by_age_band",
    "cic_by_legal_status",
    "reviews_held",
    "reviews_on_time",
    "reviews_late_by_working_days",
    "reviews_overdue_not_held",
    "initial_reviews",
    "reviews_by_participation_code",
    "participation_rate",
)


def test_the_figures_on_children_in_care_and_their_reviews_are_the_same_from_the_export_as_from_the_return(
    tmp_path: Path,
) -> None:
    return_folder, ssd_folder = _synthetic(tmp_path)
    from_return, from_ssd = (read_data_folder(folder, today=TODAY).dataset for folder in (return_folder, ssd_folder))
    period = Period.collection_year(max(from_return.years))
    figures_return = compute_all(MetricContext(from_return, period), list(SHARED_KPIS))
    figures_ssd = compute_all(MetricContext(from_ssd, period), list(SHARED_KPIS))
    for kpi_id in SHARED_KPIS:
        assert figures_ssd[kpi_id] == figures_return[kpi_id], kpi_id
    assert (figures_ssd["reviews_held"].value or 0) > 0
    # The export alone: the figures a 903 return alone would not give come from its own tables.
    sources = {row["table"]: (row["source"], row["rows"]) for row in from_ssd.sources().iter_rows(named=True)}
    assert sources["iro_allocations"] == (Source.LABELS[Source.SSD], from_ssd["iro_allocations"].height)


def test_a_synthetic_export_counting_days_lists_the_differences_by_child_each_with_its_count(tmp_path: Path) -> None:
    _synthetic(tmp_path)
    result = read_data_folder(tmp_path / "counting-days", today=TODAY)
    assert result.ssd is not None and result.ssd.due_date_differences is not None
    listed = result.ssd.due_date_differences
    assert listed.height > 0
    assert set(listed["likely_cause"]) <= {CAUSE_91_DAYS, CAUSE_183_DAYS}
    # 3 months is 89 to 92 days and 6 months 181 to 184, so a listed difference is 1 or 2 days.
    assert set(listed["difference_days"].abs()) <= {1, 2}
    assert listed.height == len([p for p in result.problems if p.check == "system_due_date"])


def test_ssd_due_dates_prints_the_differences_by_child(tmp_path: Path) -> None:
    root = write_ssd(tmp_path)
    outcome = CliRunner().invoke(app, ["ssd-due-dates", str(root), "--today", TODAY.isoformat()])
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.splitlines()
    assert lines[:3] == [
        "Child\tReview\tSystem's due date\tRegulation 33 due date\tDifference (days)\tLikely cause",
        "A\t10 January 2025\t14 January 2025\t15 January 2025\t-1\tcounts 91 days instead of 3 months",
        "A\t1 July 2025\t12 July 2025\t10 July 2025\t+2\tcounts 183 days instead of 6 months",
    ]
    assert " ".join(lines[3:]) == "2 of 3 reviews with a system due date differ from regulation 33, for 1 child."


def test_ssd_due_dates_on_a_folder_without_an_ssd_export_exits_2(small_return: Path) -> None:
    outcome = CliRunner().invoke(app, ["ssd-due-dates", str(small_return), "--today", TODAY.isoformat()])
    assert outcome.exit_code == 2


def test_a_folder_read_from_an_ssd_export_is_written_back_as_one_and_reads_to_the_same_dataset(tmp_path: Path) -> None:
    first = read_data_folder(write_ssd(tmp_path / "export"), today=TODAY).dataset
    written = write_data_folder(first, tmp_path / "written")
    assert (written / "ssd" / "ssd_cla_reviews.csv").is_file()
    again = read_data_folder(written, today=TODAY)
    assert not again.problems.has_errors
    assert again.dataset.same_as(first)


def test_episodes_without_a_legal_status_are_an_error_since_care_cannot_be_told_from_short_breaks(
    tmp_path: Path,
) -> None:
    root = write_ssd(tmp_path, ssd_legal_status=None, ssd_cla_placement=None)
    found = {(p["severity"], p["column"], p["message"]) for p in problems(root, "missing_in_ssd")}
    assert found == {
        (
            "error",
            "lega_legal_status",
            "2 of 2 episodes have no lega_legal_status (from ssd_legal_status); left blank. Without it a period of "
            "care cannot be told from short breaks: export ssd_legal_status too.",
        ),
        (
            "warning",
            "clap_cla_placement_type",
            "2 of 2 episodes have no clap_cla_placement_type (from ssd_cla_placement); left blank.",
        ),
    }


def test_a_file_in_the_ssd_folder_that_is_not_csv_is_named_and_not_read(tmp_path: Path) -> None:
    root = write_ssd(tmp_path)
    (root / "ssd" / "ssd_person.xlsx").write_bytes(b"PK\x03\x04")
    [problem] = problems(root, "not_csv")
    assert (problem["severity"], problem["file"], problem["value"], problem["message"]) == (
        "warning",
        "ssd",
        "ssd_person.xlsx",
        "1 file in ssd/ not read: SSD tables are read as CSV files.",
    )


def test_an_ssd_export_brought_beside_stored_returns_replaces_only_rows_from_an_ssd_export(
    small_return: Path, tmp_path: Path
) -> None:
    stored = read_data_folder(small_return, today=TODAY).dataset
    incoming = read_data_folder(write_ssd(tmp_path / "export"), today=TODAY).dataset
    assert sources_in(incoming) == {Source.SSD}
    merged = merge_sources(stored=stored, incoming=incoming, replacing=sources_in(incoming)).dataset
    assert merged.years == stored.years
    assert merged["children"].select("child_id", "_source").sort("child_id").rows() == [
        ("A", Source.SSDA903),
        ("B", Source.SSDA903),
    ]
    assert merged["iro_allocations"]["_source"].to_list() == [Source.SSD, Source.SSD]


def test_an_ssd_export_brought_where_nothing_is_stored_gives_its_years(tmp_path: Path) -> None:
    incoming = read_data_folder(write_ssd(tmp_path), today=TODAY).dataset
    empty = Dataset(tables={})
    merged = merge_sources(stored=empty, incoming=incoming, replacing=sources_in(incoming)).dataset
    assert merged.years == (2024, 2025)
    assert merged["reviews"].height == 4


def test_an_episode_without_a_start_date_is_an_error_at_its_row(tmp_path: Path) -> None:
    episodes = [*CLA_EPISODES[:2], "E2,B,,S,N4,,,CLA2,P2,2024-05-01,"]
    [problem] = [p for p in problems(write_ssd(tmp_path, ssd_cla_episodes=episodes), "required")]
    assert (problem["file"], problem["row"], problem["child"], problem["column"], problem["message"]) == (
        "ssd/ssd_cla_episodes.csv",
        3,
        "B",
        "clae_cla_episode_start_date",
        "clae_cla_episode_start_date is required but is blank.",
    )


def test_validate_says_which_source_each_tables_rows_came_from_when_an_ssd_export_is_used(
    small_return: Path,
) -> None:
    root = write_ssd(small_return)
    assert read_data_folder(root, today=TODAY).dataset.sources().rows() == [
        ("children", "SSDA903 return", 2),
        ("episodes", "SSDA903 return", 2),
        ("reviews", "SSDA903 return", 2),
        ("iro_staff", "Standard Safeguarding Dataset export", 1),
        ("iro_allocations", "Standard Safeguarding Dataset export", 2),
        ("permanence_plans", "Standard Safeguarding Dataset export", 1),
    ]
    outcome = CliRunner().invoke(app, ["validate", str(root), "--today", TODAY.isoformat()])
    tail = outcome.output.splitlines()[-8:]
    assert tail == [
        "Where the rows came from",
        "Table\tSource\tRows",
        "children\tSSDA903 return\t2",
        "episodes\tSSDA903 return\t2",
        "reviews\tSSDA903 return\t2",
        "iro_staff\tStandard Safeguarding Dataset export\t1",
        "iro_allocations\tStandard Safeguarding Dataset export\t2",
        "permanence_plans\tStandard Safeguarding Dataset export\t1",
    ]


def test_a_code_exported_as_its_description_is_read_as_the_code(tmp_path: Path) -> None:
    person = [PERSON[0], "A,Male,2012-06-01,White British,UN2,No", PERSON[2]]
    episodes = [
        CLA_EPISODES[0],
        "E1,A,2024-10-01,S,N1,2025-09-01,Adopted: application unopposed,CLA1,P1,,",
        CLA_EPISODES[2],
    ]
    dataset = read_data_folder(write_ssd(tmp_path, ssd_person=person, ssd_cla_episodes=episodes), today=TODAY).dataset
    child = dataset["children"].filter(pl.col("child_id") == "A")
    assert child.select("sex", "ethnicity", "mother").rows() == [("M", "WBRI", "0")]
    assert dataset["episodes"].filter(pl.col("child_id") == "A")["reason_ceased"].to_list() == ["E11"]


def test_ssd_due_dates_writes_the_differences_to_csv_as_well(tmp_path: Path) -> None:
    out = tmp_path / "differences.csv"
    root = write_ssd(tmp_path / "data")
    outcome = CliRunner().invoke(app, ["ssd-due-dates", str(root), "--out", str(out), "--today", TODAY.isoformat()])
    assert outcome.exit_code == 0, outcome.output
    assert out.read_text(encoding="utf-8").splitlines() == [
        "child_id,review_date,system_due_date,regulation_due_date,difference_days,likely_cause",
        "A,2025-01-10,2025-01-14,2025-01-15,-1,counts 91 days instead of 3 months",
        "A,2025-07-01,2025-07-12,2025-07-10,2,counts 183 days instead of 6 months",
    ]


def test_kpis_on_an_export_alone_leave_inside_or_outside_the_authority_unknown_rather_than_failing(
    tmp_path: Path,
) -> None:
    # No settings.toml and no home postcodes: whose authority a placement is in cannot be told.
    _, ssd_folder = _synthetic(tmp_path)
    result = CliRunner().invoke(app, ["kpis", str(ssd_folder), "--year", "2024-25", "--csv"])
    assert result.exit_code == 0, result.output
    assert "Children in care at the end of the period" in result.output
