"""Code lists: the SSDA903 codes (with the collection years each is valid in) and the IRO
service's own activity codes. One declarative list per concept; the data model, the validator, the
activity template and the report all read their labels from here.

Collection years are named by the calendar year they start in: 2024 means 2024-25.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    first_year: int | None = None  # first collection year the code is valid in
    last_year: int | None = None  # last collection year the code is valid in

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


@dataclass(frozen=True)
class CodeList:
    name: str
    description: str
    codes: tuple[Code, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # other spellings accepted on import

    def __contains__(self, code: object) -> bool:
        return any(entry.code == code for entry in self.codes)

    def label(self, code: str) -> str:
        for entry in self.codes:
            if entry.code == code:
                return entry.label
        raise KeyError(f"{code!r} is not in the {self.name} code list")

    def valid_codes(self, year: int | None = None) -> tuple[str, ...]:
        return tuple(entry.code for entry in self.codes if entry.valid_in(year))

    def labels(self) -> dict[str, str]:
        return {entry.code: entry.label for entry in self.codes}

    def described(self, code: str) -> str:
        """The code's meaning for a page, with the code after it in brackets where people quote the code
        (those with a digit: "... (PN6)", "... (V2)"); a word such as ADJOURNED gives way to its meaning.
        A code not in the list is given as it is, never dropped."""
        if code not in self:
            return code
        meaning = self.label(code)
        return f"{meaning} ({code})" if any(character.isdigit() for character in code) else meaning


def _codes(name: str, description: str, pairs: dict[str, str], **kwargs: dict[str, str]) -> CodeList:
    return CodeList(name, description, tuple(Code(code, label) for code, label in pairs.items()), **kwargs)


# ---------------------------------------------------------------- SSDA903 ---------------------------

SEX = CodeList(
    "sex",
    "Sex. Held as M, F or U; returns up to 2023-24 use 1 (male) and 2 (female), which are read as M and F.",
    (Code("M", "Male"), Code("F", "Female"), Code("U", "Unknown", first_year=2024)),
    aliases={"1": "M", "2": "F"},
)

ETHNICITY = _codes(
    "ethnicity",
    "Ethnic origin (DfE codes).",
    {
        "WBRI": "White British",
        "WIRI": "White Irish",
        "WOTH": "Any other White background",
        "WIRT": "Traveller of Irish heritage",
        "WROM": "Gypsy/Roma",
        "MWBC": "White and Black Caribbean",
        "MWBA": "White and Black African",
        "MWAS": "White and Asian",
        "MOTH": "Any other Mixed background",
        "AIND": "Indian",
        "APKN": "Pakistani",
        "ABAN": "Bangladeshi",
        "AOTH": "Any other Asian background",
        "BCRB": "Black Caribbean",
        "BAFR": "Black African",
        "BOTH": "Any other Black background",
        "CHNE": "Chinese",
        "OOTH": "Any other ethnic group",
        "REFU": "Refused",
        "NOBT": "Information not yet obtained",
    },
)

ETHNIC_GROUPS = {
    "White": ("WBRI", "WIRI", "WOTH", "WIRT", "WROM"),
    "Mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian or Asian British": ("AIND", "APKN", "ABAN", "AOTH"),
    "Black or Black British": ("BCRB", "BAFR", "BOTH"),
    "Other ethnic group": ("CHNE", "OOTH"),
    "Refused or not obtained": ("REFU", "NOBT"),
}

REASON_NEW_EPISODE = _codes(
    "reason_new_episode",
    "Reason for new episode (RNE).",
    {
        "S": "Started to be looked after",
        "L": "Change of legal status only",
        "P": "Change of placement and carer only",
        "T": "Change of placement, same carer",
        "B": "Change of legal status and placement and carer",
        "U": "Change of legal status and placement, same carer",
    },
)

LEGAL_STATUS = CodeList(
    "legal_status",
    "Legal status (LS).",
    (
        Code("C1", "Interim care order"),
        Code("C2", "Full care order"),
        Code("D1", "Freeing order granted (before 30 December 2005 only)"),
        Code("E1", "Placement order granted"),
        Code("V2", "Single period of accommodation under section 20"),
        Code("V3", "Accommodated under an agreed series of short breaks (each break an episode)"),
        Code("V4", "Accommodated under an agreed series of short breaks (the agreement an episode)"),
        Code("L1", "Under police protection and in local authority accommodation"),
        Code("L2", "Emergency protection order"),
        Code("L3", "Child assessment order and in local authority accommodation"),
        Code("J1", "Remanded to local authority or youth detention accommodation"),
        Code("J2", "Placed in local authority accommodation under PACE"),
        Code("J3", "Youth rehabilitation order with residence or intensive fostering requirement"),
    ),
)

CATEGORY_OF_NEED = _codes(
    "category_of_need",
    "Category of need (CIN): the main reason the child began to be looked after.",
    {
        "N1": "Abuse or neglect",
        "N2": "Child's disability",
        "N3": "Parental illness or disability",
        "N4": "Family in acute stress",
        "N5": "Family dysfunction",
        "N6": "Socially unacceptable behaviour",
        "N7": "Low income",
        "N8": "Absent parenting",
    },
)

PLACEMENT_TYPE = CodeList(
    "placement_type",
    "Placement type (PLACE). Codes are checked against the collection year of the return.",
    (
        Code("A3", "Placed for adoption with consent, with current foster carer"),
        Code("A4", "Placed for adoption with consent, not with current foster carer"),
        Code("A5", "Placed for adoption under a placement order, with current foster carer"),
        Code("A6", "Placed for adoption under a placement order, not with current foster carer"),
        Code("H5", "Semi-independent living not subject to children's homes regulations", last_year=2024),
        Code("K1", "Secure children's home"),
        Code("K2", "Children's home"),
        Code("K3", "Supported accommodation", first_year=2024),
        Code("P1", "Placed with own parent or person with parental responsibility"),
        Code("P2", "Independent living", last_year=2024),
        Code("P3", "Residential employment"),
        Code("R1", "Residential care home"),
        Code("R2", "NHS or health trust establishment providing medical or nursing care"),
        Code("R3", "Family centre or mother and baby unit"),
        Code("R5", "Young offender institution"),
        Code("S1", "Residential school"),
        Code("T0", "Temporary move (all types)"),
        Code("T1", "Temporary period in hospital"),
        Code("T2", "Temporary absence on holiday"),
        Code("T3", "Temporary accommodation while usual foster carer is on holiday"),
        Code("T4", "Other temporary accommodation of 7 days or less"),
        Code("U1", "Foster placement with relative or friend: long-term fostering"),
        Code("U2", "Foster placement with relative or friend who is an approved adopter"),
        Code("U3", "Foster placement with relative or friend: other"),
        Code("U4", "Foster placement with other foster carer: long-term fostering"),
        Code("U5", "Foster placement with other foster carer who is an approved adopter"),
        Code("U6", "Foster placement with other foster carer: other"),
        Code("Z1", "Other placement", last_year=2024),
        Code("Z11", "Other placement (Z11)", first_year=2025),
        Code("Z12", "Other placement (Z12)", first_year=2025),
        Code("Z13", "Other placement (Z13)", first_year=2025),
        Code("Z14", "Other placement (Z14)", first_year=2025),
    ),
)

# Codes the DfE lets an open episode change to in the next year's return, when a code is retired.
PLACEMENT_TYPE_SUCCESSORS = {"H5": ("K3",), "Z1": ("Z11", "Z12", "Z13", "Z14")}
TEMPORARY_PLACEMENTS = ("T0", "T1", "T2", "T3", "T4")
ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
PLACEMENT_GROUPS = {
    "Foster care": ("U1", "U2", "U3", "U4", "U5", "U6"),
    "Placed for adoption": ADOPTION_PLACEMENTS,
    "Placed with parents": ("P1",),
    "Children's homes and secure units": ("K1", "K2", "R1"),
    "Independent and semi-independent living": ("H5", "K3", "P2"),
    "Residential schools, health and other": ("P3", "R2", "R3", "R5", "S1", "Z1", "Z11", "Z12", "Z13", "Z14"),
    "Temporary": TEMPORARY_PLACEMENTS,
}

PLACEMENT_PROVIDER = _codes(
    "placement_provider",
    "Placement provider (PLACE_PROVIDER). Blank for temporary (T0–T4) and Z placements.",
    {
        "PR0": "Parent or person with parental responsibility",
        "PR1": "Own local authority provision",
        "PR2": "Other local authority provision",
        "PR3": "Other public provision",
        "PR4": "Private provision",
        "PR5": "Voluntary or third sector provision",
    },
)

REASON_CEASED = _codes(
    "reason_ceased",
    "Reason episode ceased (REC). X1 means the period of care continues into a new episode.",
    {
        "X1": "Episode ceased and new episode begins on the same day (care continues)",
        "E11": "Adopted: application unopposed",
        "E12": "Adopted: consent dispensed with by the court",
        "E13": "Left care to live with parent, relative or other person without parental responsibility",
        "E14": "Accommodation on remand ended",
        "E15": "Age assessment found the young person to be 18 or over",
        "E16": "Moved abroad",
        "E17": "Aged 18 or over and remained with current carers",
        "E2": "Died",
        "E3": "Care taken over by another local authority in the UK",
        "E41": "Residence order or child arrangements order granted",
        "E45": "Special guardianship order to former foster carers who are relatives or friends",
        "E46": "Special guardianship order to former foster carers who are not relatives or friends",
        "E47": "Special guardianship order to other carers who are relatives or friends",
        "E48": "Special guardianship order to other carers who are not relatives or friends",
        "E4A": "Returned home to parent or person with parental responsibility as part of the care plan",
        "E4B": "Returned home to parent or person with parental responsibility not as part of the care plan",
        "E5": "Moved into independent living with supportive accommodation",
        "E6": "Moved into independent living without formal support",
        "E7": "Transferred to residential care funded by adult social care",
        "E8": "Period of being looked after ceased for any other reason",
        "E9": "Sentenced to custody",
    },
)

PERMANENCE_REASONS_CEASED = ("E11", "E12", "E41", "E45", "E46", "E47", "E48")

REASON_PLACE_CHANGE = _codes(
    "reason_place_change",
    "Reason for placement change (REASON_PLACE_CHANGE), given on the episode whose placement ends.",
    {
        "CARPL": "Change to or implementation of the care plan",
        "CLOSE": "Resignation or closure of provision",
        "ALLEG": "Allegation (section 47)",
        "STAND": "Standards of care concern",
        "APPRR": "Approval removed",
        "CREQB": "Carer requested the placement end because of the child's behaviour",
        "CREQO": "Carer requested the placement end for other reasons",
        "CHILD": "Child requested the placement end",
        "LAREQ": "Responsible or area authority requested the placement end",
        "PLACE": "Change in the status of the placement only",
        "CUSTOD": "Custody arrangement",
        "OTHER": "Other",
    },
)

PARTICIPATION = _codes(
    "participation",
    "Participation of the child in the review (REVIEW_CODE).",
    {
        "PN0": "Child under 4 at the time of the review",
        "PN1": "Child attends and speaks for themselves",
        "PN2": "Child attends and an advocate speaks on their behalf",
        "PN3": "Child attends and conveys their views non-verbally",
        "PN4": "Child attends but does not convey their views",
        "PN5": "Child does not attend but briefs an advocate to speak for them",
        "PN6": "Child does not attend but conveys their views by another method",
        "PN7": "Child does not attend and their views are not conveyed",
    },
)
PARTICIPATED = ("PN1", "PN2", "PN3", "PN4", "PN5", "PN6")
ATTENDED = ("PN1", "PN2", "PN3", "PN4")

UPN_PLACEHOLDER = _codes(
    "upn_placeholder",
    "Reasons a unique pupil number is not given.",
    {
        "UN1": "Child is not of school age and has not yet been assigned a UPN",
        "UN2": "Child has never attended a maintained school in England",
        "UN3": "Child is educated outside England",
        "UN4": "Child newly looked after and UPN not yet known",
        "UN5": "Sources disagree about the child's name or date of birth",
    },
)

MISSING_TYPE = _codes(
    "missing_type",
    "Missing or away from placement without authorisation.",
    {"M": "Missing (whereabouts unknown)", "A": "Away from placement without authorisation"},
)

YES_NO = CodeList(
    "yes_no",
    "Yes or no.",
    (Code("Y", "Yes"), Code("N", "No")),
    aliases={"YES": "Y", "NO": "N", "TRUE": "Y", "FALSE": "N", "1": "Y", "0": "N"},
)

MOTHER = CodeList("mother", "Whether the child is a mother (1) or not (0).", (Code("1", "Yes"), Code("0", "No")))

SW_REASON = _codes(
    "sw_reason",
    "Reason for change of social worker.",
    {
        "MANAGE": "Caseload management",
        "FCONTA": "First contact or re-referral",
        "LEFTRL": "Previous social worker left the role",
        "ORGRST": "Organisational restructure",
        "TSPROC": "Transfer under standard process",
        "ABSENC": "Absence cover or return from absence",
        "CHCHAN": "Child asked for a change",
        "PCCHAN": "Parent or carer asked for a change",
        "SWDIED": "Previous social worker died",
        "OTHERS": "Other",
    },
)

# ---------------------------------------------------------------- activity --------------------------
# The IRO service's own records. Defaults are drawn from the five seed reports; an authority can
# extend them in its practice settings.

REVIEW_FORMAT = _codes(
    "review_format",
    "How the review meeting was held.",
    {"IN_PERSON": "In person", "VIRTUAL": "Virtual", "HYBRID": "Hybrid (some in person, some virtual)"},
)

MEETING_OUTCOME = _codes(
    "meeting_outcome",
    "What happened to a review meeting that did not complete the review.",
    {
        "ADJOURNED": "Adjourned: the meeting started and was reconvened later",
        "STOOD_DOWN": "Stood down: the meeting did not go ahead and was rearranged",
    },
)

ADJOURNMENT_REASON = _codes(
    "adjournment_reason",
    "Why a review meeting was adjourned or stood down (from the reasons the seed reports give).",
    {
        "DOCUMENTS_NOT_READY": "Reports or documents not ready or not shared",
        "CARE_PLAN_NOT_READY": "Care plan not ready or not updated",
        "CHILD_OR_FAMILY_NOT_READY": "Child or family not ready",
        "KEY_PROFESSIONAL_UNAVAILABLE": "Key professional unavailable",
        "SOCIAL_WORKER_CHANGE": "Change of social worker",
        "IRO_UNAVAILABLE": "IRO unavailable (sickness or staffing)",
        "VENUE_OR_WEATHER": "Venue or weather",
        "ALIGNED_WITH_SIBLING": "Moved to align with a sibling's review",
        "AWAITING_COURT_EVIDENCE": "Awaiting evidence for court proceedings",
        "OTHER": "Other",
    },
)

CONTACT_KIND = _codes(
    "contact_kind",
    "The IRO's contact with the child between reviews.",
    {"VISIT": "Visit by the IRO", "CONSULTATION": "Consultation with the child before the review"},
)

CONTACT_METHOD = _codes(
    "contact_method",
    "How the IRO met or consulted the child.",
    {
        "IN_PERSON": "In person",
        "VIRTUAL": "Video call",
        "PHONE": "Telephone",
        "WRITTEN": "Written or app (for example Mind of My Own)",
    },
)

CONTACT_OUTCOME = _codes(
    "contact_outcome",
    "Whether the visit or consultation took place.",
    {
        "COMPLETED": "Completed",
        "FAILED": "Failed: arranged but did not take place",
        "DECLINED": "Declined by the child",
    },
)

DISPUTE_CATEGORY = _codes(
    "dispute_category",
    "What the IRO's concern was about (North East Lincolnshire's and Halton's categories).",
    {
        "DRIFT_AND_DELAY": "Drift and delay in the care plan, permanence or transition to adulthood",
        "STATUTORY_REQUIREMENTS": "Minimum statutory requirements not met",
        "QUALITY_OF_PLANNING": "Quality of assessment or planning",
        "CHILD_VOICE": "Child's lived experience not informing assessment and planning",
        "RISK_AND_SAFETY": "Escalation of risks or immediate safety",
        "PLACEMENT": "Placement not meeting the child's needs, or unassessed",
        "RESOURCES": "Resource issues affecting progress of the plan",
        "MULTI_AGENCY": "Multi-agency working",
        "OTHER": "Other",
    },
)

PRACTICE_ALERT_REASON = _codes(
    "practice_alert_reason",
    "Reasons for a practice alert (Cheshire East's list).",
    {
        "NO_PLAN": "No plan, or plan not updated: review stood down",
        "VISITS_OUT_OF_TIMESCALE": "Statutory visits out of timescale or not recorded",
        "DOCUMENTS_NOT_PRODUCED": "Required documents not produced or not shared with the IRO",
        "POOR_CONSULTATION": (
            "Documents not shared, or poor consultation with the child, parents, carers or professionals"
        ),
        "NO_PERMANENCE_PLAN": "No permanence plan by the second review",
        "DRIFT_LEGAL": "Drift or legal issues, such as applying for or discharging an order",
        "CARE_PLANNING": "Deficiencies in care planning",
        "PLACEMENT": "Placement issues",
        "DIRECT_WORK": "Poor or no communication or direct work with the child",
        "WISHES_NOT_CAPTURED": "Child's wishes, feelings or lived experience not captured",
        "DECISIONS_NOT_IMPLEMENTED": "Decisions from reviews not implemented",
        "SAFEGUARDING": "Safeguarding issues, including risk assessment",
        "RESOURCES": "Funding or resource issues",
    },
)

DISPUTE_OUTCOME = _codes(
    "dispute_outcome",
    "How a dispute was concluded.",
    {
        "RESOLVED": "Resolved: the concern was addressed",
        "PARTLY_RESOLVED": "Partly resolved",
        "NOT_RESOLVED": "Not resolved",
        "WITHDRAWN": "Withdrawn by the IRO",
        "CAFCASS": "Referred to Cafcass",
    },
)

GOOD_PRACTICE_THEME = _codes(
    "good_practice_theme",
    "What a good practice notification recognised (Cheshire East's themes).",
    {
        "CONSISTENTLY_GOOD": "Consistently good practice",
        "ADVOCATING_FOR_CHILD": "Exemplary practice in advocating for or supporting the child",
        "LIVED_EXPERIENCE": "Lived experience well evidenced",
        "QUALITY_ASSESSMENT_OR_PLAN": "Good quality assessment or plan",
        "RELATIONSHIP_WITH_CHILD": "Good working relationship with the child",
        "RELATIONSHIP_WITH_OTHERS": "Good relationship with others, such as carers",
    },
)

SERVICE = _codes(
    "service",
    "The team or service a notification or alert concerns.",
    {
        "CHILDREN_IN_CARE": "Children in care team",
        "CHILD_IN_NEED": "Child in need and child protection teams",
        "LEAVING_CARE": "Leaving care team",
        "DISABILITY": "Children with disabilities team",
        "FOSTERING": "Fostering service",
        "RESIDENTIAL": "Residential service",
        "ADOPTION": "Adoption service",
        "HEALTH": "Health",
        "EDUCATION": "Education and the virtual school",
        "OTHER": "Other",
    },
)

RAG_LEVEL = _codes(
    "rag_level",
    "Case tracking level set by the IRO (North East Lincolnshire's meanings).",
    {
        "RED": "Red: in care proceedings, permanence still to be achieved, or placement disrupted",
        "AMBER": "Amber: concerns about the stability of the placement",
        "GREEN": "Green: living in a stable home",
    },
)

CONSULTATION_RECIPIENT = _codes(
    "consultation_recipient",
    "Who a consultation form was sent to before a review.",
    {
        "CHILD": "Child or young person",
        "PARENT": "Parent or person with parental responsibility",
        "CARER": "Foster carer or residential worker",
        "SOCIAL_WORKER": "Social worker",
        "HEALTH": "Health",
        "EDUCATION": "Education",
        "OTHER_PROFESSIONAL": "Other professional (for example the children's guardian)",
    },
)

ADVOCACY_OUTCOME = _codes(
    "advocacy_outcome",
    "What happened after an advocacy referral.",
    {"ALLOCATED": "Advocate allocated", "DECLINED": "Declined by the child", "WAITING": "Waiting for an advocate"},
)

AUDIT_GRADE = _codes(
    "audit_grade",
    "Quality assurance grade (Ofsted scale).",
    {
        "OUTSTANDING": "Outstanding",
        "GOOD": "Good",
        "REQUIRES_IMPROVEMENT": "Requires improvement",
        "INADEQUATE": "Inadequate",
    },
)

AUDIT_KIND = _codes(
    "audit_kind",
    "What was audited.",
    {
        "REVIEW_RECORD": "Record of the review",
        "MIDWAY_REVIEW": "Midway review",
        "CASE_FILE": "Case file",
        "THEMATIC": "Thematic audit",
    },
)

FEEDBACK_FROM = _codes(
    "feedback_from",
    "Who gave feedback on the IRO service.",
    {"CHILD": "Child or young person", "PARENT": "Parent", "CARER": "Carer", "PROFESSIONAL": "Professional"},
)

NON_ATTENDANCE_REASON = _codes(
    "non_attendance_reason",
    "Why a child aged 4 or over did not attend their review (from the reasons the seed reports give; a child "
    "under 4 is coded PN0 and needs no reason).",
    {
        "CHOSE_NOT_TO": "Chose not to attend",
        "LIMITED_UNDERSTANDING": "Limited understanding of the review (age or disability)",
        "TOO_YOUNG": "Judged too young to attend, though 4 or over",
        "UNWELL_OR_UNAVAILABLE": "Unwell or not available",
        "OTHER": "Other",
    },
)

DECISION_RESPONSIBLE = _codes(
    "decision_responsible",
    "Who is responsible for carrying out a decision of the review.",
    {
        "SOCIAL_WORKER": "Social worker",
        "TEAM_MANAGER": "Social work team manager",
        "CARER": "Carer",
        "PARENT": "Parent",
        "CHILD": "The child or young person",
        "IRO": "IRO",
        "HEALTH": "Health professional",
        "EDUCATION": "School or virtual school",
        "OTHER": "Someone else",
    },
)

DECISION_STATUS = _codes(
    "decision_status",
    "Where a decision of the review stands; blank while it is still to be done.",
    {"DONE": "Done", "NOT_DONE": "Not done", "NO_LONGER_NEEDED": "No longer needed"},
)

CHALLENGE_IMPACT = _codes(
    "challenge_impact",
    "What an IRO's challenge (a dispute or a practice alert) achieved for the child.",
    {
        "PLAN_CHANGED": "The child's plan changed",
        "PLACEMENT_CHANGED": "The child's placement changed",
        "RESOURCE_FOUND": "A service or resource was found",
        "ACTION_COMPLETED": "The action asked for was completed",
        "NOT_RESOLVED": "Not resolved",
        "WITHDRAWN": "Withdrawn",
    },
)

PERMANENCE_PLAN_TYPE = _codes(
    "permanence_plan_type",
    "The kind of permanence a child's plan aims for (IRO Handbook; the seed reports).",
    {
        "RETURN_HOME": "Return home to parents",
        "FAMILY_OR_FRIENDS": "Living with family or friends (connected carers)",
        "SPECIAL_GUARDIANSHIP": "Special guardianship order",
        "CHILD_ARRANGEMENTS": "Child arrangements order",
        "ADOPTION": "Adoption",
        "LONG_TERM_FOSTERING": "Long-term fostering",
        "RESIDENTIAL": "Long-term residential care",
        "STAYING_PUT": "Staying put with former foster carers after 18",
        "INDEPENDENCE": "Supported move to independence",
    },
)

FEEDBACK_ANSWER = _codes(
    "feedback_answer",
    "An answer to one of the feedback questions.",
    {"YES": "Yes", "PARTLY": "Partly", "NO": "No"},
)

FEEDBACK_CHANNEL = _codes(
    "feedback_channel",
    "How feedback reached the service.",
    {"LINK": "Online, from a link or QR code", "FORM": "On a paper or emailed form"},
)

GENDER = _codes(
    "gender",
    "Gender of a member of staff.",
    {"FEMALE": "Female", "MALE": "Male", "OTHER": "Other", "NOT_KNOWN": "Prefer not to say or not known"},
)

IV_STATUS = _codes(
    "independent_visitor_status",
    "Independent visitor.",
    {
        "WAITING": "Referred and waiting for a match",
        "MATCHED": "Matched with an independent visitor",
        "ENDED": "Match ended",
    },
)

ALL_CODE_LISTS: tuple[CodeList, ...] = (
    SEX,
    ETHNICITY,
    REASON_NEW_EPISODE,
    LEGAL_STATUS,
    CATEGORY_OF_NEED,
    PLACEMENT_TYPE,
    PLACEMENT_PROVIDER,
    REASON_CEASED,
    REASON_PLACE_CHANGE,
    PARTICIPATION,
    UPN_PLACEHOLDER,
    MISSING_TYPE,
    YES_NO,
    MOTHER,
    SW_REASON,
    REVIEW_FORMAT,
    MEETING_OUTCOME,
    ADJOURNMENT_REASON,
    CONTACT_KIND,
    CONTACT_METHOD,
    CONTACT_OUTCOME,
    DISPUTE_CATEGORY,
    PRACTICE_ALERT_REASON,
    DISPUTE_OUTCOME,
    GOOD_PRACTICE_THEME,
    SERVICE,
    RAG_LEVEL,
    CONSULTATION_RECIPIENT,
    ADVOCACY_OUTCOME,
    AUDIT_GRADE,
    AUDIT_KIND,
    FEEDBACK_FROM,
    GENDER,
    IV_STATUS,
    NON_ATTENDANCE_REASON,
    DECISION_RESPONSIBLE,
    DECISION_STATUS,
    CHALLENGE_IMPACT,
    PERMANENCE_PLAN_TYPE,
    FEEDBACK_ANSWER,
    FEEDBACK_CHANNEL,
)
