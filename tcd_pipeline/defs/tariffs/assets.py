"""Tariff marts (report section 3.2) from raw.tariffs, the HS92 -> end-use table and clean.flows (weights).

The averages are one DuckDB statement (``sql/tariffs/marts/tariff_averages.sql``, the formulas in
:mod:`tcd_pipeline.defs.tariffs.marts`); the changes read them at both ends of each period.
"""

from tcd_pipeline.config import Settings
from tcd_pipeline.defs.tariffs import marts as M
from tcd_pipeline.lib.keys import CLEAN_FLOWS, RAW_TARIFFS
from tcd_pipeline.lib.mart_assets import mart_asset
from tcd_pipeline.sources.reference_tables import read_hs92_end_use
from tcd_pipeline.warehouse.contracts import build_mart
from tcd_pipeline.warehouse.sql import load_sql

CHAPTER = "tariffs"  # the Dagster asset group and the folder of its SQL (sql/tariffs)


def build_tariff_averages(con, settings: Settings, log) -> int:
    """marts.tariff_averages with the end-use table registered as ``tariff_end_use`` for the statement."""
    con.register("tariff_end_use", read_hs92_end_use().select("hs6", "end_use"))
    try:
        return build_mart(con, M.TARIFF_AVERAGES, load_sql("tariffs/marts/tariff_averages"))
    finally:
        con.unregister("tariff_end_use")


def change_periods(settings: Settings, years: list[int]) -> list[tuple[int, int]]:
    """The growth periods and the event year's ``(event_year - 1, event_year)``, those whose two years are both in
    ``years`` (the years of raw.tariffs), without duplicates, by start then end."""
    chosen = set(settings.growth_periods) | {(settings.event_year - 1, settings.event_year)}
    return sorted((a, b) for a, b in chosen if a in years and b in years)


def build_tariff_changes(con, settings: Settings, log) -> int:
    years = [y for (y,) in con.execute(load_sql("tariffs/inputs/tariff_years")).fetchall()]
    periods = change_periods(settings, years)
    log.info(f"tariff change periods {periods} (growth periods {list(settings.growth_periods)}, event year "
             f"{settings.event_year}; tariff years {years[:1]}..{years[-1:]})")
    return build_mart(con, M.TARIFF_CHANGES, load_sql("tariffs/marts/tariff_changes"),
                      {"year_start": [a for a, _ in periods], "year_end": [b for _, b in periods]})


tariff_averages = mart_asset(M.TARIFF_AVERAGES, [RAW_TARIFFS, CLEAN_FLOWS], build_tariff_averages, group=CHAPTER)
tariff_changes = mart_asset(M.TARIFF_CHANGES, [tariff_averages], build_tariff_changes, group=CHAPTER)

assets = [tariff_averages, tariff_changes]
