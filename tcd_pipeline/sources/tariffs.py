"""Tariff schedules at HS6 in the two layouts the World Bank's WITS publishes from UNCTAD TRAINS.

**TRAINS bulk download** (WITS "Bulk download" of the TRAINS tariff data; the files of a download
sit in folders named ``AVEMFN_<nomenclature>_<reporter>_<year>_U2`` holding ``JobID-*.CSV``, and
whole collections in ``MFN_APPLIED_RATES.ZIP``). One row per reporter x year x HS6 product::

    NomenCode, Reporter_ISO_N, Year, ProductCode, Sum_Of_Rates, Min_Rate, Max_Rate, SimpleAverage,
    Nbr_NA_Lines, Nbr_Free_Lines, Nbr_AVE_Lines, Nbr_Dutiable_Lines, TotalNoOfValidLines,
    TotalNoOfLines[, EstCode]

``NomenCode`` is the WITS nomenclature code (``H0`` = HS 1988/92, ``H1`` = HS 1996, ... ``H6`` = HS
2022), ``Reporter_ISO_N`` the UN M49 / ISO numeric code, rates are ad valorem in percent (AVEs of
specific duties included) summarised over the reporter's national tariff lines of the HS6 product:
``SimpleAverage`` = ``Sum_Of_Rates / Nbr_AVE_Lines`` (empty when no line has an ad valorem
rate or equivalent: ``Nbr_NA_Lines`` = ``TotalNoOfLines``). The duty type is not a column: the
``AVEMFN`` download holds MFN applied rates, ``AVEPref`` preferential rates by partner group (a
``Partner`` column; not read: the marts are about the MFN schedule). Sources for the column
names (public code that reads these files): the WITS bulk-download readers in the public code
index (a marimo "WITS pipeline" reading ``AVEMFN_(H\\d+)_(\\w+)_(\\d+)_U2`` folders with the schema
above, and an R script reading the CSVs of ``MFN_APPLIED_RATES.ZIP`` with the same 13 columns).

**WITS query result** ("Tariff View and Export" of an advanced query, saved as CSV)::

    Selected Nomen, Native Nomen, Reporter, Reporter Name, Product, Product Name, Partner,
    Partner Name, Tariff Year, Trade Year, Trade Source, DutyType, Simple Average,
    Weighted Average, Standard Deviation, Minimum Rate, Maximum Rate, Nbr of Total Lines,
    Nbr of DomesticPeaks, Nbr of InternationalPeaks, Imports Value in 1000 USD, ...

``DutyType`` is ``MFN`` (MFN applied), ``AHS`` (effectively applied) or ``BND`` (bound);
``Reporter`` and ``Partner`` are numeric codes (partner ``000`` = World). Sources: public scripts
that read WITS exports with these names (an R script pivoting ``Selected Nomen, Native Nomen,
Reporter, Reporter Name, Product, Product Name, Partner, Partner Name, Tariff Year, Trade Year,
Trade Source, DutyType, Simple Average, Weighted Average``; a Python converter reading ``Minimum
Rate``/``Maximum Rate``, ``Nbr of Total Lines``, ``Nbr of DomesticPeaks``, ``Imports Value in 1000
USD``). The query layout has no count of duty-free lines: ``n_free_lines`` is ``n_lines`` when
the maximum rate is 0, 0 when the minimum rate is above 0, else unknown (NULL).

Either layout may carry the reporter as M49 digits or as ISO3 letters. Rows are read as published;
a file is refused, naming the file and the line, for: a missing column, a year, rate or count
that is not a number, a reporter code that is neither M49 nor ISO3 of ``m49_iso3.csv``, a product
that is not a 6-digit code, a nomenclature other than the configured HS vintage's (no concordance
between HS vintages is applied), a partner other than World, an unknown duty type, or a repeated
reporter x year x duty type x product. Negative or implausible rates reach the gate
(``raw_tariffs``), which names the row.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from tcd_pipeline.sources.files import InputFileError, SourceFile, read_csv_text
from tcd_pipeline.sources.reference_tables import read_m49_iso3

TRAINS = ["NomenCode", "Reporter_ISO_N", "Year", "ProductCode", "Sum_Of_Rates", "Min_Rate", "Max_Rate",
          "SimpleAverage", "Nbr_NA_Lines", "Nbr_Free_Lines", "Nbr_AVE_Lines", "Nbr_Dutiable_Lines",
          "TotalNoOfValidLines", "TotalNoOfLines"]
WITS_QUERY = ["Reporter", "Product", "Partner", "Tariff Year", "DutyType", "Simple Average", "Minimum Rate",
              "Maximum Rate", "Nbr of Total Lines"]
NOMEN = {"H0": "92", "H1": "96", "H2": "02", "H3": "07", "H4": "12", "H5": "17", "H6": "22"}
DUTY_TYPES = ("MFN", "AHS", "BND")
WORLD = {"0", "00", "000", "WLD"}
# the TRAINS download a file came from, by the name of the file or of a folder or zip above it
TRAINS_MFN = re.compile(r"^(AVEMFN|MFN)([_.-]|$)", re.IGNORECASE)
TRAINS_PREF = re.compile(r"^AVEPref([_.-]|$)", re.IGNORECASE)
SCHEMA = {"year": pl.Int16, "reporter": pl.Utf8, "iso3": pl.Utf8, "duty_type": pl.Utf8, "nomenclature": pl.Utf8,
          "hs6": pl.Utf8, "simple_average_pct": pl.Float64, "min_rate_pct": pl.Float64, "max_rate_pct": pl.Float64,
          "n_lines": pl.Int32, "n_free_lines": pl.Int32, "layout": pl.Utf8, "source_file": pl.Utf8}


def path_names(source: SourceFile, root: Path | None = None) -> list[str]:
    """The names a layout can be recognised by: the file's, its zip member folders', the zip's, and its
    folders' up to ``root`` (the input folder; all of them when None)."""
    names = list(reversed(Path(source.member).parts)) if source.member else []
    folders = [q for q in source.path.parents if root is None or (q != Path(root) and Path(root) in q.parents)]
    return names + [p for p in (source.path.name, *(q.name for q in folders)) if p]


