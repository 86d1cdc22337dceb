"""The small-number rule for published figures, as a pure rule: a count from 1 to 4 is not published, and
nor is a rate whose counts would show or reveal one. The report (`report/suppression.py`) builds its
secondary suppression of tables on it; the benchmarking export (`metrics/benchmark.py`) applies it to each
KPI it shares with other authorities, so that both publish exactly the same figures."""

from __future__ import annotations

SMALL_NUMBER_LIMIT = 5  # the DfE/ONS convention: counts below it (and above 0) are not published


def is_small(value: int | float | None) -> bool:
    """Whether a count is one that may not be published: 1 to 4 (0 may be)."""
    return value is not None and 0 < value < SMALL_NUMBER_LIMIT


def rate_hidden(numerator: int | float | None, denominator: int | float | None) -> bool:
    """Whether "n of m" (or n/m as a percentage) would show or reveal a small count: n, m, or m - n.
    "78 of 80" shows two counts and reveals a third, the 2 that were not."""
    if numerator is None or denominator is None:
        return False
    return is_small(numerator) or is_small(denominator) or is_small(denominator - numerator)
