"""TiVA indicators aggregated to the report's sectors, and DVA growth between two years.

The mapping (industry code -> sector, subsector) is data: ``tcd_pipeline/reference/icio_sectors.csv``,
read by :func:`tcd_pipeline.sources.icio.read_sector_map`. Sectors are Agriculture, Mining,
Manufacturing, Utilities and construction, Services; subsectors split Mining and Manufacturing
(report Table 4 and Figures 22-24 show manufacturing by sub-industry).
"""

from __future__ import annotations

import polars as pl

from tcd_pipeline.core.growth import cagr_expr  # percent, null unless X0 > 0 and X1 >= 0
from tcd_pipeline.core.tiva import ADDITIVE, add_ratios

LEVELS = ("sector", "subsector")


def aggregate_to_sectors(indicators: pl.DataFrame, sector_map: pl.DataFrame, level: str = "sector") -> pl.DataFrame:
    """Sum the additive indicators of ``indicators`` over the industries of each sector.

    ``sector_map`` has columns ``industry`` and ``level`` (one classification). Every industry
    must be mapped (a missing code raises ``ValueError`` naming it). Shares are recomputed from
    the sums (``exgr_dvash``, ``dexfvapsh``, ``ffd_dvash``), never averaged.
    Returns ``country, sector, year`` + the additive columns + the shares.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    if sector_map["industry"].is_duplicated().any():
        dup = sector_map.filter(pl.col("industry").is_duplicated())["industry"].unique().to_list()
        raise ValueError(f"sector map lists industries twice: {sorted(dup)[:10]}")
    unmapped = set(indicators["industry"].unique().to_list()) - set(sector_map["industry"].to_list())
    if unmapped:
        raise ValueError(f"industries without a sector in the map: {sorted(unmapped)[:20]}")
    columns = [c for c in ADDITIVE if c in indicators.columns]
    mapped = indicators.join(sector_map.select("industry", pl.col(level).alias("sector")), on="industry", how="left")
    out = mapped.group_by("country", "sector", "year", maintain_order=True).agg(pl.col(columns).sum())
    return add_ratios(out)


def dva_growth(indicators: pl.DataFrame, sector_map: pl.DataFrame, year_start: int, year_end: int,
               value: str = "exgr_dva", level: str = "sector") -> pl.DataFrame:
    """Growth of ``value`` (default domestic value added in gross exports) by sector, t0 -> t1.

    For country c with sectors k, X_k0, X_k1 and totals X_0 = sum_k X_k0, X_1 = sum_k X_k1:

    - ``share_start`` = 100 X_k0 / X_0, ``share_end`` = 100 X_k1 / X_1 (percent of the total);
    - ``cagr`` = 100 [(X_k1 / X_k0)^(1/(t1 - t0)) - 1] (percent a year; ``total_cagr`` for X);
    - ``contribution`` = 100 (X_k1 - X_k0) / (X_1 - X_0): the sector's share of the total change,
      in percent; sums to 100 over the sectors (null when X_1 = X_0). A sector that shrank while
      the total grew has a negative contribution; all contributions flip sign when the total fell;
    - ``contribution_pp`` = 100 (X_k1 - X_k0) / X_0: the sector's contribution to total growth in
      percentage points; sums to 100 (X_1 / X_0 - 1), the total growth in percent.

    Returns ``country, sector, year_start, year_end, value_start, value_end, share_start,
    share_end, cagr, contribution, contribution_pp, total_start, total_end, total_cagr``
    (``marts.dva_growth`` publishes them as ``*_usd`` in USD and ``*_pct``: ``defs/tiva/assets.py``). Countries missing in either year are dropped; a sector missing in
    one year counts as 0 there.
    """
    if year_end <= year_start:
        raise ValueError(f"year_end ({year_end}) must be after year_start ({year_start})")
    if value not in indicators.columns:
        raise ValueError(f"no column {value!r} in the indicator frame")
    sectors = aggregate_to_sectors(indicators.filter(pl.col("year").is_in([year_start, year_end])),
                                   sector_map, level)
    wide = (sectors.select("country", "sector", "year", pl.col(value))
            .pivot(on="year", index=["country", "sector"], values=value)
            .rename({str(year_start): "value_start", str(year_end): "value_end"}, strict=False))
    for col in ("value_start", "value_end"):
        if col not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    present = (sectors.group_by("country").agg(pl.col("year").n_unique().alias("n")).filter(pl.col("n") == 2)
               .select("country"))
    years = year_end - year_start
    change = pl.col("value_end") - pl.col("value_start")
    total_change = pl.col("total_end") - pl.col("total_start")
    return (
        wide.join(present, on="country", how="semi")
        .with_columns(pl.col("value_start", "value_end").fill_null(0.0))
        .with_columns(total_start=pl.col("value_start").sum().over("country"),
                      total_end=pl.col("value_end").sum().over("country"))
        .with_columns(
            pl.lit(year_start, dtype=pl.Int32).alias("year_start"),
            pl.lit(year_end, dtype=pl.Int32).alias("year_end"),
            share_start=pl.when(pl.col("total_start") != 0).then(100.0 * pl.col("value_start") / pl.col("total_start")),
            share_end=pl.when(pl.col("total_end") != 0).then(100.0 * pl.col("value_end") / pl.col("total_end")),
            cagr=cagr_expr(pl.col("value_start"), pl.col("value_end"), years),
            contribution=pl.when(total_change != 0).then(100.0 * change / total_change),
            contribution_pp=pl.when(pl.col("total_start") != 0).then(100.0 * change / pl.col("total_start")),
            total_cagr=cagr_expr(pl.col("total_start"), pl.col("total_end"), years),
        )
        .select("country", "sector", "year_start", "year_end", "value_start", "value_end", "share_start",
                "share_end", "cagr", "contribution", "contribution_pp", "total_start", "total_end", "total_cagr")
    )
