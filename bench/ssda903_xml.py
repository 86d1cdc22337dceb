"""SSDA903 XML benchmark: one synthetic year written as CSV files and as the XML return, then each read
into tables (no validation) in a process of its own, with the time and the peak memory of that process.
Prints the figures; asserts nothing.

    python bench/ssda903_xml.py [--children 3000]

The synthetic authority is kept in bench/out/ and reused.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-05-01"
YEAR = "2025-26"

READ = """
import datetime as dt, json, resource, sys, time
from pathlib import Path
from iroscope.data.folder import read_data_folder
started = time.perf_counter()
result = read_data_folder(Path(sys.argv[1]), today=dt.date(2026, 5, 1), validate=False)
seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "episodes": result.dataset["episodes"].height,
    "reviews": result.dataset["reviews"].height,
}))
"""


def prepared(children: int) -> dict[str, Path]:
    """The year as CSV files and as XML, each in a data folder of its own."""
    folders = {form: HERE / "out" / f"ssda903-xml-{children}" / form for form in ("csv", "xml")}
    for form, folder in folders.items():
        if not (folder / "ssda903" / YEAR).is_dir():
            command = [sys.executable, "-m", "iroscope.cli", "synth", "--out", str(folder), "--children", str(children)]
            command += ["--years", "1", "--today", TODAY, "--ssda903-as", form]
            subprocess.run(command, check=True, capture_output=True)
        for extra in ("activity.xlsx", "population.csv", "establishment.csv", "settings.toml"):
            (folder / extra).unlink(missing_ok=True)  # only the return is measured
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=3000)
    arguments = parser.parse_args()
    folders = prepared(arguments.children)
    for form, folder in folders.items():
        size = sum(path.stat().st_size for path in (folder / "ssda903" / YEAR).iterdir())
        run = subprocess.run([sys.executable, "-c", READ, str(folder)], check=True, capture_output=True, text=True)
        figures = json.loads(run.stdout)
        print(
            f"{form}: {size / 1024 / 1024:.1f}MB, {figures['episodes']:,} episodes and {figures['reviews']:,} reviews "
            f"read in {figures['seconds']:.2f}s, peak memory {figures['peak_mb']:.0f}MB"
        )


if __name__ == "__main__":
    main()
