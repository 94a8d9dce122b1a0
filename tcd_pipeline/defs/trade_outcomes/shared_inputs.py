"""The exporter x HS6 totals of a year, read once per process and shared by the marts that need them.

RCA, the Lall shares, PRODY, EXPY and ECI/PCI all start from the same table: the year's flows
summed over destinations (``sql/trade_outcomes/inputs/exports_by_product.sql``, a GROUP BY of
about ten million flows a year at full scale). ``make run`` builds a chapter's marts in one
process, one after the other, so each year's totals are computed once there and handed to every
mart that asks, instead of once per mart (five GROUP BYs a year become one).

A frame is reused only for the same warehouse file, year and rows: its key holds the fingerprint
the manifest verified for ``clean/flows[year]`` and, read again on every request (one scan of one
column), the year's row count and a hash of its values. A year re-ingested or rows changed by
hand are read again. The cache holds at most :data:`MAX_BYTES` (the oldest years dropped first).
"""

from collections import OrderedDict

import duckdb
import polars as pl

from tcd_pipeline.defs.trade_outcomes.year_reuse import flow_signatures
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.sql import load_sql

STATEMENT = "trade_outcomes/inputs/exports_by_product"
MAX_BYTES = 2_000_000_000  # at full scale about 35 MB a year: a 29-year panel fits
_CACHE: "OrderedDict[tuple, pl.DataFrame]" = OrderedDict()


def _key(con: duckdb.DuckDBPyConnection, year: int) -> tuple:
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    (_, rows, digest), = flow_signatures(con, year, year) or [(year, 0, None)]
    return path, year, manifest.verified(con, "clean/flows").get(str(year), ""), rows, digest


def exports_by_product(con: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """year, exporter, hs6, value_usd of ``year`` (the statement's result), from the cache when the rows are the same."""
    key = _key(con, year)
    if key[0] and key in _CACHE:  # an in-memory database has no path: never cached
        _CACHE.move_to_end(key)
        return _CACHE[key]
    frame = con.execute(load_sql(STATEMENT), {"year": year}).pl()
    if key[0]:
        for stale in [k for k in _CACHE if k[:2] == key[:2]]:  # the same year, other rows: never asked again
            del _CACHE[stale]
        _CACHE[key] = frame
        while sum(f.estimated_size() for f in _CACHE.values()) > MAX_BYTES and len(_CACHE) > 1:
            _CACHE.popitem(last=False)
    return frame


def clear() -> None:
    _CACHE.clear()
