"""Raw layer: each published file loaded as it is into the ``raw`` schema of the warehouse."""


import time

import dagster as dg
import polars as pl

from tcd_pipeline.defs.ingest.files import BACI, file_key
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.gated import GateSettings, Staged, check_specs, gated_build
from tcd_pipeline.lib.metadata import table_metadata
from tcd_pipeline.lib.partitions import baci_years, by_year
from tcd_pipeline.lib.resources import RawInputs, Warehouse
from tcd_pipeline.sources import InputFileError
from tcd_pipeline.sources.geodist import read_geodist
from tcd_pipeline.sources.inventory import MISSING_METADATA
from tcd_pipeline.sources.readers import (
    load_baci_flows,
    read_country_codes,
    read_product_codes,
    read_wdi,
)
from tcd_pipeline.sources.services import read_services
from tcd_pipeline.sources.tariffs import SCHEMA as TARIFFS_SCHEMA
from tcd_pipeline.sources.tariffs import read_tariffs
from tcd_pipeline.sources.wdi_metadata import read_country_metadata
from tcd_pipeline.warehouse.sql import load_sql


def _replace_table(context, warehouse: Warehouse, gate_settings: GateSettings, table: str, frame: pl.DataFrame,
                   asset: str, source: str, fingerprint: str, **metadata):
    """Replace ``table`` with ``frame``, committed only if the asset's gates pass on it."""
    def build(con) -> list[Staged]:
        con.register("staged_frame", frame)
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM staged_frame")
        con.unregister("staged_frame")
        return [Staged(asset, "", source, fingerprint, frame.height, {**table_metadata(con, table), **metadata})]
    return gated_build(context, warehouse, gate_settings, build)


def _fail(exc: Exception) -> dg.Failure:
    return dg.Failure(description=str(exc), metadata={"problem": str(exc)})


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"}, deps=[file_key("country_codes")],
          check_specs=check_specs("raw/country_codes"))
def country_codes(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
                  gate_settings: GateSettings):
    """BACI country list (country_codes_V*.csv), any release's header, as raw.country_codes."""
    source = raw_inputs.inventory().country_codes
    if source is None:
        raise dg.Failure(f"no country_codes_V*.csv under {raw_inputs.resolved_dir()}")
    try:
        frame = read_country_codes(source)
    except InputFileError as exc:
        raise _fail(exc) from exc
    yield from _replace_table(context, warehouse, gate_settings, "raw.country_codes", frame, "raw/country_codes",
                              str(source), source.fingerprint(), source_file=str(source))


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"}, deps=[file_key("product_codes")],
          check_specs=check_specs("raw/product_codes"))
def product_codes(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
                  gate_settings: GateSettings):
    """BACI product list of the configured HS vintage (product_codes_HS92_V*.csv) as raw.product_codes."""
    source = raw_inputs.inventory().product_codes
    if source is None:
        raise dg.Failure(f"no product_codes_HS{raw_inputs.resolved_hs()}_V*.csv under {raw_inputs.resolved_dir()}")
    try:
        frame = read_product_codes(source)
    except InputFileError as exc:
        raise _fail(exc) from exc
    yield from _replace_table(context, warehouse, gate_settings, "raw.product_codes", frame, "raw/product_codes",
                              str(source), source.fingerprint(), source_file=str(source))


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"}, deps=[file_key("wdi")],
          check_specs=check_specs("raw/wdi"))
def wdi(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse, gate_settings: GateSettings):
    """World Development Indicators, bulk (API_*.csv) and long (wdi_long*.csv) files, as long rows in raw.wdi;
    the country metadata file of the bulk download (Metadata_Country_API_*.csv: region, income group) as
    raw.wdi_countries."""
    inv = raw_inputs.inventory()
    try:
        frame = read_wdi(inv.wdi_wide, inv.wdi_long)
        countries = read_country_metadata(inv.wdi_country_metadata)
    except (InputFileError, FileNotFoundError) as exc:
        raise _fail(exc) from exc
    if countries.source is None:
        context.log.warning(f"no WDI country metadata file ({MISSING_METADATA}): raw.wdi_countries is empty, "
                            "dim.countries has no World Bank region or income group")
    for duplicate in countries.duplicates:
        context.log.info(f"{duplicate}: the same WDI country metadata as {countries.source}, not read again")
    sources = inv.wdi_files
    duplicates = ", ".join(s.name for s in countries.duplicates) or "none"

    def build(con) -> list[Staged]:
        for table, rows in (("raw.wdi", frame), ("raw.wdi_countries", countries.frame)):
            con.register("staged_frame", rows)
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM staged_frame")
            con.unregister("staged_frame")
        return [Staged("raw/wdi", "", ", ".join(map(str, sources)), ";".join(s.fingerprint() for s in sources),
                       frame.height, {**table_metadata(con, "raw.wdi"), "source_files": ", ".join(s.name for s in sources),
                                      "country_metadata": str(countries.source or f"none ({MISSING_METADATA})"),
                                      "country_metadata_duplicates": duplicates,
                                      "country_metadata_rows": countries.frame.height})]
    yield from gated_build(context, warehouse, gate_settings, build)


SERVICES_SCHEMA = {"year": pl.Int16, "economy": pl.Utf8, "iso3": pl.Utf8, "economy_label": pl.Utf8, "flow": pl.Utf8,
                   "category": pl.Utf8, "category_label": pl.Utf8, "value_usd": pl.Float64, "source_file": pl.Utf8}
GEODIST_SCHEMA = {"exporter": pl.Utf8, "importer": pl.Utf8, "contig": pl.Float64, "dist": pl.Float64,
                  "distcap": pl.Float64, "distw": pl.Float64, "source_file": pl.Utf8}


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"}, deps=[file_key("services")],
          check_specs=check_specs("raw/services"))
