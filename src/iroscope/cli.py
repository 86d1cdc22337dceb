"""The iroscope command line: one command for the whole product."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from iroscope.data.dataset import (
    FILE_COLUMN,
    ROW_COLUMN,
    Dataset,
    Source,
    collection_year_label,
    parse_collection_year,
    year_end,
)
from iroscope.data.folder import DataFolderError, LoadResult, read_data_folder
from iroscope.data.problems import Problems
from iroscope.data.ssd_tables import SSD_FOLDER
from iroscope.data.writers import (
    activity_fits_a_workbook,
    practice_template_toml,
    write_activity_workbook,
    write_data_folder,
)
from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import all_kpis, compute_all, figures_as_rows
from iroscope.report.words import data_known_from
from iroscope.rules.calendar import long_date
from iroscope.synth.calibration import DEFAULT_AUTHORITY
from iroscope.tables import PROBLEM_HEADINGS, print_table, problem_cells
from iroscope.web.commands import EXIT_DATABASE_UNREACHABLE, needs_the_database
from iroscope.web.commands import register as register_web_commands

if TYPE_CHECKING:
    from iroscope.report.narrative import NarrativeContent

# Each command imports what only it needs (the report's renderers, the synthetic authority, the weekly
# workbook), so that every other command, `--help` included, starts without them.
app = typer.Typer(
    help="iroscope: the statutory review engine, data and annual report for Independent Reviewing Officer services.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True)

EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
EXIT_STATUSES = (EXIT_CLEAN, EXIT_ERRORS, EXIT_UNREADABLE, EXIT_DATABASE_UNREACHABLE)  # README.md lists each
SHOWN_PROBLEMS = 40


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ReturnFormat(StrEnum):
    """The forms `iroscope synth` writes a 903 return in."""

    csv = "csv"
    xml = "xml"


DataArgument = Annotated[
    Path, typer.Argument(help="The data folder (ssda903/<year>/*.csv or *.xml, activity.xlsx, …).")
]
TodayOption = Annotated[
    dt.datetime | None,
    typer.Option("--today", formats=["%Y-%m-%d"], help="Treat this date as today (for checking future dates)."),
]


def _load(data: Path, today: dt.datetime | None) -> LoadResult:
    try:
        return read_data_folder(data, today=today.date() if today else None)
    except DataFolderError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(EXIT_UNREADABLE) from error


def _print_problems(problems: Problems, limit: int) -> None:
    print_table(
        console,
        ("", *PROBLEM_HEADINGS),
        ((row["severity"], *problem_cells(row)) for row in problems.frame.head(limit).iter_rows(named=True)),
    )


def _summary_line(problems: Problems) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count:,} {word}{'' if count == 1 else 's'}"

    return f"{plural(problems.error_count, 'error')} and {plural(problems.warning_count, 'warning')}"


@app.command()
def validate(
    data: DataArgument,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="How to print the problems.")
    ] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option(help="Write every problem to this file (.csv or .json) as well.")] = None,
    today: TodayOption = None,
) -> None:
    """Check a data folder and report every problem with its file, row, column and reason.

    Exit status: 0 when there are no errors, 1 when there are errors, 2 when the folder cannot be read.
    """
    result = _load(data, today)
    problems = result.problems
    if out is not None:
        if out.suffix.lower() == ".json":
            with out.open("w", encoding="utf-8") as handle:
                problems.write_json(handle)
        else:
            problems.write_csv(out)
    if output_format is OutputFormat.json:
        problems.write_json(sys.stdout)
        sys.stdout.write("\n")
    elif output_format is OutputFormat.csv:
        sys.stdout.write(problems.csv_text())
    else:
        if len(problems) == 0:
            console.print(f"[green]No problems found in {data}.[/green]")
        else:
            _print_problems(problems, SHOWN_PROBLEMS)
            if len(problems) > SHOWN_PROBLEMS:
                console.print(f"… and {len(problems) - SHOWN_PROBLEMS:,} more. By check:")
                print_table(
                    console,
                    ("", "File", "Check", "Count", "Example"),
                    (
                        (row["severity"], row["file"], row["check"], f"{row['count']:,}", row["example"])
                        for row in problems.summary().iter_rows(named=True)
                    ),
                )
            console.print(f"{data}: {_summary_line(problems)}.")
        if result.dataset.rows_from(Source.SSD):
            # An SSD export beside or instead of a return: say which source each table's rows came from.
            print_table(
                console,
                ("Table", "Source", "Rows"),
                (
                    (row["table"], row["source"], f"{row['rows']:,}")
                    for row in result.dataset.sources().iter_rows(named=True)
                ),
                title="Where the rows came from",
                right_aligned=("Rows",),
            )
    raise typer.Exit(EXIT_ERRORS if problems.has_errors else EXIT_CLEAN)


def _year_option(dataset: Dataset, year: str) -> int:
    try:
        start = parse_collection_year(year)
    except ValueError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(EXIT_UNREADABLE) from error
    if start not in dataset.years:
        held = ", ".join(collection_year_label(y) for y in dataset.years) or "none"
        errors.print(f"[red]There is no SSDA903 return for {year} in this data folder (returns held: {held}).[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    return start


def _load_clean(data: Path, today: dt.datetime | None, allow_errors: bool) -> LoadResult:
    """The folder read as `_load` reads it, refused (with how to see why) when it has errors and the
    command was not told to go ahead anyway."""
    result = _load(data, today)
    if result.problems.has_errors and not allow_errors:
        errors.print(
            f"[red]The data has {_summary_line(result.problems)}; figures from it would be wrong. "
            "Run `iroscope validate` to see them, or pass --allow-errors to go ahead anyway.[/red]"
        )
        raise typer.Exit(EXIT_ERRORS)
    return result


@app.command()
def timeliness(
    data: DataArgument,
    year: Annotated[str, typer.Option(help="Collection year, for example 2024-25.")],
    out: Annotated[Path, typer.Option(help="CSV file to write.")] = Path("reviews.csv"),
    allow_errors: Annotated[bool, typer.Option(help="Compute even if the data has errors.")] = False,
    today: TodayOption = None,
) -> None:
    """One row per review held in the year, and one per review overdue and not held at its end."""
    result = _load_clean(data, today, allow_errors)
    dataset = result.dataset
    start = _year_option(dataset, year)
    table = _write_timeliness(dataset, start, out)
    held = table.filter(pl.col("review_date").is_not_null())
    on_time = held.filter(pl.col("on_time").fill_null(False)).height
    known = held.filter(pl.col("on_time").is_not_null()).height
    overdue = table.height - held.height
    console.print(
        f"{held.height:,} reviews held in {year}: {on_time:,} of {known:,} with a known due date were on time"
        f" ({(100 * on_time / known) if known else 0:.1f}%). "
        f"{overdue:,} overdue and not held at {year_end(start):%-d %B %Y}."
    )
    console.print(f"Written to {out}")


@app.command()
def kpis(
    data: DataArgument,
    year: Annotated[str, typer.Option(help="Collection year, for example 2024-25.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object keyed by KPI id.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print one CSV row per KPI and breakdown cell.")] = False,
    definitions: Annotated[
        bool,
        typer.Option(
            "--definitions",
            help="With each KPI, its definition and what its details and codes mean (the analysts' notes the "
            "published report leaves out).",
        ),
    ] = False,
    allow_errors: Annotated[bool, typer.Option(help="Compute even if the data has errors.")] = False,
    today: TodayOption = None,
) -> None:
    """Every KPI for a collection year, with numerators and denominators."""
    result = _load_clean(data, today, allow_errors)
    start = _year_option(result.dataset, year)
    figures = compute_all(MetricContext(result.dataset, Period.collection_year(start)))
    registry = all_kpis()

    def defined(kpi_id: str) -> dict[str, str]:
        kpi = registry[kpi_id]
        return {"definition": kpi.definition, "details_meaning": kpi.details_meaning} if definitions else {}

    if as_json:
        shown = {kpi_id: {**figure.as_json(), **defined(kpi_id)} for kpi_id, figure in figures.items()}
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return
    if definitions and not as_csv:
        print_table(
            console,
            ("KPI", "Definition", "Its details and codes"),
            ((kpi_id, registry[kpi_id].definition, registry[kpi_id].details_meaning) for kpi_id in figures),
        )
        return
    rows = figures_as_rows(figures)
    if definitions:
        rows = [{**row, **(defined(str(row["kpi_id"])) if not row["category"] else {})} for row in rows]
    if as_csv:
        plain = [{**row, "value": None if row["value"] is None else f"{row['value']:g}"} for row in rows]
        sys.stdout.write(pl.DataFrame(plain, infer_schema_length=None).write_csv())
        return

    def table_row(row: dict[str, Any]) -> tuple[str, str, str, str]:
        of = f"{row['numerator']:,} of {row['denominator']:,}" if row["denominator"] else ""
        value = "" if row["value"] is None else f"{row['value']:,}"
        return ("" if row["category"] else str(row["title"]), str(row["category"]), value, of)

    print_table(console, ("KPI", "", "Value", "Of"), (table_row(row) for row in rows))


def _weekly_dataset(
    data: Path | None, *, from_database: bool, allow_errors: bool, today: dt.datetime | None
) -> Dataset:
    if (data is None) == (not from_database):
        errors.print("[red]Give a data folder or --db (the workspace's database), not both or neither.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    if data is not None:
        result = _load_clean(data, today, allow_errors)
        return result.dataset
    from iroscope.web.commands import django_setup

    django_setup()
    from iroscope.web.records.selectors import NoDatasetError, dataset_from_database

    try:
        return needs_the_database(dataset_from_database)()
    except NoDatasetError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(EXIT_UNREADABLE) from error


@app.command()
def weekly(
    data: Annotated[
        Path | None,
        typer.Argument(help="The data folder (ssda903/<year>/*.csv, activity.xlsx, …); leave out with --db."),
    ] = None,
    from_database: Annotated[
        bool, typer.Option("--db", help="Read the workspace's database (DATABASE_URL) instead of a data folder.")
    ] = False,
    as_at: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-at",
            formats=["%Y-%m-%d"],
            help="The day the lists are for (at its end). Default: today, whenever the data was extracted.",
        ),
    ] = None,
    out: Annotated[Path, typer.Option(help="Excel workbook to write.")] = Path("weekly.xlsx"),
    iro: Annotated[str | None, typer.Option("--iro", help="Only this IRO's children (their IRO id).")] = None,
    allow_errors: Annotated[bool, typer.Option(help="Compute even if the data has errors.")] = False,
    today: TodayOption = None,
) -> None:
    """The weekly data performance report: a count for each operational list and the week's reviews held
    in and out of timescale, then every list, as one Excel workbook."""
    dataset = _weekly_dataset(data, from_database=from_database, allow_errors=allow_errors, today=today)
    if not dataset.years:
        errors.print("[red]The data folder holds no SSDA903 return, so no review is known to be due.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    # As at today, not the end of the data: work recorded since the extract counts (decision 0014).
    day = as_at.date() if as_at else (today.date() if today else dt.date.today())
    if iro is not None and iro not in set(dataset["iro_staff"]["iro_id"].to_list()):
        errors.print(f"[red]There is no IRO with the id {iro} in the IRO staff records.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    from iroscope.metrics.worklists import weekly_summary, write_weekly_workbook

    summary = weekly_summary(dataset, day, iro_id=iro)
    write_weekly_workbook(summary, out)
    print_table(
        console,
        ("Measure", "Number"),
        ((line.measure, line.shown) for line in summary.lines),
        title=f"At the end of {long_date(day)}",
        right_aligned=("Number",),
    )
    console.print(data_known_from(dataset=dataset, today=day))
    console.print(f"Wrote {out}")


@app.command()
def forecast(
    data: DataArgument,
    start: Annotated[
        dt.datetime | None,
        typer.Option(
            "--from",
            formats=["%Y-%m-%d"],
            help="Forecast the 12 months after this day, from what the data knew at its end. Default: the day the "
            "latest return was extracted.",
        ),
    ] = None,
    allow_errors: Annotated[bool, typer.Option(help="Compute even if the data has errors.")] = False,
    today: TodayOption = None,
) -> None:
    """Next year's workload: reviews and midway reviews expected in each of the next 12 months, the full-time
    IROs needed to keep every IRO inside the caseload band, and how far the same forecast a year earlier was out."""
    from iroscope.metrics.forecast import ForecastError
    from iroscope.report import forecast as words_of

    result = _load_clean(data, today, allow_errors)
    dataset = result.dataset
    if not dataset.years:
        errors.print("[red]The data folder holds no SSDA903 return, so nobody is known to be in care.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    as_at = start.date() if start else dataset.data_end
    try:
        made, tested = words_of.forecast_with_test(dataset, as_at=as_at)
    except ForecastError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(EXIT_UNREADABLE) from error
    print_table(
        console,
        words_of.TABLE_HEADINGS,
        words_of.table_rows(made),
        title=f"Reviews expected from {long_date(made.months[0].month.start)} to "
        f"{long_date(made.months[-1].month.end)}",
        right_aligned=words_of.TABLE_HEADINGS[1:],
    )
    for sentence in words_of.forecast_sentences(made):
        console.print(sentence, markup=False, soft_wrap=True)
    console.print(words_of.method_sentence(made), markup=False, soft_wrap=True)
    if tested is not None:
        print_table(
            console,
            words_of.BACK_TEST_HEADINGS,
            words_of.back_test_rows(tested),
            title=f"Back-test: the forecast made on {long_date(tested.as_at)} against the reviews held",
            right_aligned=words_of.BACK_TEST_HEADINGS[1:4],
        )
    console.print(words_of.back_test_sentence(tested), markup=False, soft_wrap=True)
    day = today.date() if today else dt.date.today()
    console.print(data_known_from(dataset=dataset, today=day), markup=False, soft_wrap=True)


@app.command()
def report(
    data: DataArgument,
    year: Annotated[str, typer.Option(help="Collection year, for example 2024-25.")],
    out: Annotated[Path, typer.Option(help="Folder for report.html, report.pdf and report.docx.")] = Path("report"),
    narrative: Annotated[Path | None, typer.Option(help="Narrative file (YAML or Markdown with front matter).")] = None,
    suppress_small_numbers: Annotated[
        bool, typer.Option(help="Show counts from 1 to 4, and what would reveal them, as 'fewer than 5'.")
    ] = False,
    allow_errors: Annotated[bool, typer.Option(help="Build even if the data has errors.")] = False,
    today: TodayOption = None,
) -> None:
    """The annual IRO report for a year, as HTML, PDF and Word from one document."""
    content = _narrative(narrative)
    result = _load_clean(data, today, allow_errors)
    start = _year_option(result.dataset, year)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("Computing the figures", total=None)
        from iroscope.report.build import build_report  # the chart, PDF and Word libraries: only when drawing
        from iroscope.report.formats import write_report

        document = build_report(
            result.dataset, start, narrative=content, problems=result.problems, suppress=suppress_small_numbers
        )
        progress.update(task, description="Writing HTML, PDF and Word")
        paths = write_report(document, out)
    for path in paths:
        console.print(f"Wrote {path}")


@app.command("narrative-template")
def narrative_template_command(
    path: Annotated[Path, typer.Argument(help="File to write.")] = Path("narrative.yaml"),
) -> None:
    """Write a narrative file with every section's prompt, for the parts of the report only people can write."""
    if path.exists():
        errors.print(f"[red]{path} already exists; choose another name so nothing is overwritten.[/red]")
        raise typer.Exit(EXIT_ERRORS)
    from iroscope.report.narrative import narrative_template

    path.write_text(narrative_template(), encoding="utf-8")
    console.print(f"Wrote {path}")


