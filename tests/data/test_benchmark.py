"""Regional benchmarking: three synthetic authorities export their figures, one imports them all, and its
report shows each beside its own; files counted another way, or malformed, are refused by name and place;
the comparators already in a folder survive; the seed reports' published figures load as an example."""

import csv
import dataclasses
import re
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from iroscope.cli import _add_seed_report_comparators, app
from iroscope.data.benchmark import (
    BENCHMARK_COLUMNS,
    BenchmarkError,
    ComparatorRow,
    merge_comparators,
    read_benchmark_file,
    read_comparators,
    read_published_file,
    seed_report_figures_path,
)
from iroscope.data.folder import read_data_folder
from iroscope.data.writers import write_data_folder
from iroscope.metrics.benchmark import definition_versions
from iroscope.metrics.registry import REGISTRY, Figure, Unit, all_kpis, kpi
from iroscope.report.figures import ReportFigures, Row
from iroscope.synth.generator import SynthConfig, generate
from tests.conftest import TODAY

runner = CliRunner()
TODAY_OPTION = ["--today", TODAY.isoformat()]
YEAR = "2025-26"
# Three authorities: (code, name, children, seed). Real codes, invented names, so no one mistakes them.
AUTHORITIES = (
    ("E06000012", "Northshire (synthetic)", 80, 11),
    ("E06000006", "Southshire (synthetic)", 70, 12),
    ("E08000015", "Westshire (synthetic)", 60, 13),
)
SEEDS = next(
    (
        candidate / "seeds"
        for candidate in (Path(__file__).resolve().parents[3] / "shared", Path("/work/shared"))
        if (candidate / "seeds").is_dir()
    ),
    Path("/work/shared/seeds"),
)


Exported = dict[str, tuple[Path, Path]]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """Each authority's data folder and the benchmarking file `iroscope benchmark export` wrote for it."""
    root = tmp_path_factory.mktemp("benchmark")
    made = {}
    for code, name, children, seed in AUTHORITIES:
        dataset = generate(SynthConfig(children=children, years=2, seed=seed), today=TODAY)
        folder = write_data_folder(dataclasses.replace(dataset, authority_code=code, authority_name=name), root / code)
        out = root / f"{code}.csv"
        result = runner.invoke(
            app, ["benchmark", "export", str(folder), "--year", YEAR, "--out", str(out), *TODAY_OPTION]
        )
        assert result.exit_code == 0, result.output
        made[name] = (folder, out)
    return made


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def importing_folder(exported: Exported, tmp_path: Path) -> Path:
    """A copy of the first authority's data folder, to import into without touching the shared one."""
    source = exported[AUTHORITIES[0][1]][0]
    folder = tmp_path / "ours"
    write_data_folder(read_data_folder(source, today=TODAY).dataset, folder)
    return folder


def test_an_export_has_the_documented_columns_and_one_row_per_single_figure_kpi(exported: Exported) -> None:
    folder, path = exported["Northshire (synthetic)"]
    rows = rows_of(path)
    assert tuple(rows[0]) == BENCHMARK_COLUMNS
    assert {row["format_version"] for row in rows} == {"1"}
    assert {(row["authority_code"], row["authority_name"], row["year"]) for row in rows} == {
        ("E06000012", "Northshire (synthetic)", YEAR)
    }
    single = [kpi_id for kpi_id in all_kpis() if kpi_id in {row["kpi_id"] for row in rows}]
    assert [row["kpi_id"] for row in rows] == single  # registry order, each once
    assert "cic_by_age_band" not in single  # a breakdown: version 1 carries none
    assert {row["definition_version"] for row in rows} == {"1"}
    # The count of children in care is the report's own figure for the year.
    figures = ReportFigures(read_data_folder(folder, today=TODAY).dataset, 2025)
    in_care = next(row for row in rows if row["kpi_id"] == "cic_at_period_end")
    assert in_care["value"] == str(figures.figure("cic_at_period_end").value)
    assert in_care["numerator"] == in_care["denominator"] == ""


