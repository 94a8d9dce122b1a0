"""Blocking data-quality gates: one asset check per suite in ``expectations/``, run inside the write.

Staged, then verified, then committed (:func:`gated_build`): an asset writes its rows inside one
transaction, its suites run on that transaction's view, and only when every gate passed do the
rows, the manifest record of what they were built from and their "verified" mark commit
together. A failed gate rolls all of it back: the next layer never sees the rows, nothing counts
as verified, and restoring a good file gives the warehouse that never saw the bad one. The gates
are declared on the asset that writes (``check_specs``), so the UI shows each check beside it.

A suite's ``meta`` says which asset and warehouse relation it guards, whether it is validated
one partition at a time (``partition_column``), which suite parameters come from which SQL
statement (``parameters``) and which extra SQL checks (``sql_checks``: statements returning the
offending rows) belong to the same gate. Adding a suite file adds a check to its asset: no code changes.
A mart's suite is generated from its declaration (``tcd_pipeline/defs/<chapter>/marts.py``: key,
nullability, ranges, value sets, minimum rows) followed by the hand-written rest of
``expectations/<chapter>/marts_<name>.json`` (:func:`tcd_pipeline.warehouse.contract_suites.mart_suite`);
declaring a mart gives it a gate.
"""


import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import dagster as dg
from pydantic import Field

from tcd_pipeline import config, faults
from tcd_pipeline.config import EXPECTATIONS_DIR
from tcd_pipeline.defs.catalog import DECLARED
from tcd_pipeline.gates import SuiteResult, validate_gx, validate_sql
from tcd_pipeline.gates.outcome import jsonable
from tcd_pipeline.lib.resources import Warehouse
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.contract_suites import mart_suite, suite_name
from tcd_pipeline.warehouse.sql import atomic, load_sql

MAX_EXAMPLES = 5
# suite parameters (sql/params) -> the asset whose file they list, named when a value is not in them
PARAMETER_SOURCES = {"baci_country_codes": "raw/country_codes", "hs_product_codes": "raw/product_codes",
                     "hs6_codes": "raw/product_codes"}


class GateSettings(dg.ConfigurableResource):
    """How gates evaluate suites: ``sql`` (DuckDB, any size) or ``gx`` (Great Expectations on pandas).

    ``engine`` unset (None or "") means ``$TCD_GATE_ENGINE``, else "sql" (declared in :mod:`tcd_pipeline.config`).
    """

    engine: str | None = Field(default=None, description=config.BY_NAME["gate_settings.engine"].doc)

    def resolved_engine(self) -> str:
        return config.resolve("gate_settings.engine", self.engine)


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
        # arrow keeps NaN apart from NULL (pandas via .df() would make both None for the engine)
        frame = con.execute(f"SELECT * FROM {relation}{condition}", where_params or []).to_arrow_table()
        values = {n: [r[0] for r in con.execute(load_sql(f)).fetchall()] for n, f in meta.get("parameters", {}).items()}
        return validate_gx(suite, frame, parameters=values, max_examples=MAX_EXAMPLES)
    parameters = {n: load_sql(f) for n, f in meta.get("parameters", {}).items()}
    return validate_sql(con, suite, relation, where=where, where_params=where_params,
                        parameters=parameters, max_examples=MAX_EXAMPLES)


@dataclass
class Staged:
    """One asset (partition) written inside the open transaction, waiting for its gates.

    ``source`` and ``fingerprint`` say which raw files it was built from (``meta.loaded_partitions``);
    ``metadata`` is what the materialization will show once committed.
    """

    key: str  # "raw/baci_flows"
    partition: str = ""  # "" or the BACI year
    source: str = ""
    fingerprint: str = ""
    rows: int = 0
    metadata: dict = field(default_factory=dict)


@dataclass
class Verdict:
    """One gate (suite plus its SQL checks) on one staged asset."""

    check_name: str
    passed: bool
    description: str
    metadata: dict


class GateFailed(dg.Failure):
    """A gate failed: the transaction was rolled back (its check evaluation says why)."""


def suites_for(key: str) -> list[dict]:
    """The suites guarding asset ``key`` ("raw/baci_flows"), by name."""
    return [s for s in SUITES if s["meta"]["asset"] == key]


def check_specs(*keys: str) -> list[dg.AssetCheckSpec]:
    """The blocking gate of every suite guarding ``keys``, declared on the asset that writes them."""
    return [
        dg.AssetCheckSpec(name=f"{suite['name']}_gate", asset=dg.AssetKey(key.split("/")), blocking=True,
                          description=suite["meta"].get("description", suite["name"]))
        for key in keys for suite in suites_for(key)
    ]


