"""CEPII GeoDist ``dist_cepii`` (Mayer and Zignago 2011, CEPII WP 2011-25): bilateral distances.

Layout: ``iso_o, iso_d, contig, comlang_off, comlang_ethno, colony, comcol, curcol, col45,
smctry, dist, distcap, distw, distwces``; one row per ordered pair, self-pairs included;
distances in km (``dist`` between the most populated cities, ``distcap`` between capitals,
``distw``/``distwces`` population-weighted); ``.`` (or an empty cell, ``NA``) is missing.
CEPII codes that are not ISO 3166 alpha-3 (ROM, ZAR, PAL, TMP, YUG) are mapped to ISO3 with the
package's alias tables (``iso3_aliases.csv`` and ``iso3_aliases_cepii.csv``).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tcd_pipeline.sources.files import InputFileError, SourceFile, expect_header, read_csv_text
from tcd_pipeline.sources.reference_tables import read_iso3_aliases

GEODIST_HEADER = ["iso_o", "iso_d", "contig", "comlang_off", "comlang_ethno", "colony", "comcol", "curcol",
                  "col45", "smctry", "dist", "distcap", "distw", "distwces"]  # fmt: skip
NUMERIC = GEODIST_HEADER[2:]
MISSING = (".", "", "NA")


def read_geodist(source: SourceFile | Path | str, aliases: pl.DataFrame | None = None) -> pl.DataFrame:
    """``exporter, importer`` (ISO3; from iso_o, iso_d) and the numeric columns as Float64.

    Raises :class:`InputFileError` naming the file for a wrong header, and the line and column
    for a cell that is neither a number nor a missing marker, or for a pair listed twice after
    the code mapping.
    """
    source = source if isinstance(source, SourceFile) else SourceFile(Path(source))
    expect_header(source, GEODIST_HEADER)
    raw = read_csv_text(source)
    raw = raw.rename({c: c.strip().lower() for c in raw.columns}).with_row_index("_line", offset=2)
    typed = raw.with_columns(
        pl.when(pl.col(c).str.strip_chars().is_in(MISSING)).then(None)
        .otherwise(pl.col(c).str.strip_chars()).cast(pl.Float64, strict=False).alias(c) for c in NUMERIC)
    for c in NUMERIC:
        bad = typed.filter(pl.col(c).is_null() & ~raw[c].str.strip_chars().is_in(MISSING).fill_null(True))
        if bad.height:
            row = bad.row(0, named=True)
            raise InputFileError(source, f"line {row['_line']}: {c} {raw[c][row['_line'] - 2]!r} is not a number")
    alias = dict((aliases if aliases is not None else read_iso3_aliases()).select("alias", "iso3").iter_rows())
    # as written (CEPII codes are capitals): a damaged 'NaN' must reach the gate, not become 'NAN'
    code = lambda c: pl.col(c).str.strip_chars().replace(alias)  # noqa: E731
    out = typed.select("_line", code("iso_o").alias("exporter"), code("iso_d").alias("importer"), *NUMERIC)
    dup = out.filter(pl.struct("exporter", "importer").is_duplicated())
    if dup.height:
        row = dup.row(0, named=True)
        raise InputFileError(source, f"line {row['_line']}: pair {row['exporter']}-{row['importer']} "
                                     "appears twice after mapping CEPII codes to ISO3")
    return out.drop("_line")
