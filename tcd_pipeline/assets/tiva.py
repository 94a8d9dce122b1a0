"""Inter-country input-output tables (raw ICIO) and TiVA marts (report chapter 3).

Assets:

- ``raw/icio`` (group raw, ingested with the reference job): reads every OECD ICIO year file the
  inventory finds (``ICIO*_{year}.csv[.gz]``, zip members too) with
  :func:`tcd_pipeline.sources.icio.read_icio`, which refuses malformed files (non-square or
  inconsistently labelled intermediate block, non-numeric cells, negative output, output that
  is not the row sum) naming the file and the row. It stores one row per table
  (``raw.icio_tables``) and one summary row per industry row of each table (``raw.icio_rows``:
  output, row and column totals, diagonal) and records the files' fingerprints. Its gate
  (``expectations/raw_icio.json``) re-checks on those summaries that the block is square, the
  labels consistent, output equals row sums, no output is negative, and that no column buys
  inputs worth its whole output (A's column sum >= 1 makes I - A singular or unproductive).
- ``tiva/decomposition`` (group tiva): reads the same files again, one year at a time, and runs
  :func:`tcd_pipeline.core.tiva.tiva_indicators` (one LU factorisation of I - A; a singular
  I - A fails the asset with a message naming the file, year and rows). The four tidy frames go
  to ``tiva.indicators``, ``tiva.fva_by_source``, ``tiva.dva_by_destination`` and
  ``tiva.participation``; its gate checks the accounting identities.
- ``marts/tiva_indicators``, ``tiva_fva_by_source``, ``tiva_dva_by_destination``,
  ``gvc_participation`` (SQL over ``tiva.*``) and ``dva_growth`` (by report sector, configured
  growth periods), each with its gate.

Why the matrices are not stored in DuckDB: an ICIO year has 3,645 x 4,100 cells (15 million;
about 120 MB in float64); a long table (year, row, column, value) over 20 years would be
hundreds of millions of rows for data that is only ever used whole, by one LU factorisation.
The published files are the storage: the raw asset keeps what the gates and plan need (about
3,600 small rows a year plus the fingerprints) and the decomposition re-reads the file, which
costs a second parse (a few seconds a year at ICIO size) but no second copy of the data. Memory
is one year at a time: the parsed grid, Z and I - A (factored in place) are each about 110 MB at
ICIO size, well under 1 GB in total. The decomposition refuses to run when the files changed
since ``raw/icio`` last passed its gate (so marts are never built from unchecked files).

No ICIO file (e.g. a real-data folder with only BACI): every table and mart is empty, with a
warning, not a failure (like ``raw/services``).

Conventions: ``taxes="value_added"`` (TLS counts as value added of the paying industry, so
EXGR_DVA + EXGR_FVA = EXGR) and gross output = the published OUT column; both are stated in
the mart column comments (``tcd_pipeline/marts/tiva.py``).
"""


import time

import dagster as dg
import numpy as np
import polars as pl

from tcd_pipeline import manifest, marts
from tcd_pipeline.assets.mart_factory import mart_asset, sql_mart
from tcd_pipeline.assets.metadata import table_metadata
from tcd_pipeline.core.leontief import SingularLeontiefError
from tcd_pipeline.core.tiva import tiva_indicators
from tcd_pipeline.core.tiva_sectors import dva_growth
from tcd_pipeline.plan import files_fingerprint
from tcd_pipeline.resources import RawInputs, Warehouse
from tcd_pipeline.settings import Settings
from tcd_pipeline.sources import InputFileError
from tcd_pipeline.sources.icio import read_icio, read_sector_map

M = marts.tiva
TAXES = "value_added"
OUTPUT = "published"
SECTOR_CLASSIFICATION = "oecd_icio"

TABLES_SCHEMA = {"year": pl.Int16, "source_file": pl.Utf8, "source": pl.Utf8, "regions": pl.Int32,
                 "countries": pl.Int32, "industries": pl.Int32, "block_rows": pl.Int32, "block_columns": pl.Int32,
                 "notes": pl.Utf8}
