"""Evaluate a suite with real Great Expectations 1.x on a pandas DataFrame.

The reference engine: small tables, and the conformance tests that hold `sql_engine` to GX's
verdicts and counts. GX runs in an ephemeral context with progress bars off, on a pandas data
source with a whole-dataframe batch; suite parameters are resolved by GX at run time
(``Batch.validate(..., expectation_parameters=...)``).

Non-finite numbers: the sql engine's rule, applied after GX. GX on pandas skips a NaN as missing and
passes +inf for ``> 0``; here every NaN, +inf or -inf value of a float column is an unexpected row
of ``expect_column_values_to_be_between`` whatever the bounds (added to GX's own unexpected rows).
A NaN can only be told from a missing value if the frame keeps them apart: pass a pyarrow Table
(``con.execute(sql).to_arrow_table()``), a polars frame, or pandas with nullable ``Float64``
columns; in a plain ``float64`` column pandas stores missing values as NaN, so there a NaN is
missing (GX's convention, and DuckDB's when it reads such a frame).

Like the sql engine, failed column-value expectations (range, value set, regex) report their most
frequent offending values with row counts, so both engines word a failure the same way; GX runs
with the COMPLETE result format for that (all unexpected rows of a failure, not a sample).
"""

from __future__ import annotations

import copy
import math
import uuid
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from tcd_pipeline.gates.outcome import ExpectationOutcome, SuiteResult, describe
from tcd_pipeline.gates.suites import severity_of, suite_parameters

_POSITION = "tcd_position"  # meta key tagging each expectation: GX reorders its results
BETWEEN = "expect_column_values_to_be_between"
#: column-value expectations whose offending values are reported (as the sql engine does)
VALUED = frozenset({BETWEEN, "expect_column_values_to_be_in_set", "expect_column_values_to_match_regex"})


def _context():
    """A fresh ephemeral GX context whose progress bars are off."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def _exception_message(exception_info: object) -> str | None:
    """GX's exception_info is either one ExceptionInfo-like dict or one per failed metric."""
    if not isinstance(exception_info, Mapping) or not exception_info:
        return None
    single = "raised_exception" in exception_info
    infos = [exception_info] if single else list(exception_info.values())
    for info in infos:
        if info and info.get("raised_exception"):
            return str(info.get("exception_message") or "exception").splitlines()[0]
    return None


def as_pandas(frame) -> pd.DataFrame:
    """``frame`` as the pandas DataFrame GX validates, a NaN kept apart from a missing value.

    pandas passes as it is. A pyarrow Table (or RecordBatchReader) or a polars DataFrame is
    converted as DuckDB's ``.df()`` converts a query result (same dtypes, NULL as NaN or <NA>),
    except that a float column holding a NaN value becomes pandas' nullable ``Float64`` (or
    ``Float32``): NULL is <NA> there, and NaN stays a value that the range rule sees.
    """
    if isinstance(frame, pd.DataFrame):
        return frame
    import duckdb
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(frame, pa.RecordBatchReader):
        frame = frame.read_all()
    elif not isinstance(frame, pa.Table) and callable(getattr(frame, "to_arrow", None)):  # polars
        frame = frame.to_arrow()
    if not isinstance(frame, pa.Table):
        raise TypeError(f"validate_gx needs a pandas DataFrame, a pyarrow Table or a polars DataFrame, "
                        f"not {type(frame).__name__}")
    with duckdb.connect() as con:
        df = con.from_arrow(frame).df()
    nullable = {pa.float64(): pd.Float64Dtype(), pa.float32(): pd.Float32Dtype()}
    for name in frame.column_names:
        column = frame.column(name)
        if pa.types.is_floating(column.type) and pc.any(pc.is_nan(column)).as_py():
            df[name] = pd.Series(column.to_pandas(types_mapper=nullable.get).array, index=df.index)
    return df


def _non_finite(df: pd.DataFrame, column: str) -> pd.Index:
    """Index labels of the rows whose ``column`` holds NaN (as a value, not missing), +inf or -inf."""
    if column not in df.columns or not pd.api.types.is_float_dtype(df[column].dtype):
        return df.index[:0]
    values = df[column]
    finite = np.isfinite(values.to_numpy(dtype="float64", na_value=np.nan))
    return df.index[values.notna().to_numpy() & ~finite]


def _in_row_order(df: pd.DataFrame, labels) -> list:
    """Distinct index labels, in the frame's row order."""
    positions = sorted(set(int(p) for p in df.index.get_indexer(list(labels)) if p >= 0))
    return list(df.index[positions])


def _rows(df: pd.DataFrame, index: list, limit: int) -> list[dict]:
    """Full rows for GX's unexpected index labels, missing values as None (like DuckDB's NULL)."""
    if limit <= 0 or not index:
        return []
    typed = df.loc[list(index)[:limit]]
    frame = typed.astype(object)  # missing as judged on the typed columns: a Float64 NaN is a value
    rows = frame.where(typed.notna(), None).to_dict("records")
    return [{k: _python(v) for k, v in row.items()} for row in rows]


