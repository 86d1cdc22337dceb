"""Dashboard benchmark: a 2,000-child authority with three years of history in PostgreSQL behind
gunicorn, 20 simultaneous users (managers and analysts) loading the service dashboard back to back, with
no pause between requests. Each user cycles through this year to date, last year and one IRO's figures
(each user a different IRO), and fetches each page's charts as a browser does: every one the page names
that the browser has not kept (the server lets it keep a chart until the data changes, which gives the
page new addresses). Users start at different points of the cycle, as people working independently
would; `--lockstep` starts them all on the same page, so that all twenty ask for their IRO's figures,
not yet worked out, at the same moment. Prints the 95th percentile; asserts nothing.

    python bench/dashboard.py [--users 20] [--rounds 10] [--lockstep]

Shares bench/workspace.py's database (`iroscope_bench`, rebuilt each run), data and server settings.
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# Run as a script, this folder is on the path: the workspace benchmark's database, data and server.
from workspace import (
    HERE,
    PASSWORD,
    PORT,
    environment,
    fetched,
    machine_speed,
    prepare,
    run,
    signed_in,
    timed,
    workers_cpu_seconds,
)

from iroscope.metrics.dashboard import TREND_KPIS

GUNICORN = [sys.executable, "-m", "gunicorn", "iroscope.web.wsgi"]


CHART = re.compile(r'<img class="iroscope-chart" src="([^"]+)"')


def create_readers(env: dict[str, str], users: int) -> tuple[list[str], list[str]]:
    """Accounts for half managers, half analysts; the IROs and a team to filter by."""
    script = f"""
import json
from iroscope.web.commands import django_setup
django_setup()
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create
from iroscope.web.records.models import DATASET_MODELS
names = []
for number in range({users}):
    role = Role.MANAGER if number % 2 == 0 else Role.ANALYST
    name = f"reader{{number}}"
    user_create(username=name, password={PASSWORD!r}, roles=frozenset({{role}}))
    names.append(name)
staff = DATASET_MODELS["iro_staff"].objects
print(json.dumps([names, sorted(staff.values_list("iro_id", flat=True))[:{users}]]))
"""
    import json

    names, iros = json.loads(run([sys.executable, "-c", script], env).strip().splitlines()[-1])
    return names, iros


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--lockstep", action="store_true", help="every user starts on the same page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docs/deployment.md: 3 on 2 cores)")
    args = parser.parse_args()
    env = environment(HERE / "out" / "workspace-data")
    start = "all starting on the same page" if args.lockstep else "each starting at their own point"
    print(
        f"dashboard: 2,000 children, three years, PostgreSQL, gunicorn with {args.workers} workers,"
        f" {args.users} simultaneous users, {start}"
    )
    print(f"  {machine_speed()}")
    prepare(env, 0)
    names, iros = create_readers(env, args.users)
    server = subprocess.Popen(
        [*GUNICORN, "--bind", f"127.0.0.1:{PORT}", "--workers", str(args.workers), "--log-level", "warning"],
        env=env,
    )
    try:
        time.sleep(3)
        sessions = [(signed_in(name), iros[number % len(iros)]) for number, name in enumerate(names)]
        choices = ["/dashboard/", "/dashboard/?period=year-2024", "/dashboard/?period=year-to-date&iro={iro}"]
        first = timed(sessions[0][0], "/dashboard/")
        print(f"  first dashboard after the server started (workers ready themselves as they start): {first:.0f} ms")
        kinds = ["this year to date, whole service", "last year, whole service", "this year to date, one IRO"]
        pages: dict[str, list[float]] = {kind: [] for kind in kinds}
        charts: list[float] = []

        def user_session(number: int, opener: object, iro: str) -> None:
            kept: dict[str, float] = {}  # the browser's cache: chart address, kept until
            start = 0 if args.lockstep else number % len(choices)
            for round_number in range(start, start + args.rounds):
                kind = round_number % len(choices)
                milliseconds, page, _ = fetched(opener, choices[kind].format(iro=iro))
                pages[kinds[kind]].append(milliseconds)
                addresses = [html.unescape(src) for src in CHART.findall(page)]
                assert len(addresses) == len(TREND_KPIS), "every trend's chart is on the page"
                for address in addresses:
                    if kept.get(address, 0) > time.monotonic():
                        continue
                    milliseconds, _, cache_control = fetched(opener, address)
                    charts.append(milliseconds)
                    kept_for = re.search(r"max-age=(\d+)", cache_control)
                    if kept_for and "no-cache" not in cache_control:
                        kept[address] = time.monotonic() + int(kept_for.group(1))

        started, cpu_before = time.perf_counter(), workers_cpu_seconds(server.pid)
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            list(pool.map(lambda numbered: user_session(numbered[0], *numbered[1]), enumerate(sessions)))
        elapsed, cpu = time.perf_counter() - started, workers_cpu_seconds(server.pid) - cpu_before
        every_page = [value for values in pages.values() for value in values]
        measured = [(f"dashboard page, {kind}", values) for kind, values in pages.items()]
        for name, values in [*measured, ("dashboard page, all", every_page), ("each chart", charts)]:
            p95 = statistics.quantiles(values, n=20)[-1]
            print(
                f"  {name}: 95th percentile {p95:.0f} ms, median {statistics.median(values):.0f} ms,"
                f" {len(values)} requests, target 500 ms"
            )
        print(
            f"  {len(every_page)} dashboards with their charts in {elapsed:.1f} s;"
            f" gunicorn workers' CPU {cpu:.1f} s, {cpu * 1000 / (len(every_page) + len(charts)):.0f} ms a request"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
