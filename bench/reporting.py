"""KPI and report benchmarks: all KPIs for one authority year and at national size, and the three
report formats for one authority. Prints its figures; asserts nothing.

    python bench/reporting.py                 # authority (1,000 children, 3 years) and national KPIs
    python bench/reporting.py --only la

Uses the data folders bench/foundation.py makes in bench/out/ (and makes them if missing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 22)


def prepare(name: str, children: int, years: int) -> Path:
    from iroscope.data.writers import write_data_folder
    from iroscope.synth.generator import SynthConfig, generate

    # One year is the folder bench/foundation.py makes; reuse it rather than simulate 84,000 children again.
    folder = HERE / "out" / (f"{name}-{children}" if years == 1 else f"{name}-{children}x{years}")
    if not (folder / "settings.toml").exists():
        started = time.perf_counter()
        dataset = generate(SynthConfig(children=children, years=years, seed=11), today=TODAY)
        write_data_folder(dataset, folder, activity_as="csv")
        print(f"  generated in {time.perf_counter() - started:.1f}s -> {folder}")
    return folder


def kpis(folder: Path, label: str, target: float) -> None:
    from iroscope.data.folder import read_data_folder
    from iroscope.metrics.context import MetricContext, Period
    from iroscope.metrics.registry import compute_all

    dataset = read_data_folder(folder, today=TODAY).dataset
    year = max(dataset.years)
    compute_all(MetricContext(dataset, Period.collection_year(year)))  # warm: postcode files, imports
    started = time.perf_counter()
    figures = compute_all(MetricContext(dataset, Period.collection_year(year)))
    seconds = time.perf_counter() - started
    print(f"  {label}: {len(figures)} KPIs in {seconds:.2f}s (target {target:.0f}s)")


def report_formats(folder: Path) -> None:
    from iroscope.data.folder import read_data_folder
    from iroscope.report.build import build_report
    from iroscope.report.formats import write_report

    result = read_data_folder(folder, today=TODAY)
    year = max(result.dataset.years)
    started = time.perf_counter()
    document = build_report(result.dataset, year, problems=result.problems)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        paths = write_report(document, Path(out))
        sizes = ", ".join(f"{p.name} {p.stat().st_size // 1024:,} KB" for p in paths)
    done = time.perf_counter()
    print(
        f"  report: figures and sections {built - started:.1f}s, HTML + PDF + Word {done - built:.1f}s, "
        f"total {done - started:.1f}s (target 20s); {sizes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["la", "national"])
    args = parser.parse_args()
    if args.only in (None, "la"):
        print("authority: 1,000 children, three years")
        folder = prepare("la", 1_000, 3)
        kpis(folder, "KPIs for one year", 1)
        report_formats(folder)
    if args.only in (None, "national"):
        print("national: 84,000 children, one year")
        kpis(prepare("national", 84_000, 1), "KPIs for one year", 30)


if __name__ == "__main__":
    main()