def _narrative(path: Path | None) -> NarrativeContent:
    from iroscope.report.narrative import NarrativeContent, NarrativeError, read_narrative

    if path is None:
        return NarrativeContent()
    try:
        return read_narrative(path)
    except NarrativeError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(EXIT_UNREADABLE) from error


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write the data to.")] = Path("iroscope-synthetic"),
    children: Annotated[int, typer.Option(min=10, help="About how many children are in care at any time.")] = 600,
    years: Annotated[int, typer.Option(min=1, max=10, help="How many collection years of returns.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same authority.")] = 1,
    authority: Annotated[
        str, typer.Option(help="Upper-tier authority code whose postcodes to use.")
    ] = DEFAULT_AUTHORITY,
    today: TodayOption = None,
    ssd: Annotated[
        bool, typer.Option("--ssd", help="Also write the authority as a Standard Safeguarding Dataset export in ssd/.")
    ] = False,
    ssd_counting_days: Annotated[
        bool, typer.Option(help="In the SSD export, count review due dates as 91 and 183 days, as some systems do.")
    ] = False,
    ssda903_as: Annotated[
        ReturnFormat,
        typer.Option(help="Write each year's 903 return as CSV files, or as one XML file as it is sent to the DfE."),
    ] = ReturnFormat.csv,
) -> None:
    """Write a complete synthetic data folder: a 903 return per year and the IRO activity records."""
    from iroscope.data.ssd_export import write_ssd_export
    from iroscope.synth.generator import SynthConfig, generate

    config = SynthConfig(children=children, years=years, seed=seed, authority_code=authority)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("Simulating children in care", total=None)
        dataset = generate(config, today=today.date() if today else None)
        progress.update(task, description="Writing the data folder")
        # A national authority's activity is past what one sheet may hold: it is written as CSV files.
        as_workbook = activity_fits_a_workbook(dataset)
        write_data_folder(
            dataset,
            out,
            activity_as="xlsx" if as_workbook else "csv",
            ssda903_as="xml" if ssda903_as is ReturnFormat.xml else "csv",
        )
        if ssd:
            write_ssd_export(dataset, out, count_days=ssd_counting_days)
    kept = dataset["children"].height
    console.print(
        f"Wrote a synthetic authority ({kept:,} children over {len(dataset.years)} years: "
        f"{', '.join(collection_year_label(y) for y in dataset.years)}) to {out}"
        + ("" if as_workbook else "; its activity records are CSV files in activity/, too many for a workbook")
    )


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demonstration.")] = Path("iroscope-demo"),
    children: Annotated[int, typer.Option(min=10)] = 600,
    years: Annotated[int, typer.Option(min=1, max=10)] = 3,
    seed: Annotated[int, typer.Option()] = 1,
    suppress_small_numbers: Annotated[
        bool, typer.Option(help="Show counts from 1 to 4, and what would reveal them, as 'fewer than 5'.")
    ] = False,
) -> None:
    """Make a synthetic authority, check it, and write its latest annual report as HTML, PDF and Word,
    with an illustrative narrative written for it."""
    from iroscope.report.narrative import demo_narrative
    from iroscope.synth.generator import SynthConfig, generate

    config = SynthConfig(children=children, years=years, seed=seed)
    data = out / "data"
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("Simulating a synthetic authority", total=6)
        dataset = generate(config)
        progress.update(task, advance=1, description="Writing its SSDA903 returns and activity workbook")
        write_data_folder(dataset, data)
        seed_comparators = _add_seed_report_comparators(data)
        progress.update(task, advance=1, description="Reading and checking the data folder")
        result = read_data_folder(data)
        latest = max(result.dataset.years)
        progress.update(task, advance=1, description="Working out review timeliness")
        timeliness_csv = out / f"reviews-{collection_year_label(latest)}.csv"
        _write_timeliness(result.dataset, latest, timeliness_csv)
        problems_csv = out / "data-problems.csv"
        result.problems.write_csv(problems_csv)
        progress.update(task, advance=1, description="Computing the figures for the annual report")
        from iroscope.report.build import build_report  # the chart, PDF and Word libraries: only when drawing
        from iroscope.report.formats import write_report

        document = build_report(
            result.dataset,
            latest,
            narrative=demo_narrative(),
            problems=result.problems,
            suppress=suppress_small_numbers,
        )
        progress.update(task, advance=1, description="Writing the report as HTML, PDF and Word")
        report_paths = write_report(document, out)
        progress.update(task, advance=1, description="Done")
    console.print(f"Data folder:        {data}  ({_summary_line(result.problems)})")
    console.print(
        f"Comparators:        {data / 'comparators.csv'}  ({seed_comparators} figures five councils published)"
    )
    console.print(f"Review timeliness:  {timeliness_csv}")
    console.print(f"Data problems:      {problems_csv}")
    for path in report_paths:
        console.print(f"Annual report:      {path}")