def _python(value: object) -> object:
    """numpy scalars as Python values (so that messages print 1.5 and nan, not np.float64(1.5))."""
    item = getattr(value, "item", None)
    return item() if callable(item) and not isinstance(value, (str, bytes)) else value


def _order(value: object) -> tuple:
    """DuckDB's ascending order of offending values: numbers (-inf ... +inf), then NaN; text as text."""
    if isinstance(value, float) and math.isnan(value):
        return (1, 0.0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (2, 0.0, str(value))


def _top_values(df: pd.DataFrame, column: str, labels: list, limit: int) -> tuple:
    """The most frequent offending values of ``column`` on rows ``labels``, with their row counts,
    ordered as the sql engine orders them (count descending, then value)."""
    if limit <= 0 or not labels:
        return ()
    counts: dict = {}
    keys: dict = {}
    for value in df.loc[labels, column].tolist():
        value = _python(value)
        key = ("nan",) if isinstance(value, float) and math.isnan(value) else (type(value).__name__, value)
        keys.setdefault(key, value)
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts, key=lambda k: (-counts[k], _order(keys[k])))
    return tuple((keys[k], counts[k]) for k in ranked[:limit])


def _outcome(expectation: dict, result, df: pd.DataFrame, max_examples: int) -> ExpectationOutcome:
    kind, kw = expectation["type"], expectation.get("kwargs") or {}
    details = dict(result.result or {})
    error = _exception_message(result.exception_info)
    success = bool(result.success) and error is None
    element_count = int(details.get("element_count") or len(df))
    values: tuple = ()
    if error is not None:
        unexpected, examples = 1, []
    elif "unexpected_count" in details:  # map expectation (incl. in_type_list on object dtype)
        labels = details.get("unexpected_index_list")
        if labels is None:  # (COMPLETE gives every label; keep working if GX ever does not)
            labels = details.get("partial_unexpected_index_list") or []
        unexpected = int(details["unexpected_count"] or 0)
        if kind == BETWEEN:  # NaN, +inf and -inf are never in range (the sql engine's rule)
            labels = _in_row_order(df, [*labels, *_non_finite(df, kw.get("column"))])
            if len(labels) > unexpected:
                unexpected = len(labels)
                rows = element_count - int(details.get("missing_count") or 0)
                mostly = 1 if kw.get("mostly") is None else kw["mostly"]
                success = rows == 0 or (rows - unexpected) / rows >= mostly
        else:
            labels = _in_row_order(df, labels)
        examples = _rows(df, labels, max_examples)
        if kind in VALUED and unexpected and kw.get("column") in df.columns:
            values = _top_values(df, kw["column"], labels, max_examples)
    else:  # aggregate expectation: one observed value
        unexpected, examples = int(not success), [{"observed": details.get("observed_value")}]
    return ExpectationOutcome(
        expectation_type=kind, kwargs=kw, success=success, element_count=element_count,
        unexpected_count=unexpected, examples=examples,
        message=describe(kind, kw, success=success, element_count=element_count,
                         unexpected_count=unexpected, examples=examples, error=error,
                         unexpected_values=values),
        severity=severity_of(expectation), unexpected_values=values,
    )


def validate_gx(
    suite: dict,
    df,
    *,
    parameters: Mapping[str, Sequence] | None = None,
    max_examples: int = 5,
) -> SuiteResult:
    """Run `suite` on `df` with Great Expectations; `parameters` gives each $PARAMETER's values.

    `df`: a pandas DataFrame, or a pyarrow Table / polars DataFrame (:func:`as_pandas`; the form
    in which a NaN is not mistaken for a missing value).
    """
    import great_expectations as gx

    values = {name: list(v) for name, v in (parameters or {}).items()}
    if missing := sorted(suite_parameters(suite) - set(values)):
        raise ValueError(f"suite {suite.get('name')!r} needs parameter(s) {missing}")
    df = as_pandas(df)
    if not df.index.is_unique:  # examples are looked up by GX's index labels
        df = df.reset_index(drop=True)
    tagged = copy.deepcopy(suite)
    expectations = tagged.get("expectations", [])
    for position, expectation in enumerate(expectations):
        expectation["meta"] = {**(expectation.get("meta") or {}), _POSITION: position}
    gx_suite = gx.ExpectationSuite(**tagged)
    if len(gx_suite.expectations) != len(expectations):
        raise ValueError(f"suite {suite.get('name')!r}: GX did not accept every expectation")

    context = _context()
    source = context.data_sources.add_pandas(f"tcd_{uuid.uuid4().hex}")
    batch = (
        source.add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": df})
    )
    result_format = {"result_format": "COMPLETE", "partial_unexpected_count": max(max_examples, 1)}
    run = batch.validate(gx_suite, result_format=result_format, expectation_parameters=values)

    by_position = {r.expectation_config.meta[_POSITION]: r for r in run.results}
    originals = suite.get("expectations", [])
    outcomes = tuple(
        _outcome(originals[i], by_position[i], df, max_examples) for i in range(len(originals))
    )
    return SuiteResult(suite_name=str(suite.get("name", "")), engine="gx", outcomes=outcomes)
