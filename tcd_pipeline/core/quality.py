"""Export quality from unit values (Henn, Papageorgiou, Romero and Spatafora 2017, "Export
Quality in Advanced and Developing Economies: Evidence from a New Data Set", IMF Economic Review
65; IMF WP/13/108; METHODS.md section 3).

Unit value of exporter m to importer x in product k and year t: uv = v / q (USD per tonne).
Observations with a missing or non-positive quantity are dropped, and ln uv is trimmed within
product-year at the ``trim`` quantiles (default 1st and 99th percentile, taken as the observed
values just below / above them, so observations at the bounds are kept and product-years with
fewer than 100 observations lose none). Per product k, on the trimmed observations::

    ln uv_mxkt = zeta_kt + b_y,k ln y_mt + b_d,k ln dist_mx + e_mxkt

zeta_kt are product-year effects (absorbed by demeaning within product-year), y_mt the
exporter's GDP per capita (production cost), dist_mx the bilateral distance (selection: far
markets receive pricier varieties). b_k is estimated by OLS per product when the product has at
least ``min_obs`` observations and the demeaned regressors are not collinear; otherwise the
pooled estimate over all products is used (``pooled`` flag). Quality of an observation is the
unit value net of the cost and selection terms, ``ln q = ln uv - b_y,k ln y - b_d,k ln dist``,
averaged over destinations with export-value weights to exporter x product x year, and expressed
relative to the product-year 90th percentile across exporters (frontier = 1)::

    quality_mkt = exp(ln q_mkt - P90_kt(ln q_.kt))

Aggregates (exporter-year, exporter-sector-year) are export-value-weighted means of quality_mkt.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

KEYS = ("exporter", "importer", "hs6", "year")


def unit_values(flows: pl.DataFrame, trim: tuple[float, float] = (0.01, 0.99), value: str = "value_usd",
                quantity: str = "quantity_t") -> pl.DataFrame:
    """``ln_uv`` of every flow with a positive value and quantity, trimmed within product-year."""
    lo, hi = trim
    x = flows.filter((pl.col(value) > 0) & (pl.col(quantity) > 0)).with_columns(
        (pl.col(value) / pl.col(quantity)).log().alias("ln_uv"))
    group = ["hs6", "year"]
    return (x.with_columns(pl.col("ln_uv").quantile(lo, "lower").over(group).alias("_lo"),
                           pl.col("ln_uv").quantile(hi, "higher").over(group).alias("_hi"))
            .filter(pl.col("ln_uv").is_between(pl.col("_lo"), pl.col("_hi")))
            .drop("_lo", "_hi"))


def _with_regressors(uv: pl.DataFrame, gdp_pc: pl.DataFrame, distance: pl.DataFrame,
                     gdp_col: str, dist_col: str) -> pl.DataFrame:
    y = gdp_pc.select(pl.col("iso3").alias("exporter"), pl.col("year").cast(uv.schema["year"]),
                      pl.col(gdp_col).log().alias("ln_y")).filter(pl.col("ln_y").is_finite())
    d = distance.select("exporter", "importer", pl.col(dist_col).log().alias("ln_d")).filter(pl.col("ln_d").is_finite())
    return uv.join(y, on=["exporter", "year"], how="inner").join(d, on=["exporter", "importer"], how="inner")


def unit_value_regression(obs: pl.DataFrame, min_obs: int = 50) -> pl.DataFrame:
    """Per-product OLS of ln uv on ln y and ln dist with product-year effects (within estimator).

    ``obs`` has ``hs6, year, ln_uv, ln_y, ln_d``. Returns ``hs6, b_y, b_d, n_obs, pooled``.
    Solved for all products at once from group sums of the demeaned cross products (2 x 2 normal
    equations in closed form).
    """
    g = ["hs6", "year"]
    dm = obs.with_columns([(pl.col(c) - pl.col(c).mean().over(g)).alias(f"_{c}") for c in ("ln_uv", "ln_y", "ln_d")])
    sums = [(pl.col(a) * pl.col(b)).sum().alias(f"{a}{b}") for a, b in
            (("_ln_y", "_ln_y"), ("_ln_y", "_ln_d"), ("_ln_d", "_ln_d"), ("_ln_y", "_ln_uv"), ("_ln_d", "_ln_uv"))]
    per = dm.group_by("hs6").agg(*sums, pl.len().alias("n_obs"))
    pooled = per.select(pl.exclude("hs6", "n_obs").sum())

    def solve(f: pl.DataFrame) -> pl.DataFrame:
        yy, yd, dd, yu, du = (pl.col(c) for c in ("_ln_y_ln_y", "_ln_y_ln_d", "_ln_d_ln_d", "_ln_y_ln_uv", "_ln_d_ln_uv"))
        det = yy * dd - yd * yd
        return f.with_columns(((dd * yu - yd * du) / det).alias("b_y"), ((yy * du - yd * yu) / det).alias("b_d"),
                              (det / (yy * dd)).alias("_cond"))

    pooled = solve(pooled)
    if pooled["_cond"][0] is None or not pooled["_cond"][0] > 1e-9:
        raise ValueError("unit-value regression: income and distance are collinear in the pooled data")
    per = solve(per)
    usable = (pl.col("n_obs") >= min_obs) & (pl.col("_cond") > 1e-3) & pl.col("b_y").is_finite() & pl.col("b_d").is_finite()
    return per.select(
        "hs6",
        pl.when(usable).then(pl.col("b_y")).otherwise(pl.lit(pooled["b_y"][0])).alias("b_y"),
        pl.when(usable).then(pl.col("b_d")).otherwise(pl.lit(pooled["b_d"][0])).alias("b_d"),
        "n_obs", (~usable).alias("pooled"),
    ).sort("hs6")


def quality(flows: pl.DataFrame, gdp_pc: pl.DataFrame, distance: pl.DataFrame,
            trim: tuple[float, float] = (0.01, 0.99), min_obs: int = 50, frontier: float = 0.9,
            gdp_col: str = "gdp_pc_usd", dist_col: str = "dist", value: str = "value_usd",
            quantity: str = "quantity_t") -> tuple[pl.DataFrame, pl.DataFrame]:
    """Export quality of every exporter x product x year, and the per-product coefficients.

    ``flows``: ``exporter, importer, hs6, year, value_usd, quantity_t`` (``clean.flows``);
    ``gdp_pc``: ``iso3, year, gdp_pc_usd`` (``clean.macro``); ``distance``: ``exporter, importer``
    and ``dist_col`` in km (:func:`tcd_pipeline.sources.geodist.read_geodist`).
    Returns ``(quality, coefficients)``: ``exporter, hs6, year, value_usd, n_obs, ln_quality,
    quality`` (quality = 1 at the product-year ``frontier`` quantile) and the output of
    :func:`unit_value_regression`.
    """
    obs = _with_regressors(unit_values(flows, trim, value, quantity), gdp_pc, distance, gdp_col, dist_col)
    coef = unit_value_regression(obs, min_obs)
    net = obs.join(coef.select("hs6", "b_y", "b_d"), on="hs6").with_columns(
        (pl.col("ln_uv") - pl.col("b_y") * pl.col("ln_y") - pl.col("b_d") * pl.col("ln_d")).alias("_lnq"))
    w = pl.col(value) / pl.col(value).sum()
    per = net.group_by("exporter", "hs6", "year").agg(
        (w * pl.col("_lnq")).sum().alias("_lnq"), pl.col(value).sum(), pl.len().alias("n_obs"))
    top = pl.col("_lnq").quantile(frontier, "linear").over("hs6", "year")
    out = per.with_columns((pl.col("_lnq") - top).alias("ln_quality")).with_columns(
        pl.col("ln_quality").exp().alias("quality"))
    return out.select("exporter", "hs6", "year", value, "n_obs", "ln_quality", "quality").sort(
        "exporter", "hs6", "year"), coef


def aggregate_quality(q: pl.DataFrame, by: Sequence[str] = ("exporter", "year"),
                      value: str = "value_usd") -> pl.DataFrame:
    """Export-value-weighted mean quality per ``by`` (add a sector column to ``q`` for sectors)."""
    w = pl.col(value) / pl.col(value).sum()
    return (q.group_by(list(by)).agg((w * pl.col("quality")).sum().alias("quality"),
                                      pl.col(value).sum(), pl.len().alias("n_products"))
            .sort(list(by)))
