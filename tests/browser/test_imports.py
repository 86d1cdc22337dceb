"""Imports in a real browser: an analyst uploads a return with an error and reads the report, then
uploads a clean return and confirms it; axe on each page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from iroscope.cli import app
from tests.browser.conftest import assert_accessible, follow, menu_link, sign_in
from tests.web.conftest import PASSWORD


def test_an_analyst_reads_the_errors_in_a_return_then_loads_a_clean_one(
    live_server: Any, page: Page, people: dict[str, User], tmp_path: Path
) -> None:
    folder = tmp_path / "authority"
    made = CliRunner().invoke(
        app, ["synth", "--out", str(folder), "--children", "30", "--years", "1", "--today", "2026-05-01"]
    )
    assert made.exit_code == 0, made.output
    clean = sorted((folder / "ssda903" / "2025-26").glob("*.csv"))
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in clean:
        shutil.copy(path, broken / path.name)
    header = (broken / "header.csv").read_text().splitlines()
    child = header[1].split(",")
    child[2] = "31/02/2015"  # DOB: there is no 31 February
    (broken / "header.csv").write_text("\n".join([header[0], ",".join(child), *header[2:]]) + "\n")

    sign_in(page, live_server.url, "analyst", PASSWORD)
    follow(menu_link(page, "Imports"))
    assert_accessible(page)
    follow(page.get_by_role("button", name="Upload a file"))
    assert_accessible(page)

    # Forgetting the year is explained in the error summary, which links to the field.
    page.get_by_label("SSDA903 return").check()
    page.get_by_label("Files").set_input_files([str(path) for path in sorted(broken.glob("*.csv"))])
    page.get_by_role("button", name="Check the files").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the collection year of the 903 return")
    assert_accessible(page)

    page.get_by_label("SSDA903 return").check()
    page.get_by_label("Collection year of a 903 return").select_option("2025")
    page.get_by_label("Files").set_input_files([str(path) for path in sorted(broken.glob("*.csv"))])
    page.get_by_role("button", name="Check the files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSDA903 return for 2025-26")
    expect(page.locator(".govuk-warning-text")).to_contain_text("This upload cannot be loaded")
    first_error = page.locator("#errors tbody tr").filter(has_text="31/02/2015")
    expect(first_error.locator("td").nth(0)).to_have_text("ssda903/2025-26/header.csv")
    expect(first_error.locator("td").nth(1)).to_have_text("2")
    expect(first_error.locator("td").nth(2)).to_have_text("C000001")  # whose row it is
    expect(first_error.locator("td").nth(3)).to_have_text("DOB")
    expect(page.get_by_role("button", name="Confirm and load")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Back to imports").click()
    page.get_by_role("button", name="Upload a file").click()
    page.get_by_label("SSDA903 return").check()
    page.get_by_label("Collection year of a 903 return").select_option("2025")
    page.get_by_label("Files").set_input_files([str(path) for path in clean])
    page.get_by_role("button", name="Check the files").click()
    expect(page.locator("#problem-counts")).to_contain_text("0 errors")
    expect(page.locator("#errors")).to_contain_text("No errors.")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and load").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-panel__title")).to_have_text("Loaded")
    assert_accessible(page)

    page.get_by_role("link", name="Back to imports").click()
    expect(page.locator("#history tbody tr")).to_have_count(2)
    expect(page.locator("#history tbody tr").first).to_contain_text("Loaded")
    expect(page.locator("#history tbody tr").nth(1)).to_contain_text("Refused with 1 error")
    assert_accessible(page)
