"""Formula injection: text that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`,
`+cmd|…`) when someone opens a file the product wrote. Following OWASP's advice, text values that
start with a formula character are written with a leading single quote in CSV files; workbooks
write them as text cells. Numbers and dates are never changed: -3 written as a number is safe."""

from __future__ import annotations

import polars as pl

# OWASP's list: the four formula characters, and tab and carriage return, which some spreadsheet
# programs skip before looking for one.
FORMULA_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")
_STARTS_WITH_FORMULA = "^[=+\\-@\\t\\r]"


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_CHARACTERS)


def neutralised_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_CHARACTERS) else value


def starts_with_formula_expr(text: pl.Expr) -> pl.Expr:
    return text.str.contains(_STARTS_WITH_FORMULA)


def neutralise_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with every text value that starts with a formula character prefixed by a single
    quote; other columns (numbers, dates) as they are."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text_columns:
        return frame
    return frame.with_columns(
        pl.when(starts_with_formula_expr(pl.col(name)))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )
