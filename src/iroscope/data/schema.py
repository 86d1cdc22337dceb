"""The canonical dataset's schema: every table, column, type, whether it is required, and its code
list. Readers, writers, validation, the activity template and docs/data-model.md all come from
this one declaration.

SSDA903 tables keep the national meaning of every field but use readable snake_case names; each
column records its SSDA903 name, so `DECOM` is `episodes.start_date` everywhere in iroscope and
`DECOM` again in any file we write. Dates of birth repeated on SSDA903 tables other than Header are
not kept twice: they are checked against the child's Header row and written back from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

import polars as pl

from iroscope.rules import codes
from iroscope.rules.codes import CodeList


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    INTEGER = "whole number"
    DECIMAL = "number"
    CODE = "code"
    CODES = "codes, separated by semicolons"
    POSTCODE = "postcode"

    @property
    def polars_type(self) -> pl.DataType:
        return {
            Kind.TEXT: pl.String(),
            Kind.DATE: pl.Date(),
            Kind.INTEGER: pl.Int64(),
            Kind.DECIMAL: pl.Float64(),
            Kind.CODE: pl.String(),
            Kind.CODES: pl.List(pl.String()),
            Kind.POSTCODE: pl.String(),
        }[self]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    required: bool = False
    code_list: CodeList | None = None
    ssda903: str | None = None
    references: str | None = None  # "table.column" this value must exist in
    may_be_future: bool = False  # a date that is normally after the return's year (e.g. UASC status ends at 18)

    @property
    def polars_type(self) -> pl.DataType:
        return self.kind.polars_type


Source = Literal["ssda903", "activity", "reference"]
_EMPTY_FRAMES: dict[str, pl.DataFrame] = {}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    source: Source
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    ssda903_columns: tuple[str, ...] = ()  # the exact SSDA903 CSV columns, in order

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {column.name: column.polars_type for column in self.columns}

    def empty(self) -> pl.DataFrame:
        """An empty frame of this table (shared: frames are never modified in place)."""
        if self.name not in _EMPTY_FRAMES:
            _EMPTY_FRAMES[self.name] = pl.DataFrame(schema=self.polars_schema)
        return _EMPTY_FRAMES[self.name]

    def by_ssda903_name(self) -> dict[str, Column]:
        return {column.ssda903: column for column in self.columns if column.ssda903}


def _child(description: str = "The local authority's identifier for the child.", *, ssda903: bool = True) -> Column:
    return Column(
        "child_id", Kind.TEXT, description, required=True, ssda903="CHILD" if ssda903 else None, references=None
    )


def _child_ref(required: bool = True) -> Column:
    return Column(
        "child_id",
        Kind.TEXT,
        "The child's identifier, as in the SSDA903 Header (CHILD).",
        required=required,
        references="children.child_id",
    )


def _iro_ref(required: bool = False, description: str = "The IRO, as in the IRO staff table.") -> Column:
    return Column("iro_id", Kind.TEXT, description, required=required, references="iro_staff.iro_id")


def _date(name: str, description: str, *, required: bool = False, ssda903: str | None = None) -> Column:
    return Column(name, Kind.DATE, description, required=required, ssda903=ssda903)


def _code(
    name: str, code_list: CodeList, description: str, *, required: bool = False, ssda903: str | None = None
) -> Column:
    return Column(name, Kind.CODE, description, required=required, code_list=code_list, ssda903=ssda903)


def _flag(name: str, description: str, *, ssda903: str | None = None) -> Column:
    return Column(name, Kind.CODE, description, code_list=codes.YES_NO, ssda903=ssda903)


FLAG_01 = CodeList("flag_01", "1 yes, 0 no.", (codes.Code("1", "Yes"), codes.Code("0", "No")))

# ---------------------------------------------------------------- SSDA903 ---------------------------

CHILDREN = Table(
    "children",
    "Children (SSDA903 Header)",
    "One row per child looked after at any time in the data's years.",
    "ssda903",
    (
        _child(),
        _code("sex", codes.SEX, "Sex.", required=True, ssda903="SEX"),
        _date("date_of_birth", "Date of birth.", required=True, ssda903="DOB"),
        _code("ethnicity", codes.ETHNICITY, "Ethnic origin.", required=True, ssda903="ETHNIC"),
        Column("upn", Kind.TEXT, "Unique pupil number, or a UN1–UN5 placeholder.", ssda903="UPN"),
        _code("mother", codes.MOTHER, "Whether the child is a mother (girls only).", ssda903="MOTHER"),
        _date("child_of_mother_dob", "Date of birth of the child's own child.", ssda903="MC_DOB"),
    ),
    key=("child_id",),
    ssda903_columns=("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
)

EPISODES = Table(
    "episodes",
    "Episodes of care (SSDA903 Episodes)",
    "A span in which the child's legal status and placement stay the same. Runs of episodes ending X1 make a "
    "period of care.",
    "ssda903",
    (
        _child(),
        _date("start_date", "Date the episode began.", required=True, ssda903="DECOM"),
        _code("reason_new_episode", codes.REASON_NEW_EPISODE, "Reason for new episode.", required=True, ssda903="RNE"),
        _code("legal_status", codes.LEGAL_STATUS, "Legal status.", required=True, ssda903="LS"),
        _code("category_of_need", codes.CATEGORY_OF_NEED, "Category of need.", required=True, ssda903="CIN"),
        _code("placement_type", codes.PLACEMENT_TYPE, "Placement type.", required=True, ssda903="PLACE"),
        _code("placement_provider", codes.PLACEMENT_PROVIDER, "Placement provider.", ssda903="PLACE_PROVIDER"),
        _date("end_date", "Date the episode ceased; blank if open at the end of the return's year.", ssda903="DEC"),
        _code("reason_ceased", codes.REASON_CEASED, "Reason the episode ceased.", ssda903="REC"),
        _code(
            "reason_place_change",
            codes.REASON_PLACE_CHANGE,
            "Why the placement ended.",
            ssda903="REASON_PLACE_CHANGE",
        ),
        Column("home_postcode", Kind.POSTCODE, "Postcode of the child's home address.", ssda903="HOME_POST"),
        Column("placement_postcode", Kind.POSTCODE, "Postcode of the placement.", ssda903="PL_POST"),
        Column("urn", Kind.TEXT, "Ofsted unique reference number of the setting.", ssda903="URN"),
    ),
    key=("child_id", "start_date"),
    ssda903_columns=(
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
)

REVIEWS = Table(
    "reviews",
    "Reviews (SSDA903 Reviews)",
    "Each looked-after review held, with the child's participation. Short-break (V3/V4) reviews are not in "
    "SSDA903 and come from review_details.",
    "ssda903",
    (
        _child(),
        _date("review_date", "Date the review was held (completed).", required=True, ssda903="REVIEW"),
        _code("participation", codes.PARTICIPATION, "How the child took part.", required=True, ssda903="REVIEW_CODE"),
    ),
    key=("child_id", "review_date"),
    ssda903_columns=("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
)

UASC = Table(
    "uasc",
    "Unaccompanied asylum-seeking children (SSDA903 UASC)",
    "Children who were unaccompanied asylum-seeking children at any time.",
    "ssda903",
    (
        _child(),
        Column(
            "uasc_ceased",
            Kind.DATE,
            "Date UASC status ceased, or will cease on the 18th birthday.",
            ssda903="DUC",
            may_be_future=True,
        ),
    ),
    key=("child_id",),
    ssda903_columns=("CHILD", "SEX", "DOB", "DUC"),
)

MISSING = Table(
    "missing",
    "Missing or away from placement (SSDA903 Missing)",
    "Each period the child was missing or away from placement without authorisation.",
    "ssda903",
    (
        _child(),
        _code("missing_type", codes.MISSING_TYPE, "Missing or away.", required=True, ssda903="MISSING"),
        _date("start_date", "Date the period began.", required=True, ssda903="MIS_START"),
        _date("end_date", "Date the child was found or returned.", ssda903="MIS_END"),
    ),
    key=("child_id", "start_date"),
    ssda903_columns=("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
)

OC2 = Table(
    "oc2",
    "Outcomes for children looked after for 12 months (SSDA903 OC2)",
    "Health, offending and substance misuse outcomes.",
    "ssda903",
    (
        _child(),
        Column(
            "sdq_score", Kind.INTEGER, "Strengths and difficulties questionnaire score (0–40).", ssda903="SDQ_SCORE"
        ),
        Column("sdq_reason", Kind.TEXT, "Reason no SDQ score (SDQ1–SDQ5).", ssda903="SDQ_REASON"),
        _code("convicted", FLAG_01, "Convicted during the year.", ssda903="CONVICTED"),
        _code("health_check", FLAG_01, "Health check up to date.", ssda903="HEALTH_CHECK"),
        _code("immunisations", FLAG_01, "Immunisations up to date.", ssda903="IMMUNISATIONS"),
        _code("teeth_check", FLAG_01, "Teeth checked.", ssda903="TEETH_CHECK"),
        _code("health_assessment", FLAG_01, "Health assessment up to date.", ssda903="HEALTH_ASSESSMENT"),
        _code("substance_misuse", FLAG_01, "Identified substance misuse problem.", ssda903="SUBSTANCE_MISUSE"),
        _code("intervention_received", FLAG_01, "Received an intervention.", ssda903="INTERVENTION_RECEIVED"),
        _code("intervention_offered", FLAG_01, "Offered an intervention.", ssda903="INTERVENTION_OFFERED"),
    ),
    key=("child_id",),
    ssda903_columns=(
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
)

OC3 = Table(
    "oc3",
    "Care leavers (SSDA903 OC3)",
    "Contact, activity and accommodation of care leavers on their birthday.",
    "ssda903",
    (
        _child(),
        Column("in_touch", Kind.TEXT, "Whether the authority is in touch.", ssda903="IN_TOUCH"),
        Column("activity", Kind.TEXT, "Main activity.", ssda903="ACTIV"),
        Column("accommodation", Kind.TEXT, "Type and suitability of accommodation.", ssda903="ACCOM"),
    ),
    key=("child_id",),
    ssda903_columns=("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
)

AD1 = Table(
    "ad1",
    "Adoptions (SSDA903 AD1)",
    "Children adopted during the year.",
    "ssda903",
    (
        _child(),
        _date(
            "date_interest",
            "Date the decision that the child should be placed for adoption was made.",
            ssda903="DATE_INT",
        ),
        _date("date_match", "Date matched with adopters.", ssda903="DATE_MATCH"),
        _code("foster_care", FLAG_01, "Adopted by their foster carer.", ssda903="FOSTER_CARE"),
        Column("number_of_adopters", Kind.TEXT, "Number of adopters (1 or 2).", ssda903="NB_ADOPTR"),
        Column("sex_of_adopters", Kind.TEXT, "Sex of adopters (M1, F1, MM, FF, MF).", ssda903="SEX_ADOPTR"),
        Column("legal_status_of_adopters", Kind.TEXT, "Legal status of adopters.", ssda903="LS_ADOPTR"),
    ),
    key=("child_id",),
    ssda903_columns=(
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
)

PLACED_FOR_ADOPTION = Table(
    "placed_for_adoption",
    "Should be placed for adoption (SSDA903 PlacedAdoption)",
    "Decisions that the child should be placed for adoption, and when they ceased.",
    "ssda903",
    (
        _child(),
        _date("date_placed", "Date of the decision.", required=True, ssda903="DATE_PLACED"),
        _date("date_placed_ceased", "Date the decision ceased to apply.", ssda903="DATE_PLACED_CEASED"),
        Column("reason_placed_ceased", Kind.TEXT, "Why it ceased (RD1–RD4).", ssda903="REASON_PLACED_CEASED"),
    ),
    key=("child_id", "date_placed"),
    ssda903_columns=("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
)

PREVIOUS_PERMANENCE = Table(
    "previous_permanence",
    "Previous permanence (SSDA903 PrevPerm)",
    "Permanence orders made before the child came into care.",
    "ssda903",
    (
        _child(),
        Column("previous_permanence", Kind.TEXT, "Previous permanence option (P1–P4, Z1).", ssda903="PREV_PERM"),
        Column("la_permanence", Kind.TEXT, "Authority that made the order.", ssda903="LA_PERM"),
        Column("date_permanence", Kind.TEXT, "Date of the order; unknown parts masked ZZ.", ssda903="DATE_PERM"),
    ),
    key=("child_id",),
    ssda903_columns=("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
)

SW_EPISODES = Table(
    "sw_episodes",
    "Social worker episodes (SSDA903 SWEpisodes)",
    "Social workers allocated to the child (from 2023-24).",
    "ssda903",
    (
        _child(),
        Column("social_worker_id", Kind.TEXT, "Social worker identifier (SW… or XX…).", required=True, ssda903="SW_ID"),
        _date("start_date", "Start of the allocation.", required=True, ssda903="SW_DECOM"),
        _date("end_date", "End of the allocation.", ssda903="SW_DEC"),
        _code("reason", codes.SW_REASON, "Reason for the change of social worker.", ssda903="SW_REASON"),
    ),
    key=("child_id", "start_date"),
    ssda903_columns=("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
)

DOLO = Table(
    "dolo",
    "Deprivation of liberty orders (SSDA903 DoLo)",
    "Deprivation of liberty orders (from 2026-27).",
    "ssda903",
    (
        _child(),
        _date("start_date", "Start of the order.", required=True, ssda903="DOLO_START"),
        _date("end_date", "End of the order.", ssda903="DOLO_END"),
    ),
    key=("child_id", "start_date"),
    ssda903_columns=("CHILD", "DOB", "DOLO_START", "DOLO_END"),
)

# ---------------------------------------------------------------- activity --------------------------

IRO_STAFF = Table(
    "iro_staff",
    "IRO staff",
    "Each Independent Reviewing Officer in the service, past and present.",
    "activity",
    (
        Column("iro_id", Kind.TEXT, "The service's identifier for the IRO.", required=True),
        Column("name", Kind.TEXT, "Name as shown to colleagues."),
        Column("fte", Kind.DECIMAL, "Full-time equivalent, for example 1 or 0.6.", required=True),
        _date("start_date", "Started in the IRO service.", required=True),
        _date("end_date", "Left the IRO service; blank if still in post."),
        _code("gender", codes.GENDER, "Gender."),
        _code("ethnicity", codes.ETHNICITY, "Ethnic origin (same codes as children)."),
        _flag("dual_role", "Y if the IRO also chairs child protection conferences."),
        _flag("agency", "Optional: Y if the IRO works through an agency (agency cover), N if employed."),
        Column("team", Kind.TEXT, "Team or service the IRO belongs to."),
    ),
    key=("iro_id",),
)

IRO_ALLOCATIONS = Table(
    "iro_allocations",
    "IRO allocations",
    "Which IRO was allocated to which child, and when. A change of IRO closes one row and opens another.",
    "activity",
    (
        _child_ref(),
        _iro_ref(required=True),
        _date("start_date", "Allocated from.", required=True),
        _date("end_date", "Allocated until; blank if current."),
        Column("reason", Kind.TEXT, "Why the IRO changed (for example IRO left, sibling group, child asked)."),
    ),
    key=("child_id", "start_date"),
)

SIBLING_GROUPS = Table(
    "sibling_groups",
    "Sibling groups",
    "Brothers and sisters who are looked after, so that one IRO can be allocated to them all. Each child in a "
    "group has a row with the group's identifier; a group has at least two children and a child is in at most "
    "one group. SSDA903 has no sibling field, so this comes from the service's own records.",
    "activity",
    (
        _child_ref(),
        Column(
            "sibling_group_id",
            Kind.TEXT,
            "The service's identifier for the group, the same on each sibling's row.",
            required=True,
        ),
    ),
    key=("child_id",),
)

SCHEDULED_REVIEWS = Table(
    "scheduled_reviews",
    "Reviews booked",
    "Each review business support booked: the date it is booked for, how it will be held, and when the "
    "invitations and consultation forms went out. A review stays here once held (the held review is in "
    "reviews and review_details); a booking cancelled before the day is removed.",
    "activity",
    (
        _child_ref(),
        Column(
            "scheduled_date",
            Kind.DATE,
            "Date the review is booked for.",
            required=True,
            may_be_future=True,
        ),
        _code("format", codes.REVIEW_FORMAT, "How the review is to be held."),
        _date("booked_date", "Date the review was booked."),
        _date("invitations_sent_date", "Date invitations and consultation forms were sent; blank if not yet."),
    ),
    key=("child_id", "scheduled_date"),
)

REVIEW_DETAILS = Table(
    "review_details",
    "Review details",
    "What SSDA903 does not hold about each review: format, series of meetings, invitations, decisions and "
    "record dates, permanence plan. A short-break review, absent from SSDA903, is recorded here with its "
    "participation code.",
    "activity",
    (
        _child_ref(),
        _date("review_date", "Date the review was held (completed).", required=True),
        _iro_ref(description="The IRO who chaired the review."),
        _code("format", codes.REVIEW_FORMAT, "How the meeting was held."),
        _flag("series_of_meetings", "Y if the review was held as a series of meetings."),
        _date("invitations_sent_date", "Date invitations and consultation forms were sent."),
        _date("decisions_date", "Date decisions and recommendations were sent."),
        _date("record_distributed_date", "Date the full record of the review was distributed."),
        _flag("permanence_plan", "Y if the child had a permanence plan at this review."),
        _code("participation", codes.PARTICIPATION, "Participation, for reviews not in SSDA903 (short breaks)."),
        _code(
            "non_attendance_reason",
            codes.NON_ATTENDANCE_REASON,
            "Optional: why a child aged 4 or over did not attend (participation PN5 to PN7).",
        ),
        _flag("child_chaired", "Optional: Y if the child chaired or co-chaired their own review."),
        _flag("parents_participated", "Optional: Y if a parent attended or gave their views; N if not."),
        _flag("carers_participated", "Optional: Y if the child's carer attended or gave their views; N if not."),
        Column(
            "late_reason",
            Kind.TEXT,
            "Optional: why a review held after its due date was late, as a code from the practice settings' "
            "late reasons.",
        ),
    ),
    key=("child_id", "review_date"),
)

REVIEW_DECISIONS = Table(
    "review_decisions",
    "Decisions of reviews",
    "Each decision (recommendation) a review made: what, who is to carry it out, by when, and where it stands. "
    "A decision is open until it is marked done, not done or no longer needed.",
    "activity",
    (
        Column("decision_id", Kind.TEXT, "The service's identifier for the decision.", required=True),
        _child_ref(),
        _date("review_date", "Date of the review that made the decision.", required=True),
        Column("decision", Kind.TEXT, "What was decided, in plain words.", required=True),
        _code("responsible", codes.DECISION_RESPONSIBLE, "Who is to carry it out.", required=True),
        Column("due_date", Kind.DATE, "Date it should be done by.", required=True, may_be_future=True),
        _code("status", codes.DECISION_STATUS, "Done, not done or no longer needed; blank while open."),
        _date("status_date", "Date the status was recorded; blank while open."),
        _iro_ref(description="The IRO who chaired the review."),
    ),
    key=("decision_id",),
)

REVIEW_LETTERS = Table(
    "review_letters",
    "Letters to children after their review",
    "The letter the IRO wrote to the child about their review, in the words the IRO approved, and when it was sent.",
    "activity",
    (
        _child_ref(),
        _date("review_date", "Date of the review the letter is about.", required=True),
        Column("letter", Kind.TEXT, "The letter's text as last saved.", required=True),
        _date("finalised_date", "Date the IRO approved the letter; blank while it is a draft."),
        _date("sent_date", "Date the letter was sent to the child; blank if not yet."),
        _iro_ref(description="The IRO who wrote the letter."),
    ),
    key=("child_id", "review_date"),
)

PERMANENCE_PLANS = Table(
    "permanence_plans",
    "Permanence plans",
    "Each permanence plan agreed for a child: the kind of permanence, the date it was agreed and the date "
    "by which it should be achieved. The latest plan is the child's current plan.",
    "activity",
    (
        _child_ref(),
        _date("plan_date", "Date the plan was agreed, normally at a review.", required=True),
        _code("plan_type", codes.PERMANENCE_PLAN_TYPE, "The kind of permanence the plan aims for.", required=True),
        Column("target_date", Kind.DATE, "Date by which the plan should be achieved.", may_be_future=True),
        _date("achieved_date", "Date the plan was achieved; blank while not yet."),
    ),
    key=("child_id", "plan_date"),
)

REVIEW_MEETINGS = Table(
    "review_meetings",
    "Adjourned and stood-down review meetings",
    "A review meeting that did not complete the review. A review adjourned twice has two rows.",
    "activity",
    (
        _child_ref(),
        _date(
            "meeting_date",
            "Date of the meeting that was adjourned, or the date it was due before being stood down.",
            required=True,
        ),
        _code("outcome", codes.MEETING_OUTCOME, "Adjourned or stood down.", required=True),
        _code("reason", codes.ADJOURNMENT_REASON, "Why.", required=True),
        _date("reconvened_date", "Date the review reconvened or was held; blank if not yet."),
        _iro_ref(),
    ),
    key=("child_id", "meeting_date"),
)

MIDWAY_REVIEWS = Table(
    "midway_reviews",
    "Midway reviews",
    "The IRO's check on progress of the care plan between reviews.",
    "activity",
    (
        _child_ref(),
        _date("midway_date", "Date the midway review was completed.", required=True),
        _iro_ref(),
        _flag("concerns_identified", "Y if the IRO found drift or concerns."),
    ),
    key=("child_id", "midway_date"),
)

IRO_CONTACTS = Table(
    "iro_contacts",
    "IRO visits and consultations",
    "Each visit to, or consultation with, the child by their IRO, including those that failed or were declined.",
    "activity",
    (
        _child_ref(),
        _date("contact_date", "Date of the visit or consultation (or the date arranged, if it failed).", required=True),
        _code("kind", codes.CONTACT_KIND, "Visit or consultation.", required=True),
        _code("method", codes.CONTACT_METHOD, "How it happened."),
        _code("outcome", codes.CONTACT_OUTCOME, "Completed, failed or declined.", required=True),
        _iro_ref(),
    ),
    key=("child_id", "contact_date", "kind"),
)

DISPUTES = Table(
    "disputes",
    "Dispute resolutions",
    "Each concern an IRO raised about a child's plan, informal or formal. Its stages are in dispute_stages.",
    "activity",
    (
        Column("dispute_id", Kind.TEXT, "The service's identifier for the dispute.", required=True),
        _child_ref(),
        _iro_ref(),
        _date("raised_date", "Date the IRO raised the concern.", required=True),
        _code("category", codes.DISPUTE_CATEGORY, "What the concern was about.", required=True),
        _code("outcome", codes.DISPUTE_OUTCOME, "How it ended; blank while open."),
        _date("resolved_date", "Date it was resolved or closed; blank while open."),
        _code("impact", codes.CHALLENGE_IMPACT, "Optional: what the challenge achieved for the child."),
    ),
    key=("dispute_id",),
)

DISPUTE_STAGES = Table(
    "dispute_stages",
    "Dispute resolution stages",
    "Each stage a dispute reached. Stage codes are the authority's configured stages (default INFORMAL, "
    "STAGE_1, STAGE_2, STAGE_3); the IRO may skip a stage.",
    "activity",
    (
        Column("dispute_id", Kind.TEXT, "The dispute.", required=True, references="disputes.dispute_id"),
        Column("stage", Kind.TEXT, "Stage code from the practice settings.", required=True),
        _date("escalated_date", "Date the dispute reached this stage.", required=True),
        Column("escalated_to", Kind.TEXT, "Role of the manager it went to."),
        _date("response_date", "Date of the manager's response."),
    ),
    key=("dispute_id", "stage"),
)

GOOD_PRACTICE = Table(
    "good_practice",
    "Good practice notifications",
    "Practice an IRO recognised and fed back to the worker and their manager.",
    "activity",
    (
        Column("notification_id", Kind.TEXT, "Identifier.", required=True),
        _date("notification_date", "Date sent.", required=True),
        _code("theme", codes.GOOD_PRACTICE_THEME, "What was recognised.", required=True),
        _code("service", codes.SERVICE, "Team or service recognised.", required=True),
        _child_ref(required=False),
        _iro_ref(),
    ),
    key=("notification_id",),
)

PRACTICE_ALERTS = Table(
    "practice_alerts",
    "Practice alerts",
    "Quality concerns an IRO raised outside the formal dispute process; an alert may have several reasons.",
    "activity",
    (
        Column("alert_id", Kind.TEXT, "Identifier.", required=True),
        _date("raised_date", "Date raised.", required=True),
        Column(
            "reasons",
            Kind.CODES,
            "Reasons, separated by semicolons.",
            required=True,
            code_list=codes.PRACTICE_ALERT_REASON,
        ),
        _code("service", codes.SERVICE, "Team or service concerned."),
        _child_ref(required=False),
        _iro_ref(),
        _date("resolved_date", "Date resolved."),
        _code("impact", codes.CHALLENGE_IMPACT, "Optional: what the alert achieved."),
    ),
    key=("alert_id",),
)

CASE_TRACKING = Table(
    "case_tracking",
    "Case tracking checks",
    "Each time the IRO checked the child's plan between reviews, with the RAG level set at that check.",
    "activity",
    (
        _child_ref(),
        _date("check_date", "Date of the check.", required=True),
        _code("rag_level", codes.RAG_LEVEL, "Level set at this check.", required=True),
        _iro_ref(),
    ),
    key=("child_id", "check_date"),
)

CONSULTATIONS = Table(
    "consultations",
    "Consultation forms",
    "Consultation forms sent before a review and whether they came back.",
    "activity",
    (
        _child_ref(),
        _date("review_date", "The review the form was for.", required=True),
        _code("recipient", codes.CONSULTATION_RECIPIENT, "Who it was sent to.", required=True),
        _date("sent_date", "Date sent.", required=True),
        _date("returned_date", "Date returned; blank if not returned."),
    ),
    key=("child_id", "review_date", "recipient"),
)

ADVOCACY_REFERRALS = Table(
    "advocacy_referrals",
    "Advocacy referrals",
    "Referrals for an independent advocate.",
    "activity",
    (
        Column("referral_id", Kind.TEXT, "Identifier.", required=True),
        _child_ref(),
        _date("referral_date", "Date referred.", required=True),
        _code("outcome", codes.ADVOCACY_OUTCOME, "What happened."),
    ),
    key=("referral_id",),
)

INDEPENDENT_VISITORS = Table(
    "independent_visitors",
    "Independent visitors",
    "Referrals for an independent visitor, and matches.",
    "activity",
    (
        _child_ref(),
        _date("referral_date", "Date referred.", required=True),
        _date("matched_date", "Date matched; blank while waiting."),
        _date("ended_date", "Date the match ended."),
    ),
    key=("child_id", "referral_date"),
)

AUDITS = Table(
    "audits",
    "Quality assurance audits",
    "Audits of IRO practice and records, with their grade.",
    "activity",
    (
        Column("audit_id", Kind.TEXT, "Identifier.", required=True),
        _date("audit_date", "Date completed.", required=True),
        _code("kind", codes.AUDIT_KIND, "What was audited.", required=True),
        _code("grade", codes.AUDIT_GRADE, "Grade.", required=True),
        _child_ref(required=False),
        _iro_ref(),
    ),
    key=("audit_id",),
)

FEEDBACK = Table(
    "feedback",
    "Feedback",
    "Feedback on the IRO service from children, families and professionals. It names no child: a comment "
    "is quoted in the report only after a manager has marked it for publication.",
    "activity",
    (
        Column("feedback_id", Kind.TEXT, "Identifier.", required=True),
        _date("feedback_date", "Date given.", required=True),
        _code("respondent", codes.FEEDBACK_FROM, "Who gave it.", required=True),
        Column("rating", Kind.INTEGER, "Rating from 1 (poor) to 5 (excellent).", required=True),
        _iro_ref(),
        _code("listened_to", codes.FEEDBACK_ANSWER, "Optional: did they feel listened to?"),
        _code("understood_decisions", codes.FEEDBACK_ANSWER, "Optional: did they understand what was decided?"),
        _code("could_take_part", codes.FEEDBACK_ANSWER, "Optional: could they take part as they wanted to?"),
        Column("comment", Kind.TEXT, "Optional: what they wrote in their own words."),
        _flag("publish_comment", "Y once a manager has agreed the comment may be quoted in the report."),
        _code("channel", codes.FEEDBACK_CHANNEL, "Optional: how the feedback reached the service."),
    ),
    key=("feedback_id",),
)

PATHWAY_PLAN_REVIEWS = Table(
    "pathway_plan_reviews",
    "Pathway plan reviews",
    "Optional: reviews of care leavers' pathway plans held during the year, for a service whose IROs chair "
    "some of them. SSDA903 does not hold them. A care leaver may have left care before the first SSDA903 "
    "return held here, so a child identifier need not be in the Header.",
    "activity",
    (
        Column("child_id", Kind.TEXT, "The care leaver's identifier, as in the SSDA903 Header (CHILD).", required=True),
        _date("review_date", "Date the pathway plan review was held.", required=True),
        _flag("chaired_by_iro_service", "Y if an IRO from the IRO service chaired the review, N if not."),
        _date("due_date", "Date the review was due; blank if not recorded."),
    ),
    key=("child_id", "review_date"),
)

# ---------------------------------------------------------------- reference -------------------------

POPULATION = Table(
    "population",
    "Child population",
    "Children aged 0–17 living in the authority (ONS mid-year estimate), for rates per 10,000.",
    "reference",
    (
        Column("year", Kind.TEXT, "Collection year, for example 2024-25.", required=True),
        Column("population_0_17", Kind.INTEGER, "Children aged 0 to 17.", required=True),
    ),
    key=("year",),
)

COMPARATORS = Table(
    "comparators",
    "Comparators",
    "Published figures for other areas (statistical neighbours, region, England) to show beside ours.",
    "reference",
    (
        Column("kpi_id", Kind.TEXT, "The KPI id.", required=True),
        Column("year", Kind.TEXT, "Collection year, for example 2024-25.", required=True),
        Column("area", Kind.TEXT, "For example England, North West, Statistical neighbours.", required=True),
        Column("value", Kind.DECIMAL, "The figure.", required=True),
    ),
    key=("kpi_id", "year", "area"),
)

ESTABLISHMENT = Table(
    "establishment",
    "IRO establishment",
    "Optional: the full-time IRO posts the service is funded for in each year, so that the report can say how "
    "many are filled and vacant. No other table holds it; without it the report says nothing of vacancies.",
    "reference",
    (
        Column("year", Kind.TEXT, "Collection year, for example 2024-25.", required=True),
        Column(
            "funded_fte", Kind.DECIMAL, "Full-time IRO posts funded at the year end, for example 12.5.", required=True
        ),
    ),
    key=("year",),
)

SSDA903_TABLES: tuple[Table, ...] = (
    CHILDREN,
    EPISODES,
    REVIEWS,
    UASC,
    MISSING,
    OC2,
    OC3,
    AD1,
    PLACED_FOR_ADOPTION,
    PREVIOUS_PERMANENCE,
    SW_EPISODES,
    DOLO,
)
ACTIVITY_TABLES: tuple[Table, ...] = (
    IRO_STAFF,
    IRO_ALLOCATIONS,
    SIBLING_GROUPS,
    SCHEDULED_REVIEWS,
    REVIEW_DETAILS,
    REVIEW_MEETINGS,
    MIDWAY_REVIEWS,
    IRO_CONTACTS,
    DISPUTES,
    DISPUTE_STAGES,
    GOOD_PRACTICE,
    PRACTICE_ALERTS,
    CASE_TRACKING,
    CONSULTATIONS,
    ADVOCACY_REFERRALS,
    INDEPENDENT_VISITORS,
    AUDITS,
    FEEDBACK,
    PATHWAY_PLAN_REVIEWS,
    REVIEW_DECISIONS,
    REVIEW_LETTERS,
    PERMANENCE_PLANS,
)
REFERENCE_TABLES: tuple[Table, ...] = (POPULATION, COMPARATORS, ESTABLISHMENT)
ALL_TABLES: tuple[Table, ...] = SSDA903_TABLES + ACTIVITY_TABLES + REFERENCE_TABLES
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in ALL_TABLES}

# Columns a row open at 31 March gains when it closes: blank in one return, filled in the next.
CLOSING_COLUMNS = frozenset(
    {"end_date", "reason_ceased", "reason_place_change", "date_placed_ceased", "reason_placed_ceased"}
)

# The SSDA903 file names the DfE validator and most authorities use, for writing.
SSDA903_FILE_NAMES = {
    "children": "header.csv",
    "episodes": "episodes.csv",
    "reviews": "reviews.csv",
    "uasc": "uasc.csv",
    "missing": "missing.csv",
    "oc2": "oc2.csv",
    "oc3": "oc3.csv",
    "ad1": "ad1.csv",
    "placed_for_adoption": "placed_for_adoption.csv",
    "previous_permanence": "previous_permanence.csv",
    "sw_episodes": "sw_episodes.csv",
    "dolo": "dolo.csv",
}
