"""No link leads a person to a refusal: each role follows every link on every page it can reach, from
the home page, and none of them answers 403."""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from iroscope.data.dataset import Dataset

# Enough to reach every kind of page the hand-made authority has (its four children, every list, each
# dispute, report and account page) without following every sort order of every list.
MOST_PAGES = 250
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')


def links_on(html: str) -> list[str]:
    found = []
    for href in _HREF.findall(html):
        address, _ = urldefrag(unescape(href))
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not address.startswith("/") or address.startswith("/static/"):
            continue  # another site, or a file served as it is
        found.append(address)
    return found


def _walk(client: Client) -> dict[str, str]:
    """Every address reached from the home page, with the page that first linked to it, refused ones
    included, as {address: linked from}."""
    seen = {"/": "(start)"}
    refused = {}
    queue = deque(["/"])
    while queue and len(seen) <= MOST_PAGES:
        address = queue.popleft()
        response = client.get(address)
        if response.status_code == 403:
            refused[address] = seen[address]
            continue
        assert response.status_code in (200, 302), (address, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for link in links_on(response.content.decode()):
            if link not in seen:
                seen[link] = address
                queue.append(link)
    return refused


@pytest.mark.parametrize(
    "person", ["allocated_iro", "colleague_iro", "manager", "business_support", "analyst", "administrator"]
)
def test_every_link_a_person_is_offered_opens_for_them(
    person: str, authority: Dataset, signed_in: dict[str, Client]
) -> None:
    assert _walk(signed_in[person]) == {}


def test_an_analyst_sees_childrens_identifiers_on_the_lists_as_text_not_links(
    authority: Dataset, signed_in: dict[str, Client]
) -> None:
    page = signed_in["analyst"].get("/lists/reviews_overdue/").content.decode()
    assert "/children/" not in page
    assert re.search(r'<td class="govuk-table__cell">C</td>', page)  # C's review is the longest overdue
