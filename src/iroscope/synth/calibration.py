"""The figures a synthetic authority is calibrated to, with their sources (docs/calibration.md).
Letters: H Halton, W Wirral, N North East Lincolnshire, S Walsall, C Cheshire East; [ext] DfE
national statistics; [I] our assumption where no seed gives a number."""

from __future__ import annotations

from typing import Final

SYNTHETIC_AUTHORITY_NAME: Final = "Synthetic authority (iroscope demonstration data)"
DEFAULT_AUTHORITY: Final = "E06000012"  # North East Lincolnshire: its postcodes and neighbours load quickly

# A target to check against: the opening population's ages come out of the simulated histories.
AGE_MIX_AT_31_MARCH: Final = {(0, 1): 0.05, (1, 5): 0.13, (5, 10): 0.18, (10, 16): 0.38, (16, 18): 0.26}  # [ext]
AGE_MIX_AT_ENTRY: Final = {(0, 1): 0.20, (1, 5): 0.15, (5, 10): 0.15, (10, 16): 0.28, (16, 18): 0.22}  # [ext]
MALE_SHARE: Final = 0.55  # N 53%, England 57%
ETHNICITY_MIX: Final = {
    "WBRI": 0.72,
    "WOTH": 0.04,
    "WIRI": 0.01,
    "MWBC": 0.04,
    "MWBA": 0.02,
    "MWAS": 0.02,
    "MOTH": 0.02,
    "AIND": 0.01,
    "APKN": 0.015,
    "AOTH": 0.01,
    "BAFR": 0.025,
    "BCRB": 0.01,
    "BOTH": 0.01,
    "CHNE": 0.005,
    "OOTH": 0.01,
    "REFU": 0.005,
    "NOBT": 0.005,
}  # [ext] England, leaning White as the seeds' northern authorities do
UASC_SHARE_OF_ENTRANTS: Final = 0.12  # N, S
UASC_ETHNICITY: Final = {"OOTH": 0.35, "AOTH": 0.25, "BAFR": 0.3, "BOTH": 0.1}  # [I]

# Children in care when the data begins are the survivors of entrants over this many years before. [I]
YEARS_OF_HISTORY_BEFORE_THE_DATA: Final = 18
# Entries per year as a share of the opening population (N 20%, S 18%).
ENTRIES_SHARE_OF_OPENING: Final = 0.20

# Legal status at entry, by whether the child arrives under a court order. [I], shaped with
# MEAN_YEARS_TO_EXIT to give the 31 March mix C2 63%, C1 12%, E1 6%, V2 18% (calibration 1.7): it
# gives about C2 70%, C1 9%, E1 2%, V2 18%.
ENTRY_LEGAL_STATUS: Final = {"V2": 0.30, "C1": 0.70}
MONTHS_INTERIM_TO_FULL_ORDER: Final = (5, 12)  # [I] care proceedings 26-week target, often longer
SECTION_20_TO_PROCEEDINGS: Final = 0.2  # [I]
ADOPTION_PLAN_UNDER_5: Final = 0.35  # [I]

# Placement mix at 31 March (calibration 1.8): foster 70% (17% kinship), parents 8%, homes 11%.
FOSTER_KINSHIP_SHARE: Final = 0.24
PLACED_WITH_PARENTS_SHARE: Final = 0.08
CHILDRENS_HOME_SHARE_AGED_11_PLUS: Final = 0.2
SUPPORTED_ACCOMMODATION_SHARE_16_PLUS: Final = 0.3
INSIDE_AUTHORITY_SHARE: Final = 0.57
OVER_20_MILES_SHARE: Final = 0.18  # N 26%, England 17%
PLACEMENT_MOVES_PER_YEAR: Final = {"young": 0.25, "teen": 0.5}  # gives 3+ moves for about 9% (N 6%, C 10.7%)
# Missing or away from placement: a share of the children aged 11+ in care in a year have spells in it,
# giving about 9% of all children looked after in the year (calibration 1.11; N 8%, England 11%).
MISSING_SHARE_AGED_11_PLUS: Final = 0.17
MISSING_EXTRA_SPELLS: Final = 0.8  # [I] mean further spells in the year for a child who goes missing
SOCIAL_WORKER_CHANGE_REASONS: Final = {
    "LEFTRL": 0.35,
    "TSPROC": 0.25,
    "MANAGE": 0.15,
    "ORGRST": 0.08,
    "ABSENC": 0.07,
    "CHCHAN": 0.03,
    "PCCHAN": 0.02,
    "OTHERS": 0.05,
}  # [I] SW_REASON for a change of worker; a period of care's first worker is FCONTA

