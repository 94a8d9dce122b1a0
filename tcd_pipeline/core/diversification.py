"""Export diversification and concentration (METHODS.md section 2; report section 2.2).

For an exporter in a year, with s_i = x_i / X the share of product (HS6 line) or market
(destination) i among the N lines with positive exports:

    HHI   = sum_i s_i^2                          in [1/N, 1]   (shares in 0..1)
    HHI*  = (HHI - 1/N) / (1 - 1/N)              in [0, 1];  null when N = 1
    top-5 = sum of the five largest s_i x 100    (percent)

N is the number of active lines of the dimension: n_products for the product HHI*, n_markets
for the market HHI* (Herfindahl 1950, Hirschman 1964; the normalisation as in the WITS / TCD
toolkit). Products are HS6 lines with positive exports summed over destinations; markets are
destinations with positive exports summed over products.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def concentration(totals: pl.DataFrame, keys: Sequence[str], value: str, prefix: str,
                  top: int = 5, line: str | None = None) -> pl.DataFrame:
    """``n_<prefix>``, ``hhi_<prefix>``, ``hhi_<prefix>_norm``, ``top5_<line>_share`` per ``keys``.

    ``totals`` has one row per key x line with the line's value (lines with value <= 0 ignored);
    ``line`` names one line in the top-share column (default ``prefix``: ``top5_products_share``).
    """
    keys = list(keys)
    top_share = f"top{top}_{line or prefix}_share"
    s = pl.col(value) / pl.col(value).sum()
    n = pl.len().alias(f"n_{prefix}")
    out = (totals.filter(pl.col(value) > 0).group_by(keys)
           .agg(n, (s**2).sum().alias(f"hhi_{prefix}"),
                (s.top_k(top).sum() * 100.0).alias(top_share)))
    nn, hhi = pl.col(f"n_{prefix}"), pl.col(f"hhi_{prefix}")
    return out.with_columns(
        pl.when(nn > 1).then((hhi - 1.0 / nn) / (1.0 - 1.0 / nn)).otherwise(None).alias(f"hhi_{prefix}_norm")
    ).select(*keys, f"n_{prefix}", f"hhi_{prefix}", f"hhi_{prefix}_norm", top_share)


def diversification(flows: pl.DataFrame, exporter: str = "exporter", product: str = "hs6",
                    market: str = "importer", by: Sequence[str] = ("year",),
                    value: str = "value_usd", top: int = 5) -> pl.DataFrame:
    """Product and market diversification of every exporter x ``by`` (e.g. year), from bilateral flows.

    Returns ``by + [exporter, value, n_products, hhi_products, hhi_products_norm,
    top5_product_share, n_markets, hhi_markets, hhi_markets_norm, top5_market_share]`` (the columns
    of ``marts.diversification``; ``top5`` is ``top<top>`` for another ``top``).
    """
    keys = [*by, exporter]
    return diversification_of_totals(flows.group_by([*keys, product]).agg(pl.col(value).sum()),
                                     flows.group_by([*keys, market]).agg(pl.col(value).sum()),
                                     exporter, by, value, top)


def diversification_of_totals(products: pl.DataFrame, markets: pl.DataFrame, exporter: str = "exporter",
                              by: Sequence[str] = ("year",), value: str = "value_usd", top: int = 5) -> pl.DataFrame:
    """:func:`diversification` from the flows already summed: ``products`` has one row per ``by`` x
    exporter x product (x_i summed over destinations), ``markets`` one per ``by`` x exporter x market
    (summed over products). The exporter's total X is the sum of its positive product lines."""
    keys = [*by, exporter]
    total = products.filter(pl.col(value) > 0).group_by(keys).agg(pl.col(value).sum())
    return (total.join(concentration(products, keys, value, "products", top, line="product"), on=keys, how="left")
            .join(concentration(markets, keys, value, "markets", top, line="market"), on=keys, how="left")
            .sort(keys))
