"""The DuckDB engine on a hand-made 8-row table whose bad rows are counted by hand below.

    row  t     i     j   k         v      q
    1    2005  4     24  '010110'  10.0   1.0
    2    2005  4     24  '010120'  -1.0   NULL   <- v < 0, q null
    3    2005  8     24  '01012'   3.0    2.0    <- k has 5 digits (regex, set)
    4    2005  8     24  '010110'  NULL   0.5    <- v null (ignored by value checks)
    5    2006  4     24  '010110'  7.0    1.0    <- same (t, i, j, k) as row 6
    6    2006  4     24  '010110'  0.0    1.0    <- v = 0 (fails v > 0)
    7    2006  999   24  '010120'  5.0    NULL   <- i = 999 not a country, q null
    8    2006  NULL  24  '010130'  2.0    3.0    <- i null
"""

from __future__ import annotations

import json

import duckdb
import pytest

from tcd_pipeline.gates import (
    SUPPORTED_TYPES,
    expectations_dir,
    suite_parameters,
    validate_sql,
)

ROWS = [
    (2005, 4, 24, "010110", 10.0, 1.0),
    (2005, 4, 24, "010120", -1.0, None),
    (2005, 8, 24, "01012", 3.0, 2.0),
    (2005, 8, 24, "010110", None, 0.5),
    (2006, 4, 24, "010110", 7.0, 1.0),
    (2006, 4, 24, "010110", 0.0, 1.0),
    (2006, 999, 24, "010120", 5.0, None),
    (2006, None, 24, "010130", 2.0, 3.0),
]
ROW1 = {"t": 2005, "i": 4, "j": 24, "k": "010110", "v": 10.0, "q": 1.0}
ROW2 = {"t": 2005, "i": 4, "j": 24, "k": "010120", "v": -1.0, "q": None}
ROW3 = {"t": 2005, "i": 8, "j": 24, "k": "01012", "v": 3.0, "q": 2.0}
ROW5 = {"t": 2006, "i": 4, "j": 24, "k": "010110", "v": 7.0, "q": 1.0}
ROW6 = {"t": 2006, "i": 4, "j": 24, "k": "010110", "v": 0.0, "q": 1.0}
ROW7 = {"t": 2006, "i": 999, "j": 24, "k": "010120", "v": 5.0, "q": None}
ROW8 = {"t": 2006, "i": None, "j": 24, "k": "010130", "v": 2.0, "q": 3.0}
COUNTRIES = {"countries": "SELECT country_code FROM raw.country_codes"}


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(
        "CREATE TABLE raw.t (t SMALLINT, i INTEGER, j INTEGER, k VARCHAR, v DOUBLE, q DOUBLE)"
    )
    con.executemany("INSERT INTO raw.t VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    # a NULL among the allowed codes must not hide unknown codes (SQL NOT IN would)
    con.execute("CREATE TABLE raw.country_codes AS SELECT * FROM (VALUES (4), (8), (NULL)) c(country_code)")
    yield con
    con.close()


def run(con, *expectations, **kwargs):
    suite = {"name": "test", "expectations": list(expectations)}
    return validate_sql(con, suite, "raw.t", **kwargs)


def one(con, kind, **kw):
    return run(con, {"type": kind, "kwargs": kw}, parameters=COUNTRIES).outcomes[0]


@pytest.mark.parametrize(
    ("kind", "kwargs", "unexpected", "first_example"),
    [
        ("expect_column_values_to_not_be_null", {"column": "i"}, 1, ROW8),
        ("expect_column_values_to_not_be_null", {"column": "q"}, 2, ROW2),
        ("expect_column_values_to_not_be_null", {"column": "t"}, 0, None),
        # v > 0: -1.0 and 0.0 fail; the NULL of row 4 is ignored, as in GX
        ("expect_column_values_to_be_between", {"column": "v", "min_value": 0, "strict_min": True}, 2, ROW2),
        ("expect_column_values_to_be_between", {"column": "v", "min_value": 0}, 1, ROW2),
        # v in [0, 8]: 10.0 and -1.0 fail (examples come ORDER BY ALL: row 1 sorts first)
        ("expect_column_values_to_be_between", {"column": "v", "min_value": 0, "max_value": 8}, 2, ROW1),
        # v < 5: 10.0, 7.0 and 5.0 fail
        ("expect_column_values_to_be_between", {"column": "v", "max_value": 5, "strict_max": True}, 3, None),
        ("expect_column_values_to_be_in_set", {"column": "k", "value_set": ["010110", "010120", "010130"]}, 1, ROW3),
        ("expect_column_values_to_be_in_set", {"column": "i", "value_set": {"$PARAMETER": "countries"}}, 1, ROW7),
        ("expect_column_values_to_be_in_set", {"column": "i", "value_set": []}, 7, None),
        # a None in the set does not excuse unknown values (GX pandas: 'b' not in ['a', None])
        ("expect_column_values_to_be_in_set", {"column": "i", "value_set": [4, 8, None]}, 1, ROW7),
        ("expect_column_values_to_match_regex", {"column": "k", "regex": "^[0-9]{6}$"}, 1, ROW3),
        # unanchored, like re.search: only the 5 codes without a "2" anywhere fail
        ("expect_column_values_to_match_regex", {"column": "k", "regex": "2"}, 5, None),
        ("expect_column_values_to_be_unique", {"column": "v"}, 0, None),
        # q = 1.0 on rows 1, 5, 6 (the two NULLs are ignored)
        ("expect_column_values_to_be_unique", {"column": "q"}, 3, None),
        ("expect_compound_columns_to_be_unique", {"column_list": ["t", "i", "j", "k"]}, 2, ROW6),
        # (2005,4) x2, (2005,8) x2, (2006,4) x2
        ("expect_compound_columns_to_be_unique", {"column_list": ["t", "i"]}, 6, None),
    ],
)
def test_row_level_counts_and_examples(con, kind, kwargs, unexpected, first_example):
    outcome = one(con, kind, **kwargs)
    assert outcome.expectation_type == kind
    assert outcome.kwargs == kwargs
    assert outcome.element_count == 8
    assert outcome.unexpected_count == unexpected
    assert outcome.success is (unexpected == 0)
    assert len(outcome.examples) == min(unexpected, 5)
    if first_example is not None:
        assert outcome.examples[0] == first_example


def test_examples_are_full_rows_of_every_failure(con):
    outcome = one(con, "expect_column_values_to_be_between", column="v", min_value=0, strict_min=True)
    assert outcome.examples == [ROW2, ROW6]
    assert outcome.message == (
        "v: 2 of 8 rows not > 0; values -1.0 (1 row), 0.0 (1 row); e.g. {'t': 2005, 'i': 4, 'j': 24, 'k': '010120', 'v': -1.0, 'q': None}"
    )
    duplicated = one(con, "expect_compound_columns_to_be_unique", column_list=["t", "i", "j", "k"])
    assert duplicated.examples == [ROW6, ROW5]  # ORDER BY ALL: v 0.0 before 7.0


def test_max_examples_limits_examples_not_counts(con):
    result = run(con, {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "t"}}, max_examples=3)
    assert result.outcomes[0].unexpected_count == 8
    assert len(result.outcomes[0].examples) == 3


