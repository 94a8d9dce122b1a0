"""Export spells (asset group ``spells``) and survival marts (report section 2.4).

Spells are built inside DuckDB from clean.flows (sql/spells, tcd_pipeline.spells_sql); the
survival marts collapse identical spells into weights there and run the vectorised
Kaplan-Meier and log-rank functions of tcd_pipeline.core.survival on the small counts.
"""

import time

import dagster as dg
import polars as pl

from tcd_pipeline import manifest, marts
from tcd_pipeline.assets import clean
from tcd_pipeline.assets.mappings import report_mappings
from tcd_pipeline.assets.mart_factory import mart_asset
from tcd_pipeline.assets.metadata import table_metadata
from tcd_pipeline.core.survival import kaplan_meier, logrank, logrank_pairwise, survival_summary
from tcd_pipeline.resources import Warehouse
from tcd_pipeline.settings import DiagnosticSettings, Settings
from tcd_pipeline.spells_sql import build_spells, spell_counts, spells_table, with_period
from tcd_pipeline.sql import load_sql

M = marts.survival
GROUPS = {  # group_type -> spell columns that define it
    "exporter": ["exporter"],
    "exporter_sector": ["exporter", "sector"],
    "exporter_region": ["exporter", "region"],
    "exporter_period": ["exporter", "period"],
}


def _spells_asset(level: str, description: str):
    @dg.asset(name=spells_table(level).split(".")[1], key_prefix="spells", group_name="spells", kinds={"duckdb"},
              deps=[clean.flows, clean.products], description=description)
    def _spells(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: DiagnosticSettings):
        s = settings.resolved()
        options = {"gap": s.spell_gap_rule, "min_initial_value": s.min_initial_value_usd or None,
                   "include_left_censored": True}  # always kept and flagged here; the marts exclude them by default
        started = time.perf_counter()
        with warehouse.connect() as con:
            rows = build_spells(con, level=level, **options)
            if level == "bilateral":
                with report_mappings(con):
                    con.execute(load_sql("spells/export_spells_labelled"))
            manifest.record(con, f"spells/{spells_table(level).split('.')[1]}", "", "clean layer", "", rows)
            seconds = time.perf_counter() - started
            context.log.info(f"{spells_table(level)}: {rows:,} spells in {seconds:.1f} s ({options})")
            return dg.MaterializeResult(metadata={**table_metadata(con, spells_table(level)),
                                                  "options": dg.MetadataValue.json(options), "seconds": round(seconds, 2)})
    return _spells


export_spells = _spells_asset("bilateral", "One row per spell of exporter x HS6 x destination: first and last year, duration, "
                                           "event, left-censored flag, initial value, sector, destination group.")
product_spells = _spells_asset("product", "One row per spell of exporter x HS6 to the world (for data without destinations).")


def _counts(con, settings: Settings) -> dict[str, pl.DataFrame]:
    relation = with_period(con.table("spells.export_spells"), settings.event_year)
    keep = settings.left_censored == "keep"
    return {kind: spell_counts(relation, by, include_left_censored=keep) for kind, by in GROUPS.items()}


def _labelled(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    by = GROUPS[kind]
    return frame.with_columns(pl.lit(kind).alias("group_type"),
                              pl.concat_str([pl.col(c).cast(pl.Utf8) for c in by], separator=" / ").alias("group"))


def _build_curves(con, settings: Settings, log) -> int:
    frames = (_labelled(kaplan_meier(counts, GROUPS[kind], weight="weight"), kind)
              for kind, counts in _counts(con, settings).items())
    return marts.build_mart_from_frames(con, M.SURVIVAL_CURVES, frames)


def _build_summary(con, settings: Settings, log) -> int:
    frames = (_labelled(survival_summary(kaplan_meier(counts, GROUPS[kind], weight="weight"), GROUPS[kind]), kind)
              for kind, counts in _counts(con, settings).items())
    return marts.build_mart_from_frames(con, M.SURVIVAL_SUMMARY, frames)


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
               exporter=none, **fixed)
        tested("focus_and_comparators", lambda: logrank(together, "exporter", weight="weight"),
               exporter=none, group_a=none, group_b=none)
    regions = counts["exporter_region"]
    tested("region_pair", lambda: logrank_pairwise(regions, "region", within=["exporter"], weight="weight"), **fixed)
    tested("regions", lambda: logrank(regions, "region", within=["exporter"], weight="weight"), group_a=none, group_b=none)
    tested("before_after", lambda: logrank(counts["exporter_period"], "period", within=["exporter"], weight="weight"),
           group_a=pl.lit("before"), group_b=pl.lit("after"))
    frames = [f.filter(pl.col("n_groups") >= 2) if "n_groups" in f.columns else f for f in frames]
    return marts.build_mart_from_frames(con, M.SURVIVAL_LOGRANK, frames)


survival_curves = mart_asset(M.SURVIVAL_CURVES, [export_spells], _build_curves)
survival_summary_mart = mart_asset(M.SURVIVAL_SUMMARY, [export_spells], _build_summary)
survival_logrank = mart_asset(M.SURVIVAL_LOGRANK, [export_spells], _build_logrank)

SPELLS = [export_spells, product_spells]
ASSETS = [*SPELLS, survival_curves, survival_summary_mart, survival_logrank]
