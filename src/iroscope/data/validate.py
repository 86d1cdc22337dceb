"""Checks that need more than one row or table: overlapping episodes, reviews outside any period of
care, participation codes against the child's age, references to unknown children or IROs,
sibling groups of one child. Each problem names the file and row it was read from."""

from __future__ import annotations

import polars as pl

from iroscope.data.dataset import FILE_COLUMN, ROW_COLUMN, Dataset
from iroscope.data.problems import ERROR, WARNING, Problems, Severity
from iroscope.data.schema import ALL_TABLES, TABLES_BY_NAME, Table
from iroscope.rules.calendar import add_months_expr
from iroscope.rules.periods import SHORT_BREAK_LEGAL_STATUSES, assign_to_periods, periods_of_care

UNDER_FOUR_CODE = "PN0"


def _emit(
    problems: Problems,
    rows: pl.DataFrame,
    *,
    severity: Severity,
    check: str,
    column: str,
    value: pl.Expr,
    message: pl.Expr,
) -> None:
    if rows.is_empty():
        return
    problems.add_rows(
        rows.select(
            pl.col(FILE_COLUMN).alias("file"),
            pl.col(ROW_COLUMN).alias("row"),
            value.cast(pl.String).alias("value"),
            message.alias("message"),
        ),
        severity=severity,
        check=check,
        column=column,
    )


def _date_text(column: str) -> pl.Expr:
    # A date that could not be read is reported on its own; a message naming it must still say something.
    return pl.col(column).dt.strftime("%d/%m/%Y").fill_null("blank")


def _previous_row_text() -> pl.Expr:
    """Where the earlier of two clashing rows came from: its file and row, or the workspace (rows
    stored in the database carry neither)."""
    return (
        pl.when(pl.col("_previous_row").is_null())
        .then(pl.lit("recorded in the workspace"))
        .otherwise(pl.format("{} row {}", pl.col("_previous_file").fill_null("file"), pl.col("_previous_row")))
    )


def _column_label(table: Table, name: str) -> str:
    return table.column(name).ssda903 or name


def check_date_order(dataset: Dataset, problems: Problems) -> None:
    """An end date before its start date, in any table that has both."""
    for table in ALL_TABLES:
        names = set(table.column_names)
        for start, end in (
            ("start_date", "end_date"),
            ("referral_date", "matched_date"),
            ("raised_date", "resolved_date"),
            ("sent_date", "returned_date"),  # a consultation form comes back after it was sent
            ("booked_date", "invitations_sent_date"),  # a review is booked before anyone is invited
            ("invitations_sent_date", "scheduled_date"),
        ):
            if start in names and end in names:
                frame = dataset[table.name]
                _emit(
                    problems,
                    frame.filter(pl.col(end) < pl.col(start)),
                    severity=ERROR,
                    check="end_before_start",
                    column=_column_label(table, end),
                    value=_date_text(end),
                    message=pl.format(
                        "{} is before {} ({}), which is impossible.",
                        _date_text(end),
                        pl.lit(_column_label(table, start)),
                        _date_text(start),
                    ),
                )