# Mean years to leave care, by legal status, before turning 18. [I], tuned so that with entries at 20%
# of the opening population the authority shrinks by about 3% a year (exits about 23%), as the
# seeds' authorities did (calibration 1.2, 1.9). Most leavers on a full care order leave at 18.
MEAN_YEARS_TO_EXIT: Final = {"V2": 3.0, "C1": 3.0, "C2": 20.0}
RETURN_TO_CARE_SHARE: Final = 0.06  # [I]

REVIEW_ON_TIME_SHARE: Final = 0.90  # H 84, W 91, N 97, S 89.1, C 92
LATE_WORKING_DAYS: Final = {(1, 6): 0.55, (6, 21): 0.30, (21, 61): 0.15}
REVIEW_FORMAT_MIX: Final = {"IN_PERSON": 0.45, "VIRTUAL": 0.40, "HYBRID": 0.15}  # S
ADJOURNED_SHARE: Final = 0.10  # H 17.7%, C 5.7%
STOOD_DOWN_SHARE: Final = 0.04  # [I]
RECONVENED_WITHIN_20WD: Final = 0.75  # H 73%
SERIES_OF_MEETINGS_SHARE: Final = 0.08  # C 11.9%
DECISIONS_ON_TIME: Final = 0.88  # C 90%
RECORD_ON_TIME: Final = 0.60  # W 63%, S 51.6%
INVITATIONS_ON_TIME: Final = 0.90  # [I]
PERMANENCE_PLAN_BY_SECOND_REVIEW: Final = 0.85  # W 90%

# Participation of children aged 4 or over (N's table: PN1 359, PN6 490, PN7 42 of 922).
PARTICIPATION_4_PLUS: Final = {
    "PN1": 0.42,
    "PN2": 0.015,
    "PN3": 0.005,
    "PN4": 0.01,
    "PN5": 0.03,
    "PN6": 0.47,
    "PN7": 0.05,
}

MIDWAY_COMPLETED_SHARE: Final = 0.75  # S 0.69 per review
VISITS_PER_CHILD_YEAR: Final = 1.1  # W 867 / 788
VISIT_FAILED_SHARE: Final = 0.11  # W 111 / 978
VISIT_DECLINED_SHARE: Final = 0.04  # [I]
SEEN_BEFORE_REVIEW_SHARE: Final = 0.70  # C 69%
RAG_MIX: Final = {"RED": 0.25, "AMBER": 0.20, "GREEN": 0.55}  # N
RAG_CHECK_ON_TIME: Final = 0.85  # [I]

DISPUTES_PER_100_CHILDREN: Final = 40  # seeds 10-110
DISPUTE_FINAL_STAGE: Final = {"INFORMAL": 0.60, "STAGE_1": 0.27, "STAGE_2": 0.09, "STAGE_3": 0.04}
DISPUTE_CATEGORY_MIX: Final = {
    "DRIFT_AND_DELAY": 0.42,
    "STATUTORY_REQUIREMENTS": 0.22,
    "QUALITY_OF_PLANNING": 0.10,
    "CHILD_VOICE": 0.07,
    "RISK_AND_SAFETY": 0.05,
    "PLACEMENT": 0.05,
    "RESOURCES": 0.03,
    "MULTI_AGENCY": 0.03,
    "OTHER": 0.03,
}  # N, H
DISPUTE_STAGE_ON_TIME: Final = 0.92  # W 94%
GOOD_PRACTICE_PER_100_CHILDREN: Final = 10  # H 12.0, C about 11
PRACTICE_ALERTS_PER_100_CHILDREN: Final = 20  # S 19.6
ADVOCACY_REFERRALS_PER_100_CHILDREN: Final = 14  # H 17.9, W 11.7
INDEPENDENT_VISITOR_REFERRALS_PER_100_CHILDREN: Final = 4  # matched 2, waiting 3 per 100
CONSULTATION_RETURN: Final = {
    "CHILD": 0.15,
    "PARENT": 0.11,
    "CARER": 0.27,
    "SOCIAL_WORKER": 0.6,
    "HEALTH": 0.29,
    "EDUCATION": 0.32,
}  # C
AUDIT_GRADE_MIX: Final = {"OUTSTANDING": 0.05, "GOOD": 0.25, "REQUIRES_IMPROVEMENT": 0.60, "INADEQUATE": 0.10}
AUDITS_PER_100_CHILDREN: Final = 20  # [I]
FEEDBACK_PER_100_CHILDREN: Final = 15  # [I]
FEEDBACK_BY_LINK: Final = 0.5  # [I] Wirral's QR codes to an online form; the rest on paper
FEEDBACK_WITH_COMMENT: Final = 0.3  # [I]
FEEDBACK_COMMENT_PUBLISHED: Final = 0.4  # [I] of comments, once a manager has read them

