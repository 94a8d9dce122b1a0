"""Per-year marts recompute only the years whose inputs changed; the other years' rows are kept as built.

RCA, diversification, the Lall shares, export quality, ECI/PCI, trade openness and the sector x region
shares compute each year from that year's flows only (and the reference inputs: code lists, WDI,
GeoDist). When one BACI year is replaced or added, the other years' rows would come out the same, so
they stay in the mart's table as they are (:class:`~tcd_pipeline.warehouse.contracts.KeptRows`: only
the computed years' rows are deleted and written again) instead of being computed again. A year's
rows are kept only when everything they were computed from is the same, recorded per year in
``meta.mart_years`` in the mart's own transaction:

- the fingerprint the manifest verified for ``clean/flows[year]`` and, read from the table itself,
  the year's row count and a hash of its values (rows changed by hand count as a change);
- the verified fingerprints of the reference inputs (``warehouse.plan.REFERENCE_ASSETS``);
- the code version of the mart's builder (its source, the core formulas and the SQL it reaches,
  the mart's declaration: :func:`tcd_pipeline.lib.code_versions.code_version`) and the settings.

Anything else (a first build, a mart table missing, an unknown year) computes the year.

PRODY's year depends on that year's flows and on the country set fixed across every year (an added or
replaced year can change the set, and then every year of PRODY); EXPY's year on that year's flows and
PRODY's rows of the year. Both keep a year when these are unchanged too (``extra``).

The export margins are built per period from its two end years only: a period is kept when the
inputs of both years are unchanged (``meta.mart_periods``, the same rule). The marts over the whole
panel (growth over periods, spells and survival) are always rebuilt whole: one year changes all their rows.
"""

import hashlib
from typing import Callable, Iterator

import duckdb
import polars as pl

from tcd_pipeline.lib.code_versions import code_version
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.contracts import KeptRows, Mart
from tcd_pipeline.warehouse.plan import REFERENCE_ASSETS
from tcd_pipeline.warehouse.sql import load_sql


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def flow_signatures(con: duckdb.DuckDBPyConnection, first: int, last: int) -> list[tuple[int, int, int]]:
    """(year, rows, hash of the values) of every year of clean.flows from ``first`` to ``last``."""
    return con.execute(load_sql("trade_outcomes/inputs/flow_year_signatures"), {"first": first, "last": last}).fetchall()


def flow_inputs(con: duckdb.DuckDBPyConnection) -> dict[int, tuple]:
    """year -> (verified fingerprint, rows, hash of the values) of every year of clean.flows with verified flows."""
    flows = manifest.verified(con, "clean/flows")
    signatures = flow_signatures(con, min(map(int, flows), default=0), max(map(int, flows), default=-1))
    return {int(year): (flows[str(year)], rows, digest) for year, rows, digest in signatures if str(year) in flows}


def year_inputs(con: duckdb.DuckDBPyConnection, mart: Mart, builder: Callable, settings,
                flows: dict[int, tuple] | None = None, extra: dict[int, object] | None = None) -> dict[int, str]:
    """year -> a hash of what that year of ``mart`` is computed from (years with verified flows only);
    ``flows``: :func:`flow_inputs`, when already read for another mart of the same build; ``extra``: what else
    a year depends on, by year (e.g. PRODY's fixed country set, EXPY's PRODY of the year)."""
    reference = sorted((a, manifest.verified(con, a).get("", "")) for a in REFERENCE_ASSETS)
    common = repr((reference, code_version(builder), repr(mart), repr(settings)))
    extra = extra or {}
    return {year: hashlib.sha1(repr((common, *signature, extra.get(year))).encode()).hexdigest()
            for year, signature in (flow_inputs(con) if flows is None else flows).items()}


# the bookkeeping table of each unit a mart is rebuilt by, and a unit's key as the table's columns
_BOOKS = {"year": ("mart_years", lambda year: {"year": year}),
          "period": ("mart_periods", lambda period: {"year_start": period[0], "year_end": period[1]})}