def _add_seed_report_comparators(data: Path) -> int:
    """Put the figures the five seed reports published into the data folder's comparators, so that the
    demonstration report compares from the start (`iroscope benchmark import --seed-reports` does the same)."""
    from iroscope.data.benchmark import merge_comparators, read_comparators, write_comparators
    from iroscope.metrics.benchmark import seed_report_comparators

    comparators = seed_report_comparators()
    write_comparators(data, merge_comparators(read_comparators(data), comparators).frame)
    return len(comparators)


def _write_timeliness(dataset: Dataset, year: int, path: Path) -> pl.DataFrame:
    """The statutory timeliness table for a year, written as CSV (ISO dates, true/false)."""
    table = MetricContext(dataset, Period.collection_year(year)).timeliness.drop("period_id")
    path.parent.mkdir(parents=True, exist_ok=True)
    table.with_columns(pl.col("on_time").cast(pl.String).str.to_lowercase()).write_csv(path, date_format="%Y-%m-%d")
    return table


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Workbook to write, for example activity.xlsx.")] = Path("activity.xlsx"),
) -> None:
    """Write an empty activity workbook: one sheet per table, with a notes row explaining every column and code."""
    write_activity_workbook(Dataset(tables={}), path)
    console.print(f"Wrote {path}")


@app.command("practice-template")
def practice_template(
    path: Annotated[Path, typer.Argument(help="TOML file to write, for example practice.toml.")] = Path(
        "practice.toml"
    ),
) -> None:
    """Write every local-practice setting at its default (dispute stages, late reasons, deadlines) as TOML to edit."""
    path.write_text(practice_template_toml(), encoding="utf-8")
    console.print(f"Wrote {path}")