def evaluate_gate(con, suite: dict, engine: str, partition: str, source: str) -> Verdict:
    """Run ``suite`` and its SQL checks on what ``con`` sees (its own uncommitted writes included)."""
    meta = suite["meta"]
    asset = meta["asset"]
    year = int(partition) if meta.get("partition_column") and partition else None
    result = _evaluate(con, suite, engine, year)
    sql_failures = run_sql_checks(con, meta.get("sql_checks", []), year)
    problems = [o.message for o in result.blocking_failures] + [f["message"] for f in sql_failures]
    # a value missing from a code list may be the list's fault: name the list's file too
    for parameter, list_asset in PARAMETER_SOURCES.items():
        if any(f"${parameter}" in p for p in problems):
            problems.append(f"${parameter} is {manifest.source(con, list_asset) or list_asset}")
    where = f"{asset}" + (f" year {year}" if year is not None else "") + (f" (from {source})" if source else "")
    description = (
        f"{where}: {len(problems)} failed: " + " || ".join(problems) if problems
        else f"{where}: all {len(result.outcomes) + len(meta.get('sql_checks', []))} checks passed"
    )
    return Verdict(
        check_name=f"{suite['name']}_gate",
        passed=not problems,
        description=description[:4000],
        metadata={
            **result.to_metadata(),
            "sql_checks_failed": dg.MetadataValue.json(sql_failures) if sql_failures else 0,
            "source": source or "",
            "summary": dg.MetadataValue.md("\n".join(f"- {p}" for p in problems) or "all passed"),
        },
    )


def _check_result(staged: Staged, verdict: Verdict) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(staged.key.split("/")), check_name=verdict.check_name, passed=verdict.passed,
        severity=dg.AssetCheckSeverity.ERROR, description=verdict.description, metadata=verdict.metadata,
    )


def gated_build(
    context, warehouse: Warehouse, gate_settings: GateSettings,
    build: Callable[[Any], list[Staged]], pause: str | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Stage, verify, commit: the asset's writes become visible only once its gates passed.

    ``build(con)`` writes inside one transaction and returns what it staged; each staged asset's
    suites then run on that transaction's view. All passed: the manifest records what each was
    built from, marks it verified, and the transaction commits (one materialization per staged
    asset, its check results attached). Any failed: the transaction is rolled back, so the
    warehouse, its manifest and what counts as verified are exactly as before the run; the
    failed check evaluations are reported and the step fails with :class:`GateFailed`.
    """
    engine = gate_settings.resolved_engine()
    verdicts: dict[int, list[Verdict]] = {}
    with warehouse.connect(log=context.log.warning) as con:
        try:
            with atomic(con):
                staged = build(con)
                for s in staged:
                    verdicts[id(s)] = [evaluate_gate(con, suite, engine, s.partition, s.source)
                                       for suite in suites_for(s.key)]
                if any(not v.passed for vs in verdicts.values() for v in vs):
                    raise _RollBack()
                for s in staged:
                    manifest.record(con, s.key, s.partition, s.source, s.fingerprint, s.rows)
                    manifest.verify(con, s.key, s.partition)
                if pause:
                    faults.pause_point(pause)
        except _RollBack:
            for s in staged:
                for v in verdicts[id(s)]:
                    if not v.passed:
                        context.log.error(v.description)
                    yield _check_result(s, v)
            names = ", ".join(v.check_name for vs in verdicts.values() for v in vs if not v.passed)
            raise GateFailed(
                description=f"{names} failed: nothing was committed ({', '.join(s.key for s in staged)} "
                            "unchanged in the warehouse)",
                metadata={"gate_failed": True},
            ) from None
    for s in staged:
        yield dg.MaterializeResult(asset_key=dg.AssetKey(s.key.split("/")), metadata=s.metadata,
                                   check_results=[_check_result(s, v) for v in verdicts[id(s)]])


class _RollBack(Exception):
    """Raised inside the transaction to roll it back when a gate failed."""


def load_suites(directory: Path = EXPECTATIONS_DIR, marts: dict | None = None) -> list[dict]:
    """Every suite the gates evaluate, sorted by name: the suite JSONs under ``directory`` (one folder
    per chapter; plain json, GX validates them in tests), each mart's completed by the expectations its
    declaration generates, and a generated suite for a declared mart without a file."""
    marts = DECLARED if marts is None else marts
    written = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in directory.rglob("*.json")}
    by_suite = {suite_name(m): m for m in marts.values()}
    suites = {name: mart_suite(by_suite[name], suite) if name in by_suite else suite for name, suite in written.items()}
    suites.update({name: mart_suite(m) for name, m in by_suite.items() if name not in written})
    return [suites[name] for name in sorted(suites)]


SUITES = load_suites()
