"""The exporter x HS6 totals of each year, summed once in the warehouse and shared by the marts that need them.

RCA, the Lall shares, PRODY, EXPY, ECI/PCI and diversification all start from the same table: the
year's flows summed over destinations (``sql/trade_outcomes/inputs/exports_by_product.sql``, a GROUP BY
of about ten million flows a year at full scale, about 0.8 million totals). The first mart that asks for
a year sums it into ``work.exports_by_product``; every other mart, in this build and the next ones, reads
the stored totals back (one year at a time, so memory holds one year's totals, not the panel's).

A year's stored totals are used only when they were summed from the rows ``clean.flows`` holds now:
``work.exports_by_product_years`` records, per year, the fingerprint the manifest verified for
``clean/flows[year]`` and the year's row count and value hash (read again on every request, one scan of
one column), and the totals' own row count and hash (a stored total changed by hand is summed again).
A year re-ingested, or rows changed by hand on either side, is summed again.

Written inside the transaction of the mart that asks first: a mart whose gate fails rolls its new totals
back with its rows, and the next build sums them again.
"""

import duckdb
import polars as pl

from tcd_pipeline.defs.trade_outcomes.year_reuse import flow_signatures
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.sql import load_sql

STATEMENT = "trade_outcomes/inputs/exports_by_product"
TABLE = "work.exports_by_product"


def _stored(con: duckdb.DuckDBPyConnection, first: int, last: int) -> dict[int, tuple]:
    """year -> (flows fingerprint, rows, value hash) of every stored year whose totals are intact."""
    rows = con.execute(load_sql("trade_outcomes/inputs/exports_by_product_signatures"),
                       {"first": first, "last": last}).fetchall()
    return {year: (flows, n_rows, digest) for year, flows, n_rows, digest, intact in rows if intact}


def ensure(con: duckdb.DuckDBPyConnection, years: list[int]) -> list[int]:
    """Sum into ``work.exports_by_product`` every year of ``years`` whose stored totals are missing or were
    summed from other flows; returns the years summed now."""
    if not years:
        return []
    con.execute(load_sql("trade_outcomes/inputs/exports_by_product_tables"))
    first, last = min(years), max(years)
    verified = manifest.verified(con, "clean/flows")
    current = {year: (verified.get(str(year), ""), rows, digest)
               for year, rows, digest in flow_signatures(con, first, last)}
    wanted = {year: current.get(year, ("", 0, None)) for year in sorted(set(years))}  # no flows: nothing to sum
    stored = _stored(con, first, last)
    summed = [year for year, signature in wanted.items() if stored.get(year) != signature]
    for year in summed:
        flows, rows, digest = wanted[year]
        con.execute(f"DELETE FROM {TABLE} WHERE year = $year", {"year": year})
        con.execute(f"DELETE FROM {TABLE}_years WHERE year = $year", {"year": year})
        con.execute(f"INSERT INTO {TABLE} SELECT year, exporter, hs6, value_usd FROM ({load_sql(STATEMENT)})",
                    {"year": year})
        total_rows, totals_hash = con.execute(
            f"SELECT count(*), bit_xor(hash(exporter, hs6, value_usd)) FROM {TABLE} WHERE year = $year",
            {"year": year}).fetchone()
        con.execute(f"INSERT INTO {TABLE}_years VALUES ($year, $flows, $rows, $digest, $total_rows, $totals_hash)",
                    {"year": year, "flows": flows, "rows": rows, "digest": digest, "total_rows": total_rows,
                     "totals_hash": totals_hash})
    return summed


def exports_by_product(con: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """year, exporter, hs6, value_usd of ``year`` (the statement's result), summed once and stored."""
    ensure(con, [year])
    return con.execute(load_sql("trade_outcomes/inputs/exports_by_product_of_year"), {"year": year}).pl()


def exporter_totals(con: duckdb.DuckDBPyConnection, years: list[int]) -> pl.DataFrame:
    """year, exporter, value_usd: each exporter's exports of each of ``years``, from the stored totals."""
    if not years:
        return pl.DataFrame(schema={"year": pl.Int16, "exporter": pl.Utf8, "value_usd": pl.Float64})
    ensure(con, years)
    frame = con.execute(load_sql("trade_outcomes/inputs/exporter_totals"),
                        {"first": min(years), "last": max(years)}).pl()
    return frame.filter(pl.col("year").is_in(years))