def test_compound_ignore_row_if(con):
    con.execute("INSERT INTO raw.t VALUES (NULL, NULL, 1, 'x', 1, 1), (NULL, NULL, 1, 'x', 1, 1)")
    con.execute("INSERT INTO raw.t VALUES (2007, NULL, 1, 'x', 1, 1), (2007, NULL, 1, 'x', 1, 1)")
    counts = {
        ignore: one(con, "expect_compound_columns_to_be_unique", column_list=["t", "i"],
                    ignore_row_if=ignore).unexpected_count
        for ignore in ("all_values_are_missing", "any_value_is_missing", "never")
    }
    # 6 duplicated rows in the original 8, + (2007, NULL) x2 unless a missing value drops them,
    # + (NULL, NULL) x2 only when nothing is ignored
    assert counts == {"all_values_are_missing": 8, "any_value_is_missing": 6, "never": 10}
    assert one(con, "expect_compound_columns_to_be_unique", column_list=["t", "i"]).unexpected_count == 8


def test_mostly_uses_non_null_rows(con):
    # v > 0: 2 bad of 7 non-null rows -> 5/7 = 0.714
    passed = one(con, "expect_column_values_to_be_between", column="v", min_value=0, strict_min=True, mostly=0.7)
    failed = one(con, "expect_column_values_to_be_between", column="v", min_value=0, strict_min=True, mostly=0.75)
    assert (passed.success, passed.unexpected_count) == (True, 2)
    assert (failed.success, failed.unexpected_count) == (False, 2)
    # not null: 2 null q of 8 rows -> 6/8 = 0.75
    assert one(con, "expect_column_values_to_not_be_null", column="q", mostly=0.75).success
    assert not one(con, "expect_column_values_to_not_be_null", column="q", mostly=0.76).success