CASELOAD_PER_FTE: Final = 62  # Handbook band 50-70; seeds 55-72
IRO_FEMALE_SHARE: Final = 0.8
IRO_CHANGE_PER_CHILD_YEAR: Final = 0.10
CHILDREN_PER_10K: Final = 100  # N 132, W 116.6, England 70

# Brothers and sisters. About a third of children in care have a sibling also looked after (DfE
# "children looked after with siblings" research puts it between a third and a half). [I] An entry to
# care brings siblings with it this often, in groups of these sizes, so that about a third of the
# children in care are in a group.
SIBLING_GROUP_SHARE_OF_ENTRIES: Final = 0.28
SIBLING_GROUP_SIZE: Final = {2: 0.6, 3: 0.28, 4: 0.12}
# How often a child is allocated to the IRO a sibling already has; the rest are allocated as any child
# is, which splits a few groups. [I]
SIBLINGS_SHARE_AN_IRO: Final = 0.95

# Why children aged 4 or over did not attend their review (participation PN5 to PN7). Wirral: "36% did
# not wish to attend", "14% had limited understanding", "20% were too young" of the 70% who did not
# attend (W:L374); the too-young share there includes under-4s, who are PN0 and need no reason here.
NON_ATTENDANCE_REASON_MIX: Final = {
    "CHOSE_NOT_TO": 0.55,
    "LIMITED_UNDERSTANDING": 0.2,
    "TOO_YOUNG": 0.1,
    "UNWELL_OR_UNAVAILABLE": 0.1,
    "OTHER": 0.05,
}
CHILD_CHAIRED_SHARE: Final = 0.08  # of reviews where the child attended and spoke for themselves [I]
PARENTS_PARTICIPATED: Final = 0.62  # [I]
CARERS_PARTICIPATED: Final = 0.9  # [I]
AGENCY_IRO_SHARE: Final = 0.1  # S: "1 agency IRO" of 13 (S:L19)
# Care leavers' pathway plan reviews (Cheshire East's report): reviewed every six months until 21.
PATHWAY_PLAN_REVIEW_MONTHS: Final = 6  # statutory at least every six months
PATHWAY_PLAN_CHAIRED_BY_IRO: Final = 0.7  # [I]
PATHWAY_PLAN_ON_TIME: Final = 0.85  # [I]
# Vacant full-time IRO posts at a year end, and how often (seeds report none to two).
IRO_VACANCIES_MIX: Final = {0.0: 0.4, 0.5: 0.2, 1.0: 0.3, 2.0: 0.1}  # [I]

# ---------------------------------------------------------------- the child's voice and the review's decisions
# Issue 16; decision 0025. Drawn from random streams of their own (synth/voice.py).

# Decisions (recommendations) per review held. Wirral's IROs "ensure recommendations from reviews are SMART
# and tracked by the IRO" (W:L595) and Walsall's care plan recommendations go to managers within 5 working
# days (S:L143), but no seed counts them: [I] two to six, as a review record's decisions usually run.
DECISIONS_PER_REVIEW: Final = {2: 0.15, 3: 0.30, 4: 0.30, 5: 0.15, 6: 0.10}
# Most are due within 4 to 12 weeks; the rest by the next review (3 to 6 months). [I]
DECISION_DUE_WEEKS: Final = {(4, 13): 0.85, (13, 26): 0.15}
# How a decision due by the end of the data stands. North East Lincolnshire wants "review decisions put
# into action in a timely manner" (N:L93) and raises alerts "where agreed decisions from a review are not
# carried out within the specified timescale" (N:L201); no seed gives the share. [I] Three in four done by
# their date, in line with the 88% of decisions recorded on time (DECISIONS_ON_TIME, C) and tempered by the
# seeds' accounts of drift and delay (H 48% of escalations, H:L192).
DECISION_OUTCOME: Final = {
    "DONE_ON_TIME": 0.74,
    "DONE_LATE": 0.10,
    "NOT_DONE": 0.06,
    "NO_LONGER_NEEDED": 0.05,
    "STILL_OPEN": 0.05,  # overdue and not yet marked: what the overdue list is for
}
# A decision not yet due at the end of the data has often been done already. [I]
DECISION_DONE_EARLY: Final = 0.30

