"""World Development Indicators: the bulk (wide-year) layout to the long layout, and ISO3 codes.

The World Bank bulk CSV has one row per country x indicator and one column per year
(``"1960"`` ... ``"2024"``); the long layout has one row per country x indicator x year.
"""

from __future__ import annotations

import polars as pl

LONG_COLUMNS = ["country_name", "country_code", "indicator_name", "indicator_code", "year", "value"]
WIDE_ID = {"country name": "country_name", "country code": "country_code",
           "indicator name": "indicator_name", "indicator code": "indicator_code"}
LONG_ID = {"country_name": "country_name", "iso3": "country_code", "country_code": "country_code",
           "indicator_name": "indicator_name", "indicator_code": "indicator_code",
           "year": "year", "value": "value"}


def melt_wide(frame: pl.DataFrame) -> pl.DataFrame:
    """Wide bulk layout -> long rows ``LONG_COLUMNS``; empty cells are dropped.

    Columns whose name is not a 4-digit year (the trailing empty column of the bulk file) are
    ignored.
    """
    rename = {c: WIDE_ID[c.strip().lower()] for c in frame.columns if c.strip().lower() in WIDE_ID}
    missing = set(WIDE_ID.values()) - set(rename.values())
    if missing:
        raise ValueError(f"WDI bulk layout: missing columns {sorted(missing)} (found {frame.columns})")
    years = [c for c in frame.columns if c.strip().isdigit() and len(c.strip()) == 4]
    if not years:
        raise ValueError("WDI bulk layout: no year columns")
    long = (
        frame.rename(rename)
        .select(*WIDE_ID.values(), *years)
        .with_columns(pl.col(years).cast(pl.Utf8))
        .unpivot(index=list(WIDE_ID.values()), on=years, variable_name="year", value_name="value")
        .filter(pl.col("value").is_not_null() & (pl.col("value").str.strip_chars() != ""))
    )
    return _typed(long)


def normalise_long(frame: pl.DataFrame) -> pl.DataFrame:
    """Long layout (``country_name, iso3, indicator_name, indicator_code, year, value``) -> ``LONG_COLUMNS``."""
    rename = {c: LONG_ID[c.strip().lower()] for c in frame.columns if c.strip().lower() in LONG_ID}
    missing = set(LONG_COLUMNS) - set(rename.values())
    if missing:
        raise ValueError(f"WDI long layout: missing columns {sorted(missing)} (found {frame.columns})")
    long = frame.rename(rename).select(LONG_COLUMNS).with_columns(pl.col("year", "value").cast(pl.Utf8))
    return _typed(long.filter(pl.col("value").is_not_null() & (pl.col("value").str.strip_chars() != "")))


def _typed(long: pl.DataFrame) -> pl.DataFrame:
    """Cast year and value, naming the first cell that is not a number."""
    for column, dtype in (("year", pl.Int16), ("value", pl.Float64)):
        cast = long[column].str.strip_chars().cast(dtype, strict=False)
        bad = long.filter(cast.is_null())
        if bad.height:
            row = bad.row(0, named=True)
            raise ValueError(
                f"WDI: {column} {row[column]!r} is not a number "
                f"(country {row['country_code']}, indicator {row['indicator_code']})"
            )
        long = long.with_columns(cast.alias(column))
    return long.select(LONG_COLUMNS)
