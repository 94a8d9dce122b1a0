"""Publication: the published marts file BI tools read (see tcd_pipeline/publish.py)."""

import dagster as dg

from tcd_pipeline import manifest, marts
from tcd_pipeline.assets import survival, tiva, trade_outcomes
from tcd_pipeline.assets.mart_factory import inputs_fingerprint, unverified_marts
from tcd_pipeline.publish import publish
from tcd_pipeline.resources import PublishedMarts, Warehouse

MART_ASSETS = [*trade_outcomes.ASSETS, *survival.ASSETS, *tiva.ASSETS]


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
