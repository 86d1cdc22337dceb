"""The Standard Safeguarding Dataset's tables as iroscope reads them (docs/decisions/0027): each SSD
table declared once (`SSD_TABLES`: the columns iroscope reads, the name each is known by inside iroscope
and how it is checked), how a file is recognised by its columns, and the small rules that turn an SSD
value into iroscope's: participation descriptions into PN codes, care plans into plan types, and the
placeholder dates case-management systems write for "no date". `iroscope.data.ssd` reads the files."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from iroscope.data.schema import (
    CHILDREN,
    EPISODES,
    IRO_STAFF,
    REVIEWS,
    Column,
    Kind,
    Table,
)
from iroscope.rules import codes

SSD_FOLDER: Final = "ssd"
DEFAULT_IRO_ROLES: Final = ("IRO",)

# Values case-management systems write for "no date" (an open involvement's end, a missing contact):
# 1 January 1900 (SQL Server's zero date), 1 January 1753 (its earliest datetime) and 31 December 9999
# (its latest). Each is read as blank, and counted.
PLACEHOLDER_DATES: Final = (dt.date(1900, 1, 1), dt.date(1753, 1, 1), dt.date(9999, 12, 31))

# Participation as some systems export it: a description rather than the PN code (the Liquidlogic script
# takes a lookup's text). Matched after `plain_words` (lower case, punctuation and extra spaces gone).
# Only descriptions that name one code are listed: the words PN5 and PN6 share ("written format",
# "viewpoint", "texting the chair") name neither, and are reported rather than guessed.
PARTICIPATION_DESCRIPTIONS: Final[Mapping[str, str]] = {
    "child aged under 4 at the time of the review": "PN0",
    "child under 4 at the time of the review": "PN0",
    "under 4": "PN0",
    "child physically attends and speaks for him or herself": "PN1",
    "child attends and speaks for themselves": "PN1",
    "attendance": "PN1",
    "child physically attends and an advocate speaks on his or her behalf": "PN2",
    "child attends and an advocate speaks on their behalf": "PN2",
    "attendance views represented by advocate or independent reviewing officer iro": "PN2",
    "child attends and conveys his or her view symbolically non verbally": "PN3",
    "child attends and conveys their views non verbally": "PN3",
    "attendance symbols": "PN3",
    "child physically attends but does not speak for him or herself": "PN4",
    "child attends but does not convey their views": "PN4",
    "attendance without contribution": "PN4",
    "child does not attend physically but briefs an advocate to speak for him or her": "PN5",
    "child does not attend but briefs an advocate to speak for them": "PN5",
    "child does not attend but conveys his or her feelings to the review by a facilitative medium": "PN6",
    "child does not attend but conveys their views by another method": "PN6",
    "child does not attend nor are his or her views conveyed to the review": "PN7",
    "child does not attend and their views are not conveyed": "PN7",
}
# "PN1 - Child physically attends …": a code at the start of the text, followed by anything but a letter
# or digit, is that code.
_LEADING_PN_CODE = r"^\s*(PN[0-7])(?:[^A-Za-z0-9].*)?$"

# The permanence plan's keys in `lacp_cla_care_plan_json`, to iroscope's plan types. REMAINSUP (remaining
# at home with short breaks) and OTHERPLN (other) have no plan type: they are reported, not guessed.
CARE_PLAN_TYPES: Final[Mapping[str, str]] = {
    "RETURN1M": "RETURN_HOME",
    "RETURN6M": "RETURN_HOME",
    "RETURNEV": "RETURN_HOME",
    "LTRELFR": "FAMILY_OR_FRIENDS",
    "LTFOST18": "LONG_TERM_FOSTERING",
    "RESPLMT": "RESIDENTIAL",
    "SUPPLIV": "INDEPENDENCE",
    "ADOPTION": "ADOPTION",
}
_UNTICKED = {"", "N", "NO", "0", "FALSE", "NULL", "NONE"}

IRO_JOB_TITLE = r"(?i)independent reviewing officer|\bIRO\b"


# ---------------------------------------------------------------- declaration -----------------------


@dataclass(frozen=True)
class SsdField:
    """One SSD column: its name in the export, and the column it is read into (name, kind, code list)."""

    ssd: str
    column: Column


@dataclass(frozen=True)
class SsdTable:
    name: str
    description: str
    fields: tuple[SsdField, ...]
    key: tuple[str, ...]

    @property
    def ssd_columns(self) -> tuple[str, ...]:
        return tuple(f.ssd for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.ssd for f in self.fields if f.column.required)

    def as_table(self) -> Table:
        """The table `parse_sheet` checks: iroscope's names, each labelled with its SSD column."""
        columns = tuple(replace(f.column, ssda903=f.ssd, references=None) for f in self.fields)
        return Table(self.name, f"SSD {self.name}", self.description, "activity", columns, self.key)


