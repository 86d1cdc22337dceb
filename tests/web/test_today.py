"""One timeline, one today (docs/decisions/0014): with today pinned months after the data was
extracted, every page is worked out as at today, work recorded since the extract counts everywhere at
once, a reallocation moves the caseload and the recording rights together, and every page says when
the data was extracted.

The hand-made authority (conftest) is a full return extracted on 31 March 2025. Today here is
1 December 2025, 245 days later. Every child's episode is still open, so all stay in care:
- A: reviews 20 May and 15 August 2024; the third was due 15 February 2025: overdue.
- B: in care from 10 March 2025, no review; the first was due 20 working days later, 7 April 2025: overdue.
- C: review 20 June 2024; the second was due 20 September 2024: overdue.
- D: I2's, review 1 May 2024; the second was due 3 months later, 1 August 2024: overdue.

Not yet tested here (left for the in-year extracts): the same with a part-year extract, whose
`data_end` is a day inside the collection year. `Dataset.data_end` is always 31 March on this branch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from django.test import Client

from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.report.words import data_known_from
from iroscope.web import clock
from iroscope.web.casework.selectors import ReviewState, caseload_for_iro, child_record
from iroscope.web.records import selectors as records_selectors
from tests.metrics.helpers import D
from tests.web.conftest import hand_made_authority
from tests.web.test_allocations import reallocate
from tests.web.test_recording import review_post

EXTRACTED = D(2025, 3, 31)
TODAY = D(2025, 12, 1)
COVERAGE = "Children in care known from the return extracted on 31 March 2025 (245 days ago)."


@pytest.fixture(autouse=True)
def today_is_months_after_the_extract(pin_today: Callable[[dt.date], None]) -> None:
    pin_today(TODAY)


def _caseload_row(page: str, child_id: str) -> str:
    """The caseload's table row for one child."""
    match = re.search(rf'<tr[^>]*data-child="{child_id}".*?</tr>', page, re.S)
    assert match is not None, f"{child_id} is not on the caseload"
    return match.group(0)


def test_the_coverage_sentence_counts_the_days_since_the_extract_in_plain_words() -> None:
    dataset = hand_made_authority()
    assert dataset.data_end == EXTRACTED
    assert data_known_from(dataset=dataset, today=TODAY) == COVERAGE
    assert data_known_from(dataset=dataset, today=D(2025, 4, 1)).endswith("(1 day ago).")
    assert data_known_from(dataset=dataset, today=EXTRACTED).endswith("31 March 2025 (today).")


def test_the_coverage_sentence_names_the_ssd_export_when_the_children_came_from_one() -> None:
    dataset = hand_made_authority()
    children = dataset["children"].with_columns(pl.lit(Source.SSD).alias(SOURCE_COLUMN))
    from_ssd = dataclasses.replace(dataset, tables={**dataset.tables, "children": children})
    assert data_known_from(dataset=from_ssd, today=TODAY) == (
        "Children in care known from the Standard Safeguarding Dataset export extracted on 31 March 2025 "
        "(245 days ago)."
    )


def test_the_caseload_and_the_child_record_are_worked_out_as_at_today_not_the_end_of_the_data() -> None:
    data = hand_made_authority()
    caseload = caseload_for_iro(iro_id="I1", today=TODAY, dataset=data)
    assert caseload.as_at == TODAY
    assert {row.child_id: row.next_review.due_date for row in caseload.rows} == {
        "A": D(2025, 2, 15),
        "B": D(2025, 4, 7),
        "C": D(2024, 9, 20),
    }
    assert caseload.overdue_count == 3  # B's first review, due after the extract, is overdue too
    b = child_record(child_id="B", today=TODAY, dataset=data).next_review
    assert b is not None and (b.state, b.days_overdue) == (ReviewState.OVERDUE, (TODAY - D(2025, 4, 7)).days)


