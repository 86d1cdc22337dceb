"""The workspace's menu: the header's links and the home page's list. Each page says who may open it
(`role_required`), and the menu asks each page rather than keeping a second list of roles, so it never
offers a page that would refuse the person, nor hides one they may open."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import get_script_prefix, resolve, reverse

from iroscope.web.accounts.access import roles_allowed
from iroscope.web.accounts.roles import Role


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