@app.command("data-model")
def data_model(
    out: Annotated[Path, typer.Option(help="Markdown file to write.")] = Path("docs/data-model.md"),
) -> None:
    """Write the data model documentation, generated from the schema."""
    out.parent.mkdir(parents=True, exist_ok=True)
    from iroscope.data.docs import data_model_markdown

    out.write_text(data_model_markdown(), encoding="utf-8")
    console.print(f"Wrote {out}")


# -- regional benchmarking (docs/benchmarking.md, decision 0028) -------------------------------------------
benchmark_app = typer.Typer(
    help="Share this authority's figures with other authorities, and load theirs as comparators.",
    no_args_is_help=True,
)
app.add_typer(benchmark_app, name="benchmark")


@benchmark_app.command("export")
def benchmark_export(
    data: DataArgument,
    year: Annotated[str, typer.Option(help="Collection year, for example 2024-25.")],
    out: Annotated[Path, typer.Option(help="CSV file to write.")] = Path("benchmark.csv"),
    suppress_small_numbers: Annotated[
        bool,
        typer.Option(
            help="Withhold what the report withholds when suppressing: counts from 1 to 4 and rates that "
            "would show or reveal one. On by default, as the file is for sharing."
        ),
    ] = True,
    allow_errors: Annotated[bool, typer.Option(help="Export even if the data has errors.")] = False,
    today: TodayOption = None,
) -> None:
    """Write this authority's KPIs for a year in the benchmarking format, for other authorities to load."""
    from iroscope.data.benchmark import write_benchmark_file
    from iroscope.data.geography import authority_names
    from iroscope.metrics.benchmark import benchmark_rows

    result = _load_clean(data, today, allow_errors)
    dataset = result.dataset
    start = _year_option(dataset, year)
    if start in dataset.extracts:
        errors.print(
            f"[red]{collection_year_label(start)} is an in-year extract to {long_date(dataset.extracts[start])}, not "
            "a whole year; a benchmarking file holds whole years, so that authorities compare like with like.[/red]",
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_UNREADABLE)
    code = dataset.authority_code
    if not code:
        errors.print(
            f"[red]{data / 'settings.toml'} names no authority code, so the file could not say whose figures it "
            'holds. Add [authority] with code = "E06000012" (your authority\'s ONS code) and export again.[/red]'
        )
        raise typer.Exit(EXIT_UNREADABLE)
    name = dataset.authority_name or authority_names().get(code, code)
    rows = benchmark_rows(dataset, start, authority_code=code, authority_name=name, suppress=suppress_small_numbers)
    write_benchmark_file(rows, out)
    shown = sum(row.value is not None for row in rows)
    withheld = sum(row.suppression == "withheld" for row in rows)
    console.print(
        f"Wrote {out}: {len(rows)} figures of {name} for {collection_year_label(start)} "
        f"({shown} with a value, {withheld} withheld as small numbers"
        f"{'' if suppress_small_numbers else '; small numbers not withheld, so not for sharing'}).",
        soft_wrap=True,
    )


