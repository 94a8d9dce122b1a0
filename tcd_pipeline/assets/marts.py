"""Marts layer: indicator tables for BI tools, each built by one SQL statement or core function,
declared in tcd_pipeline.marts (columns, units, COMMENTs), gated, then published together."""

import time

import dagster as dg

from tcd_pipeline import manifest, marts
from tcd_pipeline.assets import clean
from tcd_pipeline.assets.metadata import table_metadata
from tcd_pipeline.plan import REFERENCE_ASSETS, marts_fingerprint
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


def inputs_fingerprint(con) -> str:
    """The verified clean inputs every mart is built from (see tcd_pipeline.plan)."""
    reference = {a: manifest.verified(con, a).get("", "") for a in REFERENCE_ASSETS}
    return marts_fingerprint(reference, manifest.verified(con, "clean/flows"))


def unverified_marts(con) -> list[str]:
    """Marts whose last build did not pass its gate (or was never built)."""
    bad = []
    for name in marts.ALL:
        built = manifest.fingerprints(con, f"marts/{name}").get("")
        if built is None or manifest.verified(con, f"marts/{name}").get("") != built:
            bad.append(f"marts.{name}")
    return bad


def sql_mart(mart: marts.Mart, deps: list) -> dg.AssetsDefinition:
    """An asset that builds ``marts.<name>`` from ``sql/marts/<name>.sql``."""

    @dg.asset(name=mart.name, key_prefix="marts", group_name="marts", kinds={"duckdb"}, deps=deps,
              description=f"{mart.description} Grain: {mart.grain}.")
    def _mart(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
        started = time.perf_counter()
        with warehouse.connect() as con:
            rows = marts.build_mart(con, mart, load_sql(f"marts/{mart.name}"))
            manifest.record(con, f"marts/{mart.name}", "", "clean layer", inputs_fingerprint(con), rows)
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
        # the gates block publication inside a run; this also holds across runs (a publish_job
        # launched by hand after a mart failed its gate in another run publishes nothing)
        if bad := unverified_marts(con):
            raise dg.Failure(f"not publishing: {', '.join(bad)} did not pass its gate; "
                             f"the published file {target} is unchanged")
        fingerprint = inputs_fingerprint(con)
        result = publish(con, marts.ALL.values(), target, fingerprint)
        manifest.record(con, "publish/marts_file", "", str(target), fingerprint, sum(result.tables.values()))
        manifest.verify(con, "publish/marts_file")
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
