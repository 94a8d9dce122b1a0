"""Mart assets are made by factories: ``sql_mart`` (one statement in ``sql/<chapter>/marts``) and
``mart_asset`` (a function of the warehouse connection and the settings that builds the mart,
usually from core functions year by year). Both build inside one transaction that the mart's gate
verifies before it commits (``gates.gated_build``), recording what the mart was built from, so that
only gated marts of the current clean layer are published (see publish.py)."""

import time
from typing import Any, Callable

import dagster as dg
import duckdb

from tcd_pipeline.config import Settings
from tcd_pipeline.lib.code_versions import BUILD_TAG
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.gated import GateSettings, Staged, check_specs, gated_build
from tcd_pipeline.lib.metadata import table_metadata
from tcd_pipeline.lib.resources import DiagnosticSettings, Warehouse
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.contracts import Mart, build_mart
from tcd_pipeline.warehouse.plan import REFERENCE_ASSETS, marts_fingerprint, with_build, without_build
from tcd_pipeline.warehouse.sql import load_sql


def _staged(con, mart: Mart, rows: int, seconds: float, focus: str, build: str) -> Staged:
    """The mart as built inside the open transaction, with its materialization metadata (preview: the focus first)."""
    return Staged(f"{mart.schema}/{mart.name}", "", "clean layer", inputs_fingerprint(con, build), rows, {
        **table_metadata(con, mart.table, focus=focus),
        "grain": mart.grain,
        "seconds": round(seconds, 2),
        "dagster/column_schema": column_schema(mart),
    })


def column_schema(mart: Mart) -> dg.TableSchema:
    """The declaration as Dagster's column schema: per column its nullability, uniqueness (a one-column
    key) and allowed values; the grain's key and the minimum row count as table constraints."""
    table = ([f"unique key ({', '.join(mart.key)})"] if mart.key else []) + (
        [f"at least {mart.min_rows} row(s)"] if mart.min_rows else [])
    return dg.TableSchema(
        columns=[dg.TableColumn(c.name, c.type, description=c.comment(), constraints=dg.TableColumnConstraints(
            nullable=c.nullable, unique=mart.key == (c.name,), other=[f"allowed: {c.allowed()}"] if c.allowed() else []))
            for c in mart.columns],
        constraints=dg.TableConstraints(other=table),
    )


def inputs_fingerprint(con, build: str = "") -> str:
    """The verified clean inputs every mart is built from (see tcd_pipeline.warehouse.plan), and the
    build (code and settings, :func:`tcd_pipeline.lib.code_versions.build_digest`) when one is given."""
    reference = {a: manifest.verified(con, a).get("", "") for a in REFERENCE_ASSETS}
    return with_build(marts_fingerprint(reference, manifest.verified(con, "clean/flows")), build)


def built_for(recorded: str | None, inputs: str, build: str | None) -> bool:
    """Whether a recorded fingerprint is that of a build from ``inputs`` with ``build`` (None: with any
    build, e.g. a run launched by hand, which carries no build tag)."""
    if recorded is None:
        return False
    if build is None:
        return without_build(recorded) == inputs
    return recorded == with_build(inputs, build)


def run_build(context) -> str:
    """The build digest the run was launched with (tag ``tcd/build``; "" for a run launched by hand)."""
    return context.run.tags.get(BUILD_TAG, "")


Builder = Callable[[duckdb.DuckDBPyConnection, Settings, Any], int]


def mart_asset(mart: Mart, deps: list, build: Builder, group: str) -> dg.AssetsDefinition:
    """An asset of chapter ``group`` that builds ``marts.<name>`` with ``build(con, settings, log) -> rows``."""

    @dg.asset(pool=WAREHOUSE_POOL, name=mart.name, key_prefix="marts", group_name=group, kinds={"duckdb", "polars"}, deps=deps,
              description=f"{mart.description} Grain: {mart.grain}.", check_specs=check_specs(f"marts/{mart.name}"))
    def _mart(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: DiagnosticSettings,
              gate_settings: GateSettings):
        started = time.perf_counter()

        def staged(con) -> list[Staged]:
            resolved = settings.resolved()
            rows = build(con, resolved, context.log)
            seconds = time.perf_counter() - started
            context.log.info(f"{mart.table}: {rows:,} rows in {seconds:.1f} s, gating")
            return [_staged(con, mart, rows, seconds, resolved.focus, run_build(context))]

        yield from gated_build(context, warehouse, gate_settings, staged, pause="marts.before_commit")

    return _mart


MultiBuilder = Callable[[duckdb.DuckDBPyConnection, Settings, Any], dict[str, int]]


def marts_asset(name: str, marts: list[Mart], deps: list, build: MultiBuilder, group: str) -> dg.AssetsDefinition:
    """One step that builds marts computed together (``build(con, settings, log) -> {mart name: rows}``),
    e.g. ECI and PCI from one eigen-decomposition a year. Each mart keeps its own asset key and gate."""
    specs = [dg.AssetSpec([m.schema, m.name], deps=deps, group_name=group, kinds={"duckdb", "polars"},
                          description=f"{m.description} Grain: {m.grain}.") for m in marts]

    @dg.multi_asset(pool=WAREHOUSE_POOL, name=name, specs=specs, check_specs=check_specs(*(f"{m.schema}/{m.name}" for m in marts)))
    def _marts(context: dg.AssetExecutionContext, warehouse: Warehouse, settings: DiagnosticSettings,
               gate_settings: GateSettings):
        started = time.perf_counter()

        def staged(con) -> list[Staged]:
            resolved = settings.resolved()
            rows = build(con, resolved, context.log)
            seconds = time.perf_counter() - started
            for mart in marts:
                context.log.info(f"{mart.table}: {rows[mart.name]:,} rows ({name}: {seconds:.1f} s), gating")
            return [_staged(con, mart, rows[mart.name], seconds, resolved.focus, run_build(context)) for mart in marts]

        yield from gated_build(context, warehouse, gate_settings, staged, pause="marts.before_commit")

    return _marts


def sql_mart(mart: Mart, deps: list, group: str) -> dg.AssetsDefinition:
    """An asset of chapter ``group`` that builds ``marts.<name>`` from ``sql/<group>/marts/<name>.sql``."""
    statement = f"{group}/marts/{mart.name}"
    return mart_asset(mart, deps, lambda con, settings, log: build_mart(con, mart, load_sql(statement)), group)
