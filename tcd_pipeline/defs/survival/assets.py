"""Export spells (asset group ``spells``) and survival marts (report section 2.4).

Spells are built inside DuckDB from clean.flows (sql/spells, tcd_pipeline.defs.survival.spells), with the
report sector and destination group joined in the same statement (the table is written once).
``spells/survival_counts`` collapses identical spells into weights once for the four group types
(one scan); the three survival marts read those small counts and run the vectorised Kaplan-Meier
and log-rank functions of tcd_pipeline.core.survival.
"""

import json
import time

import dagster as dg
import polars as pl

from tcd_pipeline.config import Settings
from tcd_pipeline.core.survival import kaplan_meier, logrank, logrank_pairwise, survival_summary
from tcd_pipeline.defs.survival import marts as M
from tcd_pipeline.defs.survival.spells import (
    COUNTS_TABLE,
    GROUP_TYPES,
    build_spells,
    build_survival_counts,
    spells_table,
    survival_counts,
)
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.gated import GateSettings, Staged, check_specs, gated_build
from tcd_pipeline.lib.keys import CLEAN_FLOWS, CLEAN_PRODUCTS
from tcd_pipeline.lib.mappings import importer_regions, sector_of_products
from tcd_pipeline.lib.mart_assets import mart_asset
from tcd_pipeline.lib.metadata import table_metadata
from tcd_pipeline.lib.resources import DiagnosticSettings, Warehouse
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.contracts import build_mart_from_frames

CHAPTER = "survival"  # the Dagster asset group and the folder of its SQL (sql/survival)

GROUPS = {kind: list(by) for kind, by in GROUP_TYPES.items()}  # group_type -> spell columns that define it


def _flows_version(con) -> str:
    """The verified state of clean.flows (fingerprint of each verified year), recorded with the spells."""
    return json.dumps(sorted(manifest.verified(con, "clean/flows").items()))


def _spells_asset(level: str, description: str, deps: tuple = ()):
    key = f"spells/{spells_table(level).split('.')[1]}"

    @dg.asset(pool=WAREHOUSE_POOL, name=spells_table(level).split(".")[1], key_prefix="spells", group_name=CHAPTER, kinds={"duckdb"},
              deps=[CLEAN_FLOWS, CLEAN_PRODUCTS, *deps], description=description, check_specs=check_specs(key))
    def _spells(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: DiagnosticSettings,
                gate_settings: GateSettings):
        s = settings.resolved()
        options = {"gap": s.spell_gap_rule, "min_initial_value": s.min_initial_value_usd or None,
                   "include_left_censored": True}  # always kept and flagged here; the marts exclude them by default
        started = time.perf_counter()

        def build(con) -> list[Staged]:
            labels = {"sectors": sector_of_products(con), "regions": importer_regions(con)} if level == "bilateral" else {}
            flows_version = _flows_version(con)
            rows = build_spells(con, level=level, **options, **labels, flows_version=flows_version)
            built_from = con.execute("SELECT built_from FROM spells.builds WHERE level = ?", [level]).fetchone()[0]
            seconds = time.perf_counter() - started
            context.log.info(f"{spells_table(level)}: {rows:,} spells from {built_from} in {seconds:.1f} s ({options}), "
                             "gating")
            return [Staged(key, "", "clean layer", flows_version, rows,
                           {**table_metadata(con, spells_table(level)), "options": dg.MetadataValue.json(options),
                            "built_from": built_from, "seconds": round(seconds, 2)})]

        yield from gated_build(context, warehouse, gate_settings, build)
    return _spells


export_spells = _spells_asset("bilateral", "One row per spell of exporter x HS6 x destination: first and last year, duration, "
                                           "event, left-censored flag, initial value, sector, destination group.")
product_spells = _spells_asset(
    "product", "One row per spell of exporter x HS6 to the world (for data without destinations); derived from "
               "spells.export_spells when that table holds every spell of the same panel and flows.", deps=(export_spells,))


@dg.asset(pool=WAREHOUSE_POOL, name="survival_counts", key_prefix="spells", group_name=CHAPTER, kinds={"duckdb"}, deps=[export_spells],
          check_specs=check_specs("spells/survival_counts"))