def _text(ssd: str, name: str, description: str, *, required: bool = False) -> SsdField:
    return SsdField(ssd, Column(name, Kind.TEXT, description, required=required))


def _day(ssd: str, name: str, description: str, *, required: bool = False, future: bool = False) -> SsdField:
    return SsdField(ssd, Column(name, Kind.DATE, description, required=required, may_be_future=future))


def _coded(ssd: str, name: str, code_list: codes.CodeList, description: str, *, required: bool = False) -> SsdField:
    return SsdField(ssd, Column(name, Kind.CODE, description, required=required, code_list=code_list))


def _from(table: Table, name: str, ssd: str, *, required: bool | None = None) -> SsdField:
    column = table.column(name)
    return SsdField(ssd, column if required is None else replace(column, required=required))


SSD_PERSON = SsdTable(
    "ssd_person",
    "People: children and others the authority records.",
    (
        _text("pers_person_id", "child_id", "Person unique ID.", required=True),
        _from(CHILDREN, "sex", "pers_sex", required=False),
        _from(CHILDREN, "date_of_birth", "pers_dob", required=False),
        _from(CHILDREN, "ethnicity", "pers_ethnicity", required=False),
        _coded("pers_upn_unknown", "upn", codes.UPN_PLACEHOLDER, "Why the UPN is unknown (UN1-UN5)."),
        _coded("pers_is_mother", "mother", codes.YES_NO, "Whether the person is a mother (Y/N)."),
    ),
    key=("child_id",),
)

SSD_CLA_EPISODES = SsdTable(
    "ssd_cla_episodes",
    "Episodes of care.",
    (
        _text("clae_cla_episode_id", "episode_id", "Episode ID."),
        _text("clae_person_id", "child_id", "Person unique ID.", required=True),
        _from(EPISODES, "start_date", "clae_cla_episode_start_date"),
        _from(EPISODES, "reason_new_episode", "clae_cla_episode_start_reason", required=False),
        _from(EPISODES, "category_of_need", "clae_cla_primary_need_code", required=False),
        _from(EPISODES, "end_date", "clae_cla_episode_ceased_date"),
        _from(EPISODES, "reason_ceased", "clae_cla_episode_ceased_reason"),
        _text("clae_cla_id", "cla_id", "The period of care's ID, which reviews name."),
        _text("clae_cla_placement_id", "placement_id", "The placement's ID in ssd_cla_placement."),
        _day("clae_cla_last_iro_contact_date", "last_iro_contact", "Last IRO visit or contact."),
    ),
    key=("child_id", "start_date"),
)

SSD_LEGAL_STATUS = SsdTable(
    "ssd_legal_status",
    "Legal statuses.",
    (
        _text("lega_legal_status_id", "legal_status_id", "Legal status ID."),
        _text("lega_person_id", "child_id", "Person unique ID.", required=True),
        _from(EPISODES, "legal_status", "lega_legal_status"),
        _day("lega_legal_status_start_date", "start_date", "Legal status start date.", required=True),
        _day("lega_legal_status_end_date", "end_date", "Legal status end date."),
    ),
    key=("child_id", "start_date"),
)