ROWS_SCHEMA = {"year": pl.Int16, "label": pl.Utf8, "region": pl.Utf8, "country": pl.Utf8, "industry": pl.Utf8,
               "output": pl.Float64, "row_total": pl.Float64, "z_row": pl.Float64, "z_column": pl.Float64,
               "z_diagonal": pl.Float64, "va": pl.Float64, "tls": pl.Float64, "final_demand": pl.Float64}
# tiva.<frame> -> the mart declaration whose columns the frame has (core.tiva.TivaResult)
FRAMES = {"indicators": M.TIVA_INDICATORS, "fva_by_source": M.TIVA_FVA_BY_SOURCE,
          "dva_by_destination": M.TIVA_DVA_BY_DESTINATION, "participation": M.GVC_PARTICIPATION}


def _fail(exc: Exception) -> dg.Failure:
    return dg.Failure(description=str(exc), metadata={"problem": str(exc)})


def _summaries(table, src) -> tuple[dict, pl.DataFrame]:
    Z, Y, x = table.Z, table.Y, table.x
    info = {"year": table.year, "source_file": str(src), "source": table.source, "regions": len(table.regions),
            "countries": len(table.countries), "industries": len(table.industries), "block_rows": Z.shape[0],
            "block_columns": Z.shape[1], "notes": "; ".join(table.notes)}
    labels = table.row_labels
    regions = np.repeat(np.array(table.regions), len(table.industries))
    rows = pl.DataFrame({
        "year": np.full(len(labels), table.year), "label": labels, "region": regions,
        "country": np.array(table.countries)[table.row_country], "industry": np.array(table.industries)[table.row_industry],
        "output": x, "row_total": Z.sum(axis=1) + Y.sum(axis=1), "z_row": Z.sum(axis=1), "z_column": Z.sum(axis=0),
        "z_diagonal": np.diag(Z).copy(), "va": table.va, "tls": table.tls, "final_demand": Y.sum(axis=1),
    }).cast(ROWS_SCHEMA)  # type: ignore[arg-type]
    return info, rows


@dg.asset(key_prefix="raw", group_name="raw", kinds={"duckdb"})
def icio(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse) -> dg.MaterializeResult:
    """OECD ICIO tables (ICIO*_{year}.csv[.gz], zip members): validated by the reader, one summary row per
    table (raw.icio_tables) and per industry row (raw.icio_rows); the matrices stay in the files."""
    sources = raw_inputs.inventory().icio
    if not sources:
        context.log.warning("no ICIO file (ICIO*_{year}.csv): raw.icio_rows is empty, so are the TiVA marts")
    infos, frames = [], []
    for year, src in sources.items():
        started = time.perf_counter()
        try:
            src.header()  # an empty file says so (the reader would only see a header without columns)
            table = read_icio(src, year=year, output=OUTPUT)
        except InputFileError as exc:
            raise _fail(exc) from exc
        info, rows = _summaries(table, src)
        infos.append(info)
        frames.append(rows)
        context.log.info(f"{src.name}: {table.size} rows, {len(table.countries)} countries in "
                         f"{time.perf_counter() - started:.1f} s")
        del table
    tables = pl.DataFrame(infos, schema=TABLES_SCHEMA) if infos else pl.DataFrame(schema=TABLES_SCHEMA)  # noqa: F841
    rows = pl.concat(frames) if frames else pl.DataFrame(schema=ROWS_SCHEMA)  # noqa: F841
    with warehouse.connect() as con:
        con.execute("BEGIN")
        con.execute("CREATE OR REPLACE TABLE raw.icio_tables AS SELECT * FROM tables")
        con.execute("CREATE OR REPLACE TABLE raw.icio_rows AS SELECT * FROM rows")
        manifest.record(con, "raw/icio", "", ", ".join(map(str, sources.values())),
                        files_fingerprint(list(sources.values())), len(infos))
        con.execute("COMMIT")
        meta = table_metadata(con, "raw.icio_rows")
    return dg.MaterializeResult(metadata={**meta, "years": ", ".join(map(str, sources)) or "none",
                                          "source_files": ", ".join(s.name for s in sources.values()) or "none"})


