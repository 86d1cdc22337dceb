"""Browser tests: Playwright driving Debian's Chromium against the workspace on a live server, with
an axe accessibility check on every page visited."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from iroscope.data.dataset import Dataset
from iroscope.web.accounts.services import user_create
from iroscope.web.frontend import frontend_dir, frontend_install, frontend_installed
from iroscope.web.records.services import dataset_replace
from tests.web.conftest import PASSWORD, PEOPLE, hand_made_authority
from tests.web.settings import TEST_DATA_DIR

CHROMIUM = Path(os.environ.get("IROSCOPE_CHROMIUM", "/usr/bin/chromium"))
# Without these Chromium reaches for Google's servers, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FRONTEND_CACHE = Path(os.environ.get("IROSCOPE_TEST_FRONTEND_CACHE", Path.home() / ".cache" / "iroscope-test"))

# Playwright's synchronous API runs an event loop in this thread; Django's database calls from the
# test itself (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not CHROMIUM.exists():
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(
                    pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")
                )


@pytest.fixture(scope="session", autouse=True)
def govuk_frontend() -> None:
    """Style the pages as users see them: GOV.UK Frontend from npm, installed once per machine."""
    if not frontend_installed(FRONTEND_CACHE):
        frontend_install(data_dir=FRONTEND_CACHE)
    target = frontend_dir(TEST_DATA_DIR)
    if not target.exists():
        shutil.copytree(frontend_dir(FRONTEND_CACHE), target, symlinks=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


AXE = Axe()

# WCAG 1.4.10 (reflow): every page is checked at the narrowest width it must work at (320 CSS pixels, a
# 1280 px page at 400% zoom) and at a desktop width, in the state the test left it.
WIDTHS = (320, 1280)

# The element reaching furthest right that is not inside a region scrolling on its own, named as
# "tag#id.class (reaching N px)", so that a failure says what to fix.
_WIDEST_ELEMENT = """() => {
  // Inside a region that scrolls on its own, unless positioned against something outside it (an
  // absolutely positioned element escapes a scrolling ancestor that is not positioned itself).
  const scrollsItself = (element) => {
    const escapes = ['absolute', 'fixed'].includes(getComputedStyle(element).position);
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      const scrolls = ['auto', 'scroll', 'hidden'].includes(style.overflowX);
      if (scrolls && (!escapes || style.position !== 'static')) return true;
    }
    return false;
  };
  let widest = null, reach = 0;
  for (const element of document.body.querySelectorAll('*')) {
    const right = element.getBoundingClientRect().right;
    if (right > reach && !scrollsItself(element)) { widest = element; reach = right; }
  }
  if (!widest) return 'none found';
  const classes = typeof widest.className === 'string' && widest.className.trim()
    ? '.' + widest.className.trim().split(/\\s+/).join('.') : '';
  return widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '') + classes
    + ' (reaching ' + Math.round(reach) + ' px)';
}"""


def assert_accessible(page: Page) -> None:
    """No axe violations and no sideways page scroll, at 320 px wide and at desktop width."""
    original = page.viewport_size
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            scroll_width, inner_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll_width <= inner_width, (
                f"{page.url} is {scroll_width} px wide at a {inner_width} px viewport; "
                f"widest element: {page.evaluate(_WIDEST_ELEMENT)}"
            )
            _assert_axe_clean(page, width)
    finally:
        if original is not None:
            page.set_viewport_size(original)


def _assert_axe_clean(page: Page, width: int) -> None:
    results: Any = AXE.run(page)
    violations = results.response["violations"]
    assert violations == [], (
        page.url,
        f"{width} px",
        [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations],
    )


def menu_link(page: Page, label: str) -> Locator:
    """A link of the header's menu (the home page lists the same pages again)."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=label, exact=True)


def follow(link: Locator) -> None:
    """Click a link and wait until the page it leads to has loaded, so that what is checked next is that
    page: not the one left behind, nor one half-drawn (axe then finds no main landmark)."""
    page = link.page
    target = urljoin(page.url, link.get_attribute("href"))
    link.click()
    page.wait_for_url(target)


def fill_date(page: Page, field: str, day: dt.date) -> None:
    """Type `day` into the three boxes of the GOV.UK date input named `field`, as a person would."""
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.fill(f"#id_{field}-{part}", str(value))


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    assert_accessible(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def authority(transactional_db: None) -> Dataset:
    """The hand-made authority of tests/web, committed so the live server's thread can see it."""
    data = hand_made_authority()
    dataset_replace(dataset=data)
    return data


@pytest.fixture
def people(transactional_db: None) -> dict[str, User]:
    return {
        name: user_create(username=name, password=PASSWORD, roles=roles, iro_id=iro_id)
        for name, (roles, iro_id) in PEOPLE.items()
    }
