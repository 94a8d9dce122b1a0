"""A mart's declaration is its structural contract: the gate's expectations, the DuckDB COMMENTs,
docs/marts.md and the Dagster column schema all come from it (issue #11)."""

import json

import duckdb
import pytest

from tcd_pipeline.defs.catalog import ALL
from tcd_pipeline.lib.gated import SUITES, check_specs, evaluate_gate, load_suites
from tcd_pipeline.lib.mart_assets import column_schema
from tcd_pipeline.paths import EXPECTATIONS_DIR
from tcd_pipeline.warehouse.contract_suites import mart_suite, structural_expectations
from tcd_pipeline.warehouse.contracts import ISO3, POSITIVE, Column, Mart, Range, apply_comments

# a tiny mart: one row per exporter-year, a share in [0, 1], a positive count
TINY = Mart(
    name="tiny", grain="exporter x year", description="A tiny mart for tests.", example="SELECT 1",
    key=("exporter", "year"), min_rows=1,
    columns=(Column("exporter", "VARCHAR", "ISO3", "Exporter", nullable=False, pattern=ISO3),
             Column("year", "SMALLINT", "year", "Year"),
             Column("share", "DOUBLE", "fraction", "A share", range=Range(0, 1)),
             Column("n", "INTEGER", "count", "A count", range=POSITIVE),
             Column("kind", "VARCHAR", "", "a or b", values=("a", "b"))),
)


def _by_type(expectations, kind):
    return [e["kwargs"] for e in expectations if e["type"] == kind]


def test_the_diversification_suite_has_its_grain_and_ranges():
    generated = structural_expectations(ALL["diversification"])
    assert _by_type(generated, "expect_compound_columns_to_be_unique") == [{"column_list": ["country", "year"]}]
    between = {k["column"]: k for k in _by_type(generated, "expect_column_values_to_be_between")}
    assert between["hhi_products"] == {"column": "hhi_products", "min_value": 0, "max_value": 1}
    assert between["top5_market_share_pct"] == {"column": "top5_market_share_pct", "min_value": 0, "max_value": 100}
    assert between["n_products"] == {"column": "n_products", "min_value": 1, "max_value": None}
    assert _by_type(generated, "expect_table_row_count_to_be_between") == [{"min_value": 1, "max_value": None}]
    # and the gate evaluates them: the loaded suite starts with exactly these
    suite = next(s for s in SUITES if s["name"] == "marts_diversification")
    assert suite["expectations"][:len(generated)] == generated
    assert suite["meta"]["sql_checks"] == ["trade_outcomes/checks/marts_hhi_at_least_one_over_n",
                                           "trade_outcomes/checks/coverage_diversification"]


def test_every_declaration_term_becomes_one_expectation():
    assert structural_expectations(TINY) == [
        {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1, "max_value": None}},
        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["exporter", "year"]}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "exporter"}},
        {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "exporter", "regex": "^[A-Z]{3}$"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "share", "min_value": 0, "max_value": 1}},
        {"type": "expect_column_values_to_be_between",
         "kwargs": {"column": "n", "min_value": 0, "max_value": None, "strict_min": True}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "kind", "value_set": ["a", "b"]}},
    ]
    one_key = Mart("one", "hs6", "", (Column("hs6", "VARCHAR", "", ""),), "", key=("hs6",))
    assert structural_expectations(one_key) == [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "hs6"}}]


def _tiny_table(rows):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.tiny (exporter VARCHAR, year SMALLINT, share DOUBLE, n INTEGER, kind VARCHAR)")
    if rows:
        con.executemany("INSERT INTO marts.tiny VALUES (?, ?, ?, ?, ?)", rows)
    return con


@pytest.mark.parametrize("engine", ["sql", "gx"])
def test_a_duplicate_grain_row_fails_the_gate_and_is_named(engine):
    good = [("KAZ", 2001, 0.25, 3, "a"), ("KAZ", 2002, 1.0, 1, "b"), ("RUS", 2001, 0.0, 7, None)]
    suite = mart_suite(TINY)
    assert evaluate_gate(_tiny_table(good), suite, engine, "", "").passed
    verdict = evaluate_gate(_tiny_table([*good, ("RUS", 2001, 0.5, 2, "a")]), suite, engine, "", "")
    assert not verdict.passed and verdict.check_name == "marts_tiny_gate"
    assert "1 failed" in verdict.description  # only the key: the duplicate's other values are all allowed
    assert "exporter, year" in verdict.description and "'RUS'" in verdict.description, verdict.description


@pytest.mark.parametrize("row, column", [(("KAZ", 2001, 1.5, 3, "a"), "share"), (("KAZ", 2001, 0.5, 0, "a"), "n"),
                                         (("KAZ", 2001, float("nan"), 3, "a"), "share"),
                                         (("KAZ", 2001, 0.5, 3, "c"), "kind"), (("kz", 2001, 0.5, 3, "a"), "exporter"),
                                         ((None, 2001, 0.5, 3, "a"), "exporter")])
def test_a_value_outside_the_declaration_fails_the_gate(row, column):
    verdict = evaluate_gate(_tiny_table([row]), mart_suite(TINY), "sql", "", "")
    assert not verdict.passed and verdict.description.split("failed: ")[1].startswith(f"{column}:"), verdict.description


