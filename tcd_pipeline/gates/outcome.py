"""Engine-neutral results of running a Great Expectations suite: one outcome per expectation.

Both engines (`sql_engine` on DuckDB, `gx_engine` on Great Expectations itself) return a
`SuiteResult`, and both word their messages with `describe`, so a failure reads the same
whichever engine found it.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from dataclasses import dataclass

#: Severities (in an expectation's ``meta.severity``, or GX 1.x's own ``severity`` field)
#: whose failures are reported but do not block; anything else ("error", "critical") blocks.
NON_BLOCKING_SEVERITIES = frozenset({"warning", "info"})


@dataclass(frozen=True)
class ExpectationOutcome:
    """The verdict on one expectation of a suite."""

    expectation_type: str
    kwargs: dict  # as written in the suite, parameters unresolved
    success: bool
    element_count: int  # rows evaluated
    unexpected_count: int  # failing rows; table-level expectations: 0 if passed, 1 if failed
    examples: list[dict]  # failing rows, or [{"observed": ...}] for table-level expectations
    message: str  # one human line
    severity: str = "error"  # from meta.severity; "warning"/"info" failures do not block
    unexpected_values: tuple = ()  # the most frequent offending values: ((value, rows), ...)

    @property
    def blocking(self) -> bool:
        """Whether a failure of this expectation should stop the pipeline."""
        return self.severity not in NON_BLOCKING_SEVERITIES

    @property
    def columns(self) -> list[str]:
        """The column(s) the expectation is about (empty for whole-table expectations)."""
        if "column" in self.kwargs:
            return [self.kwargs["column"]]
        return list(self.kwargs.get("column_list") or [])


@dataclass(frozen=True)
class SuiteResult:
    """All outcomes of one suite run by one engine ("sql" or "gx")."""

    suite_name: str
    engine: str
    outcomes: tuple[ExpectationOutcome, ...]

    @property
    def success(self) -> bool:
        return all(o.success for o in self.outcomes)

    @property
    def failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.success)

    @property
    def blocking_failures(self) -> tuple[ExpectationOutcome, ...]:
        """Failures whose severity is not "warning" (or "info")."""
        return tuple(o for o in self.failures if o.blocking)

    def summary(self) -> str:
        """One line per failed expectation, or "all N expectations passed"."""
        if not self.failures:
            return f"all {len(self.outcomes)} expectations passed"
        return "\n".join(
            o.message if o.blocking else f"{o.severity}: {o.message}" for o in self.failures
        )

    def to_metadata(self) -> dict[str, object]:
        """A JSON-able dict for Dagster check metadata."""
        return {
            "suite": self.suite_name,
            "engine": self.engine,
            "expectations": len(self.outcomes),
            "failed": len(self.failures),
            "blocking_failed": len(self.blocking_failures),
            "failures": [
                {
                    "type": o.expectation_type,
                    ("column" if "column" in o.kwargs else "columns"): (
                        o.kwargs["column"] if "column" in o.kwargs else o.columns
                    ),
                    "severity": o.severity,
                    "element_count": o.element_count,
                    "unexpected_count": o.unexpected_count,
                    "examples": jsonable(o.examples),
                    "unexpected_values": jsonable([list(v) for v in o.unexpected_values]),
                    "message": o.message,
                }
                for o in self.failures
            ],
        }


def jsonable(value: object) -> object:
    """Turn DuckDB/pandas/numpy values into plain JSON values.

    A float NaN or infinity becomes the text ``"nan"``, ``"inf"``, ``"-inf"`` (strict JSON has no
    such numbers, and an offending NaN must stay visible: it is a value, not a gap); pandas' NA
    and NaT become None.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else repr(float(value))
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            return jsonable(item())
        except (TypeError, ValueError):
            pass
    try:
        if value != value:  # pandas NA / NaT  # noqa: PLR0124
            return None
    except TypeError:  # pd.NA refuses to be a bool
        return None
    return str(value)


def _interval(kwargs: dict) -> str:
    """'> 0', '<= 10' or '[0, 10)' for min/max bounds with strictness flags."""
    lo, hi = kwargs.get("min_value"), kwargs.get("max_value")
    strict_lo, strict_hi = bool(kwargs.get("strict_min")), bool(kwargs.get("strict_max"))
    if hi is None:
        return f"{'>' if strict_lo else '>='} {lo!r}"
    if lo is None:
        return f"{'<' if strict_hi else '<='} {hi!r}"
    return f"in {'(' if strict_lo else '['}{lo!r}, {hi!r}{')' if strict_hi else ']'}"


def _value_set(value_set: object) -> str:
    if isinstance(value_set, dict):
        return f"${value_set.get('$PARAMETER')}"
    values = list(value_set)  # type: ignore[call-overload]
    shown = ", ".join(repr(v) for v in values[:5])
    return "{" + shown + (f", ... ({len(values)} values)" if len(values) > 5 else "") + "}"


def subject(expectation_type: str, kwargs: dict) -> str:
    """What the message is about: a column, a key '(t, i)', or 'table'."""
    if "column" in kwargs:
        return str(kwargs["column"])
    if expectation_type == "expect_compound_columns_to_be_unique":
        return "(" + ", ".join(kwargs.get("column_list") or []) + ")"
    return "table"


_ROW_RULES = {
    "expect_column_values_to_not_be_null": lambda kw: "are null",
    "expect_column_values_to_be_between": lambda kw: f"not {_interval(kw)}",
    "expect_column_values_to_be_in_set": lambda kw: f"not in {_value_set(kw.get('value_set'))}",
    "expect_column_values_to_match_regex": lambda kw: f"not matching {kw.get('regex')!r}",
    "expect_column_values_to_be_unique": lambda kw: "have duplicated values",
    "expect_compound_columns_to_be_unique": lambda kw: "have duplicated keys",
    # GX on pandas checks an object column's values one by one (see gx_engine)
    "expect_column_values_to_be_in_type_list": lambda kw: f"not of a type in {kw.get('type_list')}",
}


def describe(
    expectation_type: str,
    kwargs: dict,
    *,
    success: bool,
    element_count: int,
    unexpected_count: int,
    examples: list[dict],
    error: str | None = None,
    unexpected_values: tuple = (),
) -> str:
    """One human line, e.g. "v: 3 of 120 rows not > 0; e.g. {'t': 2005, 'v': -1.0}"."""
    who = subject(expectation_type, kwargs)
    if error is not None:
        return f"{who}: {expectation_type} could not be evaluated: {error}"
    observed = examples[0].get("observed") if examples and "observed" in examples[0] else None
    if expectation_type == "expect_table_columns_to_match_ordered_list" and observed is not None:
        verdict = "match" if success else "do not match expected"
        return f"table columns {observed} {verdict} {kwargs.get('column_list')}"
    if expectation_type == "expect_table_row_count_to_be_between" and observed is not None:
        return f"row count {observed} {'' if success else 'not '}{_interval(kwargs)}"
    if expectation_type == "expect_column_values_to_be_in_type_list" and observed is not None:
        return f"{who}: type {observed} {'' if success else 'not '}in {kwargs.get('type_list')}"
    rule = _ROW_RULES.get(expectation_type, lambda kw: "unexpected")(kwargs)
    text = f"{who}: {unexpected_count} of {element_count} rows {rule}"
    if unexpected_values:
        text += "; values " + ", ".join(f"{v!r} ({n} row{'s' if n != 1 else ''})" for v, n in unexpected_values)
    if unexpected_count and examples:
        text += f"; e.g. {examples[0]}"
    return text