def survival_counts_table(context: dg.AssetExecutionContext, warehouse: Warehouse,
                          settings: DiagnosticSettings, gate_settings: GateSettings):
    """Identical spells collapsed into weights (group type x group x duration x event x left-censored),
    for the four group types of the survival marts, in one scan of spells.export_spells; period splits
    at the configured event year."""
    event_year = settings.resolved().event_year
    started = time.perf_counter()

    def build(con) -> list[Staged]:
        rows = build_survival_counts(con, event_year)
        seconds = time.perf_counter() - started
        context.log.info(f"{COUNTS_TABLE}: {rows:,} rows in {seconds:.1f} s (event year {event_year}), gating")
        return [Staged("spells/survival_counts", "", "spells.export_spells", _flows_version(con), rows,
                       {**table_metadata(con, COUNTS_TABLE), "event_year": event_year, "seconds": round(seconds, 2)})]

    yield from gated_build(context, warehouse, gate_settings, build)


def _counts(con, settings: Settings) -> dict[str, pl.DataFrame]:
    keep = settings.left_censored == "keep"
    return {kind: survival_counts(con, kind, include_left_censored=keep) for kind in GROUPS}


def _labelled(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    by = GROUPS[kind]
    return frame.with_columns(pl.lit(kind).alias("group_type"),
                              pl.concat_str([pl.col(c).cast(pl.Utf8) for c in by], separator=" / ").alias("group_name")
                              ).rename({"exporter": "country"})


def _build_curves(con, settings: Settings, log) -> int:
    frames = (_labelled(kaplan_meier(counts, GROUPS[kind], weight="weight"), kind)
              for kind, counts in _counts(con, settings).items())
    return build_mart_from_frames(con, M.SURVIVAL_CURVES, frames)


def _build_summary(con, settings: Settings, log) -> int:
    frames = (_labelled(survival_summary(kaplan_meier(counts, GROUPS[kind], weight="weight"), GROUPS[kind]), kind)
              for kind, counts in _counts(con, settings).items())
    return build_mart_from_frames(con, M.SURVIVAL_SUMMARY, frames)


def _build_logrank(con, settings: Settings, log) -> int:
    counts = _counts(con, settings)
    focus, comparators = settings.focus, [c for c in settings.comparators if c != settings.focus]
    by_exporter = counts["exporter"]
    present = set(by_exporter["exporter"].unique().to_list())
    if focus not in present:
        log.warning(f"focus country {focus} has no spells: no focus-vs-comparator tests")
    pairs = [(focus, c) for c in comparators if c in present and focus in present]
    two = dict(n_groups=2, df=1)
    frames = []

    def tested(test: str, compute, **columns) -> None:
        try:
            frames.append(compute().with_columns(test=pl.lit(test), **columns))
        except ValueError as exc:  # e.g. no spells left once left-censored ones are excluded
            log.warning(f"{M.SURVIVAL_LOGRANK.table}: no {test} tests: {exc}")

    none = pl.lit(None, pl.Utf8)
    fixed = {k: pl.lit(v) for k, v in two.items()}
    if pairs:
        together = by_exporter.filter(pl.col("exporter").is_in([focus, *comparators]))
        tested("focus_vs_comparator", lambda: logrank_pairwise(by_exporter, "exporter", pairs=pairs, weight="weight"),
               country=none, **fixed)
        tested("focus_and_comparators", lambda: logrank(together, "exporter", weight="weight"),
               country=none, group_a=none, group_b=none)
    sectors = counts["exporter_sector"]
    tested("sector_pair", lambda: logrank_pairwise(sectors, "sector", within=["exporter"], weight="weight"), **fixed)
    tested("sectors", lambda: logrank(sectors, "sector", within=["exporter"], weight="weight"), group_a=none, group_b=none)
    regions = counts["exporter_region"]
    tested("region_pair", lambda: logrank_pairwise(regions, "region", within=["exporter"], weight="weight"), **fixed)
    tested("regions", lambda: logrank(regions, "region", within=["exporter"], weight="weight"), group_a=none, group_b=none)
    tested("before_after", lambda: logrank(counts["exporter_period"], "period", within=["exporter"], weight="weight"),
           group_a=pl.lit("before"), group_b=pl.lit("after"))
    frames = [(f.filter(pl.col("n_groups") >= 2) if "n_groups" in f.columns else f).rename({"exporter": "country"}, strict=False)
              for f in frames]
    return build_mart_from_frames(con, M.SURVIVAL_LOGRANK, frames)


survival_curves = mart_asset(M.SURVIVAL_CURVES, [survival_counts_table], _build_curves, group=CHAPTER)
survival_summary_mart = mart_asset(M.SURVIVAL_SUMMARY, [survival_counts_table], _build_summary, group=CHAPTER)
survival_logrank = mart_asset(M.SURVIVAL_LOGRANK, [survival_counts_table], _build_logrank, group=CHAPTER)

SPELLS = [export_spells, product_spells, survival_counts_table]
ASSETS = [*SPELLS, survival_curves, survival_summary_mart, survival_logrank]
