"""Publication: the published marts file BI tools read (see tcd_pipeline/defs/publication/bi_file.py)."""

import dagster as dg

from tcd_pipeline.defs.catalog import ALL, DIMS
from tcd_pipeline.defs.publication import meta
from tcd_pipeline.defs.publication.bi_file import publish
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.mart_assets import built_for, inputs_fingerprint, run_build
from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts, RawInputs, Warehouse
from tcd_pipeline.report.tables import materialize
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.plan import PUBLISHED_FILE, make_plan, published_stamp

MART_KEYS = [dg.AssetKey(["marts", name]) for name in ALL]
DIM_KEYS = [dg.AssetKey(["dim", name]) for name in DIMS]


def unverified_marts(con, build: str | None = None) -> list[str]:
    """Marts not verified for the current clean layer: never built, or last built (and gated) from
    other verified inputs than today's (e.g. a rebuild that failed its gate kept the older mart); with
    ``build`` (:func:`tcd_pipeline.lib.code_versions.build_digest`), also those built with other code or
    settings. ``None``: any build will do (a publication launched by hand)."""
    current = inputs_fingerprint(con)
    return [f"marts.{name}" for name in ALL
            if not built_for(manifest.verified(con, f"marts/{name}").get(""), current, build)]


def unverified_dims(con, build: str | None = None) -> list[str]:
    """Dimension tables not verified for the current clean layer (built by the publish job, before the file)."""
    current = inputs_fingerprint(con)
    return [d.table for d in DIMS.values() if not built_for(manifest.verified(con, f"dim/{d.name}").get(""), current, build)]


def _refusal(con, raw_inputs: RawInputs) -> str:
    """Why the marts in the warehouse must not be published now ("" when they may)."""
    # the gates block publication inside a run; this also holds across runs (a publish_job launched
    # by hand after a mart failed its gate, or after another run changed the clean layer)
    if bad := unverified_marts(con):
        return (f"{', '.join(bad)} not verified for the clean layer the warehouse holds now (last rebuild failed "
                "its gate, or the clean layer changed since): run the mart jobs (or refresh_job)")
    if bad := unverified_dims(con):
        return (f"{', '.join(bad)} not verified for the clean layer the warehouse holds now: run publish_job "
                "(it builds the dimensions first)")
    # the warehouse must hold what the input folder holds: no changed, new or removed input pending
    plan = make_plan(raw_inputs.inventory(), con)
    pending = [f"BACI year {r.partition}" if r.partition else r.asset for r in plan.removed]
    pending += (["reference tables"] if plan.run_reference else []) + [str(y) for y in plan.run_years]
    if pending:
        return (f"the warehouse does not match the input folder {raw_inputs.resolved_dir()} "
                f"({', '.join(pending)} changed, new or removed): run refresh_job")
    return ""


def _report_tables(con) -> dict[str, int]:
    """The report's figure and table data (schema ``report``) for the configured focus and comparators,
    computed from the published marts and dimensions only."""
    return {f"report.{name}": rows for name, rows in materialize(con).items()}


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="publish", group_name="publication", kinds={"duckdb"},
          deps=MART_KEYS + DIM_KEYS)
def marts_file(context: dg.AssetExecutionContext, warehouse: Warehouse, published_marts: PublishedMarts,
               raw_inputs: RawInputs, settings: DiagnosticSettings):
    """The published marts file BI tools read: a complete copy of every gated mart and dimension table, with
    the settings and input files they were built from (meta.settings, meta.inputs), swapped in atomically."""
    target = published_marts.resolved_path()
    with warehouse.connect() as con:
        if reason := _refusal(con, raw_inputs):
            raise dg.Failure(f"not publishing: {reason}; the published file {target} is unchanged",
                             metadata={"refused": reason})
        fingerprint = inputs_fingerprint(con, run_build(context))
        raw = {"raw_inputs.hs_vintage": raw_inputs.resolved_hs(), "raw_inputs.io_tables": raw_inputs.resolved_io_tables()}
        rows = meta.setting_rows(settings.resolved(), raw) + meta.convention_rows(con)
        result = publish(con, [*ALL.values(), *DIMS.values()], target, fingerprint, rows, derived=_report_tables)
        manifest.record(con, "publish/marts_file", "", str(target), fingerprint, sum(result.tables.values()))
        manifest.verify(con, "publish/marts_file")
        # the file as written: a later run republishes if anything else replaces or alters it
        manifest.record(con, PUBLISHED_FILE, "", str(target), published_stamp(target, result.version),
                        sum(result.tables.values()))
    context.log.info(f"published {len(result.tables)} marts, dimensions and report tables to {target} as version {result.version} "
                     f"in {result.seconds:.1f} s")
    return dg.MaterializeResult(
        metadata={
            "path": str(target),
            "version": result.version,
            "tables": dg.MetadataValue.json(result.tables),
            "seconds": round(result.seconds, 2),
        }
    )
