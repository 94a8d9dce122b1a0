"""UNCTADstat "Services (BPM6): Exports and imports by service-category, trading partner world,
annual" (report ``US.TradeServCatTotal``), bulk CSV layout.

Columns (one row per year x economy x flow x category)::

    Year, Economy, Economy Label, Flow, Flow Label, Category, Category Label,
    US$ at current prices in millions[, US$ at current prices in millions Footnote,
    US$ at current prices in millions Missing value, ...]

``Economy`` is the UN M49 code (3 digits for economies; 4-digit codes such as ``0000`` World
are groups), ``Flow`` ``01`` imports / ``02`` exports, ``Category`` the EBOPS 2010 code (``S``
total services, ``SA``..``SL`` the 12 main items, further aggregates such as ``SOX``). An empty
value is missing (the "Missing value" column says why). Extra measure columns are ignored.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tcd_pipeline.sources.files import InputFileError, SourceFile, read_csv_text
from tcd_pipeline.sources.reference_tables import read_m49_iso3

VALUE = "US$ at current prices in millions"
REQUIRED = ["Year", "Economy", "Economy Label", "Flow", "Flow Label", "Category", "Category Label", VALUE]
FLOWS = {"01": "imports", "02": "exports"}


def read_services(source: SourceFile | Path | str, m49: pl.DataFrame | None = None,
                  keep_groups: bool = False) -> pl.DataFrame:
    """``year, economy, iso3, economy_label, flow (exports|imports), category, category_label,
    value_usd`` (USD, the file's millions x 1e6; null where missing).

    Economies are mapped from M49 to ISO3 with ``m49`` (default the package's ``m49_iso3.csv``);
    an economy code that is not in it keeps a null ``iso3`` (historical economies). Group rows
    (4-digit codes) are dropped unless ``keep_groups``. Raises :class:`InputFileError` naming the
    file, and the line for a year, flow or value that cannot be read.
    """
    source = source if isinstance(source, SourceFile) else SourceFile(Path(source))
    raw = read_csv_text(source)
    raw = raw.rename({c: c.strip() for c in raw.columns})
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise InputFileError(source, f"missing columns {missing} (found {raw.columns})")
    raw = raw.select(REQUIRED).with_row_index("_line", offset=2)
    text = pl.col(VALUE).str.strip_chars()
    typed = raw.with_columns(
        pl.col("Year").str.strip_chars().cast(pl.Int16, strict=False).alias("year"),
        pl.col("Flow").str.strip_chars().replace_strict(FLOWS, default=None).alias("flow"),
        pl.when(text.is_null() | (text == "")).then(None).otherwise(text.cast(pl.Float64, strict=False) * 1e6)
        .alias("value_usd"),
    )
    checks = [("year", "Year", pl.col("year").is_null()), ("flow", "Flow", pl.col("flow").is_null()),
              ("value", VALUE, pl.col("value_usd").is_null() & text.is_not_null() & (text != ""))]
    for what, column, bad in checks:
        rows = typed.filter(bad)
        if rows.height:
            row = rows.row(0, named=True)
            raise InputFileError(source, f"line {row['_line']}: {what} {row[column]!r} cannot be read")
    economy = pl.col("Economy").str.strip_chars()
    out = typed.with_columns(economy.alias("economy"), pl.col("Category").str.strip_chars())
    dup = out.filter(pl.struct("year", "economy", "flow", "Category").is_duplicated())
    if dup.height:
        row = dup.row(0, named=True)
        raise InputFileError(source, f"line {row['_line']}: {row['year']} {row['economy']} {row['flow']} "
                                     f"{row['Category']} appears more than once")
    if not keep_groups:
        # groups are 4-digit codes; anything else (a missing or damaged code) reaches the gate
        out = out.filter(~economy.str.contains(r"^[0-9]{4}$").fill_null(False))
    codes = (m49 if m49 is not None else read_m49_iso3()).select(pl.col("m49").alias("_m49"), "iso3")
    out = out.with_columns(economy.str.zfill(3).alias("_m49")).join(codes, on="_m49", how="left")
    return out.select(
        "year", "economy", "iso3", pl.col("Economy Label").alias("economy_label"), "flow",
        pl.col("Category").str.strip_chars().alias("category"), pl.col("Category Label").alias("category_label"),
        "value_usd",
    ).sort("iso3", "year", "flow", "category")
