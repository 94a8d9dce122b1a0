"""Orientation and growth (METHODS.md section 1; report section 2.1, Tables 1-3).

- Share of a part in its total, in percent: ``share = part / total x 100``.
- Compound annual growth rate between years t0 and t1 (Table 1 of the report)::

      CAGR = (X1 / X0) ^ (1 / (t1 - t0)) - 1

  Check: oil and gas 4,350 -> 64,486 over 2000-2012 gives 25.2 %; 64,486 -> 42,738 over
  2012-2018 gives -6.6 %.

Every function works on all exporters and years at once (group-bys, no per-country loops) and
takes column names as arguments, so the same calls serve goods by sector (Table 1), goods by
destination region (Table 2) and services by category (Table 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import polars as pl


def cagr(x0: float, x1: float, t0: int, t1: int) -> float | None:
    """Compound annual growth rate as a fraction: ``(x1 / x0) ** (1 / (t1 - t0)) - 1``.

    None when ``x0`` is not positive, ``x1`` is negative or ``t1 == t0`` (undefined).
    """
    if x0 is None or x1 is None or x0 <= 0 or x1 < 0 or t1 == t0:
        return None
    return (x1 / x0) ** (1.0 / (t1 - t0)) - 1.0


def cagr_expr(x0: str | pl.Expr, x1: str | pl.Expr, years: int) -> pl.Expr:
    """Polars expression of :func:`cagr` in percent (null where x0 <= 0 or x1 < 0)."""
    a = pl.col(x0) if isinstance(x0, str) else x0
    b = pl.col(x1) if isinstance(x1, str) else x1
    growth = ((b / a) ** (1.0 / years) - 1.0) * 100.0
    return pl.when((a > 0) & (b >= 0)).then(growth).otherwise(None)


def share(frame: pl.DataFrame, value: str = "value_usd", by: Sequence[str] = (),
          name: str = "share") -> pl.DataFrame:
    """Add ``name`` = value / sum(value within ``by``) x 100 (percent; null when the total is 0)."""
    total = pl.col(value).sum().over(by) if by else pl.col(value).sum()
    return frame.with_columns(
        pl.when(total != 0).then(pl.col(value) / total * 100.0).otherwise(None).alias(name)
    )


def exports_by(flows: pl.DataFrame, group: str, by: Sequence[str] = ("exporter", "year"),
               value: str = "value_usd") -> pl.DataFrame:
    """Exports by ``group`` (a sector or region column) with each group's share of the total.

    Returns ``by + [group, value, "share"]``, share in percent of the ``by`` total, sorted.
    ``flows`` carries ``group`` already (see :mod:`tcd_pipeline.core.classifications`).
    """
    keys = [*by, group]
    out = flows.group_by(keys).agg(pl.col(value).sum())
    return share(out, value, by).sort(keys)


def growth_table(values: pl.DataFrame, group: str, years: Sequence[int],
                 by: Sequence[str] = ("exporter",), value: str = "value_usd", year: str = "year",
                 pairs: Sequence[tuple[int, int]] | None = None, total_label: str = "Total",
                 totals: pl.DataFrame | None = None) -> pl.DataFrame:
    """The report's growth tables: value and share in each year, CAGR between pairs of years.

    ``values`` has one row per ``by x year x group`` (e.g. the output of :func:`exports_by`).
    For each ``by`` key and group (plus a ``total_label`` row summing all groups) the result has
    ``value_<y>`` and ``share_<y>`` (percent of the total) for every year in ``years`` and
    ``cagr_<t0>_<t1>`` in percent for every pair (default: consecutive ``years``). A group absent
    in a year the key reports counts as 0; a null value (reported missing) stays null. Table 1 is
    ``growth_table(exports_by(flows_with_sectors, "sector"), "sector", [2000, 2012, 2018])``;
    Table 2 the same with regions. ``totals`` (``by + [year,
    value]``), when given, replaces the sum of the groups as the total row and share base (a
    published total that includes items not shown).
    """
    years = sorted(int(y) for y in years)
    pairs = list(pairs) if pairs is not None else list(pairwise(years))
    keys = [*by, group]
    # a reported-missing value (null) stays unknown: NaN through the pivot, null again after
    known = pl.when(pl.col(value).is_not_null().any()).then(pl.col(value).sum()).otherwise(float("nan"))
    base = (values.filter(pl.col(year).is_in(years))
            .group_by([*keys, year]).agg(known.cast(pl.Float64).alias(value)))
    if totals is None:
        totals = base.group_by([*by, year]).agg(pl.col(value).sum())
    else:
        totals = (totals.filter(pl.col(year).is_in(years)).group_by([*by, year]).agg(pl.col(value).sum())
                  .with_columns(pl.col(year).cast(base.schema[year])))
    totals = totals.with_columns(pl.lit(total_label).cast(base.schema[group]).alias(group))
    long = pl.concat([base, totals.select(base.columns)])
    wide = long.pivot(on=year, index=keys, values=value)
    for y in years:
        if str(y) not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(str(y)))
    is_total = pl.col(group) == total_label

    def over(expr: pl.Expr) -> pl.Expr:
        return expr.over(by) if by else expr

    # a group absent in a year the by-key reports counts as 0; a year it does not report stays null
    total_of = {y: over(pl.col(str(y)).filter(is_total).first()) for y in years}
    wide = wide.with_columns(
        pl.when(total_of[y].is_not_null()).then(pl.col(str(y)).fill_null(0.0).fill_nan(None)).alias(f"value_{y}")
        for y in years
    ).drop([str(y) for y in years])
    shares = [
        pl.when(over(pl.col(f"value_{y}").filter(is_total).first()) != 0)
        .then(pl.col(f"value_{y}") / over(pl.col(f"value_{y}").filter(is_total).first()) * 100.0)
        .alias(f"share_{y}")
        for y in years
    ]
    growth = [cagr_expr(f"value_{a}", f"value_{b}", b - a).alias(f"cagr_{a}_{b}") for a, b in pairs]
    order = pl.when(is_total).then(1).otherwise(0)
    return (wide.with_columns(*shares, *growth)
            .sort([*by, order, pl.col(f"value_{years[-1]}")], descending=[False] * len(by) + [False, True],
                  nulls_last=True)
            .select(*keys, *[f"value_{y}" for y in years], *[f"share_{y}" for y in years],
                    *[f"cagr_{a}_{b}" for a, b in pairs]))


def services_growth(services: pl.DataFrame, years: Sequence[int], flow: str = "exports",
                    total_category: str = "S", by: Sequence[str] = ("iso3",),
                    value: str = "value_usd") -> pl.DataFrame:
    """Table 3: services by category (EBOPS 2010), value, share of total services and CAGR.

    ``services`` is the long frame of :func:`tcd_pipeline.sources.services.read_services`
    (``iso3, year, flow, category, category_label, value_usd``). Only the 12 EBOPS main items
    (``SA``-``SL``) are rows, so aggregates such as ``SOX`` are not double counted; the total row
    and the share base are the published total (category ``total_category``, UNCTAD's ``S``),
    which includes items that are missing or confidential, so shown shares may sum below 100.
    """
    rows = services.filter(pl.col("flow") == flow)
    main = rows.filter(pl.col("category").str.contains(r"^S[A-L]$"))
    total = rows.filter(pl.col("category") == total_category)
    return growth_table(main, "category_label", years, by=by, value=value, totals=total)


def growth_periods(values: pl.DataFrame, group: str, periods: Sequence[tuple[int, int]],
                   by: Sequence[str] = ("exporter",), value: str = "value_usd", year: str = "year",
                   total_label: str | None = "Total", carry: Sequence[str] = ()) -> pl.DataFrame:
    """Long growth table: one row per ``by`` x ``group`` x period (t0, t1) with the values in t0
    and t1 and CAGR in percent, ((x1/x0)^(1/(t1-t0)) - 1) x 100 (null unless x0 > 0 and x1 >= 0).

    A group present in only one of the two years keeps a null value for the other. With
    ``total_label``, a row per ``by`` x period sums every group. ``carry`` columns (e.g. a
    label) are kept from the group's rows.
    """
    keys = [*by, group]
    rows = values.select(*keys, year, value, *carry)
    if total_label is not None:
        totals = (rows.group_by([*by, year]).agg(pl.col(value).sum())
                  .with_columns(pl.lit(total_label).alias(group), *[pl.lit(total_label).alias(c) for c in carry]))
        rows = pl.concat([rows, totals.select(rows.columns)], how="vertical_relaxed")
    labels = rows.select(*keys, *carry).unique(subset=keys, keep="first") if carry else None
    out = []
    for t0, t1 in periods:
        start = rows.filter(pl.col(year) == t0).select(*keys, pl.col(value).alias("value_start_usd"))
        end = rows.filter(pl.col(year) == t1).select(*keys, pl.col(value).alias("value_end_usd"))
        period = start.join(end, on=keys, how="full", coalesce=True).with_columns(
            pl.lit(t0, dtype=pl.Int16).alias("year_start"), pl.lit(t1, dtype=pl.Int16).alias("year_end"),
            cagr_expr("value_start_usd", "value_end_usd", t1 - t0).alias("cagr_pct"))
        out.append(period)
    if not out:
        return pl.DataFrame()
    result = pl.concat(out)
    if labels is not None:
        result = result.join(labels, on=keys, how="left")
    return result.select(*keys, *carry, "year_start", "year_end", "value_start_usd", "value_end_usd", "cagr_pct").sort(
        [*keys, "year_start", "year_end"])