def test_table_level_expectations(con):
    order = ["t", "i", "j", "k", "v", "q"]
    assert one(con, "expect_table_columns_to_match_ordered_list", column_list=order).success
    wrong = one(con, "expect_table_columns_to_match_ordered_list", column_list=["t", "j", "i", "k", "v", "q"])
    assert (wrong.success, wrong.unexpected_count, wrong.examples) == (False, 1, [{"observed": order}])
    assert one(con, "expect_table_row_count_to_be_between", min_value=1, max_value=8).success
    assert not one(con, "expect_table_row_count_to_be_between", min_value=1, max_value=8, strict_max=True).success
    low = one(con, "expect_table_row_count_to_be_between", min_value=10, max_value=None)
    assert (low.success, low.unexpected_count, low.examples) == (False, 1, [{"observed": 8}])
    assert low.message == "row count 8 not >= 10"
    ok = one(con, "expect_column_values_to_be_in_type_list", column="t", type_list=["SMALLINT", "INTEGER", "int16"])
    assert (ok.success, ok.unexpected_count, ok.examples) == (True, 0, [{"observed": "SMALLINT"}])
    bad = one(con, "expect_column_values_to_be_in_type_list", column="v", type_list=["BIGINT", "int64"])
    assert (bad.success, bad.unexpected_count, bad.examples) == (False, 1, [{"observed": "DOUBLE"}])


def test_where_restricts_to_one_partition(con):
    expectations = [
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "v", "min_value": 0, "strict_min": True}},
        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["t", "i", "j", "k"]}},
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 4, "max_value": 4}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "i", "value_set": {"$PARAMETER": "countries"}}},
    ]
    result = run(con, *expectations, where="t = ? AND j = ?", where_params=[2005, 24], parameters=COUNTRIES)
    between, unique, count, countries = result.outcomes
    assert [o.element_count for o in result.outcomes] == [4, 4, 4, 4]
    assert (between.unexpected_count, between.examples) == (1, [ROW2])  # 0.0 is in 2006
    assert unique.success and count.success and countries.success  # duplicates and 999 are in 2006
    later = run(con, *expectations, where="t = ?", where_params=[2006], parameters=COUNTRIES)
    assert [o.unexpected_count for o in later.outcomes] == [1, 2, 0, 1]


def test_parameter_is_an_anti_join_on_the_query(con):
    outcome = one(con, "expect_column_values_to_be_in_set", column="i", value_set={"$PARAMETER": "countries"})
    assert (outcome.unexpected_count, outcome.examples) == (1, [ROW7])
    assert outcome.message.startswith("i: 1 of 8 rows not in $countries; values 999 (1 row); e.g. ")
    assert outcome.unexpected_values == ((999, 1),)
    con.execute("INSERT INTO raw.country_codes VALUES (999)")
    assert one(con, "expect_column_values_to_be_in_set", column="i", value_set={"$PARAMETER": "countries"}).success


def test_missing_parameter_or_unsupported_type_raise(con):
    expectation = {"type": "expect_column_values_to_be_in_set",
                   "kwargs": {"column": "i", "value_set": {"$PARAMETER": "countries"}}}
    assert suite_parameters({"expectations": [expectation]}) == {"countries"}
    with pytest.raises(ValueError, match="countries"):
        run(con, expectation)
    with pytest.raises(ValueError, match="expect_column_mean_to_be_between"):
        run(con, {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "v", "min_value": 0}})
    assert "expect_column_mean_to_be_between" not in SUPPORTED_TYPES


@pytest.mark.parametrize("relation", ["raw.t; drop table x", "raw.t.u", "1t", "raw.t --", "", '"raw"."t"'])
def test_relation_name_is_validated(con, relation):
    with pytest.raises(ValueError, match="relation"):
        validate_sql(con, {"name": "s", "expectations": []}, relation)
    assert con.execute("SELECT count(*) FROM raw.t").fetchone()[0] == 8


def test_missing_column_and_invalid_regex_fail_only_their_expectation(con):
    result = run(
        con,
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "nope"}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "k", "regex": "(?<=0)1"}},  # RE2: no lookbehind
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "i"}},
    )
    missing, regex, not_null = result.outcomes
    assert not missing.success and "['nope'] not found" in missing.message
    assert not regex.success and "could not be evaluated" in regex.message
    assert (not_null.unexpected_count, not_null.examples) == (1, [ROW8])


