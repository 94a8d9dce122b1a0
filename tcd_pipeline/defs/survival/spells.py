"""Build export spells inside DuckDB (``sql/survival/spells/*.sql``) and collapse them for survival analysis.

At scale (tens of millions of flows) spells are built where the flows live: the statements
implement the definition of :mod:`tcd_pipeline.core.spells` (Besedes and Prusa 2006; a test
proves them identical to the polars reference construction in
``tcd_pipeline_tests/reference/spells_polars.py``). The collapsed counts (group x duration x
event -> weight) are small and feed :func:`tcd_pipeline.core.survival.kaplan_meier` and the
log-rank tests: :func:`build_survival_counts` collapses the spells once for the four group types
of the marts (``spells.survival_counts``) and :func:`survival_counts` reads one group type back.
"""

from __future__ import annotations

import duckdb
import polars as pl

from tcd_pipeline.core.spells import BILATERAL_KEYS, PRODUCT_KEYS, gap_step
from tcd_pipeline.warehouse.sql import atomic, load_sql

SCHEMA = "spells"
COUNTS_TABLE = f"{SCHEMA}.survival_counts"
# group type of spells.survival_counts -> its grouping columns (sql/survival/spells/survival_counts.sql)
GROUP_TYPES = {
    "exporter": ("exporter",),
    "exporter_sector": ("exporter", "sector"),
    "exporter_region": ("exporter", "region"),
    "exporter_period": ("exporter", "period"),
}
# flows per range of exporters in one sort: at full scale (190 million flows) 25 million flows a
# range keep the window in memory (peak about 4 GB) instead of spilling one big sort to disk
CHUNK_FLOWS = 25_000_000
# the label relations the bilateral statements join (tcd_pipeline.lib.mappings builds them)
SECTORS_SCHEMA = {"hs6": pl.Utf8, "sector": pl.Utf8}
REGIONS_SCHEMA = {"importer": pl.Utf8, "year": pl.Int16, "region": pl.Utf8}
LEVELS = {"bilateral": ("export_spells", BILATERAL_KEYS), "product": ("product_spells", PRODUCT_KEYS)}


def _level(level: str) -> tuple[str, tuple[str, ...]]:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {sorted(LEVELS)}, got {level!r}")
    return LEVELS[level]


def spells_table(level: str = "bilateral") -> str:
    """Qualified name of the spell table of ``level``: ``spells.export_spells`` or ``spells.product_spells``."""
    return f"{SCHEMA}.{_level(level)[0]}"


def build_spells(
    con: duckdb.DuckDBPyConnection,
    *,
    level: str = "bilateral",
    first_year: int | None = None,
    last_year: int | None = None,
    gap: str = "none",
    min_initial_value: float | None = None,
    include_left_censored: bool = False,
    sectors: pl.DataFrame | None = None,
    regions: pl.DataFrame | None = None,
    chunk_flows: int = CHUNK_FLOWS,
    flows_version: str = "",
) -> int:
    """(Re)build ``spells.export_spells`` (``level="bilateral"``) or ``spells.product_spells`` from
    ``clean.flows``; returns its row count. Options and rules as defined in :mod:`tcd_pipeline.core.spells`.

    Bilateral spells also get ``sector`` (``sectors``: hs6, sector) and ``region`` (``regions``:
    importer, year, region; the destination's group in the spell's first year), 'Other' and
    'Rest of world' where a code is not mapped (or no map is given). They are built one range of
    exporters at a time (at most about ``chunk_flows`` flows each, see :func:`exporter_ranges`) in one
    transaction: the table is replaced whole or not at all.

    ``flows_version`` names the state of ``clean.flows`` (e.g. the fingerprints of its verified
    partitions) and is recorded in ``spells.builds``, with the table the spells were made from. Product spells are derived from the bilateral
    table, four times fewer rows, when :func:`bilateral_covers` says that table holds every spell
    of the same panel and flows (sql/survival/spells/product_spells_from_export_spells.sql); otherwise,
    and whenever ``flows_version`` is "", they are built from the flows. The gap rule
    "merge_one_year_gaps" merges the spells of the rule "none" (``sql/spells/*_merge_gaps.sql``).
    """
    name, _ = _level(level)
    merge = gap_step(gap) != 1
    if first_year is None or last_year is None:  # the panel's ends, found once for every range below
        low, high = con.execute("SELECT min(year), max(year) FROM clean.flows").fetchone()
        first_year, last_year = (low if first_year is None else first_year), (high if last_year is None else last_year)
    params = {
        "first_year": first_year,
        "last_year": last_year,
        "min_initial_value": min_initial_value,
        "include_left_censored": bool(include_left_censored),
    }
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    labels = {"hs6_sector": _or_empty(sectors, SECTORS_SCHEMA), "importer_region": _or_empty(regions, REGIONS_SCHEMA)}
    for view, frame in labels.items():
        con.register(view, frame)
    # row order carries no meaning here (readers sort); not preserving it lets DuckDB write
    # the table from its parallel aggregation directly (about a third faster at full scale)
    preserve = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    # merging one-year gaps starts from every spell of the rule "none"; the options apply after the merge
    runs = {**params, "include_left_censored": True, "min_initial_value": None} if merge else params
    try:
        with atomic(con):
            con.execute(load_sql("survival/spells/builds_table"))
            built_from = "clean.flows"
            if level == "bilateral":
                con.execute(load_sql("survival/spells/export_spells_table"))
                for low, high in exporter_ranges(con, chunk_flows):
                    con.execute(load_sql(f"survival/spells/{name}"), {**runs, "first_exporter": low, "last_exporter": high})
            elif bilateral_covers(con, first_year, last_year, flows_version):
                built_from = spells_table("bilateral")
                con.execute(load_sql("survival/spells/product_spells_from_export_spells"), runs)
            else:
                con.execute(load_sql(f"survival/spells/{name}"), runs)
            if merge:
                con.execute(load_sql(f"survival/spells/{name}_merge_gaps"), params)
            con.execute(load_sql("survival/spells/record_build"), {**params, "level": level, "gap": gap, "flows_version": flows_version,
                                                          "built_from": built_from})
    finally:
        con.execute("SET preserve_insertion_order = true" if preserve else "SET preserve_insertion_order = false")
        for view in labels:
            con.unregister(view)
    return con.execute(f"SELECT count(*) FROM {spells_table(level)}").fetchone()[0]