def trains_download(source: SourceFile, root: Path | None = None) -> str | None:
    """``MFN`` / ``Pref`` for a file of a TRAINS ``AVEMFN`` / ``AVEPref`` download (by its path below
    ``root``), else None."""
    for name in path_names(source, root):
        if TRAINS_MFN.match(name):
            return "MFN"
        if TRAINS_PREF.match(name):
            return "Pref"
    return None


def _fail(source: SourceFile, rows: pl.DataFrame, what: str) -> None:
    row = rows.row(0, named=True)
    raise InputFileError(source, f"line {row['_line']}: {what.format(**row)}")


def _numbers(source: SourceFile, frame: pl.DataFrame, columns: dict[str, str], kind) -> pl.DataFrame:
    """Cast ``columns`` (file column -> new name) to ``kind``; a non-empty text that is no number is an error."""
    for column, name in columns.items():
        text = pl.col(column).str.strip_chars()
        frame = frame.with_columns(pl.when(text == "").then(None).otherwise(text).cast(kind, strict=False).alias(name))
        bad = frame.filter(pl.col(name).is_null() & text.is_not_null() & (text != ""))
        if bad.height:
            _fail(source, bad, f"{column} {{{column}!r}} is not a number")
    return frame


def _trains(source: SourceFile, raw: pl.DataFrame) -> pl.DataFrame:
    if trains_download(source) != "MFN":
        raise InputFileError(source, "TRAINS layout without its download's name: the file, its folder or its zip "
                                     "must be named after the WITS download (AVEMFN_... for MFN applied rates)")
    raw = _numbers(source, raw, {"Year": "year"}, pl.Int16)
    raw = _numbers(source, raw, {"SimpleAverage": "simple_average_pct", "Min_Rate": "min_rate_pct",
                                 "Max_Rate": "max_rate_pct"}, pl.Float64)
    raw = _numbers(source, raw, {"TotalNoOfLines": "n_lines", "Nbr_Free_Lines": "n_free_lines"}, pl.Int32)
    for column in ("year", "n_lines"):
        if (bad := raw.filter(pl.col(column).is_null())).height:
            _fail(source, bad, f"{column} is empty")
    return raw.with_columns(pl.col("NomenCode").str.strip_chars().alias("nomenclature"),
                            pl.col("Reporter_ISO_N").str.strip_chars().alias("reporter"),
                            pl.col("ProductCode").str.strip_chars().alias("hs6"),
                            pl.lit("MFN").alias("duty_type"), pl.lit("trains_bulk").alias("layout"))