def test_a_review_recorded_today_moves_the_childs_next_review_on_every_page_at_once(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro, manager = signed_in["allocated_iro"], signed_in["manager"]
    # Before: C's second review, due 20 September 2024, is overdue everywhere.
    before = iro.get("/caseload/").content.decode()
    assert "3 with a review overdue" in before and "20 September 2024" in _caseload_row(before, "C")
    assert "C" in _list_children(manager, "reviews_overdue")
    year_to_date = manager.get("/dashboard/").content.decode()
    assert "1 April 2025 to 1 December 2025" in year_to_date
    assert "not available (no reviews)" in year_to_date  # reviews on time: none held since 1 April

    recorded = iro.post("/children/C/reviews/new/", review_post(TODAY))
    assert recorded.status_code == 302

    # After: the second review was held today, so the third is due 6 months later, on 1 June 2026.
    child = iro.get("/children/C/").content.decode()
    assert re.search(r"Next review</dt>\s*<dd[^>]*>\s*1 June 2026", child)
    after = iro.get("/caseload/").content.decode()
    assert "2 with a review overdue" in after and "1 June 2026" in _caseload_row(after, "C")
    assert "C" not in _list_children(manager, "reviews_overdue")
    # The dashboard's year to date counts the review held today: one review, held late.
    assert "0.0% (0 of 1 reviews)" in manager.get("/dashboard/").content.decode()


def _list_children(client: Client, name: str) -> set[str]:
    page = client.get(f"/lists/{name}/").content.decode()
    return set(re.findall(r'href="/children/([^/"]+)/"', page))


def test_a_reallocation_dated_today_moves_the_caseload_row_and_the_recording_rights_together(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    old, new, manager = signed_in["allocated_iro"], signed_in["colleague_iro"], signed_in["manager"]
    assert new.get("/children/C/reviews/new/").status_code == 403
    assert reallocate(manager, child_id="C", iro_id="I2", on=TODAY.isoformat()).status_code == 302  # type: ignore[attr-defined]

    assert 'data-child="C"' in new.get("/caseload/").content.decode()
    assert 'data-child="C"' not in old.get("/caseload/").content.decode()
    assert "I2" in signed_in["manager"].get("/children/C/").content.decode()
    # Recording rights follow the caseload: the new IRO records, the old one is refused.
    assert new.get("/children/C/reviews/new/").status_code == 200
    assert old.get("/children/C/reviews/new/").status_code == 403
    assert new.post("/children/C/reviews/new/", review_post(TODAY)).status_code == 302
    assert old.post("/children/C/midway-reviews/new/", {}).status_code == 403
    # And the dispute rights with them.
    assert "Raise a dispute" in new.get("/children/C/disputes/").content.decode()
    assert "Raise a dispute" not in old.get("/children/C/disputes/").content.decode()


@pytest.mark.parametrize(
    ("person", "address"),
    [
        ("allocated_iro", "/caseload/"),
        ("allocated_iro", "/children/A/"),
        ("allocated_iro", "/children/A/disputes/"),
        ("manager", "/lists/"),
        ("manager", "/lists/reviews_overdue/"),
        ("manager", "/dashboard/"),
        ("manager", "/allocations/"),
        ("manager", "/disputes/overdue/"),
    ],
)
def test_every_page_that_reads_the_data_says_when_it_was_extracted(
    authority: Dataset, signed_in: dict[str, Client], person: str, address: str
) -> None:
    response = signed_in[person].get(address)
    assert response.status_code == 200
    assert COVERAGE in response.content.decode()


@pytest.mark.parametrize("whole_after_pages", [0, 10**9], ids=["whole tables", "own children"])
def test_the_pages_kept_by_each_worker_follow_today_as_it_moves_and_forget_earlier_days(
    authority: Dataset,
    signed_in: dict[str, Client],
    pin_today: Callable[[dt.date], None],
    monkeypatch: pytest.MonkeyPatch,
    whole_after_pages: int,
) -> None:
    """B's first review is due 7 April 2025. On 31 March it is due in 7 days; on 8 April, a day
    overdue: the caseload and the child page kept from the day before must not be served."""
    monkeypatch.setattr(records_selectors, "WHOLE_AFTER_PAGES", whole_after_pages)
    iro = signed_in["allocated_iro"]
    pin_today(EXTRACTED)
    assert "2 with a review overdue" in iro.get("/caseload/").content.decode()
    assert "7 days to go" in iro.get("/children/B/").content.decode()
    pin_today(D(2025, 4, 8))
    assert "3 with a review overdue" in iro.get("/caseload/").content.decode()
    child = iro.get("/children/B/").content.decode()
    assert "1 day overdue" in child and "(8 days ago)" in child
    # A worker keeps no results worked out for an earlier day.
    kept = records_selectors.dataset_snapshot()
    assert all(EXTRACTED not in _dates_in(key) for key in kept._entry.results)


def _dates_in(key: object) -> set[dt.date]:
    if isinstance(key, dt.date):
        return {key}
    if isinstance(key, tuple | frozenset):
        return set().union(*(_dates_in(part) for part in key)) if key else set()
    return set()


def test_only_the_clock_asks_django_what_day_it_is() -> None:
    """Every page asks `clock.workspace_today`, so pinning it pins the workspace. The import pages are
    the exception: their readers ask only whether a date in a file lies in the future."""
    web = Path(clock.__file__).parent
    askers = {path.relative_to(web).as_posix() for path in web.rglob("*.py") if "localdate()" in path.read_text()}
    assert askers == {"clock.py", "imports/views.py"}
