"""The KPI registry's definitions: plain English for the report's readers, with the codes and keys an
analyst needs kept apart."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from iroscope.metrics.context import MetricContext, Period
from iroscope.metrics.registry import all_kpis, compute_all, label_counts
from iroscope.synth.generator import SynthConfig, generate

# What a lay reader could not read: a key (due_date_unknown), a keyed detail (sent:<recipient>), a
# participation or episode code (PN1, V3, E11), a code word in capitals (RNE, UASC, COMPLETED), a file
# name or an abbreviation a lay reader may not know (DfE).
IDENTIFIER = re.compile(
    r"\w+\.csv\b|\bDfE\b|\b[a-z]+_[a-z0-9_]+\b|\b\w+:<?\w+|\b[A-Z]{1,2}\d{1,2}\b|\b(?!IROs?\b)[A-Z]{3,}\b"
)


def test_every_definition_reads_without_a_code_or_key() -> None:
    unreadable = {
        kpi_id: IDENTIFIER.findall(kpi.definition)
        for kpi_id, kpi in all_kpis().items()
        if IDENTIFIER.search(kpi.definition)
    }
    assert unreadable == {}


def test_every_detail_a_kpi_gives_is_explained_for_analysts_beside_its_definition() -> None:
    synthetic = generate(SynthConfig(children=80, years=2, seed=4), today=dt.date(2026, 5, 1))
    figures = compute_all(MetricContext(synthetic, Period.collection_year(max(synthetic.years))))
    kpis = all_kpis()
    unexplained = {
        kpi_id: [
            key
            for key in figure.details
            # Details keyed by recipient are explained once, as sent:<recipient> and returned:<recipient>.
            if re.sub(r"^(sent|returned):.*", r"\1:<recipient>", key) not in kpis[kpi_id].details_meaning
        ]
        for kpi_id, figure in figures.items()
    }
    assert {kpi_id: keys for kpi_id, keys in unexplained.items() if keys} == {}


def test_the_caseload_definition_says_it_counts_children_allocated_and_its_keys_stay_with_analysts() -> None:
    caseload = all_kpis()["caseload_per_iro"]
    assert "It counts the children allocated, which can differ from the children in care that day." in (
        caseload.definition
    )
    assert "outside_band" not in caseload.definition and "outside_band" in caseload.details_meaning


def test_counts_by_label_come_in_the_same_order_on_every_run_whatever_order_the_rows_are_in() -> None:
    rows = pl.DataFrame({"kind": ["M", "A", "M", None, "A", "M"]})
    labels = {"M": "Missing (whereabouts unknown)", "A": "Away from placement without authorisation"}
    expected = [
        ("Away from placement without authorisation", 2),
        ("Missing (whereabouts unknown)", 3),
        ("Not recorded", 1),
    ]
    for shuffled in (rows, rows.reverse(), rows.sample(fraction=1.0, shuffle=True, seed=7)):
        assert list(label_counts(shuffled, "kind", labels).items()) == expected
