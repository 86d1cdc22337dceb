"""Workspace benchmark: a 2,000-child authority in PostgreSQL behind gunicorn, 20 simultaneous users
each loading their caseload and a child's record back to back, with no pause between requests (the
hardest reading of "20 simultaneous users"), and every few rounds changing a review of one of their
children (the edit form, then saving it), each user on their own rounds (`--lockstep`: all in the same
round). Every save changes the stored dataset, so every worker must read that child's rows afresh: the
saves are what keep the workers' caches honest. Prints the 95th percentile per page and for the save
(the POST alone, not the page it redirects to); asserts nothing.

    python bench/workspace.py [--users 20] [--rounds 15] [--save-every 5] [--warm-up 2] [--lockstep]

The warm-up rounds (each user's caseload and first child, untimed) let each gunicorn worker load its
code and templates and read the dataset first, so the figures are of a server that has been running:
timing, and the workers' CPU, start once every user has finished warming up (`--warm-up 0` times a
server straight after it starts).

Needs PostgreSQL on 127.0.0.1:5432 (trust authentication) and gunicorn (installed with iroscope).
The data folder is kept in bench/out/ and reused; the database `iroscope_bench` is rebuilt each run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

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


Account = tuple[str, list[str], tuple[str, str] | None]  # name, children, (child, review date) to change


def prepare(env: dict[str, str], users: int) -> list[Account]:
    """Rebuild the database, empty the workers' shared cache, load 2,000 children, create one IRO
    account per busy IRO."""
    import shutil

    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    # Charts are kept by what they show, whatever the database: a run must not find the last run's.
    shutil.rmtree(Path(env["IROSCOPE_DATA_DIR"]) / "cache", ignore_errors=True)
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
reviews = DATASET_MODELS["reviews"].objects
accounts = []
for number, iro in enumerate(busiest):
    name = f"iro{{number}}"
    user_create(username=name, password={PASSWORD!r}, roles=frozenset({{Role.IRO}}), iro_id=iro)
    # A review of a child aged 5 or more, so that any participation code from PN1 to PN7 is allowed.
    children = DATASET_MODELS["children"].objects.filter(child_id__in=by_iro[iro])
    births = dict(children.values_list("child_id", "date_of_birth"))
    held = reviews.filter(child_id__in=by_iro[iro]).order_by("-review_date").values_list("child_id", "review_date")
    change = next(
        ([child, day.isoformat()] for child, day in held if births.get(child) and (day - births[child]).days > 5 * 366),
        None,
    )
    accounts.append([name, by_iro[iro][:5], change])
print(json.dumps(accounts))
"""
    import json

    output = run([sys.executable, "-c", script], env)
    return [
        (name, children, None if change is None else (change[0], change[1]))
        for name, children, change in json.loads(output.strip().splitlines()[-1])
    ]


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def signed_in(username: str) -> object:
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar), NoRedirect())
    page = opener.open(f"http://127.0.0.1:{PORT}/sign-in/").read().decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": ""}
    )
    try:
        opener.open(f"http://127.0.0.1:{PORT}/sign-in/", data=data.encode()).read()
    except HTTPError as error:  # the redirect after signing in
        if error.code != 302:
            raise
    return opener


def hidden(page: str, name: str) -> str:
    return page.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


def saved(opener: object, child_id: str, review_date: str, participation: str) -> float:
    """Open the form to change a review, then time saving it with another participation code."""
    path = f"/children/{child_id}/reviews/{review_date}/"
    page = opener.open(f"http://127.0.0.1:{PORT}{path}").read().decode()  # type: ignore[attr-defined]
    fields = {
        "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
        "version": hidden(page, "version"),
        "participation": participation,
        "review_format": "IN_PERSON",
        "permanence_plan": "Y",
        **{
            f"{name}-{part}": ""
            for name in ("decisions_date", "record_distributed_date")
            for part in ("day", "month", "year")
        },
    }
    request = Request(
        f"http://127.0.0.1:{PORT}{path}",
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Referer": f"http://127.0.0.1:{PORT}{path}"},
    )
    started = time.perf_counter()
    try:
        response = opener.open(request)  # type: ignore[attr-defined]
        response.read()
        status = response.status
    except HTTPError as error:
        status = error.code
    if status != 302:
        raise SystemExit(f"saving {path} answered {status}, not a redirect to the child's page")
    return (time.perf_counter() - started) * 1000


