import csv
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iroscope.cli import app
from iroscope.data.docs import data_model_markdown
from iroscope.rules.practice import DEFAULT_LATE_REASONS, LocalPractice
from tests.conftest import FAKE_903, TODAY

runner = CliRunner()
TODAY_OPTION = ["--today", TODAY.isoformat()]


def test_validate_a_clean_folder_exits_0(small_return: Path) -> None:
    result = runner.invoke(app, ["validate", str(small_return), *TODAY_OPTION])
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output


def test_validate_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2


@pytest.mark.skipif(not FAKE_903.exists(), reason="the shared fake return is not on this machine")
def test_the_messy_fake_return_is_read_and_reported_row_by_row(tmp_path: Path) -> None:
    out = tmp_path / "problems.json"
    result = runner.invoke(app, ["validate", str(FAKE_903), "--format", "csv", "--out", str(out), *TODAY_OPTION])
    assert result.exit_code == 1
    report = json.loads(out.read_text())
    assert report["errors"] > 5000
    problems = report["problems"]
    assert all(p["file"] and p["message"] for p in problems)
    # The fake return's second review row for child 566910 is dated 29/07/2018, when no episode covers it.
    rows = list(csv.DictReader(result.output.splitlines()))
    outside = [r for r in rows if r["check"] == "review_outside_care" and r["file"] == "reviews.csv"]
    assert outside and all(r["row"] and r["column"] == "REVIEW" for r in outside)
    assert any(r["check"] == "code" and r["value"] == "SWLAZY" and r["row"] == "2" for r in rows)


@pytest.mark.skipif(not FAKE_903.exists(), reason="the shared fake return is not on this machine")
def test_problems_printed_to_a_file_or_pipe_are_whole_lines_with_tab_separated_cells() -> None:
    result = runner.invoke(app, ["validate", str(FAKE_903), *TODAY_OPTION])  # the runner is not a terminal
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "\tFile\tRow\tChild\tColumn\tValue\tProblem"
    cells = [line.split("\t") for line in lines[1:41]]
    assert all(len(row) == 7 and row[0] in {"error", "warning"} and row[1] for row in cells)
    assert lines[1] == "error\tDoLo.csv\t2\tCHILD10\tCHILD\tCHILD10\tChild CHILD10 has no Header row."
    # Each problem names the child whose row it is, though the check that found it knew only the row:
    # the fake return's episodes.csv row 3 is child 566910's.
    assert lines[2].startswith("error\tepisodes.csv\t3\t566910\tREC\tX1\tREC is given but DEC is blank")
    # The summary by check gives its example whole, 150 characters on the one line.
    swlazy = "'SWLAZY' is not a sw_reason code. Valid codes: MANAGE, FCONTA, LEFTRL, ORGRST, TSPROC, ABSENC"
    assert any(line.startswith("error\tsw_episodes.csv\tcode\t") and swlazy in line for line in lines)
    assert not any("│" in line or "┃" in line for line in lines)