def services(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
             gate_settings: GateSettings):
    """UNCTADstat services trade by EBOPS category (US_TradeServCatTotal*.csv) as raw.services, values in USD."""
    sources = raw_inputs.inventory().services
    frames = []
    for source in sources:
        try:
            frames.append(read_services(source).with_columns(pl.lit(source.name).alias("source_file")))
        except InputFileError as exc:
            raise _fail(exc) from exc
    if not sources:
        context.log.warning("no services file (US_TradeServCatTotal*.csv): raw.services is empty")
    frame = pl.concat(frames).select(list(SERVICES_SCHEMA)) if frames else pl.DataFrame(schema=SERVICES_SCHEMA)
    yield from _replace_table(context, warehouse, gate_settings, "raw.services", frame, "raw/services",
                              ", ".join(map(str, sources)), ";".join(s.fingerprint() for s in sources),
                              source_files=", ".join(s.name for s in sources) or "none")


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"},
          deps=[file_key("tariffs"), product_codes],  # the gate checks products against the product list
          check_specs=check_specs("raw/tariffs"))
def tariffs(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
            gate_settings: GateSettings):
    """Tariff schedules by HS6 (WITS/UNCTAD TRAINS: AVEMFN bulk files, WITS query results) as raw.tariffs, rates in
    percent; optional like raw/services (no file: an empty table and empty tariff marts)."""
    sources = raw_inputs.inventory().tariffs
    frames = []
    for source in sources:
        try:
            frames.append(read_tariffs(source, hs=raw_inputs.resolved_hs()).with_columns(pl.lit(str(source)).alias("_path")))
        except InputFileError as exc:
            raise _fail(exc) from exc
    if not sources:
        context.log.warning("no tariff file (AVEMFN_*, JobID-*.csv): raw.tariffs is empty, the tariff marts will be")
    frame = pl.concat(frames) if frames else pl.DataFrame(schema={**TARIFFS_SCHEMA, "_path": pl.Utf8})
    key = ["iso3", "year", "duty_type", "hs6"]
    if (dup := frame.filter(pl.struct(key).is_duplicated())).height:  # each file has refused its own repeats
        row = dup.row(0, named=True)
        files = sorted(set(dup.filter(pl.struct(key) == pl.struct(**{k: pl.lit(row[k]) for k in key}))["_path"]))
        raise _fail(InputFileError(", ".join(files), f"{row['iso3']} {row['year']} {row['duty_type']} product "
                                                     f"{row['hs6']} is in more than one file"))
    frame = frame.drop("_path")
    yield from _replace_table(context, warehouse, gate_settings, "raw.tariffs", frame, "raw/tariffs",
                              ", ".join(map(str, sources)), ";".join(s.fingerprint() for s in sources),
                              source_files=", ".join(s.name for s in sources) or "none")


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"}, deps=[file_key("geodist")],
          check_specs=check_specs("raw/geodist"))
def geodist(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
            gate_settings: GateSettings):
    """CEPII GeoDist bilateral distances (dist_cepii*.csv), CEPII codes mapped to ISO3, as raw.geodist."""
    source = raw_inputs.inventory().geodist
    if source is None:
        context.log.warning("no GeoDist file (dist_cepii*.csv): raw.geodist is empty, export quality will be too")
        frame = pl.DataFrame(schema=GEODIST_SCHEMA)
    else:
        try:
            frame = read_geodist(source).with_columns(pl.lit(source.name).alias("source_file"))
        except InputFileError as exc:
            raise _fail(exc) from exc
        frame = frame.select(list(GEODIST_SCHEMA))
    yield from _replace_table(context, warehouse, gate_settings, "raw.geodist", frame, "raw/geodist",
                              str(source or ""), source.fingerprint() if source else "",
                              source_file=str(source or "none"))


@dg.asset(
    pool=WAREHOUSE_POOL, key_prefix="raw",
    group_name="ingest",
    kinds={"duckdb"},
    partitions_def=baci_years,
    # the gate of this asset checks codes against the code lists, so they load first
    deps=[BACI, country_codes, product_codes],
    check_specs=by_year(check_specs("raw/baci_flows")),
)
def baci_flows(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
               gate_settings: GateSettings):
    """One BACI HS6 bilateral flow file per year (t,i,j,k,v,q) as raw.baci_flows, partitioned by year."""
    year = int(context.partition_key)
    source = raw_inputs.inventory().baci_file(year)
    started = time.perf_counter()
    context.log.info(f"loading {source} into raw.baci_flows (year {year})")

    def build(con) -> list[Staged]:
        con.execute(load_sql("ingest/raw/baci_flows.ddl"))
        con.execute("DELETE FROM raw.baci_flows WHERE year = ?", [year])
        try:
            load_baci_flows(con, source, year)
        except InputFileError as exc:
            raise _fail(exc) from exc
        rows = con.execute("SELECT count(*) FROM raw.baci_flows WHERE year = ?", [year]).fetchone()[0]
        seconds = time.perf_counter() - started
        context.log.info(f"raw.baci_flows {year}: {rows:,} rows in {seconds:.1f} s, gating")
        meta = table_metadata(con, "raw.baci_flows", where="year = ?", params=[year])
        return [Staged("raw/baci_flows", str(year), str(source), source.fingerprint(), rows,
                       {**meta, "source_file": str(source), "seconds": round(seconds, 2)})]

    yield from gated_build(context, warehouse, gate_settings, build, pause="ingest.before_commit")


assets = [country_codes, product_codes, wdi, services, tariffs, geodist, baci_flows]
