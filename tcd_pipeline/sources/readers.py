"""Readers for the published layouts: BACI flows (into DuckDB), BACI code lists and WDI (polars)."""

from __future__ import annotations

import csv
import io

import duckdb
import polars as pl

from tcd_pipeline.core.codes import normalise_country_codes, normalise_product_codes
from tcd_pipeline.core.wdi import melt_wide, normalise_long
from tcd_pipeline.sources.files import InputFileError, SourceFile, expect_header
from tcd_pipeline.sql import load_sql

BACI_HEADER = ["t", "i", "j", "k", "v", "q"]
WDI_PREAMBLE_LINES = 4


def load_baci_flows(con: duckdb.DuckDBPyConnection, source: SourceFile, year: int) -> None:
    """Append one BACI year file to ``raw.baci_flows`` (statement ``sql/raw/baci_flows.sql``).

    The header is checked first (a wrong header or delimiter would otherwise shift columns
    silently). DuckDB's CSV errors (short line, non-numeric value) are re-raised naming the file
    and the line.
    """
    expect_header(source, BACI_HEADER)
    with source.local_path() as path:
        try:
            con.execute(load_sql("raw/baci_flows"), {"path": str(path), "year": year})
        except duckdb.Error as exc:
            raise InputFileError(source, _duckdb_problem(exc)) from exc


def _duckdb_problem(exc: Exception) -> str:
    """The informative first lines of a DuckDB CSV error (line number, original line, cause)."""
    keep = []
    for line in str(exc).splitlines():
        if line.startswith(("Possible fixes", "*", "  file =")) or not line.strip():
            if keep:
                break
            continue
        keep.append(line.strip())
    return " | ".join(keep[:4]) or str(exc)


def _frame(source: SourceFile, skip_lines: int = 0) -> pl.DataFrame:
    """A small CSV as text columns; a line with a different number of fields than the header
    (a truncated or malformed file) is an error naming the line, not a row padded with nulls."""
    text = source.read_text()
    if not text.strip():
        raise InputFileError(source, "is empty")
    if skip_lines:
        text = "\n".join(text.splitlines()[skip_lines:])
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    width = len(header)
    if width == 1 and any(d in header[0] for d in ";\t|"):
        raise InputFileError(source, f"wrong delimiter? the header has a single column: {header[0][:80]!r}")
    for number, row in enumerate(rows, start=skip_lines + 2):
        if row and len(row) != width:
            raise InputFileError(
                source, f"line {number} has {len(row)} fields, the header {width} (truncated or malformed): {row}"
            )
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(source, f"not a readable CSV ({str(exc).splitlines()[0]})") from exc


def read_country_codes(source: SourceFile) -> pl.DataFrame:
    """A BACI ``country_codes_V*.csv`` (any release's header, UTF-8 or latin-1)."""
    try:
        frame = normalise_country_codes(_frame(source))
    except ValueError as exc:
        raise InputFileError(source, str(exc)) from exc
    return frame.with_columns(pl.lit(source.name).alias("source_file"))


def read_product_codes(source: SourceFile) -> pl.DataFrame:
    """A BACI ``product_codes_HS*_V*.csv``."""
    try:
        frame = normalise_product_codes(_frame(source))
    except ValueError as exc:
        raise InputFileError(source, str(exc)) from exc
    return frame.with_columns(pl.lit(source.name).alias("source_file"))


def read_wdi(wide: list[SourceFile], long: list[SourceFile]) -> pl.DataFrame:
    """WDI rows from bulk (wide-year) files and long files, with the file each row came from."""
    frames = []
    for source in wide:
        try:
            frames.append(melt_wide(_frame(source, skip_lines=WDI_PREAMBLE_LINES)))
        except ValueError as exc:
            raise InputFileError(source, str(exc)) from exc
        frames[-1] = frames[-1].with_columns(pl.lit(source.name).alias("source_file"))
    for source in long:
        try:
            frames.append(normalise_long(_frame(source)))
        except ValueError as exc:
            raise InputFileError(source, str(exc)) from exc
        frames[-1] = frames[-1].with_columns(pl.lit(source.name).alias("source_file"))
    if not frames:
        raise FileNotFoundError("no WDI file found (API_*_DS2_*.csv bulk files or wdi_long*.csv)")
    return pl.concat(frames)
