"""Long lists in pages of 50 rows, with the GOV.UK pagination component and "Showing 51 to 100 of 342".

Django's `Paginator` does the arithmetic and elides the page numbers; this module only says what the
template shows and keeps the page's other query values (filters, sort order) in each page's address."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import QueryDict

PAGE_SIZE = 50


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the ellipsis between numbers
    href: str
    current: bool


@dataclass(frozen=True)
class Paging:
    number: int
    count: int
    first: int  # the first row shown, counting from 1
    last: int
    offset: int
    size: int
    links: tuple[PageLink, ...]
    previous_href: str | None
    next_href: str | None

    @property
    def showing(self) -> str:
        if self.count == 0:
            return "Showing 0 rows"
        return f"Showing {self.first:,} to {self.last:,} of {self.count:,}"

    @property
    def several_pages(self) -> bool:
        return len(self.links) > 1


def _href(query: QueryDict, number: int) -> str:
    kept = query.copy()
    if number == 1:
        kept.pop("page", None)
    else:
        kept["page"] = str(number)
    encoded = kept.urlencode()
    return f"?{encoded}" if encoded else "?"


def paging_for(*, count: int, query: QueryDict, size: int = PAGE_SIZE) -> Paging:
    """The page the query asks for (`?page=`), the last one if it asks past the end, the first if it is
    not a number."""
    paginator = Paginator(range(count), size, allow_empty_first_page=True)
    page = paginator.get_page(query.get("page"))
    links = tuple(
        PageLink(int(number), _href(query, int(number)), number == page.number)
        if isinstance(number, int)
        else PageLink(None, "", False)  # Paginator.ELLIPSIS, between numbers
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    )
    return Paging(
        number=page.number,
        count=count,
        first=page.start_index(),
        last=page.end_index(),
        offset=page.start_index() - 1 if count else 0,
        size=size,
        links=links,
        previous_href=_href(query, page.number - 1) if page.has_previous() else None,
        next_href=_href(query, page.number + 1) if page.has_next() else None,
    )
