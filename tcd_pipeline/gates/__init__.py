"""Data-quality gates: Great Expectations suites evaluated in DuckDB SQL or by GX itself.

`validate_sql` compiles a suite to DuckDB SQL (fast, for warehouse tables of millions of rows);
`validate_gx` runs the same suite with Great Expectations 1.x on a pandas DataFrame. Both
return a `SuiteResult`; tcd_pipeline_tests/gates/test_conformance.py holds them to the same verdicts.
Nothing here imports dagster, and Great Expectations is imported only when needed.
"""

from tcd_pipeline.gates.gx_engine import validate_gx
from tcd_pipeline.gates.outcome import ExpectationOutcome, SuiteResult
from tcd_pipeline.gates.sql_engine import SUPPORTED_TYPES, validate_sql
from tcd_pipeline.gates.suites import expectations_dir, load_suite, suite_parameters

__all__ = [
    "SUPPORTED_TYPES",
    "ExpectationOutcome",
    "SuiteResult",
    "expectations_dir",
    "load_suite",
    "suite_parameters",
    "validate_gx",
    "validate_sql",
]
