"""Readers for the published layouts: BACI flows (into DuckDB), BACI code lists and WDI (polars)."""

from __future__ import annotations

import duckdb
import polars as pl

from tcd_pipeline.core.codes import normalise_country_codes, normalise_product_codes
from tcd_pipeline.core.wdi import melt_wide, normalise_long
from tcd_pipeline.sources.files import InputFileError, SourceFile, ends_with_line_break, expect_header, read_csv_text
from tcd_pipeline.warehouse.sql import load_sql

BACI_HEADER = ["t", "i", "j", "k", "v", "q"]
WDI_PREAMBLE_LINES = 4


def load_baci_flows(con: duckdb.DuckDBPyConnection, source: SourceFile, year: int) -> None:
    """Append one BACI year file to ``raw.baci_flows`` (statement ``sql/ingest/raw/baci_flows.sql``).

    The header is checked first (a wrong header or delimiter would otherwise shift columns
    silently). A zip member or gzip file is decompressed to the end first, so a damaged or truncated
    one is refused (``damaged zip archive`` / ``damaged gzip stream``) instead of read in part. The
    content must end with a line break: a file cut inside its last field may still parse (``q`` of
    ``8000.000`` cut to ``80``), and every BACI release ends its files with one. DuckDB's CSV errors
    (short line, non-numeric value) are re-raised naming the file and the line.
    """
    expect_header(source, BACI_HEADER)
    with source.local_path() as path:
        if not ends_with_line_break(path):
            raise InputFileError(source, "does not end with a line break (truncated?)")
        try:
            con.execute(load_sql("ingest/raw/baci_flows"), {"path": str(path), "year": year})
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


def read_country_codes(source: SourceFile) -> pl.DataFrame:
    """A BACI ``country_codes_V*.csv`` (any release's header, UTF-8 or latin-1)."""
    try:
        frame = normalise_country_codes(read_csv_text(source, complete=False))
    except ValueError as exc:
        raise InputFileError(source, str(exc)) from exc
    return frame.with_columns(pl.lit(source.name).alias("source_file"))


def read_product_codes(source: SourceFile) -> pl.DataFrame:
    """A BACI ``product_codes_HS*_V*.csv``."""
    try:
        frame = normalise_product_codes(read_csv_text(source, complete=False))
    except ValueError as exc:
        raise InputFileError(source, str(exc)) from exc
    return frame.with_columns(pl.lit(source.name).alias("source_file"))


def read_wdi(wide: list[SourceFile], long: list[SourceFile]) -> pl.DataFrame:
    """WDI rows from bulk (wide-year) files and long files, with the file each row came from."""
    frames = []
    for source in wide:
        try:
            frames.append(melt_wide(read_csv_text(source, skip_lines=WDI_PREAMBLE_LINES)))
        except ValueError as exc:
            raise InputFileError(source, str(exc)) from exc
        frames[-1] = frames[-1].with_columns(pl.lit(source.name).alias("source_file"))
    for source in long:
        try:
            frames.append(normalise_long(read_csv_text(source)))
        except ValueError as exc:
            raise InputFileError(source, str(exc)) from exc
        frames[-1] = frames[-1].with_columns(pl.lit(source.name).alias("source_file"))
    if not frames:
        raise FileNotFoundError("no WDI file found (API_*_DS2_*.csv bulk files or wdi_long*.csv)")
    return pl.concat(frames)
