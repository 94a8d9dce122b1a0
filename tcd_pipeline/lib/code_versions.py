"""Code versions: a changed formula, reader or SQL statement marks the assets it feeds stale.

Dagster compares an asset's ``code_version`` with the one recorded at its last materialization
and shows "code version changed" on the asset (and "upstream code version changed" below it).
The version of an asset is a hash of what its computation actually runs, found from its compute
function rather than declared by hand (a hand-kept list goes stale):

- the source of the compute function and of every function it reaches in the project's
  ``defs`` package (through its globals, attributes of modules it names and closure cells, e.g.
  the builder a mart factory was given);
- every module of ``core``, ``sources`` and ``report`` whose functions it reaches, counted whole (a formula's
  helpers live next to it);
- every SQL statement (``sql/<name>.sql``) named by a string constant or closure value on the way, or
  listed by a counted module in ``SQL_STATEMENTS`` (statements it names by pattern, as the report's);
- the mart declarations (``Mart`` objects) reached, by their text.

Infrastructure (``lib``, ``warehouse``: transactions, gates, manifest) is not counted: a change
there changes how assets are written and checked, not what they contain.
"""

from __future__ import annotations

import hashlib
import inspect
import sys
import types
from pathlib import Path

import dagster as dg

from tcd_pipeline.paths import SQL_DIR

COUNTED = ("tcd_pipeline.core", "tcd_pipeline.sources", "tcd_pipeline.report", "tcd_pipeline.defs")


def _counted(module_name: str | None) -> bool:
    return bool(module_name) and module_name.startswith(COUNTED)


def _constants(code: types.CodeType):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _constants(const)
        else:
            yield const


def _names(code: types.CodeType):
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def _sql(name: object) -> Path | None:
    if isinstance(name, str) and "/" in name and " " not in name and len(name) < 120:
        path = SQL_DIR / f"{name}.sql"
        if path.is_file():
            return path
    return None


def reached(fn: types.FunctionType) -> tuple[set[str], set[Path], list[str]]:
    """(core/sources modules, SQL files, texts of defs functions and declarations) that ``fn`` reaches."""
    modules: set[str] = set()
    functions: set[str] = set()
    sql: set[Path] = set()
    declarations: list[str] = []
    seen: set[int] = set()
    todo = [fn]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.__module__.startswith(("tcd_pipeline.defs", "tcd_pipeline.lib")):
            functions.add(inspect.getsource(current))
        else:
            modules.add(current.__module__)
        code = current.__code__
        names = list(_names(code))
        values = [current.__globals__.get(n) for n in names]
        for module in [v for v in values if isinstance(v, types.ModuleType) and _counted(v.__name__)]:
            values += [getattr(module, n) for n in names if hasattr(module, n)]
        closure = [cell.cell_contents for cell in (current.__closure__ or ()) if _filled(cell)]
        # a factory's closure (a lambda holding a statement's name) is followed wherever it was written
        todo += [v for v in closure if isinstance(v, types.FunctionType) and v.__module__.startswith("tcd_pipeline")]
        values += closure + list(_constants(code))
        for value in values:
            if (path := _sql(value)) is not None:
                sql.add(path)
            elif isinstance(value, types.FunctionType) and _counted(value.__module__):
                todo.append(value)
            elif type(value).__name__ == "Mart":
                declarations.append(repr(value))
    return {m for m in modules if _counted(m)}, sql, sorted(functions) + sorted(set(declarations))


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def code_version(fn: types.FunctionType) -> str:
    """A 12-character hash of everything ``fn`` runs (see the module docstring)."""
    modules, sql, declarations = reached(fn)
    digest = hashlib.sha1()
    for name in sorted(modules):
        digest.update(inspect.getsource(sys.modules[name]).encode())
    for name in modules:
        sql |= {path for s in getattr(sys.modules[name], "SQL_STATEMENTS", ()) if (path := _sql(s)) is not None}
    for path in sorted(sql):
        digest.update(path.read_bytes())
    for text in declarations:
        digest.update(text.encode())
    return digest.hexdigest()[:12]


def with_code_versions(defs: dg.Definitions, owners: dict[str, list[str]]) -> dg.Definitions:
    """``defs`` with each asset's code version (see the module docstring) and its chapter's owners."""

    def versioned(assets_def):
        if not (isinstance(assets_def, dg.AssetsDefinition) and assets_def.is_executable):
            return assets_def
        version = code_version(assets_def.op.compute_fn.decorated_fn)
        return assets_def.map_asset_specs(lambda spec: spec.replace_attributes(
            code_version=version, owners=owners.get(spec.group_name or "", [])))

    return map_assets(defs, versioned)


def map_assets(defs: dg.Definitions, fn) -> dg.Definitions:
    """``defs`` with every asset definition replaced by ``fn(asset definition)``, the rest as it is."""
    return dg.Definitions(assets=[fn(a) for a in defs.assets or []], asset_checks=defs.asset_checks,
                          jobs=defs.jobs, sensors=defs.sensors, schedules=defs.schedules, resources=defs.resources,
                          executor=defs.executor, loggers=defs.loggers, metadata=defs.metadata)


# --- the build: what the marts and the published file are built with, beyond their inputs ----------------

BUILD_TAG = "tcd/build"  # run tag carrying build_digest(...) from make run and the sensors to the assets
BUILT_FROM_CLEAN = ("marts", "dim", "spells", "tiva", "publish")  # asset key prefixes downstream of the clean layer


def build_digest(asset_graph, settings) -> str:
    """A 12-character hash of the code versions of every asset built from the clean layer (marts, spells,
    TiVA, dimensions, the publication: :data:`BUILT_FROM_CLEAN`) and of the resolved analysis
    ``settings`` (focus, comparators, periods, spell rules, TiVA conventions).

    The files say when the inputs changed; this says when the code or the settings did. ``make run``
    and the sensors record it with every mart and with the published file (run tag
    :data:`BUILD_TAG`), so that an upgraded formula, a new column or a changed setting rebuilds the
    marts and republishes instead of leaving the marts of the previous build published.
    ``asset_graph``: ``Definitions.resolve_asset_graph()`` or a repository's ``asset_graph``.
    """
    digest = hashlib.sha1()
    for key in sorted(asset_graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        if key.path[0] in BUILT_FROM_CLEAN:
            digest.update(f"{key.to_user_string()}={asset_graph.get(key).code_version}\n".encode())
    digest.update(repr(settings).encode())  # a frozen dataclass of plain values: its repr is canonical
    return digest.hexdigest()[:12]