def _create_frames(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS tiva")
    for name, mart in FRAMES.items():
        columns = ", ".join(f'"{c.name}" {c.type}' for c in mart.columns)
        con.execute(f"CREATE OR REPLACE TABLE tiva.{name} ({columns})")


@dg.asset(key_prefix="tiva", group_name="tiva", kinds={"duckdb", "numpy"}, deps=[icio])
def decomposition(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse) -> dg.MaterializeResult:
    """Leontief decomposition of every ICIO year (core.tiva, taxes as value added, published output) into
    tiva.indicators, tiva.fva_by_source, tiva.dva_by_destination and tiva.participation."""
    sources = raw_inputs.inventory().icio
    fingerprint = files_fingerprint(list(sources.values()))
    with warehouse.connect() as con:
        verified = manifest.verified(con, "raw/icio").get("")
        if verified != fingerprint:
            raise dg.Failure(f"tiva/decomposition: the ICIO files changed since raw/icio last passed its gate "
                             f"({', '.join(s.name for s in sources.values()) or 'none now'}); run ingest_reference_job")
        if not sources:
            context.log.warning("no ICIO file: the TiVA tables are empty")
        con.execute("BEGIN")
        try:
            _create_frames(con)
            for year, src in sources.items():
                started = time.perf_counter()
                try:
                    result = tiva_indicators(read_icio(src, year=year, output=OUTPUT), taxes=TAXES)
                except (InputFileError, SingularLeontiefError) as exc:
                    raise _fail(exc) from exc
                for name, mart in FRAMES.items():
                    part = getattr(result, name).select([c.name for c in mart.columns])  # noqa: F841
                    con.execute(f"INSERT INTO tiva.{name} SELECT * FROM part")
                context.log.info(f"{src.name}: decomposed in {time.perf_counter() - started:.1f} s")
            rows = con.execute("SELECT count(*) FROM tiva.indicators").fetchone()[0]
            manifest.record(con, "tiva/decomposition", "", ", ".join(map(str, sources.values())), fingerprint, rows)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        meta = table_metadata(con, "tiva.indicators")
    return dg.MaterializeResult(metadata={**meta, "taxes": TAXES, "output": OUTPUT,
                                          "years": ", ".join(map(str, sources)) or "none"})


tiva_indicators_mart = sql_mart(M.TIVA_INDICATORS, deps=[decomposition])
tiva_fva_by_source = sql_mart(M.TIVA_FVA_BY_SOURCE, deps=[decomposition])
tiva_dva_by_destination = sql_mart(M.TIVA_DVA_BY_DESTINATION, deps=[decomposition])
gvc_participation = sql_mart(M.GVC_PARTICIPATION, deps=[decomposition])


def _build_dva_growth(con, settings: Settings, log) -> int:
    indicators = con.execute(f"SELECT * FROM {M.TIVA_INDICATORS.table}").pl()
    years = set(indicators["year"].unique().to_list())
    if not years:
        log.warning(f"{M.DVA_GROWTH.table}: no ICIO table, no DVA growth")
        return marts.build_mart_from_frames(con, M.DVA_GROWTH, [])
    sectors = read_sector_map(SECTOR_CLASSIFICATION)

    def frames():
        for t0, t1 in settings.growth_periods:
            if not {t0, t1} <= years:
                log.warning(f"{M.DVA_GROWTH.table}: growth period {t0}-{t1} skipped: no ICIO table for "
                            f"{sorted({t0, t1} - years)} (ICIO years: {sorted(years)}; settings.growth_periods / "
                            f"$TCD_GROWTH_PERIODS)")
                continue
            yield dva_growth(indicators, sectors, t0, t1)
    return marts.build_mart_from_frames(con, M.DVA_GROWTH, frames())


dva_growth_mart = mart_asset(M.DVA_GROWTH, [tiva_indicators_mart], _build_dva_growth)

RAW_ASSETS: list = [icio]  # ingested with the reference job
ASSETS: list = [decomposition, tiva_indicators_mart, tiva_fva_by_source, tiva_dva_by_destination, gvc_participation,
                dva_growth_mart]
