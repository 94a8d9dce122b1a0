"""The DuckDB engine gives Great Expectations' verdicts and counts (GX 1.x on pandas is the reference).

Each frame is validated twice: by `validate_gx` (real GX, pandas data source) and by
`validate_sql` on a DuckDB table created from the same frame. The one documented divergence is
expect_column_values_to_be_in_type_list: DuckDB compares the column's SQL type; GX compares the
pandas dtype, and for object columns checks every value's Python type (see the last tests).
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tcd_pipeline.gates import SUPPORTED_TYPES, load_suite, validate_gx, validate_sql

COUNTRY_CODES = [4, 8, 24]
SQL_PARAMETERS = {"countries": "SELECT country_code FROM raw.country_codes"}
TYPE_LIST = "expect_column_values_to_be_in_type_list"


def e(kind: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs}


SUITE = {
    "name": "conformance",
    "expectations": [
        e("expect_table_columns_to_match_ordered_list", column_list=["t", "i", "j", "k", "v", "q"]),
        e("expect_table_row_count_to_be_between", min_value=1, max_value=None),
        e("expect_table_row_count_to_be_between", min_value=None, max_value=6),
        e(TYPE_LIST, column="t", type_list=["SMALLINT", "INTEGER", "int16", "int32"]),
        e(TYPE_LIST, column="v", type_list=["DOUBLE", "float64"]),
        e(TYPE_LIST, column="k", type_list=["VARCHAR", "str"]),
        e("expect_column_values_to_not_be_null", column="t"),
        e("expect_column_values_to_not_be_null", column="k"),
        e("expect_column_values_to_not_be_null", column="q", mostly=0.6),
        e("expect_column_values_to_be_between", column="t", min_value=1995, max_value=2030),
        e("expect_column_values_to_be_between", column="v", min_value=0, strict_min=True),
        e("expect_column_values_to_be_between", column="q", min_value=0, max_value=10, strict_max=True),
        e("expect_column_values_to_be_in_set", column="i", value_set={"$PARAMETER": "countries"}),
        e("expect_column_values_to_be_in_set", column="j", value_set=[4, 8, 24]),
        e("expect_column_values_to_match_regex", column="k", regex="^[0-9]{6}$"),
        e("expect_column_values_to_match_regex", column="k", regex="11"),  # unanchored
        e("expect_column_values_to_be_unique", column="v"),
        e("expect_compound_columns_to_be_unique", column_list=["t", "i", "j", "k"]),
        e("expect_compound_columns_to_be_unique", column_list=["t", "i", "j"], ignore_row_if="never"),
    ],
}


def frame(rows: list[tuple], int_dtype: str = "int32") -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["t", "i", "j", "k", "v", "q"])
    return df.astype({"t": "int16", "i": int_dtype, "j": int_dtype, "v": "float64", "q": "float64"})


GOOD = frame([
    (2005, 4, 24, "010110", 1.5, 0.0),
    (2005, 4, 8, "011110", 2.5, None),
    (2005, 8, 24, "010110", 3.5, 9.5),
    (2006, 4, 24, "010110", 4.5, 1.0),
])
# hand count of defects, per expectation, in the comments
BAD = frame([
    (2005, 4, 24, "010110", 1.5, 0.0),
    (2005, 4, 24, "010110", -1.0, None),  # duplicate (t,i,j,k) of row 1; v < 0
    (1990, 999, 25, "01011", 0.0, 10.0),  # t < 1995; i, j unknown; k 5 digits; v = 0; q = 10
    (2005, 8, 24, None, None, None),  # k null (not unexpected for regex/set); v null
    (2006, 4, 24, "0101A0", 1.5, -2.0),  # k not digits, no "11"; v = 1.5 again; q < 0
    (2006, 8, 8, "211111", 2.0, None),  # 3rd null q: 4 of 7 non-null < mostly=0.6
    (2006, 8, 8, "211112", 3.0, 1.0),  # 7 rows > max 6
], int_dtype="Int32")


def both(df: pd.DataFrame, suite: dict = SUITE) -> tuple:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.register("frame_view", df)
    con.execute("CREATE TABLE raw.t AS SELECT * FROM frame_view")
    con.execute("CREATE TABLE raw.country_codes AS SELECT unnest(?::INTEGER[]) AS country_code", [COUNTRY_CODES])
    sql = validate_sql(con, suite, "raw.t", parameters=SQL_PARAMETERS, max_examples=10)
    gx = validate_gx(suite, df, parameters={"countries": COUNTRY_CODES}, max_examples=10)
    return sql, gx


def verdicts(result, skip_type_lists: bool = False) -> list[tuple]:
    return [(o.expectation_type, o.kwargs.get("column"), o.success, o.unexpected_count, o.element_count)
            for o in result.outcomes if not (skip_type_lists and o.expectation_type == TYPE_LIST)]


def rows(examples: list[dict]) -> list[tuple]:
    return sorted((tuple(map(repr, x.values())) for x in examples))


@pytest.fixture(scope="module")
def good():
    return both(GOOD)


@pytest.fixture(scope="module")
def bad():
    return both(BAD)


def test_suite_covers_every_supported_type():
    assert {x["type"] for x in SUITE["expectations"]} == SUPPORTED_TYPES


def test_good_frame_passes_in_both_engines(good):
    sql, gx = good
    assert (sql.engine, gx.engine) == ("sql", "gx")
    assert sql.summary() == gx.summary() == f"all {len(SUITE['expectations'])} expectations passed"
    assert verdicts(sql) == verdicts(gx)


def test_bad_frame_same_verdicts_and_counts(bad):
    sql, gx = bad
    assert verdicts(sql) == verdicts(gx)
    # GX's counts, by hand, in suite order (the sql engine matches them above)
    assert [o.unexpected_count for o in gx.outcomes] == [
        0,  # column order
        0, 1,  # row count >= 1; <= 6 fails (7 rows)
        0, 0, 0,  # types: int16, float64, str values
        0, 1,  # not null: t; k
        3,  # q: 3 of 7 null, 4/7 = 0.57 < mostly=0.6
        1,  # t in [1995, 2030]: 1990
        2,  # v > 0: -1.0 and 0.0 (the NULL is ignored)
        2,  # q in [0, 10): 10.0 and -2.0
        1, 1,  # i in $countries: 999; j in {4, 8, 24}: 25
        2, 1,  # k full 6 digits: '01011', '0101A0'; unanchored "11": only '0101A0' lacks it
        2,  # v unique: 1.5 twice
        2, 4,  # (t, i, j, k): rows 1-2; (t, i, j): rows 1-2 and 6-7
    ]
    failed = {(o.expectation_type, o.kwargs.get("column")) for o in gx.failures}
    assert ("expect_column_values_to_not_be_null", "q") in failed
    assert [o.success for o in sql.outcomes] == [o.success for o in gx.outcomes]


def test_bad_frame_same_failing_rows(bad):
    sql, gx = bad
    for s, g in zip(sql.outcomes, gx.outcomes):
        if s.expectation_type == TYPE_LIST:  # SQL type vs pandas dtype: see the last tests
            continue
        if s.expectation_type in {"expect_table_columns_to_match_ordered_list",
                                  "expect_table_row_count_to_be_between"}:
            assert s.examples == g.examples  # [{"observed": ...}]
        else:  # all failing rows fit in max_examples=10: same rows, whatever the order
            assert len(s.examples) == s.unexpected_count
            assert rows(s.examples) == rows(g.examples), s.expectation_type
        # the offending values (ranges, sets, regexes), with counts, in the same order
        assert shown(s.unexpected_values) == shown(g.unexpected_values), s.expectation_type
    assert shown(sql.outcomes[12].unexpected_values) == [("999", 1)]  # i in $countries
    assert shown(sql.outcomes[14].unexpected_values) == [("'01011'", 1), ("'0101A0'", 1)]  # k: 6 digits


@pytest.mark.parametrize("ignore_row_if", ["all_values_are_missing", "any_value_is_missing", "never"])
def test_compound_keys_with_missing_values(ignore_row_if):
    df = frame([
        (2005, 4, 24, "a", 1.0, 1.0), (2005, 4, 24, "a", 2.0, 1.0),
        (2005, 4, 24, None, 1.0, 1.0), (2005, 4, 24, None, 2.0, 1.0),
        (2005, 4, 24, None, 3.0, None), (2005, 4, 24, None, 4.0, None),
    ])
    df["t"] = pd.array([2005, 2005, 2005, 2005, None, None], dtype="Int16")
    df["i"] = pd.array([4, 4, 4, 4, None, None], dtype="Int32")
    df["j"] = pd.array([24, 24, 24, 24, None, None], dtype="Int32")
    suite = {"name": "keys", "expectations": [
        e("expect_compound_columns_to_be_unique", column_list=["t", "i", "j", "k"], ignore_row_if=ignore_row_if)]}
    sql, gx = both(df, suite)
    assert verdicts(sql) == verdicts(gx)
    expected = {"all_values_are_missing": 4, "any_value_is_missing": 2, "never": 6}[ignore_row_if]
    assert gx.outcomes[0].unexpected_count == expected


@pytest.mark.parametrize("mostly", [0.6, 0.7])
def test_mostly(mostly):
    # v > 2: 2 bad of 5 non-null (the NaN is excluded) -> 0.6 passes, 0.7 fails
    df = frame([(2005, 4, 24, "a", v, 1.0) for v in [1.0, 2.0, 3.0, 4.0, 5.0, np.nan]])
    suite = {"name": "m", "expectations": [
        e("expect_column_values_to_be_between", column="v", min_value=2, strict_min=True, mostly=mostly)]}
    sql, gx = both(df, suite)
    assert verdicts(sql) == verdicts(gx) == [
        ("expect_column_values_to_be_between", "v", mostly == 0.6, 2, 6)]


def test_wrong_column_order_and_types():
    df = GOOD[["t", "i", "k", "j", "v", "q"]].astype({"v": "int64"})
    sql, gx = both(df)
    assert verdicts(sql) == verdicts(gx)
    failed = [(o.expectation_type, o.kwargs.get("column")) for o in sql.failures]
    assert failed == [("expect_table_columns_to_match_ordered_list", None), (TYPE_LIST, "v")]
    assert sql.failures[0].examples == gx.failures[0].examples == [{"observed": ["t", "i", "k", "j", "v", "q"]}]
    assert sql.failures[1].examples == [{"observed": "BIGINT"}]
    assert gx.failures[1].examples == [{"observed": "int64"}]


def test_empty_and_missing_column():
    empty = GOOD.iloc[0:0]
    sql, gx = both(empty)
    # value checks vacuously pass, row count >= 1 fails; type lists skipped: DuckDB reads an
    # empty object column as INTEGER (nothing to sniff), so k is not VARCHAR there
    assert verdicts(sql, skip_type_lists=True) == verdicts(gx, skip_type_lists=True)
    assert [o.expectation_type for o in gx.failures] == ["expect_table_row_count_to_be_between"]
    suite = {"name": "missing", "expectations": [e("expect_column_values_to_not_be_null", column="nope")]}
    sql, gx = both(GOOD, suite)
    assert verdicts(sql) == verdicts(gx) == [("expect_column_values_to_not_be_null", "nope", False, 1, 4)]
    assert 'The column "nope" in BatchData does not exist' in gx.outcomes[0].message  # GX's own words


def test_gx_engine_runs_great_expectations(monkeypatch):
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.datasource.fluent.interfaces import Batch

    calls = []
    original = Batch.validate

    def spy(self, expect, **kwargs):
        result = original(self, expect, **kwargs)
        calls.append((kwargs, result))
        return result

    monkeypatch.setattr(Batch, "validate", spy)
    result = validate_gx(SUITE, BAD, parameters={"countries": COUNTRY_CODES})
    assert len(calls) == 1
    kwargs, ge_result = calls[0]
    assert isinstance(ge_result, ExpectationSuiteValidationResult)
    assert kwargs["expectation_parameters"] == {"countries": COUNTRY_CODES}
    assert ge_result.statistics["unsuccessful_expectations"] == len(result.failures)


def test_type_lists_documented_divergences():
    # 1. object columns: GX checks each value's Python type, so "object" alone does not match
    #    str values (only "str" does) and it counts the non-null values; DuckDB sees VARCHAR.
    suite = {"name": "types", "expectations": [e(TYPE_LIST, column="k", type_list=["VARCHAR", "object"])]}
    sql, gx = both(GOOD, suite)
    assert (sql.outcomes[0].success, sql.outcomes[0].unexpected_count) == (True, 0)
    assert (gx.outcomes[0].success, gx.outcomes[0].unexpected_count) == (False, 4)
    # 2. a nullable pandas integer (what DuckDB's .df() returns for an INTEGER column with NULLs)
    #    has dtype Int32, which neither "int32" nor "Int32" matches in GX (only "Int32Dtype"),
    #    though GX reports it as "int32".
    suite = {"name": "types", "expectations": [e(TYPE_LIST, column="i", type_list=["INTEGER", "int32"])]}
    sql, gx = both(BAD, suite)
    assert (sql.outcomes[0].success, sql.outcomes[0].examples) == (True, [{"observed": "INTEGER"}])
    assert (gx.outcomes[0].success, gx.outcomes[0].examples) == (False, [{"observed": "int32"}])
    suite["expectations"][0]["kwargs"]["type_list"].append("Int32")
    assert not validate_gx(suite, BAD).success
    suite["expectations"][0]["kwargs"]["type_list"].append("Int32Dtype")
    assert validate_gx(suite, BAD).success


def test_load_suite_validates_with_gx(tmp_path):
    (tmp_path / "ok.json").write_text(json.dumps(SUITE))
    assert load_suite("ok", tmp_path) == SUITE
    unknown = {"name": "u", "expectations": [e("expect_column_values_to_be_purple", column="k")]}
    (tmp_path / "unknown.json").write_text(json.dumps(unknown))
    with pytest.raises(ValueError, match=r"unknown\.json.*expect_column_values_to_be_purple"):
        load_suite("unknown", tmp_path)
    bad_kwargs = {"name": "b", "expectations": [e("expect_column_values_to_not_be_null", colum="k")]}
    (tmp_path / "bad_kwargs.json").write_text(json.dumps(bad_kwargs))
    with pytest.raises(ValueError, match=r"(?s)bad_kwargs\.json.*colum"):
        load_suite("bad_kwargs", tmp_path)
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(ValueError, match=r"broken\.json"):
        load_suite("broken", tmp_path)


# --- non-finite numbers: NaN, +inf and -inf fail every range, in both engines ------------------------

RANGES = {
    "name": "ranges",
    "expectations": [
        e("expect_column_values_to_be_between", column="v", min_value=0, strict_min=True),
        e("expect_column_values_to_be_between", column="v", min_value=0, max_value=10),
        e("expect_column_values_to_be_between", column="v", min_value=None, max_value=10),
        e("expect_column_values_to_be_between", column="v", min_value=-1e300, max_value=1e300),
        e("expect_column_values_to_be_between", column="v", min_value=0, strict_min=True, mostly=0.5),
        e("expect_column_values_to_be_in_set", column="v", value_set=[1.5, 2.0]),
        e("expect_column_values_to_not_be_null", column="v"),  # NaN is a value, not a gap
        e("expect_column_values_to_be_unique", column="v"),
    ],
}


def non_finite_frame(value: float) -> pd.DataFrame:
    """Three rows: v = 1.5, v = `value`, v missing. pandas' nullable Float64 keeps the NaN of row 2
    apart from the <NA> of row 3, as DuckDB keeps NaN apart from NULL."""
    df = frame([(2005, 4, 24, "010110", 1.5, 1.0), (2005, 8, 24, "010120", 0.0, 2.0),
                (2006, 4, 8, "010130", 0.0, None)])
    df["v"] = pd.arrays.FloatingArray(np.array([1.5, value, 0.0]), np.array([False, False, True]))
    return df


def both_arrow(df: pd.DataFrame, suite: dict) -> tuple:
    """Both engines on the same frame, read into DuckDB through Arrow (which keeps NaN a value;
    DuckDB's pandas scan would turn it into NULL)."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.register("frame_view", pa.Table.from_pandas(df, preserve_index=False))
    con.execute("CREATE TABLE raw.t AS SELECT * FROM frame_view")
    return validate_sql(con, suite, "raw.t", max_examples=10), validate_gx(suite, df, max_examples=10), con


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_non_finite_values_fail_every_range_in_both_engines(value):
    sql, gx, con = both_arrow(non_finite_frame(value), RANGES)
    assert con.execute("SELECT v IS NULL, isnan(v) FROM raw.t ORDER BY t, i").fetchall()[1] == (False, np.isnan(value))
    assert verdicts(sql) == verdicts(gx)
    # by hand: the non-finite row fails each range, whatever its bounds (GX alone would skip NaN as
    # missing in float64, and pass +inf for "> 0", "[-1e300, 1e300]" is the widest finite range);
    # mostly 0.5: 1 bad of 2 non-null rows passes; it is not in {1.5, 2.0}; not null: only the
    # missing row 3 fails (the NaN is a value); no value repeats
    assert [(o.success, o.unexpected_count) for o in sql.outcomes] == [
        (False, 1), (False, 1), (False, 1), (False, 1), (True, 1), (False, 1), (False, 1), (True, 0)]
    assert sql.outcomes[6].examples[0]["t"] == 2006
    for s, g in zip(sql.outcomes, gx.outcomes):
        assert s.message == g.message  # same words, same offending values, same example row
        assert shown(s.unexpected_values) == shown(g.unexpected_values)
        assert rows(s.examples) == rows(g.examples)
    text = repr(float(value))  # 'nan', 'inf', '-inf'
    assert sql.outcomes[0].message.startswith(f"v: 1 of 3 rows not > 0; values {text} (1 row); e.g. {{")
    assert sql.outcomes[2].message.startswith(f"v: 1 of 3 rows not <= 10; values {text} (1 row)")
    assert shown(sql.outcomes[3].unexpected_values) == [(text, 1)]


def test_infinity_in_a_plain_float_column_and_nan_as_missing():
    # q: plain float64, where pandas stores a missing value as NaN: row 3 is missing in both engines
    # (DuckDB reads it as NULL); +inf in row 2 fails "q >= 0" though GX alone passes it
    df = frame([(2005, 4, 24, "010110", 1.5, 1.0), (2005, 8, 24, "010120", 2.0, np.inf),
                (2006, 4, 8, "010130", 3.0, np.nan)])
    suite = {"name": "q", "expectations": [e("expect_column_values_to_be_between", column="q", min_value=0),
                                           e("expect_column_values_to_not_be_null", column="q", mostly=0.6)]}
    sql, gx, _ = both_arrow(df, suite)
    assert verdicts(sql) == verdicts(gx) == [
        ("expect_column_values_to_be_between", "q", False, 1, 3),
        ("expect_column_values_to_not_be_null", "q", True, 1, 3)]
    assert sql.outcomes[0].message == gx.outcomes[0].message
    assert shown(sql.outcomes[0].unexpected_values) == [("inf", 1)]


def test_gate_frames_from_duckdb_keep_nan_apart_from_null():
    """What a gate hands GX: the query result as Arrow keeps NaN a value (so GX agrees with the sql
    engine); DuckDB's ``.df()`` turns NULL and NaN alike into a float64 NaN, and GX then skips it."""
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 1.5), (2, 'nan'::DOUBLE), (3, NULL), (4, 'inf'::DOUBLE)) v(i, v)")
    suite = {"name": "v", "expectations": [e("expect_column_values_to_be_between", column="v", min_value=0, strict_min=True),
                                           e("expect_column_values_to_be_in_type_list", column="v",
                                             type_list=["DOUBLE", "float64", "Float64Dtype"])]}
    sql = validate_sql(con, suite, "t")
    arrow = validate_gx(suite, con.execute("SELECT * FROM t").to_arrow_table())
    assert verdicts(sql) == verdicts(arrow) == [
        ("expect_column_values_to_be_between", "v", False, 2, 4), (TYPE_LIST, "v", True, 0, 4)]
    assert sql.outcomes[0].message == arrow.outcomes[0].message
    assert shown(sql.outcomes[0].unexpected_values) == shown(arrow.outcomes[0].unexpected_values) == [
        ("inf", 1), ("nan", 1)]  # the sql engine's order: count, then value (DuckDB sorts NaN last)
    lossy = validate_gx(suite, con.execute("SELECT * FROM t").df())  # NaN read as missing: only inf fails
    assert lossy.outcomes[0].unexpected_count == 1


def shown(values: tuple) -> list[tuple]:
    """Offending values as printed (NaN != NaN, but both print 'nan')."""
    return [(repr(v), n) for v, n in values]
