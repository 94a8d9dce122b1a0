"""Reading Great Expectations suites stored as JSON in the repo's `expectations/<chapter>/` folders.

A suite file is ``{"name": ..., "expectations": [{"type": ..., "kwargs": {...}, "meta": {...}}]}``,
the GX 1.x form accepted by ``gx.ExpectationSuite(**data)``. Suites are returned as plain dicts
so that the DuckDB engine never needs to import Great Expectations (about 3 s).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path


def expectations_dir() -> Path:
    """The repo's top-level `expectations/` folder."""
    return Path(__file__).resolve().parents[2] / "expectations"


def load_suite(name: str, directory: Path | None = None) -> dict:
    """Read `{directory}/{name}.json` and check it is a valid GX 1.x suite.

    Raises ValueError naming the file for invalid JSON, an unknown expectation type or
    kwargs that GX rejects. Returns the plain dict as stored.
    """
    folder = Path(directory if directory is not None else expectations_dir())
    path = folder / f"{name}.json"
    if not path.exists():  # suites live in one folder per chapter
        path = next(iter(sorted(folder.rglob(f"{name}.json"))), path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise ValueError(f"{path}: expected an object with an 'expectations' list")

    import great_expectations as gx  # slow import: only when a suite is loaded
    from great_expectations.exceptions import ExpectationNotFoundError
    from great_expectations.expectations.registry import get_expectation_impl

    for position, expectation in enumerate(data["expectations"]):
        kind = expectation.get("type") if isinstance(expectation, dict) else None
        try:
            get_expectation_impl(str(kind))
        except ExpectationNotFoundError as exc:
            # GX's ExpectationSuite would only log this and silently drop the expectation.
            raise ValueError(
                f"{path}: expectation {position} has unknown type {kind!r}"
            ) from exc
    try:
        suite = gx.ExpectationSuite(**copy.deepcopy(data))
    except Exception as exc:  # pydantic ValidationError, InvalidExpectationConfigurationError...
        raise ValueError(f"{path}: invalid suite: {exc}") from exc
    if len(suite.expectations) != len(data["expectations"]):
        raise ValueError(f"{path}: GX kept {len(suite.expectations)} of "
                         f"{len(data['expectations'])} expectations")
    return data


def parameter_name(value: object) -> str | None:
    """The name in a GX suite parameter reference ``{"$PARAMETER": name}``, else None."""
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        return str(value["$PARAMETER"])
    return None


def _walk_parameters(value: object) -> set[str]:
    name = parameter_name(value)
    if name is not None:
        return {name}
    if isinstance(value, dict):
        return set().union(*(_walk_parameters(v) for v in value.values()))
    if isinstance(value, (list, tuple)):
        return set().union(*(_walk_parameters(v) for v in value))
    return set()


def suite_parameters(suite: dict) -> set[str]:
    """Names used as ``{"$PARAMETER": name}`` anywhere in the suite's kwargs."""
    return set().union(
        *(_walk_parameters(e.get("kwargs") or {}) for e in suite.get("expectations", []))
    )


def severity_of(expectation: dict) -> str:
    """``meta.severity`` if set, else GX 1.x's own ``severity`` field, else "error"."""
    severity = (expectation.get("meta") or {}).get("severity") or expectation.get("severity")
    return str(severity or "error").lower()
