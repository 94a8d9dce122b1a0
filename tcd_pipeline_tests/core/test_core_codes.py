"""Unit tests of tcd_pipeline.core on tiny hand-made frames."""

import polars as pl
import pytest

from tcd_pipeline.core.codes import normalise_country_codes, normalise_product_codes
from tcd_pipeline.core.wdi import melt_wide, normalise_long


def test_country_codes_v202201_and_v202401_headers_give_one_schema():
    v2022 = pl.DataFrame({
        "country_code": ["4", "251"], "country_name_abbreviation": ["Afghanistan", "France"],
        "country_name_full": ["Afghanistan", "France, Monaco"],
        "iso_2digit_alpha": ["AF", "FR"], "iso_3digit_alpha": ["AFG", "FRA"],
    })
    v2024 = pl.DataFrame({
        "country_code": [" 4", "251"], "country_name": ["Afghanistan", "France"],
        "country_iso2": ["AF", "FR"], "country_iso3": ["AFG ", "FRA"],
    })
    a, b = normalise_country_codes(v2022), normalise_country_codes(v2024)
    assert a.columns == ["country_code", "country_name", "iso2", "iso3"]
    assert a.equals(b)
    assert a["country_code"].dtype == pl.Int32
    assert a.row(1) == (251, "France", "FR", "FRA")


def test_country_codes_reject_missing_column_and_non_integer_codes():
    with pytest.raises(ValueError, match="no column for 'iso3'"):
        normalise_country_codes(pl.DataFrame({"country_code": ["4"], "country_name": ["A"], "iso2": ["AF"]}))
    with pytest.raises(ValueError, match=r"non-integer country_code \['4a'\]"):
        normalise_country_codes(pl.DataFrame({"i": ["4a"], "name": ["A"], "iso2": ["AF"], "iso3": ["AFG"]}))


def test_product_codes_restore_leading_zero():
    frame = pl.DataFrame({"CODE": ["10110", "271111"], "SHORTDESCRIPTION": ["Horses", "Natural gas"]})
    out = normalise_product_codes(frame)
    assert out["code"].to_list() == ["010110", "271111"]
    assert out.columns == ["code", "description"]


def test_melt_wide_drops_empty_cells_and_trailing_column():
    wide = pl.DataFrame({
        "Country Name": ["Kazakhstan", "World"], "Country Code": ["KAZ", "WLD"],
        "Indicator Name": ["GDP (current US$)"] * 2, "Indicator Code": ["NY.GDP.MKTP.CD"] * 2,
        "2018": ["179340000000", ""], "2019": ["181667000000", "87000000000000"], "": [None, None],
    })
    long = melt_wide(wide)
    # 4 cells, one empty -> 3 rows
    assert long.height == 3
    kaz = long.filter(pl.col("country_code") == "KAZ").sort("year")
    assert kaz["year"].to_list() == [2018, 2019]
    assert kaz["value"].to_list() == [179_340_000_000.0, 181_667_000_000.0]


def test_wdi_non_numeric_value_names_country_and_indicator():
    long = pl.DataFrame({
        "country_name": ["Kazakhstan"], "iso3": ["KAZ"], "indicator_name": ["GDP"],
        "indicator_code": ["NY.GDP.MKTP.CD"], "year": ["2019"], "value": ["n/a"],
    })
    with pytest.raises(ValueError, match=r"value 'n/a' is not a number \(country KAZ, indicator NY.GDP.MKTP.CD\)"):
        normalise_long(long)