SSD_CLA_PLACEMENT = SsdTable(
    "ssd_cla_placement",
    "Placements.",
    (
        _text("clap_cla_placement_id", "placement_id", "Placement ID.", required=True),
        _text("clap_person_id", "child_id", "Person unique ID."),
        _day("clap_cla_placement_start_date", "start_date", "Placement start date."),
        _from(EPISODES, "placement_type", "clap_cla_placement_type", required=False),
        _from(EPISODES, "placement_provider", "clap_cla_placement_provider"),
        _from(EPISODES, "placement_postcode", "clap_cla_placement_postcode"),
        _from(EPISODES, "urn", "clap_cla_placement_urn"),
        _day("clap_cla_placement_end_date", "end_date", "Placement end date."),
        _from(EPISODES, "reason_place_change", "clap_cla_placement_change_reason"),
    ),
    key=("placement_id",),
)

SSD_CLA_REVIEWS = SsdTable(
    "ssd_cla_reviews",
    "Looked-after reviews, held, due and cancelled.",
    (
        _text("clar_cla_review_id", "review_id", "Review ID."),
        _text("clar_cla_id", "cla_id", "The period of care's ID (clae_cla_id)."),
        _text("clar_cla_person_id", "child_id", "Person unique ID, where the export has it."),
        _day("clar_cla_review_due_date", "system_due_date", "The system's own due date.", future=True),
        _day("clar_cla_review_date", "review_date", "Date the review was held."),
        _coded("clar_cla_review_cancelled", "cancelled", codes.YES_NO, "Y if the review was cancelled."),
        _from(REVIEWS, "participation", "clar_cla_review_participation", required=False),
    ),
    key=("child_id", "review_date"),
)

SSD_INVOLVEMENTS = SsdTable(
    "ssd_involvements",
    "Workers' involvements with people, IROs among them.",
    (
        _text("invo_involvements_id", "involvement_id", "Involvement row ID."),
        _text("invo_professional_id", "iro_id", "Worker ID.", required=True),
        _text("invo_professional_role_id", "role", "Worker role.", required=True),
        _text("invo_professional_team", "team", "Worker team."),
        _day("invo_involvement_start_date", "start_date", "Involvement start date.", required=True),
        _day("invo_involvement_end_date", "end_date", "Involvement end date."),
        _text("invo_worker_change_reason", "reason", "Reason for the change of worker."),
        _text("invo_person_id", "child_id", "Person unique ID.", required=True),
    ),
    key=("involvement_id",),
)

SSD_PROFESSIONALS = SsdTable(
    "ssd_professionals",
    "Workers: staff and agency.",
    (
        _text("prof_professional_id", "iro_id", "Professional row ID.", required=True),
        _text("prof_staff_id", "staff_id", "Staff identifier."),
        _text("prof_professional_name", "name", "Staff name."),
        _text("prof_professional_job_title", "job_title", "Job title."),
        SsdField(
            "prof_professional_caseload",
            Column("caseload", Kind.INTEGER, "Cases held on the previous 30 September."),
        ),
        _text("prof_professional_department", "team", "Department."),
        _from(IRO_STAFF, "fte", "prof_full_time_equivalency", required=False),
        _from(IRO_STAFF, "agency", "prof_agency_worker_flag"),
    ),
    key=("iro_id",),
)

SSD_CLA_CARE_PLAN = SsdTable(
    "ssd_cla_care_plan",
    "Permanence plans.",
    (
        _text("lacp_table_id", "care_plan_id", "Care plan row ID."),
        _text("lacp_person_id", "child_id", "Person ID.", required=True),
        _day("lacp_cla_care_plan_start_date", "plan_date", "Care plan start date.", required=True),
        _day("lacp_cla_care_plan_end_date", "end_date", "Care plan end date."),
        _text("lacp_cla_care_plan_json", "plan", "The permanence plan, as JSON keys ticked."),
    ),
    key=("care_plan_id",),
)

