"""Problems found in input data: each names the file, row, column and value, with a plain-English
reason. Errors stop an import; warnings are reported and the data is used."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

import polars as pl

from iroscope.data.dataset import FILE_COLUMN, ROW_COLUMN
from iroscope.data.formulas import neutralise_text_columns

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "severity": pl.String(),
    "file": pl.String(),
    "row": pl.Int64(),
    "child": pl.String(),
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
    child: str | None
    column: str | None
    value: str | None
    message: str
    check: str


class Problems:
    """A growing list of problems, held as data frames so that a national file with a million bad
    cells is reported as fast as one with three."""

    def __init__(self) -> None:
        self._frames: list[pl.DataFrame] = []
        self._children_by_row: list[pl.DataFrame] = []

    def know_children(self, rows: pl.DataFrame) -> None:
        """Remember whose row each row of a table read is (its `_file`, `_row` and `child_id`), so that a
        problem found in that row names the child as well as the row, whoever found it."""
        if {FILE_COLUMN, ROW_COLUMN, "child_id"} <= set(rows.columns):
            self._children_by_row.append(
                # The table's own columns, shared rather than copied (a national folder has millions of
                # rows); rows without a child are left out when the problems are listed.
                rows.select(
                    pl.col(FILE_COLUMN).alias("file"),
                    pl.col(ROW_COLUMN).alias("row"),
                    pl.col("child_id").alias("known"),
                )
            )

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
        child: str | None = None,
    ) -> None:
        if not message.strip():
            raise ValueError(f"A {check} problem must say what is wrong: its message is empty.")
        self._frames.append(
            pl.DataFrame(
                [
                    [severity],
                    [file],
                    [row],
                    [child],
                    [column],
                    [None if value is None else str(value)],
                    [message],
                    [check],
                ],
                schema=PROBLEM_SCHEMA,
                orient="col",
            )
        )

    def add_rows(self, rows: pl.DataFrame, *, severity: Severity, check: str, column: str | None = None) -> None:
        """Add one problem per row of `rows`, which has columns file, row, value and message."""
        if rows.is_empty():
            return
        # A problem without a reason is no use to the person fixing the file (a null in a formatted
        # message makes the whole message null): a coding error, refused here wherever it is made.
        silent = rows.select(
            (pl.col("message").is_null() | (pl.col("message").cast(pl.String).str.strip_chars() == "")).sum()
        ).item()
        if silent:
            raise ValueError(f"{silent} {check} problem(s) do not say what is wrong: their message is empty.")
        frame = rows.select(
            pl.lit(severity).alias("severity"),
            pl.col("file").cast(pl.String),
            pl.col("row").cast(pl.Int64),
            (pl.col("child") if "child" in rows.columns else pl.lit(None)).cast(pl.String).alias("child"),
            (pl.col("column") if "column" in rows.columns else pl.lit(column)).cast(pl.String).alias("column"),
            pl.col("value").cast(pl.String),
            pl.col("message").cast(pl.String),
            pl.lit(check).alias("check"),
        )
        self._frames.append(frame)

    def extend(self, other: Problems) -> None:
        self._frames.extend(other._frames)
        self._children_by_row.extend(other._children_by_row)

    @property
    def frame(self) -> pl.DataFrame:
        if not self._frames:
            return pl.DataFrame(schema=PROBLEM_SCHEMA)
        combined = pl.concat(self._frames, how="vertical")
        if self._children_by_row:
            known = pl.concat(self._children_by_row).drop_nulls().unique(subset=["file", "row"], keep="first")
            combined = (
                combined.join(known, on=["file", "row"], how="left", maintain_order="left")
                .with_columns(pl.coalesce("child", "known").alias("child"))
                .drop("known")
            )
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

    def csv_frame(self) -> pl.DataFrame:
        """The problems as written to CSV: values quoted from a file (`=cmd|…`) cannot run as formulas."""
        return neutralise_text_columns(self.frame)

    def write_csv(self, path: Path) -> None:
        self.csv_frame().write_csv(path)

    def csv_text(self) -> str:
        return self.csv_frame().write_csv()

    def write_json(self, out: TextIO, *, batch_rows: int = 10_000) -> None:
        """The problems as one JSON object, written a batch at a time: a file with millions of bad
        cells is reported without holding them all as Python objects and one string."""
        out.write(f'{{\n  "errors": {self.error_count},\n  "warnings": {self.warning_count},\n  "problems": [')
        separator = "\n    "
        for batch in self.frame.iter_slices(batch_rows):
            for problem in batch.iter_rows(named=True):
                out.write(separator + json.dumps(problem, default=str))
                separator = ",\n    "
        out.write("\n  ]\n}" if separator != "\n    " else "]\n}")

    def to_json(self) -> str:
        text = io.StringIO()
        self.write_json(text)
        return text.getvalue()