def kept_years(con: duckdb.DuckDBPyConnection, mart: Mart, inputs: dict, unit: str = "year") -> set:
    """The years (``unit="period"``: the (first, last year) periods) of ``mart`` whose stored rows were computed
    from exactly ``inputs``."""
    table, _ = _BOOKS[unit]
    if not (_exists(con, "meta", table) and _exists(con, mart.schema, mart.name)):
        return set()
    rows = con.execute(load_sql(f"trade_outcomes/inputs/{table}_of"), {"mart": mart.name}).fetchall()
    stored = {(row[0] if len(row) == 2 else tuple(row[:-1])): row[-1] for row in rows}
    return {key for key, value in inputs.items() if stored.get(key) == value}


def kept_rows(mart: Mart, **key: int) -> KeptRows:
    """The stored rows of ``mart`` with these key values, left in place in the table by the new build
    (:func:`tcd_pipeline.warehouse.contracts.build_mart_from_frames`)."""
    return KeptRows(tuple((column, int(value)) for column, value in key.items()))


def record(con: duckdb.DuckDBPyConnection, mart: Mart, inputs: dict, unit: str = "year") -> None:
    """Record what every year (``unit="period"``: period) of ``mart`` was just built from (inside the mart's
    transaction)."""
    table, columns = _BOOKS[unit]
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(load_sql(f"trade_outcomes/inputs/{table}_table"))
    con.execute(load_sql(f"trade_outcomes/inputs/{table}_forget"), {"mart": mart.name})
    for key, value in sorted(inputs.items()):
        con.execute(load_sql(f"trade_outcomes/inputs/{table}_record"), {"mart": mart.name, **columns(key), "inputs": value})


def frames_by_year(con: duckdb.DuckDBPyConnection, mart: Mart, builder: Callable, settings, years: list[int],
                   compute: Callable[[int], Iterator[pl.DataFrame]], log,
                   extra: dict[int, object] | None = None) -> Iterator[pl.DataFrame]:
    """The mart's frames, year by year: its stored rows for a year whose inputs (with ``extra``, see
    :func:`year_inputs`) are unchanged, else ``compute(year)``; then records the inputs of every year (when the
    frames have all been read)."""
    inputs = year_inputs(con, mart, builder, settings, extra=extra)
    kept = kept_years(con, mart, inputs)
    if kept:
        log.info(f"{mart.table}: years {sorted(kept)} unchanged, their rows kept; computing "
                 f"{sorted(set(years) - kept) or 'none'}")
    for year in years:
        if year in kept:
            yield kept_rows(mart, year=year)
        else:
            yield from compute(year)
    record(con, mart, inputs)


def period_inputs(con: duckdb.DuckDBPyConnection, mart: Mart, builder: Callable, settings,
                  periods: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """(first, last year) -> a hash of what that period of ``mart`` is computed from: the inputs of its two
    years (:func:`year_inputs`); periods with a year without verified flows are left out."""
    years = year_inputs(con, mart, builder, settings)
    return {(t0, t1): hashlib.sha1(repr((years[t0], years[t1])).encode()).hexdigest()
            for t0, t1 in periods if t0 in years and t1 in years}


def frames_by_period(con: duckdb.DuckDBPyConnection, mart: Mart, builder: Callable, settings,
                     periods: list[tuple[int, int]], compute: Callable[[int, int], Iterator[pl.DataFrame]],
                     log) -> Iterator[pl.DataFrame]:
    """:func:`frames_by_year` for a mart keyed by ``year_start, year_end``: its stored rows for a period whose
    two years are unchanged, else ``compute(t0, t1)``; then records the inputs of every period."""
    inputs = period_inputs(con, mart, builder, settings, periods)
    kept = kept_years(con, mart, inputs, unit="period")
    if kept:
        log.info(f"{mart.table}: periods {sorted(kept)} unchanged, their rows kept; computing "
                 f"{sorted(set(periods) - kept) or 'none'}")
    for t0, t1 in periods:
        if (t0, t1) in kept:
            yield kept_rows(mart, year_start=t0, year_end=t1)
        else:
            yield from compute(t0, t1)
    record(con, mart, inputs, unit="period")
