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
are whole dollars, as BACI's are after v x 1000, since every partial sum is then an integer below
2^53). Shares are components / (X1 - X0) x 100. Several rows of one pair in a year are summed.
"""

from __future__ import annotations

import numpy as np
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
    levels = {c: flows[c].unique().drop_nulls().sort() for c in (exporter, product, market)}
    n_e, n_p, n_m = (len(levels[c]) for c in (exporter, product, market))
    # one UInt64 key per exporter x product x destination; sorting it groups a pair's rows
    # (a hash group-by or a join on three text keys is several times slower at 10 M rows)
    code = {c: (pl.col(c).cast(pl.Enum(levels[c])).to_physical() if flows.schema[c] == pl.String
                else pl.col(c).replace_strict(levels[c], pl.Series(range(len(levels[c]))))).cast(pl.UInt64)
            for c in levels}
    keyed = (flows.lazy().filter(pl.col(year).is_in([t0, t1]) & (pl.col(value) > 0))
             .select(((code[exporter] * n_p + code[product]) * n_m + code[market]).alias("k"),
                     (pl.col(year) == t0).alias("t0"), pl.col(value).cast(pl.Float64))
             .sort("k").collect())
    k, first, v = (keyed[c].to_numpy() for c in ("k", "t0", value))
    del keyed
    if not len(k):
        raise ValueError(f"no positive flows in {t0} or {t1}")
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    x0 = np.add.reduceat(np.where(first, v, 0.0), starts)
    x1 = np.add.reduceat(np.where(first, 0.0, v), starts)
    pair = k[starts]
    e = (pair // np.uint64(n_p * n_m)).astype(np.int64)
    p = ((pair // np.uint64(n_m)) % np.uint64(n_p)).astype(np.int64)
    m = (pair % np.uint64(n_m)).astype(np.int64)
    was = x0 > 0
    old_p = (np.bincount(e * n_p + p, weights=was, minlength=n_e * n_p) > 0)[e * n_p + p]
    old_m = (np.bincount(e * n_m + m, weights=was, minlength=n_e * n_m) > 0)[e * n_m + m]
    entered = ~was
    parts = {
        "intensive": np.where(was & (x1 > 0), x1 - x0, 0.0),
        "new_product_old_market": np.where(entered & ~old_p & old_m, x1, 0.0),
        "new_product_new_market": np.where(entered & ~old_p & ~old_m, x1, 0.0),
        "old_product_served_market": np.where(entered & old_p & old_m, x1, 0.0),
        "old_product_new_market": np.where(entered & old_p & ~old_m, x1, 0.0),
        "extinction": np.where(x1 == 0, -x0, 0.0),
    }
    per = {name: np.bincount(e, weights=w, minlength=n_e) for name, w in {"x0": x0, "x1": x1, **parts}.items()}
    return with_shares(pl.DataFrame({exporter: levels[exporter], **per}), t0, t1, exporter)


def with_shares(components: pl.DataFrame, t0: int, t1: int, exporter: str = "exporter") -> pl.DataFrame:
    """``decompose``'s frame from the per-exporter sums ``x0, x1`` and the ``COMPONENTS`` (e.g. computed in
    the warehouse by ``sql/trade_outcomes/marts/export_margins.sql``): growth X1 - X0, each component's
    share of it in percent (null when X1 = X0) and the period; exporters with no exports in either year
    dropped."""
    out = components.filter((pl.col("x0") > 0) | (pl.col("x1") > 0))
    out = out.with_columns((pl.col("x1") - pl.col("x0")).alias("growth"))
    growth = pl.col("growth")
    shares = [pl.when(growth != 0).then(pl.col(c) / growth * 100.0).alias(f"share_{c}") for c in COMPONENTS]
    return (out.with_columns(*shares, pl.lit(t0).alias("t0"), pl.lit(t1).alias("t1"))
            .select(exporter, "t0", "t1", "x0", "x1", "growth", *COMPONENTS, *[f"share_{c}" for c in COMPONENTS])
            .sort(exporter))
