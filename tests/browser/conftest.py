"""Browser tests: Playwright driving Debian's Chromium against the workspace on a live server, with
an axe accessibility check on every page visited."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import User
from django.core.servers.basehttp import WSGIRequestHandler
from django.test.testcases import QuietWSGIRequestHandler
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from iroscope.data.dataset import Dataset
from iroscope.rules.calendar import long_date
from iroscope.web.accounts.services import user_create
from iroscope.web.frontend import frontend_dir, frontend_install, frontend_installed
from iroscope.web.logs import RedactChildIdentifiers
from iroscope.web.records.models import DATASET_MODELS
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


# --- The log of the whole browser run holds no child's identifier or date of birth (issue 15) --------
#
# Everything the workspace's log handlers write during the run (its own logs, Django's request errors
# and, as runserver logs them, the live server's request lines) is kept; every child loaded in any test
# is noted before its test's database is emptied; at the end of the run the log is searched for each.


class _Tee(io.TextIOBase):
    """A stream that writes to the handler's own stream and to the run's log."""

    def __init__(self, original: IO[str], kept: io.StringIO) -> None:
        self.original, self.kept = original, kept

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.original.write(text)

    def flush(self) -> None:
        self.original.flush()


_CHILDREN_SEEN: dict[str, set[dt.date]] = {}


def _workspace_log_handlers() -> list[logging.StreamHandler[Any]]:
    """The handlers the workspace's LOGGING setting made (they carry its redacting filter)."""
    configured: dict[str, Any] = settings.LOGGING
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in configured.get("loggers", {}))]
    handlers = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
        and any(isinstance(found, RedactChildIdentifiers) for found in handler.filters)
    }
    return list(handlers)


def _date_texts(day: dt.date) -> list[str]:
    return [day.isoformat(), long_date(day), f"{day:%d/%m/%Y}", f"{day.day} {day:%b} {day.year}"]


def _child_mentioned(text: str, child_id: str) -> bool:
    """Whether `text` names the child: anywhere as a word for an identifier of 4 or more characters; in a
    path, a query value or a database key for a shorter one (the hand-made authority's A, B, C, D)."""
    escaped = re.escape(child_id)
    if len(child_id) >= 4:
        return re.search(rf"(?<![A-Za-z0-9]){escaped}(?![A-Za-z0-9])", text) is not None
    return re.search(rf"[/=(]{escaped}(?=[/&\s\"),]|$)", text) is not None


@pytest.fixture(scope="session", autouse=True)
def log_of_the_whole_run() -> Iterator[io.StringIO]:
    kept = io.StringIO()
    handlers = _workspace_log_handlers()
    assert handlers, "the workspace's logging is configured, with its redacting filter"
    originals = [(handler, handler.setStream(_Tee(handler.stream, kept))) for handler in handlers]
    # The live server logs each request line as runserver does (Django's test server keeps quiet).
    quiet = QuietWSGIRequestHandler.log_message
    QuietWSGIRequestHandler.log_message = WSGIRequestHandler.log_message  # type: ignore[method-assign]
    yield kept
    QuietWSGIRequestHandler.log_message = quiet  # type: ignore[method-assign]
    for handler, original in originals:
        handler.setStream(original)
    log = kept.getvalue()
    found = [
        f"{child_id} or a date of birth of theirs"
        for child_id, born in _CHILDREN_SEEN.items()
        if _child_mentioned(log, child_id) or any(text in log for day in born for text in _date_texts(day))
    ]
    assert not found, f"the browser run's log names children: {found[:10]}"


@pytest.fixture(autouse=True)
def children_loaded_are_noted(request: pytest.FixtureRequest) -> Iterator[None]:
    """Note the children each test loaded, before its database is emptied (it is set up after the
    database and so torn down before it)."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    children = DATASET_MODELS["children"]._default_manager.values_list("child_id", "date_of_birth")
    for child_id, born in children:
        _CHILDREN_SEEN.setdefault(child_id, set()).update({born} if born else set())
