"""The ``meta`` schema of the published file: what it is, what it holds, how and from what it was built.

- ``meta.publication``: the version and time of the file, and the fingerprint of the inputs;
- ``meta.published_tables``: rows of every published table;
- ``meta.settings``: every analysis setting (resource ``settings``) and the raw-input settings that
  shape the marts (``raw_inputs.hs_vintage``, ``raw_inputs.io_tables``) with the value the marts
  were built with, plus the conventions the builds recorded in the warehouse (spell rules in
  ``spells.builds``, input-output conventions in ``tiva.tables``);
- ``meta.inputs``: one row per input file the warehouse was built from (its ``meta.loaded_partitions``).

The tables are declared here (as :class:`Mart` with ``schema="meta"``) for their COMMENTs and the data
dictionary; they have no gate of their own (the publication verifies the copy as a whole).
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from tcd_pipeline import config
from tcd_pipeline.config import Settings
from tcd_pipeline.warehouse.contracts import Column as C
from tcd_pipeline.warehouse.contracts import Mart

SCHEMA = "meta"
RAW_INPUT_SETTINGS = ("raw_inputs.hs_vintage", "raw_inputs.io_tables")

PUBLICATION = Mart(
    name="publication", schema=SCHEMA, grain="one row",
    description="Which version of the published file a connection reads.",
    columns=(
        C("version", "VARCHAR", "", "Version: UTC time of the publication and a random suffix (20261206T175714Z-7ede77bf)"),
        C("published_at", "TIMESTAMP", "UTC", "When the file was written"),
        C("input_fingerprint", "VARCHAR", "", "Fingerprint of the verified inputs (reference tables and BACI years) the "
          "marts were built from"),
    ),
    example="SELECT version, published_at FROM meta.publication",
)

PUBLISHED_TABLES = Mart(
    name="published_tables", schema=SCHEMA, grain="published table",
    description="Every table of the marts and dim schemas of this file, with its row count.", key=("table_name",),
    columns=(
        C("table_name", "VARCHAR", "", "schema.table (marts.rca, dim.countries)"),
        C("row_count", "BIGINT", "rows", "Rows of the table"),
        C("version", "VARCHAR", "", "The file's version (meta.publication.version)"),
    ),
    example="SELECT table_name, row_count FROM meta.published_tables ORDER BY table_name",
)

SETTINGS = Mart(
    name="settings", schema=SCHEMA, grain="setting or convention",
    description=("The settings and conventions the marts were built with: every analysis setting, the raw-input "
                 "settings that shape the marts, and the conventions the builds recorded (spells.<level>.*: spell "
                 "rules of spells.builds; tiva.*: conventions of the input-output tables in tiva.tables)."),
    key=("setting",),
    columns=(
        C("setting", "VARCHAR", "", "Resource and field of a setting (settings.focus), or the build's convention "
          "(spells.bilateral.gap, tiva.output_convention)"),
        C("env_variable", "VARCHAR", "", "The environment variable that sets it (NULL for a recorded convention)"),
        C("value", "VARCHAR", "", "The value the marts were built with, as text in the variable's form "
          "(RUS,AZE,CHL; 2000-2012,2012-2018)"),
        C("default_value", "VARCHAR", "", "The default, in the same form (NULL for a recorded convention)"),
        C("description", "VARCHAR", "", "What the setting or convention means"),
    ),
    example="SELECT setting, value FROM meta.settings WHERE setting LIKE 'settings.%'",
)

INPUTS = Mart(
    name="inputs", schema=SCHEMA, grain="input file x raw asset (x BACI year)",
    description=("Every input file the warehouse was built from, as its manifest (meta.loaded_partitions) records "
                 "them: the raw asset that loaded it, the file, its fingerprint (name, size, modification time)."),
    key=("asset", "partition", "source_file"),
    columns=(
        C("asset", "VARCHAR", "", "Raw asset of the warehouse that loaded the file (raw/baci_flows, raw/wdi)"),
        C("partition", "VARCHAR", "", "BACI year of raw/baci_flows; '' for the other assets"),
        C("source_file", "VARCHAR", "", "The file (zip!member for a member of a zip archive)"),
        C("fingerprint", "VARCHAR", "", "name:size:modification time (ns) of the file when loaded"),
        C("rows", "BIGINT", "rows", "Rows the asset (partition) loaded from all its files"),
        C("loaded_at", "TIMESTAMP", "UTC", "When the asset (partition) was loaded and passed its gates"),
    ),
    example="SELECT asset, partition, source_file, loaded_at FROM meta.inputs ORDER BY asset, partition",
)

META: tuple[Mart, ...] = (PUBLICATION, PUBLISHED_TABLES, SETTINGS, INPUTS)

# conventions recorded by the builds: (setting, table, column, condition, description)
SPELL_CONVENTIONS = {
    "first_year": "First year of the BACI panel the {level} spells were built from",
    "last_year": "Last year of the BACI panel the {level} spells were built from",
    "gap": "Gap rule of the {level} spells (none: a year without trade ends a spell; merge_one_year_gaps)",
    "min_initial_value": "Spells starting below this value (current USD) were dropped (NULL: none)",
    "include_left_censored": "Whether the {level} spell table holds spells already running in the first year (flagged "
                             "left-censored; the survival marts use them as settings.left_censored says)",
}
TIVA_CONVENTIONS = {
    "family": "Input-output family of the TiVA marts (icio: OECD ICIO; wiod2013; wiod_long_run)",
    "classification": "Industry classification of the input-output tables (dim.tiva_industries)",
    "taxes": "Taxes less subsidies on products: value_added (counted as value added of the paying industry) or "
             "separate (their content is exgr_tls)",
    "output_convention": "Gross output: published (the table's output column) or row_sums (rows of Z and final demand)",
    "source": "The release the input-output tables come from",
}


@dataclass(frozen=True)
class SettingRow:
    setting: str
    env_variable: str | None
    value: str | None
    default_value: str | None
    description: str


def as_text(value: Any, name: str = "") -> str:
    """A resolved value in the form its variable takes: ``RUS,AZE``; ``2000-2012,2012-2018``; ``auto``."""
    if value is None:
        return "auto" if name == "settings.margin_periods" else ""
    if isinstance(value, tuple):
        return ",".join(f"{v[0]}-{v[1]}" if isinstance(v, tuple) else str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Path):
        return str(value)
    return str(value)


def setting_rows(settings: Settings, raw_inputs: dict[str, Any]) -> list[SettingRow]:
    """The declared settings (resource ``settings`` and ``RAW_INPUT_SETTINGS``) with ``settings``'s values and
    ``raw_inputs``' (``{"raw_inputs.hs_vintage": "92", ...}``)."""
    rows = []
    for s in config.SETTINGS:
        if s.resource == "settings":
            value = getattr(settings, s.field)
        elif s.name in RAW_INPUT_SETTINGS:
            value = raw_inputs[s.name]
        else:
            continue
        rows.append(SettingRow(s.name, s.env, as_text(value, s.name), as_text(s.default_value(), s.name), s.doc))
    return rows


