"""Problems found in input data: each names the file, row, column and value, with a plain-English
reason. Errors stop an import; warnings are reported and the data is used."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "severity": pl.String(),
    "file": pl.String(),
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    "message": pl.String(),
    "check": pl.String(),
}


@dataclass(frozen=True)
class Problem:
    severity: Severity
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    check: str


class Problems:
    """A growing list of problems, held as data frames so that a national file with a million bad
    cells is reported as fast as one with three."""

    def __init__(self) -> None:
        self._frames: list[pl.DataFrame] = []

    def add(
        self,
        *,
        severity: Severity,
        file: str,
        message: str,
        check: str,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self._frames.append(
            pl.DataFrame(
                [[severity], [file], [row], [column], [None if value is None else str(value)], [message], [check]],
                schema=PROBLEM_SCHEMA,
                orient="col",
            )
        )

    def add_rows(self, rows: pl.DataFrame, *, severity: Severity, check: str, column: str | None = None) -> None:
        """Add one problem per row of `rows`, which has columns file, row, value and message."""
        if rows.is_empty():
            return
        frame = rows.select(
            pl.lit(severity).alias("severity"),
            pl.col("file").cast(pl.String),
            pl.col("row").cast(pl.Int64),
            (pl.col("column") if "column" in rows.columns else pl.lit(column)).cast(pl.String).alias("column"),
            pl.col("value").cast(pl.String),
            pl.col("message").cast(pl.String),
            pl.lit(check).alias("check"),
        )
        self._frames.append(frame)

    def extend(self, other: Problems) -> None:
        self._frames.extend(other._frames)

    @property
    def frame(self) -> pl.DataFrame:
        if not self._frames:
            return pl.DataFrame(schema=PROBLEM_SCHEMA)
        combined = pl.concat(self._frames, how="vertical")
        return combined.sort(
            pl.col("severity") != ERROR,
            "file",
            pl.col("row").fill_null(0),
            "column",
            nulls_last=False,
            maintain_order=True,
        )

    def __iter__(self) -> Iterator[Problem]:
        for row in self.frame.iter_rows(named=True):
            yield Problem(**row)

    def __len__(self) -> int:
        return sum(frame.height for frame in self._frames)

    def count(self, severity: Severity) -> int:
        return sum(frame.filter(pl.col("severity") == severity).height for frame in self._frames)

    @property
    def error_count(self) -> int:
        return self.count(ERROR)

    @property
    def warning_count(self) -> int:
        return self.count(WARNING)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def summary(self) -> pl.DataFrame:
        """Problems counted by severity, file and check: the first thing a reader wants to see."""
        return (
            self.frame.group_by("severity", "file", "check", maintain_order=True)
            .agg(count=pl.len(), example=pl.col("message").first())
            .sort(pl.col("severity") != ERROR, pl.col("count"), descending=[False, True])
        )

    def write_csv(self, path: Path) -> None:
        self.frame.write_csv(path)

    def to_json(self) -> str:
        return json.dumps(
            {"errors": self.error_count, "warnings": self.warning_count, "problems": self.frame.to_dicts()},
            indent=2,
            default=str,
        )
