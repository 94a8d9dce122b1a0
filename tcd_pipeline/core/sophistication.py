"""PRODY and EXPY (Hausmann, Hwang and Rodrik 2007, "What you export matters", J. Econ. Growth 12).

    PRODY_kt = sum_j [ (x_jkt / X_jt) / sum_i (x_ikt / X_it) ] * Y_jt
    EXPY_jt  = sum_k (x_jkt / X_jt) * PRODY_kt

x_jkt exports of country j in product k (summed over destinations), X_jt its total exports,
Y_jt GDP per capita (current USD, ``clean.macro.gdp_pc_usd``). PRODY is an income level weighted
by revealed comparative advantage; EXPY the export-weighted PRODY of a country's basket.

Fixed country set (METHODS.md section 3): PRODY is computed from the countries that have
positive exports and a GDP per capita in every year analysed (``fixed_country_set``), so a
product's PRODY does not move because coverage changes. EXPY is computed for every exporter,
over the products that have a PRODY; the export shares are renormalised over those products
(``coverage`` reports the share of the exporter's exports they hold), so EXPY stays within
[min PRODY, max PRODY].
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl


def _products(flows: pl.DataFrame, exporter: str, product: str, year: str, value: str) -> pl.DataFrame:
    x = flows.group_by([year, exporter, product]).agg(pl.col(value).sum()).filter(pl.col(value) > 0)
    return x.with_columns((pl.col(value) / pl.col(value).sum().over([year, exporter])).alias("_s"))


def fixed_country_set(flows: pl.DataFrame, gdp_pc: pl.DataFrame, years: Iterable[int] | None = None,
                      exporter: str = "exporter", year: str = "year", value: str = "value_usd",
                      iso3: str = "iso3", gdp_col: str = "gdp_pc_usd") -> list[str]:
    """Countries with positive exports and a positive GDP per capita in every one of ``years``.

    ``years`` defaults to every year present in ``flows``.
    """
    years = sorted(set(flows[year].unique().to_list()) if years is None else {int(y) for y in years})
    exporting = (flows.filter(pl.col(year).is_in(years)).group_by(exporter, year).agg(pl.col(value).sum())
                 .filter(pl.col(value) > 0).select(pl.col(exporter).alias("_c"), pl.col(year).cast(pl.Int32)))
    income = gdp_pc.filter(pl.col(year).is_in(years) & (pl.col(gdp_col) > 0)).select(
        pl.col(iso3).alias("_c"), pl.col(year).cast(pl.Int32))
    both = exporting.join(income, on=["_c", year], how="inner")
    full = both.group_by("_c").agg(pl.col(year).n_unique().alias("_n")).filter(pl.col("_n") == len(years))
    return sorted(full["_c"].to_list())


def prody(flows: pl.DataFrame, gdp_pc: pl.DataFrame, countries: Iterable[str] | None = None,
          exporter: str = "exporter", product: str = "hs6", year: str = "year", value: str = "value_usd",
          iso3: str = "iso3", gdp_col: str = "gdp_pc_usd") -> pl.DataFrame:
    """PRODY of every product and year: ``year, product, prody, n_exporters``.

    ``countries`` (default :func:`fixed_country_set` over the years of ``flows``) are the
    exporters whose baskets and incomes define PRODY.
    """
    if countries is None:
        countries = fixed_country_set(flows, gdp_pc, None, exporter, year, value, iso3, gdp_col)
    countries = list(countries)
    x = _products(flows.filter(pl.col(exporter).is_in(countries)), exporter, product, year, value)
    y = gdp_pc.select(pl.col(iso3).alias(exporter), pl.col(year).cast(x.schema[year]), pl.col(gdp_col).alias("_y"))
    x = x.join(y, on=[exporter, year], how="inner").filter(pl.col("_y") > 0)
    weight = pl.col("_s") / pl.col("_s").sum()
    return (x.group_by(year, product).agg((weight * pl.col("_y")).sum().alias("prody"),
                                          pl.len().alias("n_exporters"))
            .sort(year, product))


def expy(flows: pl.DataFrame, prody_frame: pl.DataFrame, exporter: str = "exporter", product: str = "hs6",
         year: str = "year", value: str = "value_usd") -> pl.DataFrame:
    """EXPY of every exporter and year: ``year, exporter, expy, coverage`` (coverage in 0..1).

    Products without a PRODY in the year are left out and the shares renormalised over the rest;
    an exporter none of whose products has a PRODY has no EXPY (no row, rather than 0/0).
    """
    x = _products(flows, exporter, product, year, value)
    p = prody_frame.select(year, product, "prody").with_columns(pl.col(year).cast(x.schema[year]))
    x = x.join(p, on=[year, product], how="left")
    covered = pl.col("prody").is_not_null()
    return (x.group_by(year, exporter).agg(
                ((pl.col("_s") * pl.col("prody")).filter(covered).sum()
                 / pl.col("_s").filter(covered).sum()).alias("expy"),
                pl.col("_s").filter(covered).sum().alias("coverage"))
            .filter(pl.col("coverage") > 0)
            .sort(year, exporter))