def test_the_export_withholds_what_the_report_hides_when_suppressing(exported: Exported) -> None:
    for name, (folder, path) in exported.items():
        figures = ReportFigures(read_data_folder(folder, today=TODAY).dataset, 2025, suppress=True)
        rows = rows_of(path)
        withheld = {row["kpi_id"] for row in rows if row["suppression_applied"] == "withheld"}
        assert withheld == {row["kpi_id"] for row in rows if figures.hidden(row["kpi_id"])}, name
        assert withheld, f"{name}: a small authority has some small numbers to withhold"
        for row in rows:
            if row["kpi_id"] in withheld:
                assert (row["numerator"], row["denominator"], row["value"]) == ("", "", "")
            else:
                assert row["suppression_applied"] == "checked"


def test_an_export_without_suppression_says_so_on_every_row(exported: Exported, tmp_path: Path) -> None:
    folder, _ = exported["Westshire (synthetic)"]
    out = tmp_path / "open.csv"
    result = runner.invoke(
        app,
        [
            "benchmark",
            "export",
            str(folder),
            "--year",
            YEAR,
            "--out",
            str(out),
            "--no-suppress-small-numbers",
            *TODAY_OPTION,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "not for sharing" in result.output
    assert {row["suppression_applied"] for row in rows_of(out)} == {"off"}


def test_three_authorities_imported_show_in_the_reports_comparator_rows(exported: Exported, tmp_path: Path) -> None:
    folder = importing_folder(exported, tmp_path)
    files = [str(path) for _, path in exported.values()]
    result = runner.invoke(
        app, ["benchmark", "import", *files, "--into", str(folder), "--group", "Statistical neighbours"]
    )
    assert result.exit_code == 0, result.output

    dataset = read_data_folder(folder, today=TODAY).dataset
    figures = ReportFigures(dataset, 2025)
    # Every figure imported is the value its own authority exported, under the authority's name.
    comparators = {
        (r["kpi_id"], r["year"], r["area"]): r["value"] for r in dataset["comparators"].iter_rows(named=True)
    }
    for name, (_, path) in exported.items():
        for row in rows_of(path):
            key = (row["kpi_id"], YEAR, name)
            if row["value"]:
                assert comparators[key] == float(row["value"])
            else:
                assert key not in comparators  # withheld or not available: no comparator row

    table = figures.trend_table("Children in care", [Row("cic_at_period_end", "Children in care")])
    shown = {row[0]: row[-1] for row in table.rows}
    for name, (source, _) in exported.items():
        own = ReportFigures(read_data_folder(source, today=TODAY).dataset, 2025).figure("cic_at_period_end")
        assert shown[f"Children in care: {name}"] == f"{own.value:,}"
    assert "Children in care: Statistical neighbours" not in shown  # counts are not pooled

    # The group's rate is the three authorities' counts added up, worked out here from their files.
    pooled_checked = 0
    for kpi_id in ("participation_rate", "attendance_rate", "midway_reviews_completed"):
        parts = [next(r for r in rows_of(path) if r["kpi_id"] == kpi_id) for _, path in exported.values()]
        if all(part["numerator"] for part in parts):
            numerator = sum(int(part["numerator"]) for part in parts)
            denominator = sum(int(part["denominator"]) for part in parts)
            pooled = round(100 * numerator / denominator, 1)
            assert comparators[(kpi_id, YEAR, "Statistical neighbours")] == pooled
            rate_table = figures.trend_table("x", [Row(kpi_id, "Rate", of_what="reviews")])
            assert dict((r[0], r[-1]) for r in rate_table.rows)["Rate: Statistical neighbours"] == f"{pooled:.1f}%"
            pooled_checked += 1
    assert pooled_checked >= 2
    assert "added" in result.output and "kept the other 0 already there" in result.output


def test_a_file_counted_under_another_definition_version_is_refused_by_file_and_kpi(
    exported: Exported, tmp_path: Path
) -> None:
    _, path = exported["Southshire (synthetic)"]
    text = path.read_text(encoding="utf-8").splitlines()
    changed = [
        re.sub(r",1,(checked|withheld)$", r",2,\1", line) if ",reviews_on_time," in line else line for line in text
    ]
    assert changed != text
    row = next(number for number, line in enumerate(changed, start=1) if ",reviews_on_time," in line)
    bad = tmp_path / "southshire.csv"
    bad.write_text("\n".join(changed) + "\n", encoding="utf-8")
    expected = (
        f"southshire.csv: KPI reviews_on_time was counted under definition version 2 (row {row}), but this "
        "iroscope counts it under version 1. The figures would not compare like with like, so the file is "
        "refused: ask for it from an iroscope with the same definitions."
    )
    with pytest.raises(BenchmarkError) as refused:
        read_benchmark_file(bad, label="southshire.csv", definition_versions=definition_versions())
    assert refused.value.messages == [expected]

    folder = importing_folder(exported, tmp_path)
    result = runner.invoke(app, ["benchmark", "import", str(bad), "--into", str(folder)])
    assert result.exit_code == 1
    assert "KPI reviews_on_time was counted under definition version 2" in result.output
    assert "Nothing was imported" in result.output
    assert not (folder / "comparators.csv").exists()


def test_a_file_in_an_unknown_format_version_is_refused_with_the_versions_named(
    exported: Exported, tmp_path: Path
) -> None:
    _, path = exported["Westshire (synthetic)"]
    lines = path.read_text(encoding="utf-8").splitlines()
    newer = tmp_path / "westshire.csv"
    newer.write_text("\n".join([lines[0], *("2" + line[1:] for line in lines[1:])]) + "\n", encoding="utf-8")
    with pytest.raises(BenchmarkError) as refused:
        read_benchmark_file(newer, label="westshire.csv", definition_versions=definition_versions())
    assert refused.value.messages == [
        "westshire.csv: its format version is 2, which this iroscope cannot read (it reads version 1). "
        "The file is refused: ask for it in version 1, or update iroscope."
    ]


def test_malformed_rows_are_each_located_by_file_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "damaged.csv"
    path.write_text(
        ",".join(BENCHMARK_COLUMNS) + "\n"
        "1,E06000012,Northshire,2025-26,cic_at_period_end,,,80,1,checked\n"
        "1,E06000012,Northshire,2025-26,reviews_on_time,12,ten,abc,1,checked\n"
        "1,E06000012,Northshire,2025/26,participation_rate,5,9,55.6,1,maybe\n"
        "1,E06000012,Northshire,2025-26,cic_at_period_end,,,81,1,checked\n"
        "1,E06000012,Northshire,2025-26,attendance_rate,,,40,,withheld\n",
        encoding="utf-8",
    )
    with pytest.raises(BenchmarkError) as refused:
        read_benchmark_file(path, label="damaged.csv", definition_versions=definition_versions())
    assert refused.value.messages == [
        "damaged.csv, row 3, column denominator: 'ten' is not a whole number of 0 or more.",
        "damaged.csv, row 3, column value: 'abc' is not a number.",
        "damaged.csv, row 4, column year: '2025/26' is not a collection year such as 2024-25.",
        "damaged.csv, row 4, column suppression_applied: 'maybe' is not one of withheld, checked, off.",
        "damaged.csv, row 5, column kpi_id: cic_at_period_end for 2025-26 is given twice (first on row 2).",
        "damaged.csv, row 6, column definition_version: '' is not a definition version (1 or more).",
        "damaged.csv, row 6, column value: the figure is marked withheld but its value is given.",
    ]


def test_a_file_missing_columns_or_of_another_kind_is_refused_at_its_first_row(tmp_path: Path) -> None:
    short = tmp_path / "short.csv"
    short.write_text("format_version,authority_code,year,kpi_id,value\n1,E06000012,2025-26,reviews_held,3\n")
    with pytest.raises(BenchmarkError) as refused:
        read_benchmark_file(short, label="short.csv", definition_versions=definition_versions())
    assert refused.value.messages == [
        "short.csv, row 1: the columns authority_name, numerator, denominator, definition_version, "
        "suppression_applied missing."
    ]
    other = tmp_path / "other.csv"
    other.write_text("name,score\nA,1\n", encoding="utf-8")
    result = runner.invoke(app, ["benchmark", "import", str(other), "--into", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{other}, row 1: this is not a benchmarking file" in result.output


def test_an_import_keeps_the_comparators_already_there_and_says_what_it_replaced(
    exported: Exported, tmp_path: Path
) -> None:
    folder = importing_folder(exported, tmp_path)
    _, north = exported["Northshire (synthetic)"]
    in_care = next(row for row in rows_of(north) if row["kpi_id"] == "cic_at_period_end")
    (folder / "comparators.csv").write_text(
        "kpi_id,year,area,value\n"
        "cic_rate_per_10k,2024-25,England,70\n"
        f"cic_at_period_end,{YEAR},Northshire (synthetic),1\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["benchmark", "import", str(north), "--into", str(folder)])
    assert result.exit_code == 0, result.output
    after = read_comparators(folder)
    assert after.row(0) == ("cic_rate_per_10k", "2024-25", "England", 70.0)
    assert after.row(1) == ("cic_at_period_end", YEAR, "Northshire (synthetic)", float(in_care["value"]))
    assert (
        f"Replaced cic_at_period_end {YEAR} for Northshire (synthetic): 1 is now {in_care['value']}." in result.output
    )
    assert "replaced 1," in result.output and "kept the other 1 already there." in result.output


def test_an_import_never_writes_over_comparators_it_cannot_read(exported: Exported, tmp_path: Path) -> None:
    folder = importing_folder(exported, tmp_path)
    damaged = "kpi_id,year,area,value\ncic_rate_per_10k,2024-25,England,seventy\n"
    (folder / "comparators.csv").write_text(damaged, encoding="utf-8")
    result = runner.invoke(
        app, ["benchmark", "import", str(exported["Northshire (synthetic)"][1]), "--into", str(folder)]
    )
    assert result.exit_code == 1
    assert "comparators.csv, row 2, column value" in result.output
    assert (folder / "comparators.csv").read_text(encoding="utf-8") == damaged


def test_merging_replaces_only_the_same_kpi_year_and_area() -> None:
    existing = pl.DataFrame(
        {"kpi_id": ["a", "a"], "year": ["2024-25", "2024-25"], "area": ["England", "Region"], "value": [1.0, 2.0]}
    )
    merged = merge_comparators(
        existing,
        [
            ComparatorRow("a", "2024-25", "Region", 3.0),
            ComparatorRow("a", "2024-25", "England", 1.0),
            ComparatorRow("b", "2024-25", "England", 4.0),
        ],
    )
    assert merged.frame.rows() == [
        ("a", "2024-25", "England", 1.0),
        ("a", "2024-25", "Region", 3.0),
        ("b", "2024-25", "England", 4.0),
    ]
    assert (len(merged.added), len(merged.replaced), merged.unchanged, merged.kept) == (1, 1, 1, 0)


def test_authorities_sharing_a_name_are_told_apart_by_their_code(tmp_path: Path) -> None:
    from iroscope.data.benchmark import BenchmarkFile
    from iroscope.metrics.benchmark import area_names

    files = [
        BenchmarkFile("a.csv", "E1", "Synthetic", ()),
        BenchmarkFile("b.csv", "E2", "Synthetic", ()),
        BenchmarkFile("c.csv", "E3", "Halton", ()),
    ]
    assert area_names(files) == {"E1": "Synthetic (E1)", "E2": "Synthetic (E2)", "E3": "Halton"}


def test_the_seed_reports_figures_load_as_comparators_and_their_contradictions_are_listed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["benchmark", "import", "--seed-reports", "--into", str(tmp_path)])
    assert result.exit_code == 0, result.output
    comparators = {(r[0], r[1], r[2]): r[3] for r in read_comparators(tmp_path).rows()}
    # Halton prints 84% on time of 992 reviews (line 208); its participation table says 980 (line 223):
    # the first printed is the comparator, and both are listed as contradicting each other.
    assert comparators[("reviews_on_time", "2024-25", "Halton (published report)")] == 84.0
    assert comparators[("reviews_held", "2024-25", "Halton (published report)")] == 992.0
    assert comparators[("reviews_on_time", "2024-25", "Walsall (published report)")] == 89.1
    assert comparators[("cic_rate_per_10k", "2023-24", "England (published report)")] == 70.0
    # Walsall's 1,127 midway reviews are a count; our midway KPI is a rate, so it is not a comparator.
    assert not any(key[0] == "midway_reviews_completed" for key in comparators)
    assert "Where these councils' reports contradict themselves (36):" in result.output
    assert (
        "Halton 2024-25, reviews_held (Children's Participation in their Reviews, table (page 7 to 15), line 223): "
        "The timeliness text and the table of reviews by year give 992 reviews held in 2024-25 (lines 208 and 245)."
    ) in result.output


def test_every_seed_figure_is_printed_on_the_line_it_cites() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed reports are not at {SEEDS}")
    files = {
        "Halton": "000_6d590f35bede0b63.txt",
        "Wirral": "001_6be9ab10689a8983.txt",
        "North East Lincolnshire": "002_2864078a7b9f3b65.txt",
        "Walsall": "003_3b95d4e68002eadd.txt",
        "Cheshire East": "004_82895265c91efb37.txt",
    }
    published = read_published_file(seed_report_figures_path(), label="seeds", kpi_ids=set(all_kpis()))
    misquoted = []
    for figure in published.figures:
        report = next((a for a in files if figure.where_printed.startswith(f"{a}'s report")), figure.authority)
        lines = (SEEDS / files[report]).read_text(encoding="utf-8").splitlines()
        cited = int(re.search(r"line (\d+)$", figure.where_printed).group(1))  # type: ignore[union-attr]
        text = lines[cited - 1]
        misquoted += [
            f"{figure.authority} {figure.figure}: {part!r} is not on line {cited}"
            for part in figure.as_printed.split(" … ")
            if part not in text
        ]
        if figure.value is not None:
            value = f"{figure.value:g}"
            misquoted += (
                [] if value in figure.as_printed else [f"{figure.figure}: {value} is not in {figure.as_printed!r}"]
            )
    assert misquoted == []


def test_the_demo_loads_the_seed_reports_figures_beside_its_own(tmp_path: Path) -> None:
    (tmp_path / "comparators.csv").write_text("kpi_id,year,area,value\nreviews_on_time,2024-25,England,90\n")
    added = _add_seed_report_comparators(tmp_path)
    after = read_comparators(tmp_path)
    assert after.height == added + 1
    assert after.row(0) == ("reviews_on_time", "2024-25", "England", 90.0)


def test_every_kpi_has_a_definition_version_and_a_version_below_1_is_refused() -> None:
    assert all(k.definition_version >= 1 for k in all_kpis().values())
    with pytest.raises(ValueError, match="its definition version starts at 1"):
        kpi(id="not_registered", title="t", definition="d", unit=Unit.COUNT, section="s", definition_version=0)(
            lambda context: Figure(None)
        )
    assert "not_registered" not in REGISTRY


def test_an_in_year_extract_is_not_exported_as_if_it_were_a_whole_year(tmp_path: Path) -> None:
    from tests.conftest import EPISODES, HEADER, REVIEWS, write_return

    folder = write_return(
        tmp_path,
        "2026-27",
        {
            "header.csv": [HEADER, "A,M,01/06/2012,WBRI,UN2,,"],
            "episodes.csv": [EPISODES, "A,06/04/2026,S,C1,N1,U6,PR1,,,,DN34 5JH,DN34 5JF,SC123456"],
            "reviews.csv": [REVIEWS, "A,01/06/2012,01/05/2026,PN1"],
        },
    )
    (folder / "return.toml").write_text("extract_date = 2026-10-31\n", encoding="utf-8")
    (tmp_path / "settings.toml").write_text('[authority]\ncode = "E06000012"\n', encoding="utf-8")
    out = tmp_path / "partial.csv"
    result = runner.invoke(
        app, ["benchmark", "export", str(tmp_path), "--year", "2026-27", "--out", str(out), *TODAY_OPTION]
    )
    assert result.exit_code == 2
    assert "2026-27 is an in-year extract to 31 October 2026, not a whole year" in result.output
    assert not out.exists()


def test_a_rate_per_10000_children_of_fewer_than_5_children_is_withheld_with_its_count() -> None:
    from iroscope.metrics.benchmark import withheld

    per_10k = all_kpis()["cic_rate_per_10k"]
    assert withheld(per_10k, Figure(10.0, numerator=3, denominator=3000))  # 3 children: the file would name 3
    assert not withheld(per_10k, Figure(20.0, numerator=6, denominator=3000))
    assert withheld(all_kpis()["reviews_on_time"], Figure(97.5, numerator=78, denominator=80))  # reveals the 2 late
    assert withheld(all_kpis()["cic_started"], Figure(4))
    assert not withheld(all_kpis()["cic_started"], Figure(0))