SSD_CLA_VISITS = SsdTable(
    "ssd_cla_visits",
    "Social workers' statutory visits to children in care.",
    (
        _text("clav_cla_visit_id", "visit_id", "Visit ID."),
        _text("clav_cla_id", "cla_id", "The period of care's ID."),
        _text("clav_person_id", "child_id", "Person ID.", required=True),
        _day("clav_cla_visit_date", "visit_date", "Date of visit.", required=True),
        _coded("clav_cla_visit_seen", "seen", codes.YES_NO, "Child seen."),
        _coded("clav_cla_visit_seen_alone", "seen_alone", codes.YES_NO, "Child seen alone."),
    ),
    key=("visit_id",),
)

SSD_CP_REVIEWS = SsdTable(
    "ssd_cp_reviews",
    "Child protection reviews.",
    (
        _text("cppr_cp_review_id", "review_id", "Review ID."),
        _text("cppr_person_id", "child_id", "Person unique ID.", required=True),
        _text("cppr_cp_plan_id", "plan_id", "Child protection plan ID."),
        _day("cppr_cp_review_due", "due_date", "Review due date.", future=True),
        _day("cppr_cp_review_date", "review_date", "Date of review."),
        _text("cppr_cp_review_meeting_id", "meeting_id", "Meeting ID."),
        _coded("cppr_cp_review_outcome_continue_cp", "continue_plan", codes.YES_NO, "Plan to continue."),
        _coded("cppr_cp_review_quorate", "quorate", codes.YES_NO, "Quorate."),
        _text("cppr_cp_review_participation", "participation", "Child's participation."),
    ),
    key=("review_id",),
)

SSD_TABLES: Final[tuple[SsdTable, ...]] = (
    SSD_PERSON,
    SSD_CLA_EPISODES,
    SSD_LEGAL_STATUS,
    SSD_CLA_PLACEMENT,
    SSD_CLA_REVIEWS,
    SSD_INVOLVEMENTS,
    SSD_PROFESSIONALS,
    SSD_CLA_CARE_PLAN,
    SSD_CLA_VISITS,
    SSD_CP_REVIEWS,
)


# ---------------------------------------------------------------- small rules ---------------------


def plain_words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def participation_code(text: str | None) -> str | None:
    """The PN code a participation value names: the code itself, a code at the start of a description,
    or a description in `PARTICIPATION_DESCRIPTIONS`. None when the text names no one code."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped.upper() in codes.PARTICIPATION:
        return stripped.upper()
    leading = re.match(_LEADING_PN_CODE, stripped, flags=re.IGNORECASE)
    if leading:
        return leading[1].upper()
    return PARTICIPATION_DESCRIPTIONS.get(plain_words(stripped))


def care_plan_types(text: str) -> tuple[list[str], str | None]:
    """The SSD plan keys ticked in a care plan's JSON, and why it could not be read (None if it could)."""
    try:
        plan = json.loads(text)
    except json.JSONDecodeError as error:
        return [], f"it is not JSON ({error.msg} at character {error.pos + 1})"
    if not isinstance(plan, dict):
        return [], "it is JSON but not a set of plan keys"
    return [str(key).upper() for key, value in plan.items() if str(value or "").strip().upper() not in _UNTICKED], None


def recognise_ssd_table(columns: Sequence[str]) -> SsdTable | None:
    """The SSD table a file holds, by its columns: the one whose columns it shares most, among those
    with all their required columns or at least half their columns present."""
    present = {name.strip().lower() for name in columns}
    best: tuple[float, SsdTable] | None = None
    for table in SSD_TABLES:
        expected = set(table.ssd_columns)
        matched = present & expected
        if len(matched) < 2 or (len(matched) * 2 < len(expected) and not set(table.required) <= matched):
            continue
        score = len(matched) / len(expected)
        if best is None or score > best[0]:
            best = (score, table)
    return None if best is None else best[1]
