"""Readers for the trade-outcome reference tables shipped in ``tcd_pipeline/reference``.

Provenance of every table: ``tcd_pipeline/reference/trade_outcomes.md``. The readers return
typed polars frames for the pure functions of :mod:`tcd_pipeline.core.classifications`; they read
only the package's own files (never ``../shared``).
"""

from __future__ import annotations

import io
from importlib import resources

import polars as pl

from tcd_pipeline.sources.files import InputFileError


def _read(name: str, columns: list[str]) -> pl.DataFrame:
    path = resources.files("tcd_pipeline") / "reference" / name
    frame = pl.read_csv(io.BytesIO(path.read_bytes()), infer_schema=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError(str(path), f"missing columns {missing} (found {frame.columns})")
    return frame


def read_report_sectors() -> pl.DataFrame:
    """``report_sectors_hs.csv``: ``version, level (chapter|heading), code, sector, note``."""
    return _read("report_sectors_hs.csv", ["version", "level", "code", "sector"])


def read_regions() -> pl.DataFrame:
    """``regions_by_year.csv``: ``region, iso3, first_year, last_year (null = open), stage, note``."""
    frame = _read("regions_by_year.csv", ["region", "iso3", "first_year", "last_year", "stage"])
    return frame.with_columns(pl.col("first_year", "last_year").cast(pl.Int32))


def read_lall2000() -> pl.DataFrame:
    """``lall2000_sitc2.csv``: ``sitc2_3d, lall, lall_label, sitc2_description``."""
    return _read("lall2000_sitc2.csv", ["sitc2_3d", "lall", "lall_label"])


def read_hs92_sitc2() -> pl.DataFrame:
    """``hs92_sitc2.csv`` (UN layout ``HS92, "SITC, R2", CorrNotes``) -> ``hs6, sitc2, note``."""
    frame = _read("hs92_sitc2.csv", ["HS92", "SITC, R2", "CorrNotes"])
    return frame.select(pl.col("HS92").alias("hs6"), pl.col("SITC, R2").alias("sitc2"),
                        pl.col("CorrNotes").alias("note"))


def read_m49_iso3() -> pl.DataFrame:
    """``m49_iso3.csv``: UN M49 / ISO 3166-1 numeric code (3 digits) -> ``iso3``, ``name``."""
    return _read("m49_iso3.csv", ["m49", "iso3", "name"])


def read_iso3_aliases() -> pl.DataFrame:
    """``alias -> iso3`` from ``iso3_aliases.csv`` and ``iso3_aliases_cepii.csv`` together."""
    frames = [_read(name, ["alias", "iso3"]).select("alias", "iso3")
              for name in ("iso3_aliases.csv", "iso3_aliases_cepii.csv")]
    return pl.concat(frames).unique(subset="alias", keep="first")


def read_hs_sections() -> pl.DataFrame:
    """``hs_sections.csv``: ``section`` (I-XXI), ``number``, ``first_chapter``, ``last_chapter``, ``name``."""
    frame = _read("hs_sections.csv", ["section", "number", "first_chapter", "last_chapter", "name"])
    return frame.with_columns(pl.col("number").cast(pl.Int16))


def read_io_country_names() -> pl.DataFrame:
    """``io_country_names.csv``: ``code, name, note`` for input-output region codes named nowhere else."""
    return _read("io_country_names.csv", ["code", "name"])


def read_icio_sectors() -> pl.DataFrame:
    """``icio_sectors.csv``: ``classification, industry, description, sector, subsector`` of every family."""
    return _read("icio_sectors.csv", ["classification", "industry", "description", "sector"])


def read_hs92_end_use() -> pl.DataFrame:
    """``hs92_bec4_end_use.csv``: ``hs6`` (HS92) -> ``bec4`` (BEC rev.4 code(s), ``;``-joined) and ``end_use``
    (capital, intermediate, consumption or not classified); provenance in the folder's README.md."""
    return _read("hs92_bec4_end_use.csv", ["hs6", "bec4", "end_use"])