def fetched(opener: object, path: str) -> tuple[float, str, str]:
    """Milliseconds to fetch the page, its text and its Cache-Control header."""
    started = time.perf_counter()
    response = opener.open(f"http://127.0.0.1:{PORT}{path}")  # type: ignore[attr-defined]
    body = response.read().decode()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000, body, response.headers.get("Cache-Control", "")


def timed(opener: object, path: str) -> float:
    return fetched(opener, path)[0]


def machine_speed() -> str:
    """The time a fixed piece of pure-Python work takes (best of five), to print beside the figures:
    this machine's speed has been seen to vary by half from one hour to the next, which moves every
    latency with it."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sorted(str(number * 7919 % 100_003) for number in range(200_000))
        best = min(best, time.perf_counter() - started)
    return f"machine speed: a fixed piece of Python work took {best * 1000:.0f} ms (lower is faster)"


def cpu_seconds(pids: list[str]) -> float:
    """CPU time used so far by these processes (Linux): unlike the latencies, it does not depend on what
    else the machine is running."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a process that has ended since it was listed
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def workers_cpu_seconds(server_pid: int) -> float:
    return cpu_seconds(Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split())


def postgres_cpu_seconds() -> float:
    """CPU time used so far by PostgreSQL's processes on this machine (its server and every connection's)."""
    return cpu_seconds(
        [entry.name for entry in Path("/proc").iterdir() if entry.name.isdigit() and _name_of(entry) == "postgres"]
    )


def _name_of(process: Path) -> str:
    try:
        return (process / "comm").read_text().strip()
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--save-every", type=int, default=5, help="rounds between a user's saves; 0 for none")
    parser.add_argument("--warm-up", type=int, default=2, help="untimed rounds first, by every user")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docs/deployment.md: 3 on 2 cores)")
    parser.add_argument("--lockstep", action="store_true", help="every user saves in the same round")
    args = parser.parse_args()
    data_dir = HERE / "out" / "workspace-data"
    env = environment(data_dir)
    print(
        f"workspace: 2,000 children in PostgreSQL, gunicorn with {args.workers} workers,"
        f" {args.users} simultaneous users, each saving a review every {args.save_every} rounds"
    )
    print(f"  {machine_speed()}")
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
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        time.sleep(3)
        sessions = [(signed_in(name), children, change) for name, children, change in accounts]
        timings: dict[str, list[float]] = {"caseload": [], "child record": [], "saving a review": []}

        # The two cores are shared by the workers, PostgreSQL and this program's twenty users: each one's
        # CPU over the timed rounds says where the time went.
        cpu_before: dict[str, float] = {}

        def timing_starts() -> None:
            cpu_before.update(
                workers=workers_cpu_seconds(server.pid),
                postgres=postgres_cpu_seconds(),
                users=time.process_time(),
            )

        warmed_up = threading.Barrier(len(sessions), action=timing_starts)

        def user_session(number: int, opener: object, children: list[str], change: tuple[str, str] | None) -> None:
            # Each user saves on their own rounds, as people working independently would; in lockstep
            # all twenty save in the same round.
            offset = 0 if args.lockstep else number
            for _ in range(args.warm_up):
                timed(opener, "/caseload/")
                timed(opener, f"/children/{children[0]}/")
            warmed_up.wait()
            for round_number in range(args.rounds):
                timings["caseload"].append(timed(opener, "/caseload/"))
                timings["child record"].append(timed(opener, f"/children/{children[round_number % len(children)]}/"))
                turn = round_number + offset
                if change is not None and args.save_every and turn % args.save_every == args.save_every - 1:
                    code = "PN2" if turn % (2 * args.save_every) < args.save_every else "PN3"
                    timings["saving a review"].append(saved(opener, *change, code))

        with ThreadPoolExecutor(max_workers=args.users) as pool:
            list(pool.map(lambda numbered: user_session(numbered[0], *numbered[1]), enumerate(sessions)))
        cpu = {
            "gunicorn workers": workers_cpu_seconds(server.pid) - cpu_before["workers"],
            "PostgreSQL": postgres_cpu_seconds() - cpu_before["postgres"],
            "the simulated users (this program)": time.process_time() - cpu_before["users"],
        }
        saves = len(timings["saving a review"])
        requests = len(sessions) * 2 * args.rounds + 2 * saves  # each save opens the form first
        print(
            f"  CPU a request, over {requests} requests: "
            + ", ".join(f"{who} {seconds * 1000 / requests:.1f} ms" for who, seconds in cpu.items())
        )
        for page, values in timings.items():
            if len(values) < 2:
                continue
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
