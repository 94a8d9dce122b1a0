"""Safe publication of the marts to the file BI tools read.

The pipeline builds and gates marts in the working warehouse. Publishing copies them into a
NEW DuckDB file next to the published one, checks the copy, then renames it over the published
file (``os.replace``, atomic on POSIX). So:

- readers never block the refresh: the refresh never opens the published file for writing;
- a reader never sees a half-built or mixed-version mart: a connection keeps reading the file it
  opened (the old inode stays alive until it closes), and every published file is complete;
- new connections opened after the rename see the new version;
- a run killed at any point leaves the published file as it was (at worst a ``.staging`` file,
  removed by the next publication).

``meta.publication`` (one row) and ``meta.published_tables`` (rows per table) in the published
file say which version it is and what it holds; ``meta.settings`` and ``meta.inputs`` how and from
which files it was built (:mod:`tcd_pipeline.defs.publication.meta`). Every table, marts and
dimensions (``dim``) as declared, and meta alike, carries its COMMENTs.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from tcd_pipeline import faults
from tcd_pipeline.defs.publication import meta
from tcd_pipeline.warehouse.contracts import Mart, apply_comments
from tcd_pipeline.warehouse.sql import load_sql

STAGING_SUFFIX = ".staging"


@dataclass(frozen=True)
class Publication:
    path: Path
    version: str
    tables: dict[str, int]
    seconds: float


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_staging(target: Path) -> list[Path]:
    """Staging files left by an interrupted publication (never the published file itself)."""
    stale = sorted(target.parent.glob(f".{target.name}.*{STAGING_SUFFIX}*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def publish(con: duckdb.DuckDBPyConnection, marts: Iterable[Mart], target: Path, fingerprint: str = "",
            settings: Iterable[meta.SettingRow] = (),
            derived: Callable[[duckdb.DuckDBPyConnection], dict[str, int]] | None = None) -> Publication:
    """Copy the declared tables ``marts`` (marts and dimensions) from the warehouse connection ``con`` into
    ``target`` atomically, with the meta tables (``settings``: the rows of ``meta.settings``).

    ``derived`` builds further tables from the published ones only: it runs with the staging file as the
    connection's current catalog (so ``marts.*``, ``dim.*`` and ``meta.settings`` are the published tables) and
    returns ``{"schema.table": rows}``; the report's tables (schema ``report``) are built so."""
    started = time.perf_counter()
    target = Path(target)
    if target.stem in ("marts", "meta", "dim"):
        raise ValueError(f"{target}: a file named {target.stem}.duckdb makes '{target.stem}.<table>' ambiguous "
                         "in DuckDB (catalog and schema share the name); choose another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target)
    version = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:8]
    staging = target.parent / f".{target.name}.{version}{STAGING_SUFFIX}"
    marts = list(marts)
    tables: dict[str, int] = {}
    con.execute(f"ATTACH {_sql_string(str(staging))} AS pub")
    try:
        for schema in sorted({m.schema for m in marts} | {meta.SCHEMA}):
            con.execute(f"CREATE SCHEMA pub.{schema}")
        for mart in marts:
            con.execute(f"CREATE TABLE pub.{mart.table} AS SELECT * FROM {mart.table}")
            apply_comments(con, mart, table=f"pub.{mart.table}")
            tables[mart.table] = con.execute(f"SELECT count(*) FROM pub.{mart.table}").fetchone()[0]
            faults.pause_point("publish.copying")
        for table in meta.META:
            columns = ", ".join(f'"{c.name}" {c.type}' for c in table.columns)
            con.execute(f"CREATE TABLE pub.{table.table} ({columns})")
            apply_comments(con, table, table=f"pub.{table.table}")
        con.execute("INSERT INTO pub.meta.publication VALUES (?, now()::TIMESTAMP, ?)", [version, fingerprint])
        rows = [[r.setting, r.env_variable, r.value, r.default_value, r.description] for r in settings]
        if rows:
            con.executemany("INSERT INTO pub.meta.settings VALUES (?, ?, ?, ?, ?)", rows)
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                       "AND schema_name = 'meta' AND table_name = 'loaded_partitions'").fetchone()[0]:
            con.execute(load_sql("publication/meta/inputs"))
        if derived is not None:
            tables.update(_in_catalog(con, "pub", derived))
        con.executemany("INSERT INTO pub.meta.published_tables VALUES (?, ?, ?)",
                        [[t, n, version] for t, n in tables.items()])
        con.execute("CHECKPOINT pub")
    finally:
        con.execute("DETACH pub")
    _verify(staging, tables, version)
    _fsync(staging)
    faults.pause_point("publish.before_replace")
    os.replace(staging, target)
    _fsync(target.parent)
    return Publication(target, version, tables, time.perf_counter() - started)


def _in_catalog(con: duckdb.DuckDBPyConnection, catalog: str,
                build: Callable[[duckdb.DuckDBPyConnection], dict[str, int]]) -> dict[str, int]:
    """``build(con)`` with ``catalog`` as the current database, then back to the one before."""
    previous = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f'USE "{catalog}"')
    try:
        return build(con)
    finally:
        con.execute(f'USE "{previous}"')


def _verify(staging: Path, tables: dict[str, int], version: str) -> None:
    wal = Path(f"{staging}.wal")
    if wal.exists():
        raise RuntimeError(f"{staging}: write-ahead log left after checkpoint; not publishing")
    with duckdb.connect(str(staging), read_only=True) as check:
        for table, rows in tables.items():
            found = check.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if found != rows:
                raise RuntimeError(f"{staging}: {table} has {found} rows after copy, expected {rows}")
        if check.execute("SELECT version FROM meta.publication").fetchone()[0] != version:
            raise RuntimeError(f"{staging}: version stamp mismatch")


def published_version(target: Path) -> str | None:
    """The version of the published file, or None when nothing is published yet."""
    if not Path(target).exists():
        return None
    with duckdb.connect(str(target), read_only=True) as con:
        return con.execute("SELECT version FROM meta.publication").fetchone()[0]