def _values(con: duckdb.DuckDBPyConnection, table: str, column: str, where: str = "",
            params: list | None = None) -> str | None:
    """The distinct values of ``column``, comma-separated (None when all are NULL)."""
    found = con.execute(f'SELECT DISTINCT CAST("{column}" AS VARCHAR) AS v FROM {table} {where} ORDER BY v NULLS FIRST',
                        params or []).fetchall()
    if all(v is None for (v,) in found):
        return None
    return ", ".join("NULL" if v is None else v for (v,) in found)


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                       [schema, table]).fetchone()[0] > 0


def convention_rows(con: duckdb.DuckDBPyConnection) -> list[SettingRow]:
    """The conventions the warehouse's builds recorded: per spell level of ``spells.builds`` its rules, and the
    input-output conventions of ``tiva.tables`` (several values across years are listed, comma-separated)."""
    rows = []
    if _exists(con, "spells", "builds"):
        for (level,) in con.execute("SELECT level FROM spells.builds ORDER BY level").fetchall():
            for column, text in SPELL_CONVENTIONS.items():
                rows.append(SettingRow(f"spells.{level}.{column}", None,
                                       _values(con, "spells.builds", column, "WHERE level = ?", [level]), None,
                                       text.format(level=level)))
    if _exists(con, "tiva", "tables"):
        for column, text in TIVA_CONVENTIONS.items():
            rows.append(SettingRow(f"tiva.{column}", None, _values(con, "tiva.tables", column), None, text))
        rows.append(SettingRow("tiva.years", None, _values(con, "tiva.tables", "year"), None,
                               "Years with an input-output table (the TiVA marts' years)"))
    return rows
