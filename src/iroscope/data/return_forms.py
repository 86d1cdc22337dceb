"""A year whose SSDA903 return is held both as CSV files and as the XML file (docs/decisions/0026):
the CSV return is used, and every row where the two forms disagree is a located warning, so that a
return sent in two forms that differ is seen rather than silently half-used."""

from __future__ import annotations

import polars as pl

from iroscope.data.dataset import FILE_COLUMN, ROW_COLUMN, collection_year_label
from iroscope.data.problems import WARNING, Problems
from iroscope.data.schema import SSDA903_TABLES

_WHAT = {
    "children": "Header",
    "episodes": "episode starting {}",
    "reviews": "review on {}",
    "uasc": "UASC row",
    "missing": "missing or away period starting {}",
    "oc2": "OC2 row",
    "oc3": "OC3 row",
    "ad1": "AD1 row",
    "placed_for_adoption": "decision to place for adoption on {}",
    "previous_permanence": "previous permanence row",
    "sw_episodes": "social worker episode starting {}",
    "dolo": "deprivation of liberty order starting {}",
}
_LONG_DATE = "%-d %B %Y"  # 3 March 2025
DISAGREEMENTS_LISTED = 100  # rows of each table listed where the two forms differ; the rest are counted


def _shown(expression: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date:
        return expression.dt.strftime(_LONG_DATE).fill_null("blank")
    return expression.cast(pl.String).fill_null("blank")


def _located(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """The columns compared and where each row was read, every one present (a table one form lacks is
    an empty frame without the file and row columns)."""
    types = {FILE_COLUMN: pl.String(), ROW_COLUMN: pl.Int64()}
    return frame.select(
        [pl.col(name) if name in frame.columns else pl.lit(None, dtype=types.get(name)).alias(name) for name in columns]
    )


def report_form_differences(
    csv_tables: dict[str, pl.DataFrame],
    xml_tables: dict[str, pl.DataFrame],
    *,
    year: int | None,
    problems: Problems,
) -> None:
    """Where a year's CSV return and XML return disagree, a warning at each row that differs: a row in
    one form and not the other, or the same row (child and date) with different values. The CSV
    return is the one used, so each message says so."""
    prefix = (
        f"{collection_year_label(year)}: t" if year is not None else "T"
    ) + "he XML return and the CSV return disagree"
    for table in SSDA903_TABLES:
        csv = csv_tables.get(table.name, table.empty())
        xml = xml_tables.get(table.name, table.empty())
        if csv.is_empty() and xml.is_empty():
            continue
        key = list(table.key)
        schema = table.polars_schema
        compared = [name for name in table.column_names if name not in key]
        located = [*key, *compared, FILE_COLUMN, ROW_COLUMN]
        left, right = _located(csv, located), _located(xml, located)
        joined = left.join(right, on=key, how="full", nulls_equal=True, coalesce=True, suffix="_xml")
        if joined.is_empty():
            continue
        template = _WHAT[table.name]
        dated = [name for name in key if name != "child_id"]
        what = (
            pl.format("child {}'s " + template, pl.col("child_id"), *[_shown(pl.col(n), schema[n]) for n in dated])
            if dated
            else pl.format("child {}'s " + template, pl.col("child_id"))
        )
        in_csv, in_xml = pl.col(ROW_COLUMN).is_not_null(), pl.col(f"{ROW_COLUMN}_xml").is_not_null()
        csv_only = joined.filter(in_csv & ~in_xml).select(
            pl.col(FILE_COLUMN).alias("file"),
            pl.col(ROW_COLUMN).alias("row"),
            pl.col("child_id").alias("child"),
            pl.lit(None, dtype=pl.String).alias("value"),
            pl.format(
                "{}: {} is in the CSV return but not in the XML return. The CSV return is used.",
                pl.lit(prefix),
                what,
            ).alias("message"),
        )
        xml_only = joined.filter(in_xml & ~in_csv).select(
            pl.col(f"{FILE_COLUMN}_xml").alias("file"),
            pl.col(f"{ROW_COLUMN}_xml").alias("row"),
            pl.col("child_id").alias("child"),
            pl.lit(None, dtype=pl.String).alias("value"),
            pl.format(
                "{}: {} is in the XML return but not in the CSV return. The CSV return is used, so it is not read.",
                pl.lit(prefix),
                what,
            ).alias("message"),
        )
        differences = [
            pl.when(~pl.col(name).eq_missing(pl.col(f"{name}_xml"))).then(
                pl.format(
                    "{} is {} in the CSV return and {} in the XML return",
                    pl.lit(table.column(name).ssda903 or name),
                    _shown(pl.col(name), schema[name]),
                    _shown(pl.col(f"{name}_xml"), schema[name]),
                )
            )
            for name in compared
            if name in joined.columns and f"{name}_xml" in joined.columns
        ]
        differing = joined.filter(in_csv & in_xml)
        if differences and not differing.is_empty():
            differing = differing.with_columns(
                pl.concat_str(differences, separator="; ", ignore_nulls=True).alias("_differences")
            ).filter(pl.col("_differences").is_not_null() & (pl.col("_differences") != ""))
            changed = differing.select(
                pl.col(FILE_COLUMN).alias("file"),
                pl.col(ROW_COLUMN).alias("row"),
                pl.col("child_id").alias("child"),
                pl.format("{} row {}", pl.col(f"{FILE_COLUMN}_xml"), pl.col(f"{ROW_COLUMN}_xml")).alias("value"),
                pl.format(
                    "{}: {}: {} ({} row {}). The CSV return is used.",
                    pl.lit(prefix),
                    what,
                    pl.col("_differences"),
                    pl.col(f"{FILE_COLUMN}_xml"),
                    pl.col(f"{ROW_COLUMN}_xml"),
                ).alias("message"),
            )
        else:
            changed = csv_only.clear()
        disagreeing = pl.concat([changed, csv_only, xml_only])
        problems.add_rows(
            disagreeing.head(DISAGREEMENTS_LISTED), severity=WARNING, check="return_forms_disagree", column=None
        )
        if disagreeing.height > DISAGREEMENTS_LISTED:
            problems.add(
                severity=WARNING,
                file=str(disagreeing["file"][0]),
                check="return_forms_disagree",
                value=f"{disagreeing.height:,} rows",
                message=f"{prefix}: {disagreeing.height - DISAGREEMENTS_LISTED:,} more rows of {table.title} differ "
                f"between the two forms than the {DISAGREEMENTS_LISTED} listed. Check that both files are the same "
                "return; the CSV return is used.",
            )


def choose_return_form(
    csv_tables: dict[str, pl.DataFrame],
    xml_tables: dict[str, pl.DataFrame],
    *,
    year: int | None,
    problems: Problems,
) -> dict[str, pl.DataFrame]:
    """A year's return from the forms it is held in: the CSV return where there is one (its differences
    from an XML return beside it reported), else the XML return."""
    if not xml_tables:
        return csv_tables
    if not csv_tables:
        return xml_tables
    report_form_differences(csv_tables, xml_tables, year=year, problems=problems)
    return csv_tables
