"""Revealed comparative advantage (Balassa 1965; METHODS.md section 1).

    RCA(c, p, t) = (x_cpt / X_ct) / (x_wpt / X_wt)

x_cpt exports of country c in product p (summed over destinations), X_ct its total exports,
x_wpt and X_wt the same for the world, w = all exporters in the data (or a ``world`` frame of
world totals when the data hold only some exporters, as in an extract).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def rca(flows: pl.DataFrame, exporter: str = "exporter", product: str = "hs6",
        by: Sequence[str] = ("year",), value: str = "value_usd",
        world: pl.DataFrame | None = None) -> pl.DataFrame:
    """Balassa RCA of every exporter x product (x ``by``, e.g. year) with positive exports.

    Returns ``by + [exporter, product, value, "rca"]``. ``world``, when given, has
    ``by + [product, value]`` (world exports by product) and replaces the sum over the
    exporters of ``flows`` as the denominator; its total over products is X_w.
    """
    by = list(by)
    x = (flows.group_by([*by, exporter, product]).agg(pl.col(value).sum())
         .filter(pl.col(value) > 0))
    if world is None:
        world = x.group_by([*by, product]).agg(pl.col(value).sum())
    else:
        world = world.group_by([*by, product]).agg(pl.col(value).sum())
    world = world.select(*by, product, pl.col(value).alias("_xw"),
                         (pl.col(value).sum().over(by) if by else pl.col(value).sum()).alias("_Xw"))
    country_total = pl.col(value).sum().over([*by, exporter])
    out = x.join(world, on=[*by, product], how="left")
    return (out.with_columns(((pl.col(value) / country_total) / (pl.col("_xw") / pl.col("_Xw"))).alias("rca"))
            .drop("_xw", "_Xw").sort([*by, exporter, product]))
