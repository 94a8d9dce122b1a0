"""The WDI country metadata file: World Bank region and income group of each economy.

Every indicator zip of the WDI bulk download (``API_<indicator>_DS2_en_csv_v2_<n>.zip``) ships
``Metadata_Country_API_<indicator>_DS2_en_csv_v2_<n>.csv`` beside the data file: UTF-8 with a BOM,
every field quoted, every line ending in a comma, header
``"Country Code","Region","IncomeGroup","SpecialNotes","TableName",`` and one row per economy and
aggregate (aggregates, e.g. ``WLD`` or ``EUU``, have an empty ``Region``). The files of all
indicators of one release are the same table: one is read, the others are listed as duplicates;
two files that disagree are an error naming both (the folder mixes releases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from tcd_pipeline.sources.files import InputFileError, SourceFile, read_csv_text

METADATA_COUNTRY = re.compile(r"^Metadata_Country_API_(?P<indicator>[A-Z0-9.]+)_DS2_.*(?i:\.csv(\.gz)?)$")
HEADER = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]
INCOME_GROUPS = ("Low income", "Lower middle income", "Upper middle income", "High income")
#: the seven regions of the World Bank's country classification (the ``Region`` column)
REGIONS = ("East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean",
           "Middle East & North Africa", "North America", "South Asia", "Sub-Saharan Africa")
COLUMNS = {"iso3": pl.Utf8, "wb_region": pl.Utf8, "income_group": pl.Utf8, "table_name": pl.Utf8,
           "special_notes": pl.Utf8, "source_file": pl.Utf8}


@dataclass
class CountryMetadata:
    """The economies' rows (``COLUMNS``; empty strings read as NULL), the file read, and the files
    not read because they hold the same table (``duplicates``)."""

    frame: pl.DataFrame
    source: SourceFile | None = None
    duplicates: list[SourceFile] = field(default_factory=list)


def read_one(source: SourceFile) -> pl.DataFrame:
    """One metadata file as ``COLUMNS``, economies and aggregates alike (aggregates: NULL region)."""
    frame = read_csv_text(source)
    frame = frame.select([c for c in frame.columns if c.strip()])  # the empty field after each line's last comma
    if frame.columns != HEADER:
        raise InputFileError(source, f"wrong header for a WDI country metadata file: found {frame.columns}, "
                                     f"expected {HEADER}")
    blank = lambda c: pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c).str.strip_chars())  # noqa: E731
    return frame.select(
        pl.col("Country Code").str.strip_chars().alias("iso3"), blank("Region").alias("wb_region"),
        blank("IncomeGroup").alias("income_group"), blank("TableName").alias("table_name"),
        blank("SpecialNotes").alias("special_notes"), pl.lit(source.name).alias("source_file"),
    ).sort("iso3")


def read_country_metadata(sources: list[SourceFile]) -> CountryMetadata:
    """The one table the metadata files hold (an empty frame when there is none).

    Files are compared on their rows (not their bytes): the same table in two files is one table,
    the others are ``duplicates``; different tables raise :class:`InputFileError` naming both files.
    """
    if not sources:
        return CountryMetadata(pl.DataFrame(schema=COLUMNS))
    first, *others = sorted(sources)
    table = read_one(first)
    duplicates = []
    for other in others:
        rows = read_one(other)
        if not rows.drop("source_file").equals(table.drop("source_file")):
            differ = rows.drop("source_file").join(table.drop("source_file"), how="anti",
                                                   on=list(COLUMNS)[:-1], nulls_equal=True)
            example = differ.row(0, named=True) if differ.height else "fewer rows"
            raise InputFileError(other, f"WDI country metadata differs from {first} (e.g. {example}); "
                                        "the input folder mixes WDI releases: keep one")
        duplicates.append(other)
    return CountryMetadata(table, first, duplicates)
