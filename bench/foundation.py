"""Foundation benchmarks: validate + timeliness for one authority year and for a national-sized
year, beside the DfE validator on the same files. Prints its figures; asserts nothing.

    python bench/foundation.py              # both sizes (the national one generates ~84,000 children once)
    python bench/foundation.py --only la    # just the authority year

Generated data is kept in bench/out/ and reused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TODAY = dt.date(2026, 11, 22)
TARGETS = {"la": (1_000, 2.0, None), "national": (84_000, 60.0, 2048)}


def prepare(name: str, children: int) -> Path:
    from iroscope.data.writers import write_data_folder
    from iroscope.synth.generator import SynthConfig, generate

    folder = OUT / f"{name}-{children}"
    if (folder / "settings.toml").exists():
        return folder
    started = time.perf_counter()
    dataset = generate(SynthConfig(children=children, years=1, seed=11), today=TODAY)
    write_data_folder(dataset, folder, activity_as="csv")
    print(f"  generated {dataset['children'].height:,} children in {time.perf_counter() - started:.1f}s -> {folder}")
    return folder


def measure(folder: Path) -> dict[str, float]:
    """Run in a fresh process so its peak memory is this work's alone."""
    from iroscope.data.folder import read_data_folder
    from iroscope.metrics.context import MetricContext, Period

    started = time.perf_counter()
    result = read_data_folder(folder, today=TODAY)
    read_seconds = time.perf_counter() - started
    dataset = result.dataset
    year = max(dataset.years)
    table = MetricContext(dataset, Period.collection_year(year)).timeliness
    total = time.perf_counter() - started
    return {
        "seconds": total,
        "read_and_validate_seconds": read_seconds,
        "timeliness_seconds": total - read_seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children": dataset["children"].height,
        "episodes": dataset["episodes"].height,
        "reviews": dataset["reviews"].height,
        "timeliness_rows": table.height,
        "problems": len(result.problems),
    }


def dfe_validator_seconds(folder: Path) -> str:
    python = HERE.parent / ".venv-dfe903" / "bin" / "python"
    if not python.exists():
        return "not run (bash bench/dfe_validator/setup.sh first)"
    year_folder = next((folder / "ssda903").iterdir())
    started = time.perf_counter()
    run = subprocess.run(
        [
            str(python),
            str(HERE / "dfe_validator" / "run_validator.py"),
            "--folder",
            str(year_folder),
            "--year",
            year_folder.name,
            "--la-code",
            "E06000012",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        return f"failed: {run.stderr.strip()[-200:]}"
    report = json.loads(run.stdout)
    elapsed = time.perf_counter() - started
    return f"{report['seconds']:.1f}s validating ({elapsed:.1f}s with start-up), {report['error_count']} errors"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=sorted(TARGETS))
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    for name, (children, seconds_target, memory_target) in TARGETS.items():
        if args.only and name != args.only:
            continue
        print(f"{name}: {children:,} children, one year")
        folder = prepare(name, children)
        run = subprocess.run(
            [sys.executable, __file__, "--measure", str(folder)], capture_output=True, text=True, check=True
        )
        figures = json.loads(run.stdout.strip().splitlines()[-1])
        memory = f" (target {memory_target:,} MB)" if memory_target else ""
        print(
            f"  validate + timeliness: {figures['seconds']:.2f}s (target {seconds_target:.0f}s): "
            f"read and validate {figures['read_and_validate_seconds']:.2f}s, "
            f"timeliness {figures['timeliness_seconds']:.2f}s"
        )
        print(f"  peak memory: {figures['peak_mb']:,.0f} MB{memory}")
        print(
            f"  rows: {figures['children']:,} children, {figures['episodes']:,} episodes, "
            f"{figures['reviews']:,} reviews; "
            f"{figures['timeliness_rows']:,} timeliness rows; {figures['problems']} problems"
        )
        print(f"  DfE validator on the same return: {dfe_validator_seconds(folder)}")


if __name__ == "__main__":
    main()
