"""Small-number suppression for published figures: what to hide so that no count from 1 to 4 can be
read, or worked out, from what a published report shows.

Primary suppression hides every count from 1 to 4 ("fewer than 5"). Secondary suppression hides
whatever would let a reader work a hidden count out again:

- in a column of counts with a published total, the total less the cells shown is the sum of the
  hidden ones, so more cells are hidden ("not shown") until no hidden cell can be pinned to one value;
  a column that cannot be protected that way is withheld whole;
- a rate shown with its counts ("78 of 80") also shows the count left over (2), so it is hidden when
  that remainder is small as well as when either count is;
- a column counting staff is withheld whenever any of its counts is small: the team is known to its
  colleagues, and the mere presence of a row ("Black African: fewer than 5") can identify a person.

A reader is assumed to know every published total (it is usually printed somewhere else in the report
too), that "fewer than 5" means 1 to 4, and that "not shown" hides a count of 5 or more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from iroscope.report.words import FEWER_THAN_5, NOT_SHOWN, SMALL_NUMBER_LIMIT, is_small, rate_hidden

__all__ = ["NOT_SHOWN", "ProtectedColumn", "protect_column", "protect_staff_column", "rate_hidden"]


@dataclass(frozen=True)
class ProtectedColumn:
    """One column of counts as it may be published: each category's text, and which are hidden.
    `withheld` means no cell of the column can be published (every cell reads "not shown")."""

    cells: dict[str, str]
    hidden: frozenset[str]
    withheld: bool = False


def _bounds(value: int, *, primary: bool, hidden_total: int) -> tuple[int, int]:
    """What a reader knows of a hidden cell: 1 to 4 when it reads "fewer than 5", else 5 or more."""
    if primary:
        return 1, SMALL_NUMBER_LIMIT - 1
    return SMALL_NUMBER_LIMIT, hidden_total


def pinned(values: Mapping[str, int], hidden: Sequence[str]) -> list[str]:
    """The hidden cells a reader can work out exactly, knowing the column's total (so the sum of the
    hidden cells) and the range each hidden cell's label allows."""
    if not hidden:
        return []
    hidden_total = sum(values[name] for name in hidden)
    bounds = {name: _bounds(values[name], primary=is_small(values[name]), hidden_total=hidden_total) for name in hidden}
    found = []
    for name in hidden:
        low, high = bounds[name]
        others_low = sum(bounds[other][0] for other in hidden if other != name)
        others_high = sum(bounds[other][1] for other in hidden if other != name)
        least, most = max(low, hidden_total - others_high), min(high, hidden_total - others_low)
        if least >= most:
            found.append(name)
    return found


def protect_column(values: Mapping[str, int | float], categories: Sequence[str]) -> ProtectedColumn:
    """Hides the small counts of a column whose total is published, then the smallest others until no
    hidden count can be worked out from the total; withholds the column if even that cannot."""
    counts = {name: int(values.get(name, 0) or 0) for name in categories}
    hidden = [name for name in categories if is_small(counts[name])]
    while hidden and pinned(counts, hidden):
        candidates = sorted((counts[name], name) for name in categories if name not in hidden and counts[name] > 0)
        if not candidates:
            return withheld_column(categories)
        hidden.append(candidates[0][1])
    cells = {name: f"{counts[name]:,}" for name in categories}
    for name in hidden:
        cells[name] = FEWER_THAN_5 if is_small(counts[name]) else NOT_SHOWN
    return ProtectedColumn(cells, frozenset(hidden))


def protect_staff_column(values: Mapping[str, int | float], categories: Sequence[str]) -> ProtectedColumn:
    """A column counting members of staff: published whole, or withheld if any count in it is small."""
    if any(is_small(values.get(name, 0)) for name in categories):
        return withheld_column(categories)
    return protect_column(values, categories)


def withheld_column(categories: Sequence[str]) -> ProtectedColumn:
    return ProtectedColumn(dict.fromkeys(categories, NOT_SHOWN), frozenset(categories), withheld=True)