def test_an_empty_mart_fails_its_minimum_rows():
    verdict = evaluate_gate(_tiny_table([]), mart_suite(TINY), "sql", "", "")
    assert not verdict.passed and "row count 0 not" in verdict.description, verdict.description


def test_the_contract_is_said_once():
    written = {"name": "marts_tiny", "meta": {"asset": "marts/tiny", "relation": "marts.tiny"}, "expectations": [
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "share", "min_value": 0, "max_value": 1}}]}
    with pytest.raises(ValueError, match="repeat"):
        mart_suite(TINY, written)
    with pytest.raises(ValueError, match="is not the suite of marts.tiny"):
        mart_suite(TINY, {**written, "name": "marts_other", "expectations": []})
    with pytest.raises(ValueError, match="not declared"):
        Mart("bad", "x", "", (Column("a", "INTEGER", "", ""),), "", key=("b",))
    with pytest.raises(ValueError, match="needs a min or a max"):
        Range()


def test_hand_written_mart_suites_keep_only_what_a_declaration_cannot_say(tmp_path):
    structural = {"expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique",
                  "expect_column_values_to_not_be_null", "expect_column_values_to_be_between",
                  "expect_table_row_count_to_be_between", "expect_column_values_to_be_in_set",
                  "expect_column_values_to_match_regex"}
    for mart in ALL.values():
        path = next(EXPECTATIONS_DIR.glob(f"*/marts_{mart.name}.json"))
        written = json.loads(path.read_text(encoding="utf-8"))
        assert not [e for e in written["expectations"] if e["type"] in structural], path
        assert check_specs(f"marts/{mart.name}")[0].name == f"marts_{mart.name}_gate"
    # a declared mart without a suite file still gets its gate, from the declaration alone
    suites = load_suites(tmp_path, marts={"tiny": TINY})
    assert [s["name"] for s in suites] == ["marts_tiny"]
    assert suites[0]["meta"]["asset"] == "marts/tiny" and suites[0]["expectations"] == structural_expectations(TINY)


def test_generated_suites_are_valid_great_expectations_suites():
    import great_expectations as gx

    for suite in SUITES:
        if suite["meta"]["asset"].startswith("marts/"):
            assert len(gx.ExpectationSuite(**json.loads(json.dumps(suite))).expectations) == len(suite["expectations"])


def test_column_schema_and_comments_carry_the_declaration():
    schema = column_schema(TINY)
    columns = {c.name: c for c in schema.columns}
    assert schema.constraints.other == ["unique key (exporter, year)", "at least 1 row(s)"]
    assert columns["exporter"].constraints.nullable is False and columns["exporter"].constraints.other == [
        "allowed: matches ^[A-Z]{3}$"]
    assert columns["share"].constraints.nullable is True and columns["share"].constraints.other == ["allowed: [0, 1]"]
    assert columns["n"].constraints.other == ["allowed: (0, inf)"]
    assert not any(c.constraints.unique for c in schema.columns)  # a compound key is a table constraint
    con = _tiny_table([])
    apply_comments(con, TINY)
    assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'tiny'").fetchone() == (
        "A tiny mart for tests. Grain: exporter x year. Key: exporter, year.",)
    assert con.execute("SELECT comment FROM duckdb_columns() WHERE column_name = 'share'").fetchone() == (
        "A share [fraction]",)


def test_range_text():
    assert [Range(0, 1).text(), POSITIVE.text(), Range(-100).text(), Range(max=5, max_inclusive=False).text()] == [
        "[0, 1]", "(0, inf)", "[-100, inf)", "(-inf, 5)"]


def test_kept_rows_stay_in_place_and_the_rest_is_replaced():
    import polars as pl

    from tcd_pipeline.warehouse.contracts import KeptRows, build_mart_from_frames

    con = duckdb.connect()
    rows = [("AAA", 2000, 0.5, 1, "a"), ("AAA", 2001, 0.5, 2, "a"), ("AAA", 2002, 0.5, 3, "b")]
    new_2001 = pl.DataFrame({"exporter": ["AAA", "BBB"], "year": [2001, 2001], "share": [0.25, 0.75],
                             "n": [7, 8], "kind": ["b", "b"]})
    keep_2000 = KeptRows((("year", 2000),))

    def table():
        return con.execute("SELECT * FROM marts.tiny ORDER BY ALL").fetchall()

    # the table as declared: 2000 stays, 2001 is replaced by the computed rows, 2002 (neither kept nor computed) goes
    build_mart_from_frames(con, TINY, [pl.DataFrame(rows, schema=[c.name for c in TINY.columns], orient="row")])
    assert build_mart_from_frames(con, TINY, [keep_2000, new_2001]) == 3
    want = [("AAA", 2000, 0.5, 1, "a"), ("AAA", 2001, 0.25, 7, "b"), ("BBB", 2001, 0.75, 8, "b")]
    assert table() == want
    assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'tiny'").fetchone()[0] == TINY.comment()

    # a table not as declared (n BIGINT instead of INTEGER, e.g. altered by hand): the kept rows are copied into a
    # new table built as declared
    con.execute("ALTER TABLE marts.tiny ALTER n TYPE BIGINT")
    assert build_mart_from_frames(con, TINY, [keep_2000, new_2001]) == 3
    assert table() == want
    assert con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = 'tiny' AND column_name = 'n'"
                       ).fetchone()[0] == "INTEGER"
