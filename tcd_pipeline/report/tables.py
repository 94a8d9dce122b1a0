"""The report tables: one SQL file per figure and table (``sql/report/<name>.sql``), read from the published file.

Every number of the report comes from here: :func:`report_tables` runs each item's statement on a connection
where ``marts.*``, ``dim.*`` and ``meta.*`` resolve (the published file, or the staging file during
publication), binding ``$focus`` and ``$comparators``; :func:`materialize` stores the same frames as
``report.<name>`` tables with a COMMENT naming the figure or table and the marts it reads, so a BI tool can
rebuild any figure.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from tcd_pipeline.report.spec import COLUMNS, ITEMS, SECTIONS, Item, Report
from tcd_pipeline.warehouse.sql import load_sql

__all__ = ["ITEMS", "SECTIONS", "item_sql", "materialize", "querying", "report_tables", "run_item"]

# the statements this module runs, named for code versions (lib/code_versions.py: a changed statement marks the
# publication and the report stale in the UI)
COUNTRIES_MACRO = "report/macros/report_countries"  # the focus and comparators, named, in report order
SQL_STATEMENTS = (COUNTRIES_MACRO, *(f"report/{item.name}" for item in ITEMS))

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def item_sql(item: Item) -> str:
    """The statement of one item, ``sql/report/<name>.sql``."""
    return load_sql(f"report/{item.name}")


def _has(con: duckdb.DuckDBPyConnection, qualified: str) -> bool:
    """Whether ``schema.table`` resolves on ``con`` (``qualified`` comes from :data:`ITEMS`, never from input)."""
    try:
        con.execute(f"SELECT * FROM {qualified} LIMIT 0")
    except duckdb.CatalogException:
        return False
    return True


# The dimensions the report joins for names and display order: when a published file predates them, an empty
# in-memory stand-in is attached as catalog ``dim`` for the duration of the queries (names fall back to codes).
_DIMS = {
    "countries": "country VARCHAR, country_name VARCHAR, wb_region VARCHAR, income_group VARCHAR",
    "regions": "region VARCHAR, display_order INTEGER",
    "sectors": "classification VARCHAR, sector VARCHAR, display_order INTEGER",
    "tiva_industries": "industry VARCHAR, industry_name VARCHAR, sector VARCHAR",
}


@contextmanager
def _dimensions(con: duckdb.DuckDBPyConnection) -> Iterator[list[str]]:
    """Yields the dims stood in for (empty when the file has them all).

    The stand-in is a small DuckDB file in a temporary folder attached read-only (a read-only connection can
    attach neither an in-memory database nor a new file it would write).
    """
    present = con.execute("SELECT count(*) FROM duckdb_schemas() WHERE database_name = current_database() "
                          "AND schema_name = 'dim'").fetchone()[0]
    if present:
        yield []
        return
    with tempfile.TemporaryDirectory(prefix="tcd_dim_") as folder:
        path = Path(folder) / "dim.duckdb"
        with duckdb.connect(str(path)) as stand_in:
            for table, columns in _DIMS.items():
                stand_in.execute(f"CREATE TABLE {table} ({columns})")
        quoted = str(path).replace("'", "''")  # ATTACH takes no bound parameters; the path is our own temp file
        con.execute(f"ATTACH '{quoted}' AS dim (READ_ONLY)")
        try:
            yield [f"dim.{t}" for t in _DIMS]
        finally:
            con.execute("DETACH dim")


@contextmanager
def querying(con: duckdb.DuckDBPyConnection) -> Iterator[list[str]]:
    """What the items' statements need on ``con`` while they run: the dimensions (stand-ins for those a file
    lacks, yielded) and the temporary macro ``report_countries`` (the connection's, never the file's)."""
    with _dimensions(con) as stand_ins:
        con.execute(load_sql(COUNTRIES_MACRO))
        try:
            yield stand_ins
        finally:
            con.execute("DROP MACRO TABLE IF EXISTS report_countries")


def run_item(con: duckdb.DuckDBPyConnection, item: Item, focus: str, comparators: Sequence[str]) -> pl.DataFrame:
    """One item's frame, inside :func:`querying`; only the parameters the statement names are bound."""
    sql = item_sql(item)
    values = {"focus": focus, "comparators": list(comparators)}
    params = {name: values[name] for name in sorted(set(_PARAM.findall(sql)))}
    return con.execute(sql, params).pl()


def _setting(settings: dict[str, str], name: str) -> str | None:
    for key in (f"settings.{name}", name):
        if settings.get(key):
            return settings[key]
    return None


def _read_settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    if not _has(con, "meta.settings"):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in con.execute("SELECT setting, value FROM meta.settings").fetchall()}


def report_tables(con: duckdb.DuckDBPyConnection, focus: str | None = None,
                  comparators: Sequence[str] | None = None, strict: bool = False) -> Report:
    """Every item's frame for ``focus`` against ``comparators`` (defaults: the published ``meta.settings``).

    An item that has no rows for this country yields an empty frame and a note saying what data would fill it.
    Reading an older published file (``strict=False``), an item whose tables or columns it lacks does too;
    with ``strict=True`` (the publication, whose marts are this version's) that is an error naming the item.
    """
    with querying(con) as stand_ins:
        report = _report_tables(con, focus, comparators, strict)
    if stand_ins:
        report.notes["_dimensions"] = (f"This published file has no {', '.join(stand_ins)}: countries, sectors and "
                                       "industries are shown by code and in alphabetical order.")
    return report