@benchmark_app.command("import")
def benchmark_import(
    into: Annotated[Path, typer.Option("--into", help="The data folder whose comparators.csv receives them.")],
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Benchmarking files from `iroscope benchmark export`, or files of published figures."),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            help="Also add the files' figures together as one area with this name, for example \"Statistical "
            'neighbours", "North West" or "England": each rate is their counts added up, not an average.'
        ),
    ] = None,
    seed_reports: Annotated[
        bool,
        typer.Option(
            "--seed-reports", help="Also load the example shipped with iroscope: what five councils' reports printed."
        ),
    ] = False,
) -> None:
    """Collect benchmarking files into a data folder's comparators, shown beside our figures in the report.

    Refuses, and writes nothing, if any file is malformed, is in a format version this iroscope cannot read,
    or counts a KPI under a different definition version. Comparators already in the folder are kept; those
    for the same KPI, year and area are replaced, and each is listed.
    """
    from iroscope.data.benchmark import (
        BenchmarkError,
        BenchmarkFile,
        PublishedFile,
        file_kind,
        merge_comparators,
        read_benchmark_file,
        read_comparators,
        read_published_file,
        seed_report_figures_path,
        write_comparators,
    )
    from iroscope.metrics.benchmark import (
        area_names,
        authority_comparators,
        definition_versions,
        group_comparators,
    )

    paths = list(files or []) + ([seed_report_figures_path()] if seed_reports else [])
    if not paths:
        errors.print("[red]Name at least one file to import, or pass --seed-reports.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    if not into.is_dir():
        errors.print(f"[red]There is no data folder at {into}.[/red]")
        raise typer.Exit(EXIT_UNREADABLE)
    for path in paths:
        if not path.is_file():
            errors.print(f"[red]There is no file at {path}.[/red]")
            raise typer.Exit(EXIT_UNREADABLE)
    versions = definition_versions()
    refusals: list[str] = []
    benchmarks: list[BenchmarkFile] = []
    published: list[PublishedFile] = []
    for path in paths:
        label = path.name if path == seed_report_figures_path() else str(path)
        try:
            if file_kind(path, label) == "benchmark":
                benchmarks.append(read_benchmark_file(path, label=label, definition_versions=versions))
            else:
                published.append(read_published_file(path, label=label, kpi_ids=versions))
        except BenchmarkError as error:
            refusals.extend(error.messages)
    seen: dict[tuple[str, str], str] = {}
    for file in benchmarks:
        for year in sorted({row.year for row in file.rows}):
            key = (file.authority_code, year)
            if key in seen:
                refusals.append(
                    f"{file.label}: {file.authority_name}'s figures for {year} are also in {seen[key]}; "
                    "import one of them."
                )
            seen.setdefault(key, file.label)
    try:
        existing = read_comparators(into)
    except BenchmarkError as error:
        refusals.extend(error.messages)
    if refusals:
        for message in refusals:
            errors.print(message, markup=False, highlight=False, soft_wrap=True)
        errors.print(f"[red]Nothing was imported; {into / 'comparators.csv'} is as it was.[/red]")
        raise typer.Exit(EXIT_ERRORS)

    if group and not benchmarks:
        console.print(
            f'No "{group}" figure was made: a group adds up benchmarking files, and none was given.', soft_wrap=True
        )
    areas = area_names(benchmarks)
    incoming = authority_comparators(benchmarks, areas)
    if group and benchmarks:
        pooled, lacking = group_comparators(benchmarks, group)
        incoming = pooled + incoming
        if lacking:
            console.print(
                f'{len(lacking)} rates have no "{group}" figure, because an authority withheld them as small numbers '
                f"or did not give them: {', '.join(sorted(lacking))}.",
                highlight=False,
                soft_wrap=True,
            )
    for printed in published:
        incoming += printed.comparators()
    merged = merge_comparators(existing, incoming)
    path = write_comparators(into, merged.frame)

    for file in benchmarks:
        left_out = f"; left out {len(file.unknown_kpis)} KPIs this iroscope does not have" if file.unknown_kpis else ""
        console.print(
            f"{file.label}: {areas[file.authority_code]}, {len(file.rows)} figures "
            f"({file.withheld} withheld as small numbers){left_out}.",
            highlight=False,
            soft_wrap=True,
        )
    for printed in published:
        console.print(
            f"{printed.label}: {len(printed.figures)} published figures; {len(printed.comparators())} become "
            "comparators (those that are one of our KPIs, the first printed where a council printed two).",
            highlight=False,
            soft_wrap=True,
        )
        if printed.contradictions:
            console.print(
                f"Where these councils' reports contradict themselves ({len(printed.contradictions)}):", soft_wrap=True
            )
            for figure in printed.contradictions:
                console.print(
                    f"  {figure.authority} {figure.year}, {figure.figure} ({figure.where_printed}): {figure.note}",
                    highlight=False,
                    soft_wrap=True,
                )
    for before, after in merged.replaced:
        console.print(
            f"Replaced {after.kpi_id} {after.year} for {after.area}: {before.value:g} is now {after.value:g}.",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"{path}: added {len(merged.added)}, replaced {len(merged.replaced)}, "
        f"{merged.unchanged} already there unchanged; kept the other {merged.kept} already there.",
        highlight=False,
        soft_wrap=True,
    )


@app.command("ssd-due-dates")
def ssd_due_dates(
    data: DataArgument,
    out: Annotated[Path | None, typer.Option(help="Write every difference to this CSV file as well.")] = None,
    today: TodayOption = None,
) -> None:
    """List, by child, the reviews whose due date in the SSD export (DATA/ssd/) differs from regulation 33's.

    iroscope works out every due date itself; the system's is shown only to compare. Exit status 2 when
    the folder holds no SSD export with due dates.
    """
    result = _load(data, today)
    differences = result.ssd.due_date_differences if result.ssd else None
    if differences is None:
        errors.print(
            f"[red]{data} holds no SSD export with review due dates (expected {data / SSD_FOLDER}/*.csv).[/red]"
        )
        raise typer.Exit(EXIT_UNREADABLE)
    compared = result.ssd.system_due_dates.height if result.ssd else 0
    children = differences["child_id"].n_unique()
    if out is not None:
        differences.drop(FILE_COLUMN, ROW_COLUMN).write_csv(out, date_format="%Y-%m-%d")
    print_table(
        console,
        ("Child", "Review", "System's due date", "Regulation 33 due date", "Difference (days)", "Likely cause"),
        (
            (
                row["child_id"],
                long_date(row["review_date"]),
                long_date(row["system_due_date"]),
                long_date(row["regulation_due_date"]),
                f"{row['difference_days']:+d}",
                row["likely_cause"],
            )
            for row in differences.iter_rows(named=True)
        ),
        right_aligned=("Difference (days)",),
    )
    console.print(
        f"{differences.height:,} of {compared:,} reviews with a system due date differ from regulation 33, "
        f"for {children:,} {'child' if children == 1 else 'children'}."
    )


register_web_commands(app)

if __name__ == "__main__":
    app()
