"""Blocking data-quality gates: one asset check per suite in ``expectations/``, made by one factory.

A suite's ``meta`` says which asset and warehouse relation it guards, whether it is validated
one partition at a time (``partition_column``), which suite parameters come from which SQL
statement (``parameters``) and which extra SQL checks (``sql_checks``: statements returning the
offending rows) belong to the same gate. Adding a suite file adds a check: no code changes.
"""


import json
import os
from pathlib import Path
from typing import Any

import dagster as dg

from tcd_pipeline import manifest
from tcd_pipeline.gates import SuiteResult, validate_gx, validate_sql
from tcd_pipeline.gates.outcome import jsonable
from tcd_pipeline.paths import EXPECTATIONS_DIR
from tcd_pipeline.resources import Warehouse
from tcd_pipeline.sql import load_sql

MAX_EXAMPLES = 5


class GateSettings(dg.ConfigurableResource):
    """How gates evaluate suites: ``sql`` (DuckDB, any size) or ``gx`` (Great Expectations on pandas).

    ``engine`` "" means ``$TCD_GATE_ENGINE``, else "sql".
    """

    engine: str = ""

    def resolved_engine(self) -> str:
        engine = self.engine or os.environ.get("TCD_GATE_ENGINE") or "sql"
        if engine not in ("sql", "gx"):
            raise ValueError(f"gate engine ($TCD_GATE_ENGINE) must be 'sql' or 'gx', got {engine!r}")
        return engine


def run_sql_checks(con, names: list[str], year: int | None) -> list[dict[str, Any]]:
    """Each SQL check returns offending rows; an empty result passes."""
    failures = []
    for name in names:
        params = {"year": year} if year is not None else {}
        cursor = con.execute(load_sql(name), params)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(MAX_EXAMPLES + 1)
        if rows:
            examples = jsonable([dict(zip(columns, row)) for row in rows[:MAX_EXAMPLES]])
            failures.append({"check": name, "examples": examples,
                             "message": f"{name}: offending rows, e.g. {examples[0]}"})
    return failures


def _evaluate(con, suite: dict, engine: str, year: int | None) -> SuiteResult:
    meta = suite["meta"]
    relation = meta["relation"]
    where = f"{meta['partition_column']} = ?" if year is not None else None
    where_params = [year] if year is not None else None
    if engine == "gx":
        condition = f" WHERE {where}" if where else ""
        frame = con.execute(f"SELECT * FROM {relation}{condition}", where_params or []).df()
        values = {n: [r[0] for r in con.execute(load_sql(f)).fetchall()] for n, f in meta.get("parameters", {}).items()}
        return validate_gx(suite, frame, parameters=values, max_examples=MAX_EXAMPLES)
    parameters = {n: load_sql(f) for n, f in meta.get("parameters", {}).items()}
    return validate_sql(con, suite, relation, where=where, where_params=where_params,
                        parameters=parameters, max_examples=MAX_EXAMPLES)


def gate_check(suite: dict) -> dg.AssetChecksDefinition:
    """The blocking asset check that runs ``suite`` (and its SQL checks) on its asset."""
    meta = suite["meta"]
    asset = meta["asset"]
    partition_column = meta.get("partition_column")

    @dg.asset_check(
        asset=dg.AssetKey(asset.split("/")),
        name=f"{suite['name']}_gate",
        description=meta.get("description", suite["name"]),
        blocking=True,
    )
    def _gate(
        context: dg.AssetCheckExecutionContext, warehouse: Warehouse, gate_settings: GateSettings
    ) -> dg.AssetCheckResult:
        # an unpartitioned check on a partitioned asset runs inside that partition's run
        year = int(context.partition_key) if partition_column else None
        with warehouse.connect() as con:
            result = _evaluate(con, suite, gate_settings.resolved_engine(), year)
            sql_failures = run_sql_checks(con, meta.get("sql_checks", []), year)
            source = manifest.source(con, asset, "" if year is None else str(year))
            problems = [o.message for o in result.blocking_failures] + [f["message"] for f in sql_failures]
            if not problems:  # what this build was made from is now known to be good
                manifest.verify(con, asset, "" if year is None else str(year))
        where = f"{asset}" + (f" year {year}" if year is not None else "") + (f" (from {source})" if source else "")
        description = (
            f"{where}: {len(problems)} failed: " + " || ".join(problems) if problems
            else f"{where}: all {len(result.outcomes) + len(meta.get('sql_checks', []))} checks passed"
        )
        if problems:
            context.log.error(description)
        return dg.AssetCheckResult(
            passed=not problems,
            severity=dg.AssetCheckSeverity.ERROR,
            description=description[:4000],
            metadata={
                **result.to_metadata(),
                "sql_checks_failed": dg.MetadataValue.json(sql_failures) if sql_failures else 0,
                "source": source or "",
                "summary": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "all passed"),
            },
        )

    return _gate


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[dict]:
    """Every suite JSON in ``directory``, sorted by name (plain json: GE validates them in tests)."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def gate_checks(directory: Path = EXPECTATIONS_DIR) -> list[dg.AssetChecksDefinition]:
    return [gate_check(suite) for suite in load_suites(directory)]
