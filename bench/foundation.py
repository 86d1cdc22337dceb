"""Foundation benchmarks, measured in one run on the same files. Prints its figures; asserts nothing.

    python bench/foundation.py                  # all three
    python bench/foundation.py --only la        # `iroscope validate` beside the DfE validator, 1,000 children
    python bench/foundation.py --only national  # reading and checking 84,000 children beside polars' bare parse
    python bench/foundation.py --only kpis      # `iroscope kpis` on one authority, peak memory

Every data folder is made by the README's own command (`iroscope synth ...`) into bench/out/ the first
time, timed, and reused after that. Each figure is measured in a process of its own, so its peak memory
is that work's alone; each time is the best of three runs (the machine is shared), each peak the
largest. Each line gives the figure, its target and whether the target is met.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROOT = HERE.parent
IROSCOPE = Path(sys.executable).parent / "iroscope"
DFE_PYTHON = ROOT / ".venv-dfe903" / "bin" / "python"
TODAY = "2026-11-22"
SEED = 11
AUTHORITY = "E06000012"

LA_CHILDREN = 1_000
NATIONAL_CHILDREN = 84_000
KPI_CHILDREN = 600
DFE_TIMES_SLOWER_TARGET = 10.0  # the DfE validator takes at least this many times as long
BARE_PARSE_TIMES_TARGET = 10.0  # reading and checking within this many times polars' bare parse
NATIONAL_MEMORY_TARGET_MB = 1_024
KPIS_MEMORY_TARGET_MB = 300
SYNTH_SECONDS_TARGET = 120.0
RUNS = 3  # each timing is the best of this many runs


def run(command: Sequence[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak memory (MB) and exit status of one process and what it waits for, and its
    standard output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode, output


def best_of(times: int, command: Sequence[str]) -> tuple[float, float, int, str]:
    """The fastest of several runs (the machine is shared: the slower runs measure the neighbours), with
    the largest peak memory of any of them."""
    runs = [run(command) for _ in range(times)]
    fastest = min(runs, key=lambda measured: measured[0])
    return fastest[0], max(measured[1] for measured in runs), fastest[2], fastest[3]


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def synthetic(name: str, children: int, years: int, seed: int = SEED) -> tuple[Path, float]:
    """A synthetic authority made by `iroscope synth`, once, and the seconds that took (kept beside it)."""
    folder = OUT / f"{name}-{children}"
    timing = OUT / f"{name}-{children}.json"
    made_now = not (folder / "settings.toml").exists() or not timing.exists()
    if made_now:
        shutil.rmtree(folder, ignore_errors=True)
        command = [str(IROSCOPE), "synth", "--children", str(children), "--years", str(years)]
        command += ["--seed", str(seed), "--today", TODAY, "--out", str(folder)]
        seconds, peak, status, _ = run(command)
        if status != 0:
            raise SystemExit(f"iroscope synth failed ({status}): {' '.join(command)}")
        timing.write_text(json.dumps({"seconds": seconds, "peak_mb": peak}), encoding="utf-8")
    made = json.loads(timing.read_text(encoding="utf-8"))
    print(
        f"  iroscope synth --children {children:,} --years {years}: {made['seconds']:.1f}s, "
        f"peak {made['peak_mb']:,.0f} MB ({'made now' if made_now else 'made by an earlier run, reused'})"
    )
    return folder, float(made["seconds"])


def return_only(folder: Path) -> tuple[Path, Path]:
    """A folder holding only the latest year's SSDA903 return (and the settings): the files the DfE
    validator reads, so both tools check the same files."""
    year = max((folder / "ssda903").iterdir())
    only = folder.with_name(folder.name + "-return")
    if not only.exists():
        shutil.copytree(year, only / "ssda903" / year.name)
        shutil.copy(folder / "settings.toml", only / "settings.toml")
    return only, only / "ssda903" / year.name


def la() -> None:
    print(
        f"One authority year ({LA_CHILDREN:,} children): the whole `iroscope validate` process beside the DfE validator"
    )
    folder, year = return_only(synthetic("la", LA_CHILDREN, years=1)[0])
    ours, ours_peak, status, _ = best_of(
        RUNS, [str(IROSCOPE), "validate", str(folder), "--today", TODAY, "--format", "csv"]
    )
    print(f"  iroscope validate (start-up included): {ours:.2f}s, peak {ours_peak:,.0f} MB, exit status {status}")
    if not DFE_PYTHON.exists():
        print("  DfE validator: not run (bash bench/dfe_validator/setup.sh first)")
        return
    command = [str(DFE_PYTHON), str(HERE / "dfe_validator" / "run_validator.py"), "--folder", str(year)]
    command += ["--year", year.name, "--la-code", AUTHORITY]
    theirs, theirs_peak, status, output = best_of(RUNS, command)
    if status != 0:
        print(f"  DfE validator: failed with exit status {status}")
        return
    report = json.loads(output)
    print(
        f"  DfE validator (start-up included): {theirs:.2f}s, peak {theirs_peak:,.0f} MB, "
        f"{report['error_count']} errors ({report['seconds']:.2f}s of it validating)"
    )
    times = theirs / ours
    print(
        f"  iroscope is {times:.1f} times faster (target: at least {DFE_TIMES_SLOWER_TARGET:.0f}): "
        f"{verdict(times >= DFE_TIMES_SLOWER_TARGET)}"
    )


def national() -> None:
    print(f"National size ({NATIONAL_CHILDREN:,} children, one year): reading and checking beside polars' bare parse")
    folder, synth_seconds = synthetic("national", NATIONAL_CHILDREN, years=1)
    print(f"  synth (target: under {SYNTH_SECONDS_TARGET:.0f}s): {verdict(synth_seconds < SYNTH_SECONDS_TARGET)}")
    the_return = return_only(folder)[0]
    for what, checked in (("the SSDA903 return alone", the_return), ("the whole folder, activity included", folder)):
        files = sorted(checked.rglob("*.csv"))
        megabytes = sum(path.stat().st_size for path in files) / 1e6
        bare = min(
            (json.loads(run([sys.executable, __file__, "--bare-parse", str(checked)])[3]) for _ in range(RUNS)),
            key=lambda figures: figures["seconds"],
        )
        measured = [run([sys.executable, __file__, "--read-and-check", str(checked)]) for _ in range(RUNS)]
        peak = max(peak for _, peak, _, _ in measured)
        ours = min((json.loads(output) for *_, output in measured), key=lambda figures: figures["seconds"])
        times = ours["seconds"] / bare["seconds"]
        print(f"  {what}: {len(files)} CSV files, {megabytes:,.0f} MB, {bare['rows']:,} rows")
        print(f"    polars reads and date-parses them in {bare['seconds']:.2f}s")
        print(
            f"    read_data_folder, every check made: {ours['seconds']:.2f}s ({ours['problems']} problems; "
            f"{ours['children']:,} children, {ours['episodes']:,} episodes, {ours['reviews']:,} reviews)"
        )
        print(
            f"    {times:.1f} times the bare parse (target: within {BARE_PARSE_TIMES_TARGET:.0f}): "
            f"{verdict(times <= BARE_PARSE_TIMES_TARGET)}"
        )
        print(
            f"    peak memory reading and checking: {peak:,.0f} MB (target: under {NATIONAL_MEMORY_TARGET_MB:,} MB): "
            f"{verdict(peak < NATIONAL_MEMORY_TARGET_MB)}"
        )
    seconds, peak, status, _ = run([str(IROSCOPE), "validate", str(folder), "--today", TODAY, "--format", "csv"])
    print(
        f"  the whole `iroscope validate` process on the whole folder: {seconds:.2f}s, "
        f"peak {peak:,.0f} MB, exit status {status}"
    )


def kpis() -> None:
    print(f"`iroscope kpis` on one authority ({KPI_CHILDREN:,} children, three years)")
    folder = synthetic("kpis", KPI_CHILDREN, years=3, seed=1)[0]
    year = max((folder / "ssda903").iterdir()).name
    command = [str(IROSCOPE), "kpis", str(folder), "--year", year, "--csv"]
    first, first_peak, _, _ = run(command)  # the first run on a machine also makes the postcode copy
    seconds, peak, status, _ = run(command)
    print(
        f"  peak memory: {peak:,.0f} MB in {seconds:.2f}s, exit status {status} (target: under "
        f"{KPIS_MEMORY_TARGET_MB} MB): {verdict(peak < KPIS_MEMORY_TARGET_MB)}; the run before: {first_peak:,.0f} MB "
        f"in {first:.2f}s"
    )


def bare_parse(folder: Path) -> None:
    """polars alone: every CSV file read, dates parsed, nothing checked."""
    import polars as pl

    started = time.perf_counter()
    rows = sum(pl.read_csv(path, try_parse_dates=True).height for path in sorted(folder.rglob("*.csv")))
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))


def read_and_check(folder: Path) -> None:
    import datetime as dt

    from iroscope.data.folder import read_data_folder

    started = time.perf_counter()
    result = read_data_folder(folder, today=dt.date.fromisoformat(TODAY))
    seconds = time.perf_counter() - started
    dataset = result.dataset
    counts = {name: dataset[name].height for name in ("children", "episodes", "reviews")}
    print(json.dumps({"seconds": seconds, "problems": len(result.problems), **counts}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["la", "national", "kpis"])
    parser.add_argument("--bare-parse", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--read-and-check", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_parse:
        bare_parse(args.bare_parse)
        return
    if args.read_and_check:
        read_and_check(args.read_and_check)
        return
    OUT.mkdir(exist_ok=True)
    for name, measure in (("la", la), ("national", national), ("kpis", kpis)):
        if args.only in (None, name):
            measure()


if __name__ == "__main__":
    main()
