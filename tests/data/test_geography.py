"""The postcode directory: the ONS grid reference, district and upper-tier authority of a postcode, from
the field's reference package, holding only the letters asked for and only the columns used."""

from __future__ import annotations

import polars as pl

from iroscope.data.geography import PostcodeDirectory


def test_a_postcode_is_found_with_its_grid_reference_district_and_authority_and_an_unknown_one_is_blank() -> None:
    directory = PostcodeDirectory()
    found = directory.lookup(pl.Series(["DN36 5YQ", "LN1 1AA", None, "ZZ1 1ZZ"]))
    assert found.rows() == [
        ("DN36 5YQ", 528919.0, 402236.0, "E07000137", "E10000019"),  # East Lindsey, Lincolnshire
        ("LN1 1AA", 497446.0, 371261.0, "E07000138", "E10000019"),  # Lincoln, Lincolnshire
        (None, None, None, None, None),
        ("ZZ1 1ZZ", None, None, None, None),
    ]


def test_the_directory_holds_the_four_columns_of_the_letters_asked_for_and_nothing_else() -> None:
    directory = PostcodeDirectory()
    directory.lookup(pl.Series(["DN36 5YQ", "LN1 1AA"]))
    held = directory.load([])
    assert held.columns == ["postcode", "easting", "northing", "district"]
    assert set(held["postcode"].str.slice(0, 1).unique()) == {"D", "L"}
    assert held.filter(pl.col("postcode") == "LN1 1AA").height == 1