def _wits_query(source: SourceFile, raw: pl.DataFrame) -> pl.DataFrame:
    nomen = "Selected Nomen" if "Selected Nomen" in raw.columns else "Native Nomen"
    if nomen not in raw.columns:
        raise InputFileError(source, "missing column 'Selected Nomen' (or 'Native Nomen'): the nomenclature")
    raw = _numbers(source, raw, {"Tariff Year": "year"}, pl.Int16)
    raw = _numbers(source, raw, {"Simple Average": "simple_average_pct", "Minimum Rate": "min_rate_pct",
                                 "Maximum Rate": "max_rate_pct"}, pl.Float64)
    raw = _numbers(source, raw, {"Nbr of Total Lines": "n_lines"}, pl.Int32)
    for column in ("year", "n_lines"):
        if (bad := raw.filter(pl.col(column).is_null())).height:
            _fail(source, bad, f"{column} is empty")
    raw = raw.with_columns(pl.col("DutyType").str.strip_chars().str.to_uppercase().alias("duty_type"),
                           pl.col("Partner").str.strip_chars().str.to_uppercase().alias("_partner"))
    if (bad := raw.filter(~pl.col("duty_type").is_in(DUTY_TYPES))).height:
        _fail(source, bad, f"duty type {{DutyType!r}} is none of {', '.join(DUTY_TYPES)}")
    if (bad := raw.filter(~pl.col("_partner").is_in(WORLD))).height:
        _fail(source, bad, "partner {Partner!r}: only rates towards the World (000) are read")
    free = (pl.when(pl.col("max_rate_pct") == 0).then(pl.col("n_lines"))
            .when(pl.col("min_rate_pct") > 0).then(pl.lit(0, pl.Int32)).otherwise(None))
    return raw.with_columns(pl.col(nomen).str.strip_chars().alias("nomenclature"),
                            pl.col("Reporter").str.strip_chars().alias("reporter"),
                            pl.col("Product").str.strip_chars().alias("hs6"), free.alias("n_free_lines"),
                            pl.lit("wits_query").alias("layout"))


def read_tariffs(source: SourceFile | Path | str, hs: str = "92", m49: pl.DataFrame | None = None) -> pl.DataFrame:
    """The schedule rows of one file in either layout (detected by its header), typed, as :data:`SCHEMA`
    (rates in percent; ``reporter`` as published, ``iso3`` mapped from it). See the module docstring."""
    source = source if isinstance(source, SourceFile) else SourceFile(Path(source))
    raw = read_csv_text(source)
    raw = raw.rename({c: c.strip() for c in raw.columns})
    if "Reporter_ISO_N" in raw.columns or "SimpleAverage" in raw.columns:
        layout, read = TRAINS, _trains
    elif "DutyType" in raw.columns or "Simple Average" in raw.columns:
        layout, read = WITS_QUERY, _wits_query
    else:
        raise InputFileError(source, f"neither the TRAINS bulk layout ({', '.join(TRAINS[:4])}, ...) nor the WITS "
                                     f"query layout ({', '.join(WITS_QUERY[:5])}, ...): found {raw.columns}")
    missing = [c for c in layout if c not in raw.columns]
    if missing:
        raise InputFileError(source, f"missing columns {missing} (found {raw.columns})")
    out = read(source, raw.with_row_index("_line", offset=2))
    out = out.with_columns(pl.col("nomenclature").str.to_uppercase())
    if (bad := out.filter(pl.col("nomenclature").replace_strict(NOMEN, default="?") != hs)).height:
        code = bad["nomenclature"][0]
        vintage = f"HS{NOMEN[code]}" if code in NOMEN else "an unknown nomenclature"
        raise InputFileError(source, f"line {bad['_line'][0]}: nomenclature {code!r} ({vintage}) is not the "
                                     f"configured vintage HS{hs} (H{list(NOMEN.values()).index(hs)}); products are "
                                     "not converted between HS vintages")
    if (bad := out.filter(~pl.col("hs6").str.contains(r"^[0-9]{6}$").fill_null(False))).height:
        _fail(source, bad, "product {hs6!r} is not a 6-digit HS code")
    codes = (m49 if m49 is not None else read_m49_iso3()).select("m49", "iso3")
    by_m49 = dict(codes.iter_rows())
    known = set(by_m49.values())
    out = out.with_columns(
        pl.when(pl.col("reporter").str.contains(r"^[0-9]{1,3}$"))
        .then(pl.col("reporter").str.zfill(3).replace_strict(by_m49, default=None))
        .when(pl.col("reporter").str.to_uppercase().is_in(known)).then(pl.col("reporter").str.to_uppercase())
        .otherwise(None).alias("iso3"))
    if (bad := out.filter(pl.col("iso3").is_null())).height:
        _fail(source, bad, "reporter {reporter!r} is neither an M49 code nor an ISO3 code of m49_iso3.csv")
    key = ["year", "iso3", "duty_type", "hs6"]
    if (dup := out.filter(pl.struct(key).is_duplicated())).height:
        first = dup.row(0, named=True)
        lines = dup.filter(pl.struct(key) == pl.struct(**{k: pl.lit(first[k]) for k in key}))["_line"].to_list()
        raise InputFileError(source, f"line {lines[1]}: {first['iso3']} {first['year']} {first['duty_type']} product "
                                     f"{first['hs6']} appears more than once (also line {lines[0]})")
    return out.with_columns(pl.lit(source.name).alias("source_file")).select(
        [pl.col(c).cast(t) for c, t in SCHEMA.items()])  # in the file's order (a sort costs 1.3 s a million rows)