def bilateral_covers(con: duckdb.DuckDBPyConnection, first_year: int | None, last_year: int | None,
                     flows_version: str) -> bool:
    """Whether ``spells.export_spells`` holds every spell (gap rule "none", no minimum initial value,
    left-censored kept) of the panel ``first_year``-``last_year`` (at most 62 years) of the flows
    named ``flows_version``: then product spells can be derived from it."""
    if not flows_version or first_year is None or last_year is None or last_year - first_year > 61:
        return False
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'spells' AND table_name = 'builds'")
    if not exists.fetchone()[0]:
        return False
    return con.execute(
        "SELECT count(*) FROM spells.builds WHERE level = 'bilateral' AND gap = 'none' AND min_initial_value IS NULL "
        "AND include_left_censored AND first_year = $first AND last_year = $last AND flows_version = $version",
        {"first": first_year, "last": last_year, "version": flows_version}).fetchone()[0] == 1


def exporter_ranges(con: duckdb.DuckDBPyConnection, chunk_flows: int = CHUNK_FLOWS) -> list[tuple[str, str]]:
    """Consecutive ranges (first, last) of exporters, in text order, with at most ``chunk_flows`` flows
    each (an exporter with more is a range of its own); together they cover every exporter."""
    counts = con.execute("SELECT exporter, count(*) FROM clean.flows GROUP BY exporter ORDER BY exporter").fetchall()
    groups: list[list[str]] = []
    size = 0
    for exporter, n in counts:
        if not groups or size + n > chunk_flows:
            groups.append([])
            size = 0
        groups[-1].append(exporter)
        size += n
    return [(group[0], group[-1]) for group in groups]


def _or_empty(frame: pl.DataFrame | None, schema: dict) -> pl.DataFrame:
    if frame is None:
        return pl.DataFrame(schema=schema)
    return frame.select(list(schema)).cast(schema)  # type: ignore[arg-type]


def build_survival_counts(con: duckdb.DuckDBPyConnection, event_year: int) -> int:
    """(Re)build ``spells.survival_counts`` from ``spells.export_spells`` (one scan for the four
    group types of :data:`GROUP_TYPES`, ``period`` split at ``event_year``); returns its rows."""
    con.execute(load_sql("survival/spells/survival_counts"), {"event_year": int(event_year)})
    return con.execute(f"SELECT count(*) FROM {COUNTS_TABLE}").fetchone()[0]


def survival_counts(
    con: duckdb.DuckDBPyConnection, group_type: str, *, include_left_censored: bool = False
) -> pl.DataFrame:
    """One group type of ``spells.survival_counts``: its grouping columns, duration, event, weight,
    sorted by them (identical spells collapsed into weights; METHODS.md section 4)."""
    if group_type not in GROUP_TYPES:
        raise ValueError(f"group_type must be one of {sorted(GROUP_TYPES)}, got {group_type!r}")
    keys = ", ".join([*GROUP_TYPES[group_type], "duration", "event"])
    censored = "" if include_left_censored else "AND NOT left_censored"
    return con.execute(
        f"SELECT {keys}, sum(weight) AS weight FROM {COUNTS_TABLE} WHERE group_type = $group_type {censored} "
        f"GROUP BY ALL ORDER BY {keys}", {"group_type": group_type}).pl()
