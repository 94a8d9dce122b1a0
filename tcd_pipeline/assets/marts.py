"""Marts layer: indicator tables for BI tools, each built by one SQL statement or core function,
declared in tcd_pipeline.marts (columns, units, COMMENTs), gated, then published together."""

import time

import dagster as dg

from tcd_pipeline import manifest, marts
from tcd_pipeline.assets import clean
from tcd_pipeline.assets.metadata import table_metadata
from tcd_pipeline.publish import publish
from tcd_pipeline.resources import PublishedMarts, Warehouse
from tcd_pipeline.sql import load_sql


def _mart_result(con, mart: marts.Mart, rows: int, seconds: float) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            **table_metadata(con, mart.table),
            "grain": mart.grain,
            "seconds": round(seconds, 2),
            "dagster/column_schema": dg.TableSchema(
                columns=[dg.TableColumn(c.name, c.type, description=c.comment()) for c in mart.columns]
            ),
        }
    )


def sql_mart(mart: marts.Mart, deps: list) -> dg.AssetsDefinition:
    """An asset that builds ``marts.<name>`` from ``sql/marts/<name>.sql``."""

    @dg.asset(name=mart.name, key_prefix="marts", group_name="marts", kinds={"duckdb"}, deps=deps,
              description=f"{mart.description} Grain: {mart.grain}.")
    def _mart(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        started = time.perf_counter()
        with warehouse.connect() as con:
            rows = marts.build_mart(con, mart, load_sql(f"marts/{mart.name}"))
            seconds = time.perf_counter() - started
            context.log.info(f"{mart.table}: {rows:,} rows in {seconds:.1f} s")
            return _mart_result(con, mart, rows, seconds)

    return _mart


trade_openness = sql_mart(marts.trade.TRADE_OPENNESS, deps=[clean.flows, clean.macro])

MART_ASSETS = [trade_openness]


@dg.asset(key_prefix="publish", group_name="publish", kinds={"duckdb"}, deps=MART_ASSETS)
def marts_file(context: dg.AssetExecutionContext, warehouse: Warehouse, published_marts: PublishedMarts):
    """The published marts file BI tools read: a complete copy of every gated mart, swapped in atomically."""
    target = published_marts.resolved_path()
    with warehouse.connect() as con:
        fingerprint = ";".join(f"{a}={fp}" for a, fp in sorted(manifest.fingerprints(con, "job/flows_job").items()))
        result = publish(con, marts.ALL.values(), target, fingerprint)
    context.log.info(f"published {len(result.tables)} marts to {target} as version {result.version} "
                     f"in {result.seconds:.1f} s")
    return dg.MaterializeResult(
        metadata={
            "path": str(target),
            "version": result.version,
            "tables": dg.MetadataValue.json(result.tables),
            "seconds": round(result.seconds, 2),
        }
    )


assets = [*MART_ASSETS, marts_file]
