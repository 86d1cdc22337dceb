"""Workspace benchmark: a 2,000-child authority in PostgreSQL behind gunicorn, 20 simultaneous users
each loading their caseload and a child's record back to back, with no pause between requests (the
hardest reading of "20 simultaneous users"). Prints the 95th percentile per page; asserts nothing.

    python bench/workspace.py [--users 20] [--rounds 15]

Needs PostgreSQL on 127.0.0.1:5432 (trust authentication) and gunicorn (installed with iroscope).
The data folder is kept in bench/out/ and reused; the database `iroscope_bench` is rebuilt each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, build_opener

HERE = Path(__file__).resolve().parent
DATABASE = "iroscope_bench"
PORT = 8765
PASSWORD = "benchmark password 2026"


def environment(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "SECRET_KEY": "benchmark-only-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "IROSCOPE_SECURE_COOKIES": "false",
        "IROSCOPE_DATA_DIR": str(data_dir),
        "IROSCOPE_SIGN_IN_ATTEMPTS": "1000",
        "IROSCOPE_LOG_LEVEL": "WARNING",
        # Each gunicorn worker serves one request at a time: polars' own thread pool per worker would
        # only make three processes fight over two cores.
        "POLARS_MAX_THREADS": "1",
    }


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(env: dict[str, str], users: int) -> list[tuple[str, list[str]]]:
    """Rebuild the database, load 2,000 children, create one IRO account per busy IRO."""
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    folder = HERE / "out" / "workspace-2000x3"
    if not (folder / "settings.toml").exists():
        run(
            [
                sys.executable,
                "-m",
                "iroscope.cli",
                "synth",
                "--children",
                "2000",
                "--years",
                "3",
                "--seed",
                "5",
                "--out",
                str(folder),
            ],
            env,
        )
    run([sys.executable, "-m", "iroscope.cli", "manage", "migrate", "--noinput"], env)
    started = time.perf_counter()
    run([sys.executable, "-m", "iroscope.cli", "load", str(folder)], env)
    print(f"  loaded 2,000-child authority into PostgreSQL in {time.perf_counter() - started:.1f}s")
    script = f"""
import json
from iroscope.web.commands import django_setup
django_setup()
from iroscope.web.accounts.roles import Role
from iroscope.web.accounts.services import user_create
from iroscope.web.records.models import DATASET_MODELS
allocations = DATASET_MODELS["iro_allocations"].objects.filter(end_date__isnull=True)
by_iro = {{}}
for row in allocations.values("iro_id", "child_id"):
    by_iro.setdefault(row["iro_id"], []).append(row["child_id"])
busiest = sorted(by_iro, key=lambda iro: -len(by_iro[iro]))[:{users}]
accounts = []
for number, iro in enumerate(busiest):
    name = f"iro{{number}}"
    user_create(username=name, password={PASSWORD!r}, roles=frozenset({{Role.IRO}}), iro_id=iro)
    accounts.append([name, by_iro[iro][:5]])
print(json.dumps(accounts))
"""
    import json

    output = run([sys.executable, "-c", script], env)
    return [(name, children) for name, children in json.loads(output.strip().splitlines()[-1])]


def signed_in(username: str) -> object:
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    page = opener.open(f"http://127.0.0.1:{PORT}/sign-in/").read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": ""}
    )
    opener.open(f"http://127.0.0.1:{PORT}/sign-in/", data=data.encode()).read()
    return opener


def timed(opener: object, path: str) -> float:
    started = time.perf_counter()
    response = opener.open(f"http://127.0.0.1:{PORT}{path}")  # type: ignore[attr-defined]
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    data_dir = HERE / "out" / "workspace-data"
    env = environment(data_dir)
    print(f"workspace: 2,000 children in PostgreSQL, gunicorn with 3 workers, {args.users} simultaneous users")
    accounts = prepare(env, args.users)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "iroscope.web.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "3",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        time.sleep(3)
        openers = [(signed_in(name), children) for name, children in accounts]
        timings: dict[str, list[float]] = {"caseload": [], "child record": []}

        def user_session(opener: object, children: list[str]) -> None:
            for round_number in range(args.rounds):
                timings["caseload"].append(timed(opener, "/caseload/"))
                timings["child record"].append(timed(opener, f"/children/{children[round_number % len(children)]}/"))

        with ThreadPoolExecutor(max_workers=args.users) as pool:
            list(pool.map(lambda pair: user_session(*pair), openers))
        for page, values in timings.items():
            p95 = statistics.quantiles(values, n=20)[-1]
            median = statistics.median(values)
            print(
                f"  {page}: 95th percentile {p95:.0f} ms, median {median:.0f} ms, {len(values)} requests, target 300 ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
