"""The workspace's menu: the header's links and the home page's list. Each page says who may open it
(`role_required`), and the menu asks each page rather than keeping a second list of roles, so it never
offers a page that would refuse the person, nor hides one they may open."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import get_script_prefix, resolve, reverse

from iroscope.web.accounts.access import roles_allowed
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.selectors import AnyUser, user_roles


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    description: str


# In the order the header shows them: (label, URL name, what the home page says the page is for).
PAGES = (
    ("My caseload", "caseload", "The children allocated to you, with their next review, overdue first."),
    (
        "Disputes past their deadline",
        "disputes-overdue",
        "Disputes about a child's plan whose stage has passed its deadline.",
    ),
    ("Dashboard", "dashboard", "The service's figures this year against last year, month by month."),
    ("Annual report", "reports", "Build the IRO annual report, write its narrative and download it."),
    ("Lists", "worklists", "Reviews due and overdue, records outstanding and the other lists to work through."),
    ("Imports", "imports", "Load an SSDA903 return or activity records, checked before anything changes."),
    ("Allocations", "allocations", "Allocate children to IROs, with each IRO's caseload against the band."),
    (
        "Feedback comments",
        "feedback-comments",
        "What people wrote in feedback by link or QR code; publish what may be quoted in the report.",
    ),
    ("Settings", "practice-settings", "Dispute stages, deadlines, case-tracking frequencies and the caseload band."),
    ("Audit trail", "audit", "Who viewed which child's record and who changed what."),
    ("Accounts", "accounts", "Create accounts, give people their roles and close accounts."),
)


def menu_for(roles: frozenset[Role]) -> tuple[Link, ...]:
    """The pages someone with these roles may open."""
    return _menu(roles, get_script_prefix())


@functools.cache
def _menu(roles: frozenset[Role], script_prefix: str) -> tuple[Link, ...]:
    # Kept by the prefix too: the addresses start with it when the workspace is served under a path.
    links = []
    for label, name, description in PAGES:
        url = reverse(name)
        if roles & roles_allowed(resolve(url).func):
            links.append(Link(label, url, description))
    return tuple(links)


def may_open(*, user: AnyUser, url: str) -> bool:
    """Whether the page at `url` would let this person in: the page's own `role_required` says, so that
    a link is offered only where following it would not be refused."""
    return bool(user_roles(user=user) & roles_allowed(resolve(url).func))


def may_read_children(*, user: AnyUser) -> bool:
    """Whether the person may open children's records (the child page's rule, as `may_open` reads it)."""
    return may_open(user=user, url=reverse("child", args=["any"]))


@dataclass(frozen=True)
class CurrentPage:
    """Which menu link the page being shown belongs to, and whether it is that link's own page (a
    child of it, such as one list of the Lists page, marks its link without being it)."""

    url: str
    exact: bool


def current_page(menu: tuple[Link, ...], path: str) -> CurrentPage | None:
    """The menu link whose address is the longest start of `path` (the home page marks no link)."""
    home = reverse("home")
    within = [link.url for link in menu if link.url != home and path.startswith(link.url)]
    if not within:
        return None
    url = max(within, key=len)
    return CurrentPage(url=url, exact=url == path)
