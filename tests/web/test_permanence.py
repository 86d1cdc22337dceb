"""Recording permanence plans through the pages, as the named people of conftest, on the hand-made
authority (today 31 March 2025). Child A came into care on 1 May 2024 and is allocated to I1 (the
allocated IRO); reviews on 20 May and 15 August 2024."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.test import Client
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.dataset import SOURCE_COLUMN, Dataset, Source
from iroscope.web.audit.models import Action, AuditEvent
from iroscope.web.imports.models import Outcome
from iroscope.web.imports.services import import_confirm
from iroscope.web.permanence.services import permanence_plan_record, plans_version
from iroscope.web.records.models import DATASET_MODELS
from iroscope.web.records.selectors import dataset_from_database
from iroscope.web.records.services import dataset_load_folder
from tests.metrics.helpers import D
from tests.web.journey import MADE_ON, TODAY, stored_row
from tests.web.test_recording import date_fields, version_in
from tests.web.test_system_of_record import workbook_checked
from tests.web.walk import ALLOW, DENY, SIGN_IN, assert_allowed_or_refused, client_for

NEW = "/children/A/permanence-plans/new/"


def plan_post(
    version: str, *, agreed: dt.date | None, target: dt.date | None, plan_type: str = "ADOPTION"
) -> dict[str, str]:
    return {
        "version": version,
        "plan_type": plan_type,
        **date_fields("plan_date", agreed),
        **date_fields("target_date", target),
    }


def plans(child_id: str = "A") -> list[tuple[Any, ...]]:
    rows = DATASET_MODELS["permanence_plans"]._default_manager.filter(child_id=child_id).order_by("plan_date")
    return list(rows.values_list("plan_date", "plan_type", "target_date", "achieved_date"))


def opened(client: Client, url: str = NEW) -> str:
    return version_in(client.get(url).content.decode())


@pytest.mark.usefixtures("each_database")
def test_a_plan_is_recorded_audited_and_shown_as_the_current_plan(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    response = iro.post(NEW, plan_post(opened(iro), agreed=D(2024, 8, 15), target=D(2025, 8, 15)))
    assert response.status_code == 302
    assert plans() == [(D(2024, 8, 15), "ADOPTION", D(2025, 8, 15), None)]
    (event,) = AuditEvent.objects.filter(action=Action.CREATE, table="permanence_plans")
    assert event.before is None
    assert event.after == {
        "child_id": "A",
        "plan_date": "2024-08-15",
        "plan_type": "ADOPTION",
        "target_date": "2025-08-15",
        "achieved_date": None,
    }
    page = iro.get("/children/A/").content.decode()
    assert "Adoption" in page and "15 August 2025" in page
    assert "Past its target date" not in page


@pytest.mark.usefixtures("each_database")
def test_a_later_plan_replaces_the_earlier_as_current_and_both_are_kept(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    manager.post(NEW, plan_post(opened(manager), agreed=D(2024, 5, 20), target=D(2025, 1, 31)))
    manager.post(
        NEW, plan_post(opened(manager), agreed=D(2024, 8, 15), target=D(2025, 3, 30), plan_type="LONG_TERM_FOSTERING")
    )
    assert [row[1] for row in plans()] == ["ADOPTION", "LONG_TERM_FOSTERING"]
    page = manager.get("/children/A/").content.decode()
    current = page[page.index('id="permanence"') : page.index("Every permanence plan recorded")]
    # The current plan's target, 30 March 2025, ended yesterday: past it. The earlier plan's is history.
    assert "Long-term fostering" in current and "30 March 2025" in current
    assert "Past its target date" in current
    history = page[page.index("Every permanence plan recorded") :]
    assert history.index("15 August 2024") < history.index("20 May 2024")  # latest first


@pytest.mark.usefixtures("each_database")
def test_a_plan_whose_target_is_today_is_not_yet_past_it(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    iro.post(NEW, plan_post(opened(iro), agreed=D(2024, 8, 15), target=D(2025, 3, 31)))
    assert "Past its target date" not in iro.get("/children/A/").content.decode()


@pytest.mark.parametrize(
    ("agreed", "target", "field", "message"),
    [
        (D(2025, 4, 1), D(2025, 9, 1), "plan_date", "Date agreed must be today or in the past"),
        (
            D(2024, 4, 30),
            D(2025, 9, 1),
            "plan_date",
            "Date agreed must be on or after the day the child came into care, 1 May 2024",
        ),
        (D(2024, 8, 15), D(2024, 8, 15), "target_date", "Target date must be after the date agreed, 15 August 2024"),
        (D(2024, 8, 15), D(2024, 8, 14), "target_date", "Target date must be after the date agreed, 15 August 2024"),
    ],
)
def test_a_plan_with_impossible_dates_is_refused_with_a_message_on_the_field(
    authority: Dataset,
    signed_in: dict[str, Client],
    agreed: dt.date,
    target: dt.date,
    field: str,
    message: str,
) -> None:
    iro = signed_in["allocated_iro"]
    response = iro.post(NEW, plan_post(opened(iro), agreed=agreed, target=target))
    page = response.content.decode()
    assert response.status_code == 400
    # The error summary links to the field's box.
    assert re.search(f'<a href="#[^"]*{field}[^"]*">{message}</a>', page), page
    assert plans() == []
    # What was typed is still in the form.
    typed = agreed if field == "plan_date" else target
    assert f'name="{field}-day" type="text" inputmode="numeric" value="{typed.day}"' in page


def test_a_plan_without_a_type_or_a_target_is_refused_naming_each(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    data = plan_post(opened(iro), agreed=D(2024, 8, 15), target=None)
    del data["plan_type"]
    page = iro.post(NEW, data).content.decode()
    assert "Select the type of permanence plan" in page
    assert "Enter the date by which the plan should be achieved" in page
    assert plans() == []


def test_a_second_plan_on_the_same_day_is_refused(authority: Dataset, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    iro.post(NEW, plan_post(opened(iro), agreed=D(2024, 8, 15), target=D(2025, 8, 15)))
    page = iro.post(NEW, plan_post(opened(iro), agreed=D(2024, 8, 15), target=D(2025, 9, 1))).content.decode()
    assert "A permanence plan agreed on 15 August 2024 is already recorded for this child" in page
    assert len(plans()) == 1


@pytest.mark.usefixtures("each_database")
def test_a_plan_saved_over_someone_elses_is_refused_and_keeps_what_was_typed(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro, manager = signed_in["allocated_iro"], signed_in["manager"]
    iro_version, manager_version = opened(iro), opened(manager)
    assert (
        manager.post(NEW, plan_post(manager_version, agreed=D(2024, 8, 15), target=D(2025, 8, 15))).status_code == 302
    )
    stale = iro.post(
        NEW, plan_post(iro_version, agreed=D(2024, 9, 1), target=D(2025, 12, 1), plan_type="SPECIAL_GUARDIANSHIP")
    )
    page = stale.content.decode()
    assert stale.status_code == 400
    assert "Someone else changed this child&#x27;s permanence plans after you opened this page" in page
    assert 'value="SPECIAL_GUARDIANSHIP" checked' in page
    assert 'name="target_date-year" type="text" inputmode="numeric" value="2025"' in page
    assert 'name="target_date-month" type="text" inputmode="numeric" value="12"' in page
    assert plans() == [(D(2024, 8, 15), "ADOPTION", D(2025, 8, 15), None)]  # the manager's plan stands
    assert AuditEvent.objects.filter(table="permanence_plans").count() == 1


@pytest.mark.usefixtures("each_database")
def test_a_plan_is_marked_achieved_with_its_date_and_audited_before_and_after(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    iro = signed_in["allocated_iro"]
    iro.post(NEW, plan_post(opened(iro), agreed=D(2024, 8, 15), target=D(2025, 3, 1)))
    url = "/children/A/permanence-plans/2024-08-15/achieved/"
    early = iro.post(url, {"version": opened(iro, url), **date_fields("achieved_date", D(2024, 8, 14))})
    assert "Date achieved must be on or after the date the plan was agreed, 15 August 2024" in early.content.decode()
    done = iro.post(url, {"version": opened(iro, url), **date_fields("achieved_date", D(2025, 3, 20))})
    assert done.status_code == 302
    assert plans() == [(D(2024, 8, 15), "ADOPTION", D(2025, 3, 1), D(2025, 3, 20))]
    (event,) = AuditEvent.objects.filter(action=Action.UPDATE, table="permanence_plans")
    before, after = event.before or {}, event.after or {}
    assert (before["achieved_date"], after["achieved_date"]) == (None, "2025-03-20")
    assert {key: value for key, value in after.items() if key != "achieved_date"} == {
        key: value for key, value in before.items() if key != "achieved_date"
    }
    page = iro.get("/children/A/").content.decode()
    assert "20 March 2025" in page and "Past its target date" not in page  # achieved, so not late


def test_a_colleague_iro_can_neither_post_a_plan_nor_see_the_button(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    forged = plan_post("0" * 32, agreed=D(2024, 8, 15), target=D(2025, 8, 15))
    assert signed_in["colleague_iro"].post(NEW, forged).status_code == 403
    assert plans() == []
    page = signed_in["colleague_iro"].get("/children/A/").content.decode()
    assert "Record a permanence plan" not in page  # the colleague reads the record but cannot record on it


# -- every page as every person (tests/web/test_access.py leaves these to this module) -----------------
PAGES = {
    "permanence-plan-record": NEW,
    "permanence-plan-achieved": "/children/A/permanence-plans/2024-08-15/achieved/",
}
ALLOWED = {"allocated_iro", "manager"}
PEOPLE = ("anonymous", "allocated_iro", "colleague_iro", "manager", "business_support", "analyst", "administrator")


@pytest.fixture
def a_plan(authority: Dataset) -> None:
    """A plan on A not yet achieved, so that its "mark achieved" page exists."""
    DATASET_MODELS["permanence_plans"]._default_manager.create(
        child_id="A", plan_date=D(2024, 8, 15), plan_type="ADOPTION", target_date=D(2025, 8, 15)
    )


@pytest.mark.parametrize("person", [*PEOPLE, "no_role"])
@pytest.mark.parametrize("url_name", list(PAGES))
def test_each_person_is_allowed_or_refused_each_permanence_page(
    person: str, url_name: str, a_plan: None, signed_in: dict[str, Client]
) -> None:
    response = client_for(person, signed_in).get(PAGES[url_name])
    expected = SIGN_IN if person == "anonymous" else ALLOW if person in ALLOWED else DENY
    assert_allowed_or_refused(response, expected)


def test_an_unknown_child_or_plan_is_not_found(a_plan: None, signed_in: dict[str, Client]) -> None:
    manager = signed_in["manager"]
    assert manager.get("/children/NOPE/permanence-plans/new/").status_code == 404
    assert manager.get("/children/A/permanence-plans/2024-08-16/achieved/").status_code == 404
    assert manager.get("/children/A/permanence-plans/not-a-date/achieved/").status_code == 404


# -- the workspace is the system of record -----------------------------------------------------------------
@pytest.mark.django_db
def test_a_plan_recorded_in_the_workspace_survives_a_reimport_of_the_activity_workbook_and_a_903_load(
    authority_folder: Path, tmp_path: Path, as_manager: User
) -> None:
    assert dataset_load_folder(folder=authority_folder, today=MADE_ON).stored is not None
    episodes = dataset_from_database()["episodes"]
    child_id = episodes.filter(pl.col("end_date").is_null())["child_id"].unique().sort()[0]
    key = {"child_id": child_id, "plan_date": dt.date(2026, 6, 1)}
    permanence_plan_record(
        user=as_manager,
        child_id=child_id,
        plan_date=key["plan_date"],
        plan_type="SPECIAL_GUARDIANSHIP",
        target_date=dt.date(2027, 3, 1),
        version=plans_version(child_id=child_id),
        today=TODAY,
    )

    def still_recorded() -> None:
        rows = stored_row("permanence_plans", key)
        assert rows.select("plan_type", "target_date", SOURCE_COLUMN, "_added_by").rows() == [
            ("SPECIAL_GUARDIANSHIP", dt.date(2027, 3, 1), Source.WORKSPACE, "manager")
        ]

    still_recorded()
    checked = workbook_checked(authority_folder, as_manager)
    assert checked.outcome == Outcome.CHECKED, checked.reason
    import_confirm(user=as_manager, data_import=checked, today=TODAY)
    still_recorded()
    one_year = tmp_path / "one-year"
    shutil.copytree(authority_folder / "ssda903" / "2025-26", one_year / "ssda903" / "2025-26")
    loaded = CliRunner().invoke(app, ["load", str(one_year), "--today", TODAY.isoformat()])
    assert loaded.exit_code == 0, loaded.output
    still_recorded()


# -- the permanence tracker list -----------------------------------------------------------------------------
TRACKER = "/lists/permanence_tracker/"


def tracker_rows(client: Client) -> list[list[str]]:
    html = client.get(TRACKER).content.decode()
    body = html[html.index('<tbody class="govuk-table__body">') :]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body[: body.index("</tbody>")], re.DOTALL)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        ]
        for row in rows
    ]


@pytest.mark.usefixtures("each_database")
def test_the_tracker_lists_a_child_without_a_plan_until_one_is_recorded_and_then_one_past_its_target(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    # A's second review was held on 15 August 2024; C and D have had one review, B none.
    manager = signed_in["manager"]
    assert tracker_rows(manager) == [
        ["A", "I1", "First IRO", "No permanence plan since the second review", "15 August 2024", "", "", "", ""]
    ]
    # A plan agreed on the day of the second review, its target 28 February 2025: past it by 31 March.
    manager.post(NEW, plan_post(opened(manager), agreed=D(2024, 8, 15), target=D(2025, 2, 28)))
    assert tracker_rows(manager) == [
        [
            "A",
            "I1",
            "First IRO",
            "Permanence plan past its target date",
            "15 August 2024",
            "Adoption",
            "15 August 2024",
            "28 February 2025",
            "31",  # 1 to 31 March 2025
        ]
    ]
    download = manager.get(TRACKER + "download.csv").content.decode().splitlines()
    assert (
        download[1]
        == "A,I1,First IRO,Permanence plan past its target date,2024-08-15,ADOPTION,2024-08-15,2025-02-28,31"
    )
    url = "/children/A/permanence-plans/2024-08-15/achieved/"
    manager.post(url, {"version": opened(manager, url), **date_fields("achieved_date", D(2025, 3, 28))})
    assert tracker_rows(manager) == [["There is nothing on this list."]]  # achieved, so off the list


@pytest.mark.parametrize(
    ("achieved", "message"),
    [
        (D(2025, 4, 1), "Date achieved must be today or in the past"),
        (D(2024, 8, 14), "Date achieved must be on or after the date the plan was agreed, 15 August 2024"),
    ],
)
def test_an_impossible_date_achieved_is_refused_on_its_field(
    a_plan: None, signed_in: dict[str, Client], achieved: dt.date, message: str
) -> None:
    iro = signed_in["allocated_iro"]
    url = "/children/A/permanence-plans/2024-08-15/achieved/"
    response = iro.post(url, {"version": opened(iro, url), **date_fields("achieved_date", achieved)})
    assert response.status_code == 400
    assert re.search(f'<a href="#[^"]*achieved_date[^"]*">{message}</a>', response.content.decode())
    assert plans()[0][3] is None


def test_a_plan_already_achieved_cannot_be_marked_achieved_again(a_plan: None, signed_in: dict[str, Client]) -> None:
    iro = signed_in["allocated_iro"]
    url = "/children/A/permanence-plans/2024-08-15/achieved/"
    version = opened(iro, url)
    assert iro.post(url, {"version": version, **date_fields("achieved_date", D(2025, 3, 1))}).status_code == 302
    again = iro.post(url, {"version": opened(iro, url), **date_fields("achieved_date", D(2025, 3, 2))})
    assert "This plan was already marked achieved on 1 March 2025" in again.content.decode()
    assert plans()[0][3] == D(2025, 3, 1)


# -- the dashboard -------------------------------------------------------------------------------------------
@pytest.mark.usefixtures("each_database")
def test_the_dashboard_counts_plans_by_type_at_the_periods_end_and_the_two_headline_figures(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    manager = signed_in["manager"]
    # A: adoption agreed at the second review (15 August 2024), target 28 February 2025, not achieved.
    manager.post(NEW, plan_post(opened(manager), agreed=D(2024, 8, 15), target=D(2025, 2, 28)))
    # C: long-term fostering agreed on 1 September 2024, target 1 September 2025.
    for_c = "/children/C/permanence-plans/new/"
    c_plan = plan_post(
        opened(manager, for_c), agreed=D(2024, 9, 1), target=D(2025, 9, 1), plan_type="LONG_TERM_FOSTERING"
    )
    assert manager.post(for_c, c_plan).status_code == 302
    html = manager.get("/dashboard/?period=year-2024").content.decode()
    table = html[html.index('id="breakdown-permanence_plans_by_type"') :]
    table = table[: table.index("</table>")]
    assert "on 31 March 2025" in table
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table)]
    assert cells[2:] == ["Adoption", "1", "Long-term fostering", "1", "Total", "2"]
    # A is the one child whose second review was held in the year, with a plan agreed that day.
    by_second = html[html.index('id="kpi-children_with_permanence_plan_by_second_review"') :]
    assert "1 of 1" in by_second[: by_second.index("</tr>")]
    past = html[html.index('id="kpi-permanence_plans_past_target"') :]
    assert re.search(r">\s*1\s*<", past[: past.index("</tr>")])  # A's, past 28 February
