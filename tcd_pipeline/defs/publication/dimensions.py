"""The dimension tables (``dim.*``, declared in ``dims.py``), built in the warehouse and gated like the marts.

One step builds all six after the marts (the countries' codes come from the marts' ISO3 columns, the
industries from the input-output tables the TiVA chapter read), in the publish job, so the file
published next holds dimensions of exactly the marts it holds. The mappings are the marts' own:
report sectors and destination groups (:mod:`tcd_pipeline.lib.mappings`,
:mod:`tcd_pipeline.core.classifications`), Lall classes (``lall_classes``), TiVA sectors
(``icio_sectors.csv`` through :func:`tcd_pipeline.sources.icio.read_sector_map`).
"""

import dagster as dg
import duckdb
import polars as pl

from tcd_pipeline.config import Settings
from tcd_pipeline.core.classifications import destination_regions, lall_classes, select_version
from tcd_pipeline.defs.catalog import ALL
from tcd_pipeline.defs.publication import dims as D
from tcd_pipeline.lib.keys import CLEAN_COUNTRIES, CLEAN_FLOWS, CLEAN_PRODUCTS
from tcd_pipeline.lib.mappings import sector_of_products
from tcd_pipeline.lib.mart_assets import marts_asset
from tcd_pipeline.sources import reference_tables as ref
from tcd_pipeline.sources.icio import read_sector_map
from tcd_pipeline.sources.inventory import MISSING_METADATA
from tcd_pipeline.sources.wdi_metadata import COLUMNS as WDI_COUNTRY_COLUMNS
from tcd_pipeline.warehouse.contracts import Mart, build_mart, build_mart_from_frames
from tcd_pipeline.warehouse.sql import load_sql

OTHER_SECTOR = "Other"
PRODUCT_UNIT = "HS92 6-digit"  # the unit of the marts' product columns


def coded_columns(unit: str, marts: dict[str, Mart] = ALL) -> list[tuple[str, str]]:
    """``(table, column)`` of every declared mart column of ``unit`` ("ISO3"), found by unit, not by name."""
    return [(m.table, c.name) for m in marts.values() for c in m.columns if c.unit == unit]


