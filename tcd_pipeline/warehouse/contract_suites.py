"""The structural part of a mart's gate, generated from its declaration (dbt's ``schema.yml`` idea).

What a :class:`~tcd_pipeline.warehouse.contracts.Mart` says about its structure becomes Great
Expectations 1.x expectations (plain dicts, the form of the suites in ``expectations/``):

=====================================  ============================================================
declaration                            expectation
=====================================  ============================================================
``Mart.min_rows`` > 0                  ``expect_table_row_count_to_be_between`` (min_rows, None)
``Mart.key`` (one column)              ``expect_column_values_to_be_unique``
``Mart.key`` (several columns)         ``expect_compound_columns_to_be_unique`` (in key order)
``Column.nullable=False``              ``expect_column_values_to_not_be_null``
``Column.pattern``                     ``expect_column_values_to_match_regex``
``Column.values``                      ``expect_column_values_to_be_in_set``
``Column.range``                       ``expect_column_values_to_be_between`` (strict_* when open)
=====================================  ============================================================

A mart's gate evaluates :func:`mart_suite`: these expectations, then the hand-written ones of
``expectations/<chapter>/marts_<name>.json`` (what a declaration cannot say: cross-table
identities as ``meta.sql_checks``, parameters, the description). Nothing here imports dagster or
Great Expectations.
"""

from __future__ import annotations

import copy

from tcd_pipeline.warehouse.contracts import Column, Mart


def _expectation(kind: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs}


def _column_expectations(column: Column) -> list[dict]:
    out = []
    if not column.nullable:
        out.append(_expectation("expect_column_values_to_not_be_null", column=column.name))
    if column.pattern is not None:
        out.append(_expectation("expect_column_values_to_match_regex", column=column.name, regex=column.pattern))
    if column.values is not None:
        out.append(_expectation("expect_column_values_to_be_in_set", column=column.name, value_set=list(column.values)))
    if (r := column.range) is not None:
        bounds = {"min_value": r.min, "max_value": r.max}
        if r.min is not None and not r.min_inclusive:
            bounds["strict_min"] = True
        if r.max is not None and not r.max_inclusive:
            bounds["strict_max"] = True
        out.append(_expectation("expect_column_values_to_be_between", column=column.name, **bounds))
    return out


def structural_expectations(mart: Mart) -> list[dict]:
    """The expectations the declaration of ``mart`` implies, table-level first, then column by column."""
    out = []
    if mart.min_rows > 0:
        out.append(_expectation("expect_table_row_count_to_be_between", min_value=mart.min_rows, max_value=None))
    if len(mart.key) == 1:
        out.append(_expectation("expect_column_values_to_be_unique", column=mart.key[0]))
    elif mart.key:
        out.append(_expectation("expect_compound_columns_to_be_unique", column_list=list(mart.key)))
    for column in mart.columns:
        out.extend(_column_expectations(column))
    return out


def suite_name(mart: Mart) -> str:
    """``marts_<name>`` (``dim_<name>``): the suite, and with ``_gate`` the asset check, of the mart."""
    return f"{mart.schema}_{mart.name}"


def mart_suite(mart: Mart, written: dict | None = None) -> dict:
    """The suite the gate of ``mart`` evaluates: the generated expectations, then ``written``'s.

    ``written`` is the hand-written suite (``expectations/<chapter>/marts_<name>.json``) or None; its
    name, ``meta.asset`` and ``meta.relation`` must be the mart's. An expectation written by hand
    that the declaration generates too is an error: the contract is said once.
    """
    generated = structural_expectations(mart)
    asset, relation = f"{mart.schema}/{mart.name}", mart.table
    suite = copy.deepcopy(written) if written else {
        "name": suite_name(mart), "meta": {"asset": asset, "relation": relation, "description": mart.comment()},
        "expectations": []}
    meta = suite.get("meta", {})
    if (suite.get("name"), meta.get("asset"), meta.get("relation")) != (suite_name(mart), asset, relation):
        raise ValueError(f"suite {suite.get('name')!r} (asset {meta.get('asset')!r}, relation {meta.get('relation')!r}) "
                         f"is not the suite of {mart.table}")
    if repeated := [e for e in suite["expectations"] if _plain(e) in [_plain(g) for g in generated]]:
        raise ValueError(f"{suite['name']}: {[e['type'] for e in repeated]} repeat(s) the declaration of {mart.table} "
                         "(remove them from the suite file)")
    suite["expectations"] = generated + suite["expectations"]
    return suite


def _plain(expectation: dict) -> tuple:
    return expectation["type"], sorted((k, repr(v)) for k, v in (expectation.get("kwargs") or {}).items())
