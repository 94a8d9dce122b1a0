"""Margins of export growth between two years (METHODS.md section 2).

Brenton, P. and Newfarmer, R. (2007), "Watching More Than the Discovery Channel: Export Cycles
and Diversification in Development", World Bank PRWP 4302; the TCD toolkit of Reis, J. G. and
Farole, T. (2012), "Trade Competitiveness Diagnostic Toolkit", World Bank, chapter 2.

Over exporter x product x destination pairs with exports x0 in t0 and x1 in t1 (absent = 0):

    intensive                       pairs exported in both years                   x1 - x0
    new_product_old_market          product not exported anywhere in t0,
                                    market served (with any product) in t0         x1
    new_product_new_market          product new, market not served at all in t0    x1
    old_product_served_market       product exported in t0, pair new,
                                    market served in t0 with other products        x1
    old_product_new_market          product exported in t0, market not served
                                    at all in t0                                   x1
    extinction                      pairs exported in t0 and not in t1             -x0

The six components sum to X1 - X0 (in exact arithmetic; exactly in floating point when values
are whole dollars, as BACI's are after v x 1000). Shares are components / (X1 - X0) x 100.
"""

from __future__ import annotations

import polars as pl

COMPONENTS = ("intensive", "new_product_old_market", "new_product_new_market",
              "old_product_served_market", "old_product_new_market", "extinction")


def decompose(flows: pl.DataFrame, t0: int, t1: int, exporter: str = "exporter", product: str = "hs6",
              market: str = "importer", year: str = "year", value: str = "value_usd") -> pl.DataFrame:
    """Five-margin decomposition (six columns, the old-product margin split) for every exporter.

    Returns one row per exporter with ``x0, x1, growth`` (X1 - X0), the ``COMPONENTS`` and their
    shares ``share_<component>`` (percent of X1 - X0; null when X1 = X0). Flows with non-positive
    value are ignored. Exporters present in only one of the two years are included.
    """
    if t0 == t1:
        raise ValueError("t0 and t1 must differ")
    pair = [exporter, product, market]

    def year_rows(t: int, name: str) -> pl.DataFrame:
        return (flows.filter((pl.col(year) == t) & (pl.col(value) > 0))
                .group_by(pair).agg(pl.col(value).sum().alias(name)))

    old = year_rows(t0, "x0")
    new = year_rows(t1, "x1")
    old_products = old.select(exporter, product).unique().with_columns(pl.lit(True).alias("_old_p"))
    old_markets = old.select(exporter, market).unique().with_columns(pl.lit(True).alias("_old_m"))
    both = (old.join(new, on=pair, how="full", coalesce=True)
            .join(old_products, on=[exporter, product], how="left")
            .join(old_markets, on=[exporter, market], how="left"))
    x0, x1 = pl.col("x0"), pl.col("x1")
    entered = x0.is_null()
    old_p = pl.col("_old_p").fill_null(False)
    old_m = pl.col("_old_m").fill_null(False)
    parts = {
        "intensive": pl.when(x0.is_not_null() & x1.is_not_null()).then(x1 - x0),
        "new_product_old_market": pl.when(entered & ~old_p & old_m).then(x1),
        "new_product_new_market": pl.when(entered & ~old_p & ~old_m).then(x1),
        "old_product_served_market": pl.when(entered & old_p & old_m).then(x1),
        "old_product_new_market": pl.when(entered & old_p & ~old_m).then(x1),
        "extinction": pl.when(x1.is_null()).then(-x0),
    }
    out = both.group_by(exporter).agg(
        x0.sum().alias("x0"), x1.sum().alias("x1"),
        *[expr.otherwise(0.0).sum().alias(name) for name, expr in parts.items()],
    ).with_columns((pl.col("x1") - pl.col("x0")).alias("growth"))
    growth = pl.col("growth")
    shares = [pl.when(growth != 0).then(pl.col(c) / growth * 100.0).alias(f"share_{c}") for c in COMPONENTS]
    return (out.with_columns(*shares, pl.lit(t0).alias("t0"), pl.lit(t1).alias("t1"))
            .select(exporter, "t0", "t1", "x0", "x1", "growth", *COMPONENTS, *[f"share_{c}" for c in COMPONENTS])
            .sort(exporter))
