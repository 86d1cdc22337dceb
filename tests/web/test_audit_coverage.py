"""Every page, list and download that shows child-level data writes an audit entry naming its subject.

Each URL of the workspace is listed here once: either as showing children's data, with an address to
open and a person who may open it, or as showing none, with the reason. A new URL fails the first test
until it is placed; a new page of children's data without `@audited` fails the second; and the walk
opens each one and reads the entry it wrote."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from openpyxl import load_workbook

from iroscope.data.dataset import Dataset
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.audit.services import audit_record
from iroscope.web.audit.viewing import audited_action
from iroscope.web.records.models import DATASET_MODELS
from tests.metrics.helpers import D
from tests.web.test_decisions import OVERDUE_ID
from tests.web.test_decisions import URLS as DECISION_URLS
from tests.web.test_recording_access import URLS as RECORDING_URLS

DISPUTE_ID = "DR-AUDIT-1"

# url name → (address, who opens it, the child the entry names or None for a list of children)
CHILD_DATA: dict[str, tuple[str, str, str | None]] = {
    "child": ("/children/A/", "manager", "A"),
    "caseload": ("/caseload/", "allocated_iro", None),
    "iro-caseload": ("/caseloads/I1/", "manager", None),
    "child-disputes": ("/children/A/disputes/", "manager", "A"),
    "dispute": (f"/disputes/{DISPUTE_ID}/", "manager", "A"),
    "disputes-overdue": ("/disputes/overdue/", "manager", None),
    "allocations": ("/allocations/", "manager", None),
    "dashboard-records": ("/dashboard/reviews_held/", "analyst", None),
    "worklist": ("/lists/reviews_overdue/", "business_support", None),
    "worklist-download": ("/lists/reviews_overdue/download.csv", "analyst", None),
    "worklists-weekly": ("/lists/weekly.xlsx", "manager", None),
    "child-feedback-requests": ("/children/A/feedback-requests/", "business_support", "A"),
    # Comments name no child, but may say anything about one until a manager has read them.
    "feedback-comments": ("/feedback-comments/", "manager", None),
    "letter": ("/children/A/reviews/2024-08-15/letter/", "colleague_iro", "A"),
    "letter-sent": ("/children/A/reviews/2024-08-15/letter/sent/", "business_support", "A"),
    "letter-download": ("/children/A/reviews/2024-08-15/letter/letter.pdf", "manager", "A"),
    **{name: (path, "manager", "A") for name, path in RECORDING_URLS.items()},
    **{name: (path, "manager", "A") for name, path in DECISION_URLS.items()},
    "permanence-plan-record": ("/children/A/permanence-plans/new/", "manager", "A"),
    "permanence-plan-achieved": ("/children/A/permanence-plans/2024-08-15/achieved/", "manager", "A"),
}
# Shown only to the person who uploaded the file, for a day; opened in tests/web/test_imports.py.
AUDITED_NOT_WALKED = {"import-report"}
NO_CHILD_DATA = {
    "home": "a menu",
    "find-child": "sends the person to the child's record, which is audited, or says no child was found",
    "help": "how to use the workspace",
    "accessibility": "the accessibility statement",
    "sign-in": "the sign-in form",
    "sign-out": "signs out",
    "session-keep": "keeps the person signed in",
    "sign-in-single-sign-on": "sends the person to the identity provider",
    "sign-in-single-sign-on-callback": "signs the person in",
    "audit": "the audit trail, which records each search of it instead (Searched the audit trail)",
    "audit-download": "the audit trail as CSV, which records itself (Downloaded the audit trail)",
    "accounts": "staff accounts",
    "account-new": "staff accounts",
    "account-edit": "staff accounts",
    "account-unlock": "staff accounts",
    "password-change": "the person's own password",
    "practice-settings": "the service's settings",
    "dashboard": "figures for the service, an IRO or a team, never a child",
    "dashboard-chart": "a chart of figures",
    "imports": "who imported which file, when, and how many rows",
    "import-new": "the upload form",
    "import-confirm": "a POST that stores an upload",
    "import-abandon": "a POST that throws an upload away",
    "export": "the whole dataset, audited by its service (Exported the whole dataset)",
    "worklists": "each list's name and count",
    "reports": "the annual reports' years",
    "report-builder": "the annual report's figures and narrative",
    "report-preview": "the annual report's figures",
    "report-download": "the annual report's figures",
    "narrative-save": "the annual report's narrative",
    "narrative-history": "the annual report's narrative",
    "narrative-version": "the annual report's narrative",
    "narrative-restore": "the annual report's narrative",
    "feedback-public": "the public feedback form: it names no child and opens without signing in",
    "feedback-sent": "the public thank-you page after feedback is sent",
}


def _names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_of_the_workspace_is_placed_as_showing_childrens_data_or_not() -> None:
    placed = set(CHILD_DATA) | AUDITED_NOT_WALKED | set(NO_CHILD_DATA)
    assert _names(get_resolver().url_patterns) == placed
    assert not set(CHILD_DATA) & set(NO_CHILD_DATA)


@pytest.mark.parametrize("url_name", sorted(CHILD_DATA))
def test_each_page_of_childrens_data_is_audited_by_its_view(url_name: str) -> None:
    path, _, _ = CHILD_DATA[url_name]
    assert audited_action(resolve(path).func) is not None


def test_the_import_report_is_audited_by_its_view() -> None:
    assert audited_action(resolve("/imports/00000000-0000-0000-0000-000000000000/").func) is Action.VIEW_PAGE


def test_the_pages_without_childrens_data_write_no_viewing_entry() -> None:
    # Only the ones with an address to resolve without arguments; the rest are checked by name above.
    for path in ("/", "/dashboard/", "/lists/", "/reports/", "/accounts/", "/settings/"):
        assert audited_action(resolve(path).func) is None, path


@pytest.fixture
def page_data(authority: Dataset) -> None:
    """A dispute on A that is past its deadline, an open practice alert, a booking, a final letter to
    A and a permanence plan not yet achieved, so that every page in the walk exists."""
    DATASET_MODELS["permanence_plans"]._default_manager.create(
        child_id="A", plan_date=D(2024, 8, 15), plan_type="ADOPTION", target_date=D(2025, 8, 15)
    )
    DATASET_MODELS["practice_alerts"]._default_manager.create(
        alert_id="PA-0A1E0001", raised_date=D(2025, 2, 10), reasons=["NO_PLAN"], service="FOSTERING", child_id="A"
    )
    DATASET_MODELS["scheduled_reviews"]._default_manager.create(
        child_id="A", scheduled_date=D(2025, 4, 1), format="VIRTUAL", booked_date=D(2025, 3, 3)
    )
    DATASET_MODELS["disputes"]._default_manager.create(
        dispute_id=DISPUTE_ID, child_id="A", iro_id="I1", raised_date=D(2024, 9, 2), category="DRIFT_AND_DELAY"
    )
    # and a decision overdue, so that its pages (and the one-step challenges) exist
    DATASET_MODELS["review_decisions"]._default_manager.create(
        decision_id=OVERDUE_ID,
        child_id="A",
        review_date=D(2024, 8, 15),
        decision="Make a referral to CAMHS",
        responsible="SOCIAL_WORKER",
        due_date=D(2025, 3, 1),
        iro_id="I1",
    )
    DATASET_MODELS["review_letters"]._default_manager.create(
        child_id="A", review_date=D(2024, 8, 15), letter="Dear Sam,", finalised_date=D(2024, 8, 20), iro_id="I1"
    )


@pytest.mark.parametrize("url_name", sorted(CHILD_DATA))
def test_opening_each_page_of_childrens_data_writes_an_entry_naming_its_subject(
    url_name: str, page_data: None, signed_in: dict[str, Client]
) -> None:
    path, person, child_id = CHILD_DATA[url_name]
    response = signed_in[person].get(path)
    assert response.status_code == 200, response.status_code
    (event,) = AuditEvent.objects.exclude(action__in=[Action.CREATE, Action.UPDATE])
    assert event.username == person
    assert event.subject, "the entry names what was seen"
    assert event.child_id == child_id
    details: dict[str, Any] = event.after or {}
    if child_id is None and url_name != "feedback-comments":
        assert isinstance(details.get("children"), int), "a list's entry says how many children it showed"


def test_a_lists_entry_names_the_list_and_how_many_children_it_showed(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    signed_in["manager"].get("/lists/reviews_overdue/")
    signed_in["analyst"].get("/lists/reviews_overdue/download.csv")
    shown, downloaded = AuditEvent.objects.order_by("id")
    assert (shown.action, shown.subject) == (Action.VIEW_LIST, "the list Reviews overdue")
    assert shown.after == {"iro_id": None, "page": 1, "children": 3}  # A, C and D (hand_made_authority)
    assert (downloaded.action, downloaded.subject) == (Action.DOWNLOAD_LIST, "the list Reviews overdue, as CSV")
    assert downloaded.after == {"iro_id": None, "rows": 3, "children": 3}


def test_the_weekly_workbooks_entry_says_how_many_children_its_lists_name(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    workbook = load_workbook(io.BytesIO(signed_in["manager"].get("/lists/weekly.xlsx").content), read_only=True)
    named: set[str] = set()
    for sheet in workbook.worksheets[1:]:  # the lists, after the summary
        rows = sheet.iter_rows(values_only=True)
        headings = next(rows, ())
        if "Child" in headings:
            named.update(str(row[headings.index("Child")]) for row in rows if row[headings.index("Child")])
    (event,) = AuditEvent.objects.all()
    assert named and event.after == {"as_at": "2025-03-31", "children": len(named)}


def test_a_page_refused_or_not_found_writes_no_entry(authority: Dataset, signed_in: dict[str, Client]) -> None:
    assert signed_in["colleague_iro"].get("/children/A/reviews/new/").status_code == 403
    assert signed_in["manager"].get("/lists/no_such_list/").status_code == 404
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "table", "child_id", "subject"),
    [
        (Action.UPDATE, "iro_allocations", "A", "the child's record: IRO allocations"),
        (Action.UPDATE, "practice_settings", None, "Practice settings"),
        (Action.LOAD_DATASET, None, None, "the whole dataset"),
        (Action.EXPORT_DATASET, None, None, "the whole dataset"),
    ],
)
def test_a_change_written_without_a_subject_is_named_by_what_it_changed(
    action: Action, table: str | None, child_id: str | None, subject: str
) -> None:
    assert audit_record(user=None, action=action, table=table, child_id=child_id).subject == subject


def test_a_download_refused_for_a_wrong_choice_writes_no_entry(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    response = signed_in["analyst"].get("/lists/reviews_overdue/download.csv", {"iro": "NOBODY"})
    assert response.status_code == 400
    assert not AuditEvent.objects.exists()


def test_a_list_shown_again_with_a_wrong_choice_is_still_an_entry(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert signed_in["manager"].get("/lists/reviews_overdue/", {"iro": "NOBODY"}).status_code == 400
    (event,) = AuditEvent.objects.all()
    assert event.subject == "the list Reviews overdue"