def _report_tables(con: duckdb.DuckDBPyConnection, focus: str | None, comparators: Sequence[str] | None,
                   strict: bool) -> Report:
    settings = _read_settings(con)
    focus = (focus or _setting(settings, "focus") or "").upper()
    if not focus:
        raise ValueError("no focus country given and none recorded in meta.settings")
    if comparators is None:
        comparators = [c for c in (_setting(settings, "comparators") or "").replace(" ", "").split(",") if c]
    comparators = tuple(c.upper() for c in comparators if c.upper() != focus)
    names = {}
    if _has(con, "dim.countries"):
        names = {c: n for c, n in con.execute("SELECT country, country_name FROM dim.countries").fetchall() if n}
    version = ""
    if _has(con, "meta.publication"):
        row = con.execute("SELECT version FROM meta.publication LIMIT 1").fetchone()
        version = str(row[0]) if row else ""
    frames: dict[str, pl.DataFrame] = {}
    notes: dict[str, str] = {}
    for item in ITEMS:
        absent = [m for m in item.marts if not _has(con, m)]
        if absent and strict:
            raise RuntimeError(f"report table {item.name} ({item.number}): {', '.join(absent)} not found")
        if absent:
            frames[item.name] = pl.DataFrame()
            notes[item.name] = (f"Not in this published file: {', '.join(absent)}. "
                                f"Would be filled by {item.missing or 'the inputs of those tables'}.")
            continue
        try:
            frame = run_item(con, item, focus, comparators)
        except duckdb.BinderException as error:  # a file published before the report's vocabulary
            if strict:
                raise RuntimeError(f"report table {item.name} ({item.number}), sql/report/{item.name}.sql: "
                                   f"{str(error).splitlines()[0]}") from error
            frames[item.name] = pl.DataFrame()
            notes[item.name] = (f"This published file's {', '.join(item.marts)} lack what the report reads "
                                f"({str(error).splitlines()[0]}); republish it with this version of the pipeline.")
            continue
        frames[item.name] = frame
        if frame.is_empty():
            dims = [m for m in item.marts if m.startswith("dim.") and not con.execute(f"SELECT count(*) FROM {m}").fetchone()[0]]
            notes[item.name] = (f"Empty dimension table {', '.join(dims)} in this published file." if dims else
                                f"No data for {names.get(focus, focus)} in {', '.join(item.marts[:1])}. "
                                f"Would be filled by {item.missing or 'the inputs of that table'}.")
    try:
        known = {c for (c,) in con.execute("SELECT DISTINCT country FROM marts.exports_by_sector").fetchall()}
    except (duckdb.CatalogException, duckdb.BinderException):  # absent, or published before the vocabulary
        known = set()
    absent = [c for c in (focus, *comparators) if known and c not in known]
    if absent:
        notes["_countries"] = f"No trade data in this published file for: {', '.join(absent)}."
    report = Report(focus=focus, comparators=comparators, names=names, items=ITEMS, tables=frames, notes=notes,
                    version=version, settings=settings)
    from tcd_pipeline.report.findings import key_findings  # findings read the frames just built

    report.findings = key_findings(report)
    return report


def _comment(item: Item, focus: str, comparators: Sequence[str]) -> str:
    who = focus + (f" against {', '.join(comparators)}" if comparators else "")
    return (f"{item.number}: {item.title} ({who}); unit: {item.unit or 'see columns'}; "
            f"source: {', '.join(item.marts)}; built by sql/report/{item.name}.sql")


def materialize(con: duckdb.DuckDBPyConnection, focus: str | None = None, comparators: Sequence[str] | None = None,
                schema: str = "report") -> dict[str, int]:
    """``CREATE OR REPLACE TABLE <schema>.<name>`` for every item; name -> row count.

    Tables go to the connection's current catalog, each with a COMMENT naming its figure or table and marts.
    Strict: a statement that does not run on these tables stops the publication, naming it.
    """
    report = report_tables(con, focus, comparators, strict=True)
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    rows: dict[str, int] = {}
    for item in ITEMS:
        frame = report.tables[item.name]
        con.register("_report_frame", frame.to_arrow())
        try:
            con.execute(f'CREATE OR REPLACE TABLE "{schema}"."{item.name}" AS SELECT * FROM _report_frame')
        finally:
            con.unregister("_report_frame")
        text = _comment(item, report.focus, report.comparators).replace("'", "''")
        con.execute(f"COMMENT ON TABLE \"{schema}\".\"{item.name}\" IS '{text}'")
        for column in frame.columns:  # COMMENT takes no bound parameters; the texts are the report's own
            if column in COLUMNS:
                note = COLUMNS[column].replace("'", "''")
                con.execute(f'COMMENT ON COLUMN "{schema}"."{item.name}"."{column}" IS \'{note}\'')
        rows[item.name] = frame.height
    return rows