def test_summary_metadata_and_warning_severity(con):
    result = run(
        con,
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "t"}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "q"}, "meta": {"severity": "warning"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "v", "min_value": 0}},
    )
    assert not result.success
    assert [o.expectation_type for o in result.failures] == [
        "expect_column_values_to_not_be_null", "expect_column_values_to_be_between"]
    assert [o.kwargs.get("column") for o in result.blocking_failures] == ["v"]
    assert result.summary().splitlines() == [
        "warning: q: 2 of 8 rows are null; e.g. {'t': 2005, 'i': 4, 'j': 24, 'k': '010120', 'v': -1.0, 'q': None}",
        "v: 1 of 8 rows not >= 0; values -1.0 (1 row); e.g. {'t': 2005, 'i': 4, 'j': 24, 'k': '010120', 'v': -1.0, 'q': None}",
    ]
    meta = result.to_metadata()
    assert json.loads(json.dumps(meta)) == meta  # JSON-able as is
    assert (meta["engine"], meta["expectations"], meta["failed"], meta["blocking_failed"]) == ("sql", 3, 2, 1)
    assert meta["failures"][0]["column"] == "q" and meta["failures"][0]["severity"] == "warning"
    assert meta["failures"][1]["unexpected_count"] == 1 and meta["failures"][1]["examples"] == [ROW2]

    warnings_only = run(con, {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "q"},
                              "meta": {"severity": "warning"}})
    assert not warnings_only.success and warnings_only.blocking_failures == ()
    passing = run(con, {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "t"}})
    assert passing.success and passing.summary() == "all 1 expectations passed"


def test_expectations_dir_is_the_repo_folder():
    assert expectations_dir().name == "expectations"
    assert (expectations_dir().parent / "tcd_pipeline" / "gates" / "sql_engine.py").is_file()


def test_non_finite_floats_fail_ranges_whatever_the_type(con):
    # DuckDB alone would pass NaN for "> 0" (NaN sorts above every number) and +inf for any lower
    # bound; the engine adds isfinite() to ranges on FLOAT and DOUBLE columns (and only there)
    con.execute("CREATE TABLE raw.f (r REAL, d DOUBLE, n INTEGER, m DECIMAL(18, 3))")
    con.execute("INSERT INTO raw.f VALUES ('nan', 'inf', 1, 1.5), ('-inf', 1e300, 2, 2.5), (1, NULL, NULL, NULL)")

    def between(column, **kw):
        suite = {"name": "f", "expectations": [
            {"type": "expect_column_values_to_be_between", "kwargs": {"column": column, **kw}}]}
        return validate_sql(con, suite, "raw.f").outcomes[0]

    r = between("r", min_value=0, strict_min=True)
    assert (r.unexpected_count, r.element_count) == (2, 3)  # nan and -inf; 1.0 passes
    assert r.message.startswith("r: 2 of 3 rows not > 0; values -inf (1 row), nan (1 row); e.g. ")
    d = between("d", min_value=0, max_value=1e301)  # inf fails, 1e300 passes, NULL is ignored
    assert (d.unexpected_count, d.unexpected_values) == (1, ((float("inf"), 1),))
    assert between("n", min_value=1, max_value=2).success  # integers cannot be non-finite
    assert between("m", min_value=1, max_value=3).success


def _unique_suite(*columns: str) -> dict:
    return {"name": "u", "expectations": [
        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": list(columns)}}]}


def test_uniqueness_by_hash_then_exact_on_text_and_integer_keys():
    """Text and integer keys go through the hash pre-check (no repeated hash: no duplicate, no GROUP BY);
    a repeated hash falls back to the exact GROUP BY, which counts every row of a duplicated group."""
    db = duckdb.connect()
    db.execute("CREATE TABLE f (year SMALLINT, exporter VARCHAR, hs6 VARCHAR)")
    db.execute("INSERT INTO f SELECT 2000, 'C' || (r % 50), lpad(CAST(r AS VARCHAR), 6, '0') FROM range(10000) t(r)")
    clean = validate_sql(db, _unique_suite("year", "exporter", "hs6"), "f")
    assert clean.outcomes[0].success and clean.outcomes[0].unexpected_count == 0
    # rows 1 and 2 of the hand count: (2000, 'C1', '000001') twice more -> one group of 3 rows
    db.execute("INSERT INTO f VALUES (2000, 'C1', '000001'), (2000, 'C1', '000001')")
    dup = validate_sql(db, _unique_suite("year", "exporter", "hs6"), "f")
    assert not dup.outcomes[0].success and dup.outcomes[0].unexpected_count == 3


def test_uniqueness_of_double_keys_is_exact():
    """-0.0 and 0.0 are the same key to GROUP BY but have different bytes: DOUBLE keys skip the hash
    pre-check, so the two rows are found duplicated (2 rows)."""
    db = duckdb.connect()
    db.execute("CREATE TABLE f AS SELECT * FROM (VALUES (1, 0.0::DOUBLE), (1, -0.0::DOUBLE), (2, 1.5::DOUBLE)) t(a, b)")
    result = validate_sql(db, _unique_suite("a", "b"), "f")
    assert not result.outcomes[0].success and result.outcomes[0].unexpected_count == 2
