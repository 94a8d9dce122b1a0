"""Clean layer: ISO3 codes, HS6 text, USD values; one SQL statement per table (``sql/clean``)."""


import time
from importlib import resources

import dagster as dg

from tcd_pipeline.defs.ingest import raw
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.gated import GateSettings, Staged, check_specs, gated_build
from tcd_pipeline.lib.metadata import table_metadata
from tcd_pipeline.lib.partitions import baci_years, by_year
from tcd_pipeline.lib.resources import Warehouse
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.plan import year_fingerprint
from tcd_pipeline.warehouse.sql import load_sql


def reference_file(name: str) -> str:
    """Path of a reference table shipped in ``tcd_pipeline/reference``."""
    return str(resources.files("tcd_pipeline") / "reference" / name)


def _staged_from(con, asset: str, upstream: str, table: str) -> Staged:
    """``asset`` built from the files of ``upstream`` (so its gate can name them)."""
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    source = manifest.source(con, upstream) or ""
    fingerprint = manifest.fingerprints(con, upstream).get("", "")
    return Staged(asset, "", source, fingerprint, rows, table_metadata(con, table))


def flows_fingerprint(con, year: int) -> str:
    """What clean.flows for ``year`` was built from: its raw file and both code lists."""
    return year_fingerprint(
        manifest.fingerprints(con, "raw/baci_flows").get(str(year), "?"),
        manifest.fingerprints(con, "raw/country_codes").get("", "?"),
        manifest.fingerprints(con, "raw/product_codes").get("", "?"),
    )


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="clean", group_name="ingest", kinds={"duckdb"}, deps=[raw.country_codes],
          check_specs=check_specs("clean/countries"))
def countries(context: dg.AssetExecutionContext, warehouse: Warehouse, gate_settings: GateSettings):
    """Country dimension: BACI numeric code -> ISO3 (N/A codes mapped by the package's overrides)."""
    def build(con) -> list[Staged]:
        con.execute(
            load_sql("ingest/clean/countries"),
            {"overrides": reference_file("country_iso3_overrides.csv"), "aliases": reference_file("iso3_aliases.csv")},
        )
        return [_staged_from(con, "clean/countries", "raw/country_codes", "clean.countries")]
    yield from gated_build(context, warehouse, gate_settings, build)


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="clean", group_name="ingest", kinds={"duckdb"}, deps=[raw.product_codes],
          check_specs=check_specs("clean/products"))
def products(context: dg.AssetExecutionContext, warehouse: Warehouse, gate_settings: GateSettings):
    """Product dimension: HS6 code of the configured vintage with chapter (hs2), heading (hs4), description."""
    def build(con) -> list[Staged]:
        con.execute(load_sql("ingest/clean/products"))
        return [_staged_from(con, "clean/products", "raw/product_codes", "clean.products")]
    yield from gated_build(context, warehouse, gate_settings, build)


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="clean", group_name="ingest", kinds={"duckdb"}, deps=[raw.wdi], check_specs=check_specs("clean/macro"))
def macro(context: dg.AssetExecutionContext, warehouse: Warehouse, gate_settings: GateSettings):
    """Country x year WDI table: GDP, GDP per capita, population, trade %, FDI (ISO3, no aggregates)."""
    def build(con) -> list[Staged]:
        con.execute(
            load_sql("ingest/clean/macro"),
            {"aliases": reference_file("iso3_aliases.csv"), "aggregates": reference_file("wb_aggregates.csv")},
        )
        return [_staged_from(con, "clean/macro", "raw/wdi", "clean.macro")]
    yield from gated_build(context, warehouse, gate_settings, build)


@dg.asset(
    pool=WAREHOUSE_POOL, key_prefix="clean",
    group_name="ingest",
    kinds={"duckdb"},
    partitions_def=baci_years,
    deps=[raw.baci_flows, countries],
    check_specs=by_year(check_specs("clean/flows")),
)
def flows(context: dg.AssetExecutionContext, warehouse: Warehouse, gate_settings: GateSettings):
    """Bilateral HS6 flows in USD with ISO3 codes, unique on (year, exporter, importer, hs6); one partition per year."""
    year = int(context.partition_key)
    started = time.perf_counter()

    def build(con) -> list[Staged]:
        con.execute(load_sql("ingest/clean/flows.ddl"))
        con.execute("DELETE FROM clean.flows WHERE year = ?", [year])
        shared = con.execute(load_sql("ingest/clean/flows_shared_iso3"), {"year": year}).fetchall()
        for iso3, codes in shared:
            context.log.info(f"{year}: BACI codes {codes} all map to {iso3}; their flows are summed")
        con.execute(load_sql("ingest/clean/flows" if shared else "ingest/clean/flows_one_to_one"), {"year": year})
        rows = con.execute("SELECT count(*) FROM clean.flows WHERE year = ?", [year]).fetchone()[0]
        seconds = time.perf_counter() - started
        context.log.info(f"clean.flows {year}: {rows:,} rows in {seconds:.1f} s, gating")
        meta = table_metadata(con, "clean.flows", where="year = ?", params=[year])
        merged = {iso3: codes for iso3, codes in shared}
        return [Staged("clean/flows", str(year), manifest.source(con, "raw/baci_flows", str(year)) or "",
                       flows_fingerprint(con, year), rows,
                       {**meta, "seconds": round(seconds, 2), "codes_merged": merged or "none"})]

    yield from gated_build(context, warehouse, gate_settings, build)


assets = [countries, products, macro, flows]
