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


def _unit_values_lazy(flows: pl.LazyFrame, trim: tuple[float, float], value: str, quantity: str) -> pl.LazyFrame:
    lo, hi = trim
    group = ["hs6", "year"]
    return (flows.filter((pl.col(value) > 0) & (pl.col(quantity) > 0))
            .with_columns((pl.col(value) / pl.col(quantity)).log().alias("ln_uv")).drop(quantity)
            .filter(pl.col("ln_uv").is_between(pl.col("ln_uv").quantile(lo, "lower").over(group),
                                               pl.col("ln_uv").quantile(hi, "higher").over(group))))


def unit_values(flows: pl.DataFrame, trim: tuple[float, float] = (0.01, 0.99), value: str = "value_usd",
                quantity: str = "quantity_t") -> pl.DataFrame:
    """``ln_uv`` of every flow with a positive value and quantity, trimmed within product-year."""
    return _unit_values_lazy(flows.lazy(), trim, value, quantity).collect()


def _with_regressors(uv: pl.LazyFrame, gdp_pc: pl.DataFrame, distance: pl.DataFrame, year_dtype: pl.DataType,
                     gdp_col: str, dist_col: str) -> pl.LazyFrame:
    y = gdp_pc.lazy().select(pl.col("iso3").alias("exporter"), pl.col("year").cast(year_dtype),
                             pl.col(gdp_col).log().alias("ln_y")).filter(pl.col("ln_y").is_finite())
    d = distance.lazy().select("exporter", "importer", pl.col(dist_col).log().alias("ln_d")).filter(
        pl.col("ln_d").is_finite())
    return (uv.join(y, on=["exporter", "year"], how="inner").join(d, on=["exporter", "importer"], how="inner")
            .drop("importer"))


_PAIRS = (("y", "y"), ("y", "d"), ("d", "d"), ("y", "u"), ("d", "u"))


def unit_value_regression(obs: pl.DataFrame | pl.LazyFrame, min_obs: int = 50) -> pl.DataFrame:
    """Per-product OLS of ln uv on ln y and ln dist with product-year effects (within estimator).

    ``obs`` has ``hs6, year, ln_uv, ln_y, ln_d``. Returns ``hs6, b_y, b_d, n_obs, pooled``.
    Solved for all products at once: the within (product-year demeaned) cross products come from
    group sums, S_ab = sum_g (sum a b - sum a sum b / n_g), and the 2 x 2 normal equations are
    solved in closed form. Variables are centred on constants first for numerical accuracy.
    """
    cols = {"y": pl.col("ln_y") - 9.0, "d": pl.col("ln_d") - 8.0, "u": pl.col("ln_uv") - 7.0}
    g = (obs.lazy().group_by("hs6", "year").agg(
            pl.len().alias("n"), *[e.sum().alias(f"s_{k}") for k, e in cols.items()],
            *[(cols[a] * cols[b]).sum().alias(f"s_{a}{b}") for a, b in _PAIRS])
         .with_columns([(pl.col(f"s_{a}{b}") - pl.col(f"s_{a}") * pl.col(f"s_{b}") / pl.col("n")).alias(f"{a}{b}")
                        for a, b in _PAIRS]))
    per = (g.group_by("hs6").agg(*[pl.col(f"{a}{b}").sum() for a, b in _PAIRS], pl.col("n").sum().alias("n_obs"))
           .collect())
    pooled = per.select(pl.exclude("hs6", "n_obs").sum())

    def solve(f: pl.DataFrame) -> pl.DataFrame:
        yy, yd, dd, yu, du = (pl.col(f"{a}{b}") for a, b in _PAIRS)
        det = yy * dd - yd * yd
        return f.with_columns(((dd * yu - yd * du) / det).alias("b_y"), ((yy * du - yd * yu) / det).alias("b_d"),
                              (det / (yy * dd)).alias("_cond"))

    pooled = solve(pooled)
    if pooled["_cond"][0] is None or not pooled["_cond"][0] > 1e-9:
        raise ValueError("unit-value regression: income and distance are collinear in the pooled data")
    per = solve(per)
    usable = ((pl.col("n_obs") >= min_obs) & (pl.col("_cond") > 1e-3) & pl.col("b_y").is_finite()
              & pl.col("b_d").is_finite())
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
    columns = flows.lazy().select("exporter", "importer", "hs6", "year", value, quantity)
    obs = _with_regressors(_unit_values_lazy(columns, trim, value, quantity), gdp_pc, distance,
                           flows.schema["year"], gdp_col, dist_col).collect()
    coef = unit_value_regression(obs, min_obs)
    lnq = pl.col("ln_uv") - pl.col("b_y") * pl.col("ln_y") - pl.col("b_d") * pl.col("ln_d")
    per = (obs.lazy().join(coef.lazy().select("hs6", "b_y", "b_d"), on="hs6")
           .group_by("exporter", "hs6", "year")
           .agg((pl.col(value) * lnq).sum().alias("_vq"), pl.col(value).sum(), pl.len().alias("n_obs"))
           .with_columns((pl.col("_vq") / pl.col(value)).alias("_lnq")))
    top = pl.col("_lnq").quantile(frontier, "linear").over("hs6", "year")
    out = (per.with_columns((pl.col("_lnq") - top).alias("ln_quality"))
           .with_columns(pl.col("ln_quality").exp().alias("quality"))
           .select("exporter", "hs6", "year", value, "n_obs", "ln_quality", "quality")
           .sort("exporter", "hs6", "year").collect())
    return out, coef


def aggregate_quality(q: pl.DataFrame, by: Sequence[str] = ("exporter", "year"),
                      value: str = "value_usd") -> pl.DataFrame:
    """Export-value-weighted mean quality per ``by`` (add a sector column to ``q`` for sectors)."""
    w = pl.col(value) / pl.col(value).sum()
    return (q.group_by(list(by)).agg((w * pl.col("quality")).sum().alias("quality"),
                                      pl.col(value).sum(), pl.len().alias("n_products"))
            .sort(list(by)))