def _codes_in_marts(con: duckdb.DuckDBPyConnection, name: str, unit: str) -> int:
    """A temporary table ``name`` (table_name, column_name, code): the distinct codes of every column of ``unit``
    (the gate's coverage check reads it in the same transaction)."""
    parts = [f"SELECT DISTINCT '{table}' AS table_name, '{column}' AS column_name, \"{column}\" AS code FROM {table} "
             f"WHERE \"{column}\" IS NOT NULL" for table, column in coded_columns(unit)]
    parts = parts or ["SELECT NULL::VARCHAR AS table_name, NULL::VARCHAR AS column_name, NULL::VARCHAR AS code LIMIT 0"]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS " + " UNION ALL ".join(parts))
    return con.execute(f"SELECT count(DISTINCT code) FROM {name}").fetchone()[0]


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def wdi_countries(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """raw.wdi_countries (empty when the WDI load had no metadata file, or predates it)."""
    if _exists(con, "raw", "wdi_countries"):
        return con.execute("SELECT * FROM raw.wdi_countries").pl()
    return pl.DataFrame(schema=WDI_COUNTRY_COLUMNS)


def _countries(con, log) -> int:
    metadata = wdi_countries(con)
    if metadata.filter(pl.col("wb_region").is_not_null()).is_empty():
        log.warning(f"dim.countries: no World Bank region or income group (NULL); the WDI country metadata file "
                    f"({MISSING_METADATA}) in the input folder would fill them")
    _codes_in_marts(con, "mart_country_codes", "ISO3")
    con.register("wdi_countries", metadata)
    con.register("io_country_names", ref.read_io_country_names())
    try:
        rows = build_mart(con, D.COUNTRIES, load_sql("publication/dim/countries"))
    finally:
        con.unregister("wdi_countries")
        con.unregister("io_country_names")
    if unnamed := [c for (c,) in con.execute("SELECT country FROM dim.countries WHERE country_name IS NULL "
                                             "ORDER BY 1").fetchall()]:
        log.warning(f"dim.countries: no name for {', '.join(unnamed)} (in the marts, but neither in the BACI country "
                    "list, nor in the WDI country metadata, nor in tcd_pipeline/reference/io_country_names.csv)")
    return rows


def _country_groups(con, log) -> int:
    """Every country of the BACI list in every year of clean.flows, with its destination group."""
    pairs = con.execute("SELECT DISTINCT c.iso3 AS country, f.year FROM clean.countries c "
                        "CROSS JOIN (SELECT DISTINCT year FROM clean.flows) f WHERE c.iso3 IS NOT NULL").pl()
    groups = destination_regions(pairs, ref.read_regions(), importer_col="country", name="destination_group")
    return build_mart_from_frames(con, D.COUNTRY_GROUPS, [groups.sort("country", "year")])


def _products(con, log) -> int:
    hs6 = con.execute("SELECT hs6 FROM clean.products").pl()
    _codes_in_marts(con, "mart_product_codes", PRODUCT_UNIT)
    relations = {"hs_sections": ref.read_hs_sections(), "product_sector": sector_of_products(con),
                 "product_lall": lall_classes(hs6, ref.read_hs92_sitc2(), ref.read_lall2000()).select("hs6", "lall"),
                 "product_end_use": ref.read_hs92_end_use()}
    for name, frame in relations.items():
        con.register(name, frame)
    try:
        return build_mart(con, D.PRODUCTS, load_sql("publication/dim/products"))
    finally:
        for name in relations:
            con.unregister(name)


def goods_sector_order(mapping: pl.DataFrame) -> list[str]:
    """The report sectors of Table 1: in the order they first appear in the mapping's latest version (HS
    chapter order), ``Other`` (the sector of unmapped codes) last."""
    seen = select_version(mapping)["sector"].unique(maintain_order=True).to_list()
    return [s for s in seen if s != OTHER_SECTOR] + [OTHER_SECTOR]


def tiva_sector_order() -> list[str]:
    """Table 4's sectors; every sector of icio_sectors.csv must have a place (else ValueError)."""
    found = set(ref.read_icio_sectors()["sector"])
    if unplaced := found - set(D.TIVA_SECTOR_ORDER):
        raise ValueError(f"TiVA sectors {sorted(unplaced)} of icio_sectors.csv have no place in dims.TIVA_SECTOR_ORDER")
    return list(D.TIVA_SECTOR_ORDER)


def _sectors(con, log) -> int:
    rows = [("goods", s) for s in goods_sector_order(ref.read_report_sectors())]
    rows += [("tiva", s) for s in tiva_sector_order()]
    frame = pl.DataFrame(rows, schema=["classification", "sector"], orient="row").with_columns(
        (pl.int_range(pl.len()).over("classification") + 1).alias("display_order"))
    return build_mart_from_frames(con, D.SECTORS, [frame])


def _regions(con, log) -> int:
    frame = pl.DataFrame({"region": list(D.REGION_ORDER), "display_order": list(range(1, len(D.REGION_ORDER) + 1))})
    return build_mart_from_frames(con, D.REGIONS, [frame])


def _tiva_industries(con, log) -> int:
    """The industries of the classification of the input-output tables in tiva.tables (none: empty)."""
    classifications = ([c for (c,) in con.execute("SELECT DISTINCT classification FROM tiva.tables ORDER BY 1").fetchall()]
                       if _exists(con, "tiva", "tables") else [])
    frames = [read_sector_map(c).select("industry", pl.col("description").alias("industry_name"), "sector",
                                        pl.lit(c).alias("classification")) for c in classifications]
    if not frames:
        log.warning("dim.tiva_industries is empty: the warehouse holds no input-output table")
    return build_mart_from_frames(con, D.TIVA_INDUSTRIES, frames)


BUILDERS = {"countries": _countries, "country_groups": _country_groups, "products": _products,
            "sectors": _sectors, "regions": _regions, "tiva_industries": _tiva_industries}


def build_dimensions(con: duckdb.DuckDBPyConnection, settings: Settings, log) -> dict[str, int]:
    """Build every ``dim.*`` table in the open transaction; rows per table."""
    return {dim.name: BUILDERS[dim.name](con, log) for dim in D.DIMS}


MART_KEYS = [dg.AssetKey(["marts", name]) for name in ALL]
RAW_WDI = dg.AssetKey(["raw", "wdi"])

dimensions = marts_asset("dimensions", list(D.DIMS), [CLEAN_COUNTRIES, CLEAN_PRODUCTS, CLEAN_FLOWS, RAW_WDI, *MART_KEYS],
                         build_dimensions, group="publication")