def test_timeliness_writes_one_row_per_review_held_and_overdue(small_return: Path, tmp_path: Path) -> None:
    out = tmp_path / "reviews.csv"
    result = runner.invoke(
        app, ["timeliness", str(small_return), "--year", "2024-25", "--out", str(out), *TODAY_OPTION]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == [
        "child_id",
        "period_start",
        "review_sequence",
        "previous_review_date",
        "due_date",
        "review_date",
        "on_time",
        "working_days_late",
        "status",
    ]
    by_child = {(r["child_id"], r["status"]): r for r in rows}
    # A: in care from Monday 6 January 2025; first review due Monday 3 February, held that day; the
    # second is due 3 May 2025, after the year end, so nothing is overdue.
    assert by_child[("A", "held")] == {
        "child_id": "A",
        "period_start": "2025-01-06",
        "review_sequence": "1",
        "previous_review_date": "",
        "due_date": "2025-02-03",
        "review_date": "2025-02-03",
        "on_time": "true",
        "working_days_late": "0",
        "status": "held",
    }
    # B: in care from 1 May 2024, first review 29 May (due 30 May); the second was due 29 August 2024
    # and was never held, so at 31 March 2025 it is overdue by 149 working days: 30 August (1), then
    # September 21, October 23, November 21, December 20 (Christmas and Boxing Day out), January 22
    # (New Year's Day out), February 20 and March 21.
    overdue = by_child[("B", "overdue_not_held")]
    assert (overdue["review_sequence"], overdue["due_date"], overdue["on_time"], overdue["working_days_late"]) == (
        "2",
        "2024-08-29",
        "false",
        "149",
    )


def test_timeliness_refuses_a_year_the_data_does_not_hold(small_return: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["timeliness", str(small_return), "--year", "2021-22", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2
    assert "There is no SSDA903 return for 2021-22" in result.output


def test_template_writes_one_sheet_per_activity_table_with_notes(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from iroscope.data.schema import ACTIVITY_TABLES

    path = tmp_path / "activity.xlsx"
    assert runner.invoke(app, ["template", str(path)]).exit_code == 0
    workbook = load_workbook(path)
    assert workbook.sheetnames == [table.name for table in ACTIVITY_TABLES]
    sheet = workbook["review_details"]
    assert [cell.value for cell in sheet[1]][:4] == ["child_id", "review_date", "iro_id", "format"]
    note = sheet.cell(row=2, column=4).value
    assert note == (
        "ⓘ How the meeting was held. Optional. Codes: IN_PERSON = In person; VIRTUAL = Virtual; "
        "HYBRID = Hybrid (some in person, some virtual)"
    )


def test_the_empty_template_reads_back_without_problems(small_return: Path) -> None:
    assert runner.invoke(app, ["template", str(small_return / "activity.xlsx")]).exit_code == 0
    result = runner.invoke(app, ["validate", str(small_return), *TODAY_OPTION])
    assert result.exit_code == 0, result.output


def test_the_data_model_document_is_generated_from_the_schema() -> None:
    document = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"
    assert document.read_text(encoding="utf-8") == data_model_markdown(), "run `iroscope data-model` to regenerate it"


def test_kpis_prints_one_json_object_keyed_by_kpi_id(small_return: Path) -> None:
    result = runner.invoke(app, ["kpis", str(small_return), "--year", "2024-25", "--json", *TODAY_OPTION])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    # A and B in care on 31 March 2025; two reviews, both on time; B's under-4 review is PN0.
    assert figures["cic_at_period_end"] == {"value": 2}
    assert figures["reviews_on_time"] == {"value": 100.0, "numerator": 2, "denominator": 2, "due_date_unknown": 0}
    assert figures["reviews_by_participation_code"]["breakdown"]["PN0"] == 1
    assert figures["reviews_by_participation_code"]["value"] == 2


def test_kpis_with_definitions_keeps_the_codes_and_keys_the_published_report_leaves_out(small_return: Path) -> None:
    result = runner.invoke(
        app, ["kpis", str(small_return), "--year", "2024-25", "--json", "--definitions", *TODAY_OPTION]
    )
    assert result.exit_code == 0, result.output
    on_time = json.loads(result.output)["reviews_on_time"]
    assert on_time["due_date_unknown"] == 0
    assert on_time["details_meaning"] == "due_date_unknown counts the reviews left out."
    assert "due_date_unknown" not in on_time["definition"]


def test_kpis_as_csv_has_a_row_per_kpi_and_breakdown_cell(small_return: Path) -> None:
    result = runner.invoke(app, ["kpis", str(small_return), "--year", "2024-25", "--csv", *TODAY_OPTION])
    rows = list(csv.DictReader(result.output.splitlines()))
    assert {"kpi_id": "cic_at_period_end", "category": "", "value": "2"}.items() <= rows[0].items()
    pn1 = next(r for r in rows if r["kpi_id"] == "reviews_by_participation_code" and r["category"] == "PN1")
    assert pn1["value"] == "1"


def test_narrative_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "narrative.yaml"
    assert runner.invoke(app, ["narrative-template", str(path)]).exit_code == 0
    assert "foreword: |" in path.read_text()
    again = runner.invoke(app, ["narrative-template", str(path)])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_report_writes_all_three_formats_and_names_a_broken_narrative(small_return: Path, tmp_path: Path) -> None:
    bad = tmp_path / "narrative.yaml"
    bad.write_text("foreword: [unclosed\n", encoding="utf-8")
    refused = runner.invoke(app, ["report", str(small_return), "--year", "2024-25", "--narrative", str(bad)])
    assert refused.exit_code == 2
    assert "is not valid YAML at line 2" in " ".join(refused.output.split())
    out = tmp_path / "report"
    made = runner.invoke(app, ["report", str(small_return), "--year", "2024-25", "--out", str(out), *TODAY_OPTION])
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in out.iterdir()) == ["report.docx", "report.html", "report.pdf"]


def test_weekly_writes_the_summary_and_every_list_for_the_day_asked(small_return: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "weekly.xlsx"
    result = runner.invoke(
        app, ["weekly", str(small_return), "--as-at", "2025-03-31", "--out", str(out), *TODAY_OPTION]
    )
    assert result.exit_code == 0, result.output
    assert "At the end of 31 March 2025" in result.output
    workbook = load_workbook(out)
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, max_col=2, values_only=True)}
    # B's second review was due 29 August 2024 and never held; A's is due 3 May 2025: 1 of the 2 in care.
    assert summary["Reviews overdue"] == "1 of 2"
    assert summary["Reviews due in the next 28 days"] == "0"
    overdue = workbook["Reviews overdue"]
    assert [cell.value for cell in overdue[2]][:1] + [cell.value for cell in overdue[2]][5:8] == [
        "B",
        dt.datetime(2024, 8, 29),
        214,
        149,
    ]


def test_weekly_is_for_today_not_the_end_of_the_data_and_says_when_the_data_was_extracted(
    small_return: Path, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "weekly.xlsx"
    result = runner.invoke(app, ["weekly", str(small_return), "--out", str(out), *TODAY_OPTION])
    assert result.exit_code == 0, result.output
    # Today is 22 November 2026; the return ends on 31 March 2025, 601 days earlier. Both children
    # are still in care (their episodes are open at the extract): A's review due 3 May 2025 and B's due
    # 29 August 2024 were never held.
    assert "At the end of 22 November 2026" in result.output
    words = " ".join(result.output.split())  # the console wraps long lines
    assert "Children in care known from the return extracted on 31 March 2025 (601 days ago)." in words
    summary = {
        row[0]: row[1] for row in load_workbook(out)["Summary"].iter_rows(min_row=2, max_col=2, values_only=True)
    }
    assert summary["Reviews overdue"] == "2 of 2"


def test_weekly_refuses_an_iro_the_data_does_not_hold(small_return: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["weekly", str(small_return), "--iro", "IRO999", "--out", str(tmp_path / "w.xlsx"), *TODAY_OPTION]
    )
    assert result.exit_code == 2
    assert "There is no IRO with the id IRO999" in result.output
    assert not (tmp_path / "w.xlsx").exists()


def test_weekly_on_a_synthetic_authority_counts_exactly_the_rows_on_each_list_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from iroscope.data.writers import write_data_folder
    from iroscope.metrics.worklists import all_worklists
    from iroscope.synth.generator import SynthConfig, generate

    data = write_data_folder(generate(SynthConfig(children=150, years=2, seed=5), today=TODAY), tmp_path / "data")
    out = tmp_path / "weekly.xlsx"
    result = runner.invoke(app, ["weekly", str(data), "--as-at", "2026-02-16", "--out", str(out), *TODAY_OPTION])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    counts = {row[0]: row[2] for row in workbook["Summary"].iter_rows(min_row=2, max_col=3, values_only=True)}
    listed = 0
    for entry in all_worklists().values():
        sheet = workbook[entry.short_title]
        assert counts[entry.title] == sheet.max_row - 1, entry.name
        listed += counts[entry.title]
    assert listed > 0  # this authority has something on at least one list, so the counts were checked


def test_practice_template_writes_every_setting_and_reads_back_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "practice.toml"
    result = runner.invoke(app, ["practice-template", str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert '{ code = "IRO_UNAVAILABLE", name = "IRO unavailable (sickness or staffing)" }' in text
    assert LocalPractice.from_toml(path) == LocalPractice()
    assert LocalPractice.from_toml(path).late_reasons == DEFAULT_LATE_REASONS


def test_the_command_line_loads_the_pdf_word_and_chart_libraries_only_for_the_commands_that_draw() -> None:
    """`iroscope --help`, `validate` and `kpis` draw nothing, so they should not pay for WeasyPrint,
    python-docx and matplotlib (about 1.3 s of CPU between them) before doing any work."""
    drawing = ("weasyprint", "docx", "matplotlib")
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, iroscope.cli; print([m for m in {drawing!r} if m in sys.modules])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"
