"""Evaluate a suite with real Great Expectations 1.x on a pandas DataFrame.

The reference engine: small tables, and the conformance tests that hold `sql_engine` to GX's
verdicts and counts. GX runs in an ephemeral context with progress bars off, on a pandas data
source with a whole-dataframe batch; suite parameters are resolved by GX at run time
(``Batch.validate(..., expectation_parameters=...)``).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping, Sequence

import pandas as pd

from tcd_pipeline.gates.outcome import ExpectationOutcome, SuiteResult, describe
from tcd_pipeline.gates.suites import severity_of, suite_parameters

_POSITION = "tcd_position"  # meta key tagging each expectation: GX reorders its results


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


def _rows(df: pd.DataFrame, index: list, limit: int) -> list[dict]:
    """Full rows for GX's unexpected index labels, NaN/NA as None (like DuckDB's NULL)."""
    if limit <= 0 or not index:
        return []
    frame = df.loc[list(index)[:limit]].astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def _outcome(expectation: dict, result, df: pd.DataFrame, max_examples: int) -> ExpectationOutcome:
    kind, kw = expectation["type"], expectation.get("kwargs") or {}
    details = dict(result.result or {})
    error = _exception_message(result.exception_info)
    success = bool(result.success) and error is None
    element_count = int(details.get("element_count") or len(df))
    if error is not None:
        unexpected, examples = 1, []
    elif "unexpected_count" in details:  # map expectation (incl. in_type_list on object dtype)
        unexpected = int(details["unexpected_count"] or 0)
        examples = _rows(df, details.get("partial_unexpected_index_list") or [], max_examples)
    else:  # aggregate expectation: one observed value
        unexpected, examples = int(not success), [{"observed": details.get("observed_value")}]
    return ExpectationOutcome(
        expectation_type=kind, kwargs=kw, success=success, element_count=element_count,
        unexpected_count=unexpected, examples=examples,
        message=describe(kind, kw, success=success, element_count=element_count,
                         unexpected_count=unexpected, examples=examples, error=error),
        severity=severity_of(expectation),
    )


def validate_gx(
    suite: dict,
    df: pd.DataFrame,
    *,
    parameters: Mapping[str, Sequence] | None = None,
    max_examples: int = 5,
) -> SuiteResult:
    """Run `suite` on `df` with Great Expectations; `parameters` gives each $PARAMETER's values."""
    import great_expectations as gx

    values = {name: list(v) for name, v in (parameters or {}).items()}
    if missing := sorted(suite_parameters(suite) - set(values)):
        raise ValueError(f"suite {suite.get('name')!r} needs parameter(s) {missing}")
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
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": max(max_examples, 1)}
    run = batch.validate(gx_suite, result_format=result_format, expectation_parameters=values)

    by_position = {r.expectation_config.meta[_POSITION]: r for r in run.results}
    originals = suite.get("expectations", [])
    outcomes = tuple(
        _outcome(originals[i], by_position[i], df, max_examples) for i in range(len(originals))
    )
    return SuiteResult(suite_name=str(suite.get("name", "")), engine="gx", outcomes=outcomes)