def _overlapping_previous(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows that start before the same child's previous row (by start date) has ended, with that
    row's end, file and row number as `_previous_end`, `_previous_file`, `_previous_row`."""
    ordered = frame.sort("child_id", "start_date")
    # Sorted by child, the previous row of the same child is the row before (no window needed).
    same_child = pl.col("child_id") == pl.col("child_id").shift(1)
    with_previous = ordered.with_columns(
        _previous_end=pl.when(same_child).then(pl.col("end_date").shift(1)),
        _previous_row=pl.when(same_child).then(pl.col(ROW_COLUMN).shift(1)),
        _previous_file=pl.when(same_child).then(pl.col(FILE_COLUMN).shift(1)),
        _has_previous=same_child.fill_null(False) & pl.col("start_date").shift(1).is_not_null(),
    )
    return with_previous.filter(
        pl.col("_has_previous") & (pl.col("_previous_end").is_null() | (pl.col("_previous_end") > pl.col("start_date")))
    )


def check_episodes(dataset: Dataset, problems: Problems) -> None:
    episodes = dataset["episodes"].sort("child_id", "start_date")
    _emit(
        problems,
        episodes.filter(pl.col("end_date") == pl.col("start_date")),
        severity=ERROR,
        check="episode_same_day",
        column="DEC",
        value=_date_text("end_date"),
        message=pl.lit("An episode cannot start and end on the same day."),
    )
    _emit(
        problems,
        episodes.filter(pl.col("end_date").is_null() != pl.col("reason_ceased").is_null()),
        severity=ERROR,
        check="episode_end_reason",
        column="REC",
        value=pl.col("reason_ceased").fill_null("blank"),
        message=pl.when(pl.col("end_date").is_null())
        .then(pl.lit("REC is given but DEC is blank: an episode with a reason for ending needs an end date."))
        .otherwise(pl.lit("DEC is given but REC is blank: say why the episode ended.")),
    )
    _emit(
        problems,
        _overlapping_previous(episodes),
        severity=ERROR,
        check="overlapping_episodes",
        column="DECOM",
        value=_date_text("start_date"),
        message=pl.format(
            "This episode starts on {} while the child's previous episode ({}) is still open{}.",
            _date_text("start_date"),
            _previous_row_text(),
            pl.when(pl.col("_previous_end").is_null())
            .then(pl.lit(""))
            .otherwise(pl.format(" until {}", _date_text("_previous_end"))),
        ),
    )
    born = episodes.join(dataset["children"].select("child_id", "date_of_birth"), on="child_id", how="inner")
    _emit(
        problems,
        born.filter(pl.col("start_date") < pl.col("date_of_birth")),
        severity=ERROR,
        check="before_birth",
        column="DECOM",
        value=_date_text("start_date"),
        message=pl.format("The episode starts before the child's date of birth ({}).", _date_text("date_of_birth")),
    )


def check_reviews(dataset: Dataset, problems: Problems) -> None:
    reviews = dataset["reviews"]
    if reviews.is_empty():
        return
    with_dob = reviews.join(dataset["children"].select("child_id", "date_of_birth"), on="child_id", how="inner")
    under_four = add_months_expr(pl.col("date_of_birth"), 48) > pl.col("review_date")
    _emit(
        problems,
        with_dob.filter(~under_four & (pl.col("participation") == UNDER_FOUR_CODE)),
        severity=ERROR,
        check="pn0_aged_4_or_over",
        column="REVIEW_CODE",
        value=pl.col("participation"),
        message=pl.format(
            "PN0 is only for a child under 4, but the child (born {}) was 4 or over on {}.",
            _date_text("date_of_birth"),
            _date_text("review_date"),
        ),
    )
    _emit(
        problems,
        with_dob.filter(
            under_four & pl.col("participation").is_not_null() & (pl.col("participation") != UNDER_FOUR_CODE)
        ),
        severity=ERROR,
        check="under_4_not_pn0",
        column="REVIEW_CODE",
        value=pl.col("participation"),
        message=pl.format(
            "The child (born {}) was under 4 on {}, so the code must be PN0.",
            _date_text("date_of_birth"),
            _date_text("review_date"),
        ),
    )
    periods = periods_of_care(dataset["episodes"])
    placed = assign_to_periods(reviews, periods, date_column="review_date")
    # Without any episodes file there is nothing to check reviews against.
    # A review whose date could not be read is already an error of its own; it is outside nothing.
    dated = placed.filter(pl.col("review_date").is_not_null())
    outside = dated.filter(pl.col("period_id").is_null()) if not dataset["episodes"].is_empty() else dated.clear()
    _emit(
        problems,
        outside,
        severity=ERROR,
        check="review_outside_care",
        column="REVIEW",
        value=_date_text("review_date"),
        message=pl.format(
            "The child was not looked after on {}: no episode covers this review.", _date_text("review_date")
        ),
    )
    _emit(
        problems,
        placed.filter(pl.col("short_break").fill_null(False)),
        severity=WARNING,
        check="short_break_review_in_ssda903",
        column="REVIEW",
        value=_date_text("review_date"),
        message=pl.lit(
            f"This review falls in a short-break period ({' or '.join(SHORT_BREAK_LEGAL_STATUSES)}); SSDA903 does "
            "not take reviews for short breaks. Record it in review_details instead."
        ),
    )


def check_references(dataset: Dataset, problems: Problems) -> None:
    """Every value that names a child, an IRO or a dispute must exist where it points."""
    for table in ALL_TABLES:
        frame = dataset[table.name]
        if frame.is_empty():
            continue
        for column in table.columns:
            if column.references is None:
                continue
            target_table, target_column = column.references.split(".")
            known = dataset[target_table][target_column].unique().implode()
            what = {"children": "child", "iro_staff": "IRO", "disputes": "dispute"}.get(target_table, target_table)
            _emit(
                problems,
                frame.filter(pl.col(column.name).is_not_null() & ~pl.col(column.name).is_in(known)),
                severity=ERROR,
                check="unknown_reference",
                column=column.name,
                value=pl.col(column.name),
                message=pl.format(
                    "There is no {} {} in {}.",
                    pl.lit(what),
                    pl.col(column.name),
                    pl.lit(TABLES_BY_NAME[target_table].title),
                ),
            )
    # SSDA903 tables point at the Header without saying so in the schema (CHILD is their key).
    known_children = dataset["children"]["child_id"].unique().implode()
    if dataset["children"].is_empty():
        return
    for table in ALL_TABLES:
        if table.source != "ssda903" or table.name == "children":
            continue
        _emit(
            problems,
            dataset[table.name].filter(~pl.col("child_id").is_in(known_children)),
            severity=ERROR,
            check="unknown_child",
            column="CHILD",
            value=pl.col("child_id"),
            message=pl.format("Child {} has no Header row.", pl.col("child_id")),
        )


def check_activity(dataset: Dataset, problems: Problems) -> None:
    stages = [stage.code for stage in dataset.practice.dispute_stages]
    _emit(
        problems,
        dataset["dispute_stages"].filter(~pl.col("stage").is_in(stages)),
        severity=ERROR,
        check="unknown_dispute_stage",
        column="stage",
        value=pl.col("stage"),
        message=pl.format(
            "{} is not one of this authority's dispute stages ({}).", pl.col("stage"), pl.lit(", ".join(stages))
        ),
    )
    # A late reason removed from the settings after reviews were recorded with it stays readable (shown
    # by its code), so it warns rather than refuses: an export of the workspace loads back (decision 0021).
    late_reasons = [reason.code for reason in dataset.practice.late_reasons]
    _emit(
        problems,
        dataset["review_details"].filter(
            pl.col("late_reason").is_not_null() & ~pl.col("late_reason").is_in(late_reasons)
        ),
        severity=WARNING,
        check="unknown_late_reason",
        column="late_reason",
        value=pl.col("late_reason"),
        message=pl.format(
            "{} is not one of this authority's late reasons ({}): it is shown by its code.",
            pl.col("late_reason"),
            pl.lit(", ".join(late_reasons)),
        ),
    )
    _emit(
        problems,
        _overlapping_previous(dataset["iro_allocations"]),
        severity=ERROR,
        check="overlapping_allocations",
        column="start_date",
        value=_date_text("start_date"),
        message=pl.format(
            "The child already has an IRO allocated on {} ({}): end that allocation first.",
            _date_text("start_date"),
            pl.col("_previous_row")
            .cast(pl.String)
            .fill_null("recorded in the workspace")
            .str.replace(r"^(\d+)$", "row $1"),
        ),
    )
    details = dataset["review_details"]
    if not details.is_empty() and not dataset["reviews"].is_empty():
        unmatched = details.join(
            dataset["reviews"].select("child_id", "review_date"), on=["child_id", "review_date"], how="anti"
        )
        _emit(
            problems,
            unmatched.filter(pl.col("participation").is_null()),
            severity=WARNING,
            check="review_details_without_review",
            column="review_date",
            value=_date_text("review_date"),
            message=pl.format(
                "There is no SSDA903 review for this child on {}; "
                "if it is a short-break review, give its participation code.",
                _date_text("review_date"),
            ),
        )


def check_sibling_groups(dataset: Dataset, problems: Problems) -> None:
    """A sibling group needs at least two children. (A child named twice is a repeated key, and an
    unknown child an unknown reference: both are reported with every other table's.)"""
    groups = dataset["sibling_groups"]
    # The message is formatted before filtering: polars 2.0-2.1 panic formatting text on a filtered
    # frame (decision 0001), and one-child groups are exactly such a frame.
    flagged = groups.with_columns(
        _group_size=pl.len().over("sibling_group_id"),
        _message=pl.format(
            "Sibling group {} has only this child ({}): a group needs at least two children. "
            "Give the other siblings the same group, or remove this row.",
            pl.col("sibling_group_id").fill_null("(blank)"),
            pl.col("child_id").fill_null("blank"),
        ),
    ).filter(pl.col("_group_size") == 1)
    _emit(
        problems,
        flagged,
        severity=ERROR,
        check="sibling_group_of_one",
        column="sibling_group_id",
        value=pl.col("sibling_group_id"),
        message=pl.col("_message"),
    )


def validate_dataset(dataset: Dataset, problems: Problems) -> None:
    check_date_order(dataset, problems)
    check_episodes(dataset, problems)
    check_reviews(dataset, problems)
    check_references(dataset, problems)
    check_activity(dataset, problems)
    check_sibling_groups(dataset, problems)