# Letters to the child after their review. Walsall's new review format lets IROs "write personalised letters
# to children" (S:L243), added to its records in May 2025 (S:L262); Cheshire East wrote to some young people
# but "not ... to all" (C:L214). A new practice, so [I] most reviews in the data's last year have one, a few
# in the year before, none earlier.
LETTER_SHARE_BY_YEARS_BEFORE_THE_LAST: Final = {0: 0.85, 1: 0.30}
# Sent within the practice setting's 20 working days (letter_sent_working_days, S). No seed times letters:
# [I] better than the records they accompany (W 63% of minutes in 20 working days, W:L494; S 51.6%).
LETTER_SENT_ON_TIME: Final = 0.80
LETTER_SENT_LATE: Final = 0.15  # 21 to 45 working days; the rest are finalised but never marked sent [I]

# What a challenge achieved. Halton added "a new section ... to capture impact and outcomes" (H:L168); Walsall
# wants to "close the loop to evidence effective change and impact" (S:L266); Wirral's formal escalations
# reached a resolution 94% of the time (W:L492). No seed counts impacts: [I], by the dispute's outcome.
DISPUTE_IMPACT_BY_OUTCOME: Final = {
    "RESOLVED": {"PLAN_CHANGED": 0.35, "ACTION_COMPLETED": 0.35, "RESOURCE_FOUND": 0.20, "PLACEMENT_CHANGED": 0.10},
    "PARTLY_RESOLVED": {"ACTION_COMPLETED": 0.35, "PLAN_CHANGED": 0.15, "RESOURCE_FOUND": 0.10, "NOT_RESOLVED": 0.40},
    "WITHDRAWN": {"WITHDRAWN": 1.0},
}
# Practice alerts are mostly about documents, visits and consultation (C:L300-332): [I] mostly the action done.
PRACTICE_ALERT_IMPACT: Final = {
    "ACTION_COMPLETED": 0.62,
    "PLAN_CHANGED": 0.12,
    "RESOURCE_FOUND": 0.08,
    "PLACEMENT_CHANGED": 0.03,
    "NOT_RESOLVED": 0.10,
    "WITHDRAWN": 0.05,
}

# Why a review was late (practice.DEFAULT_LATE_REASONS). The seeds name reasons but not their shares:
# incomplete care plans and documents and changes of social worker (H:L210); non-attendance of key
# professionals or late reports (N:L197); IRO sickness and turnover (S:L122); staffing, sickness, adverse
# weather, aligning siblings' reviews, documents not available and dates miscalculated (C:L146). [I] shares
# in the order the seeds give them weight. Late notification of entry to care applies to a first review only.
LATE_REASON_MIX: Final = {
    "REPORTS_NOT_READY": 0.26,
    "IRO_UNAVAILABLE": 0.18,
    "SOCIAL_WORKER_UNAVAILABLE": 0.15,
    "PROFESSIONAL_UNAVAILABLE": 0.11,
    "FAMILY_REQUEST": 0.10,
    "BOOKING_ERROR": 0.07,
    "VENUE_OR_WEATHER": 0.04,
    "OTHER": 0.09,
}
LATE_NOTIFICATION_SHARE_OF_LATE_FIRST_REVIEWS: Final = 0.40  # [I]

# Permanence plans. Agreed at the first review from the second on at which review_details records a plan
# (PERMANENCE_PLAN_BY_SECOND_REVIEW, W 90% at the second review, W:L279). The kind of plan follows the way
# the child's care ended, or their placement while still in care (H:L84-91: of plans achieved, return to
# parents 39%, special guardianship 15%, adoption 13%, staying put 21%, independence 10%). Months from the
# plan to its target date: [I], after the 26 weeks of care proceedings for plans that need an order.
PERMANENCE_TARGET_MONTHS: Final = {
    "RETURN_HOME": 6,
    "FAMILY_OR_FRIENDS": 9,
    "SPECIAL_GUARDIANSHIP": 9,
    "CHILD_ARRANGEMENTS": 6,
    "ADOPTION": 12,
    "LONG_TERM_FOSTERING": 9,
    "RESIDENTIAL": 6,
}  # staying put and independence: the young person's 18th birthday
# A long-term foster, family or residential plan is achieved when the child is matched there, a month or more
# after the plan and on average a year later. [I] (N:L90 tracks "children that need long-term matching".)
PERMANENCE_MATCH_MEAN_MONTHS: Final = 12
