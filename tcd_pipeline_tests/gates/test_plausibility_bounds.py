"""The plausibility bounds of the raw suites let the staged real data through (../shared/data).

Each bound is read from where it is declared (the suite's expectation, or the WDI check), so the
test follows any change of a bound; the maxima quoted in the reasons are checked here too.
"""

import duckdb
import pytest

from tcd_pipeline.gates import load_suite, validate_sql
from tcd_pipeline.warehouse.sql import load_sql


def _between(suite: str, column: str) -> dict:
    return next(e for e in load_suite(suite)["expectations"]
                if e["type"] == "expect_column_values_to_be_between" and e["kwargs"]["column"] == column)


def test_every_bound_is_finite_and_gives_its_reason():
    for suite, column in (("raw_baci_flows", "v"), ("raw_baci_flows", "q"), ("raw_services", "value_usd"),
                          ("raw_icio", "output"), ("raw_geodist", "dist")):
        expectation = _between(suite, column)
        assert expectation["kwargs"]["max_value"] is not None, (suite, column)
        if suite != "raw_geodist":  # (25,000 km predates the reasons; docs/data-quality.md gives it)
            assert len(expectation["meta"]["reason"]) > 80, (suite, column)


def test_real_wdi_values_are_finite_and_within_the_bounds(shared_data):
    wdi = shared_data / "wdi_worldbank"
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(
        "CREATE TABLE raw.wdi AS "
        "SELECT iso3 AS country_code, indicator_code, year, value, 'wdi_long' AS source_file FROM read_csv(?) "
        "UNION ALL SELECT Code, 'NE.TRD.GNFS.ZS', Year, \"Trade (% of GDP)\", 'owid' FROM read_csv(?)",
        [str(wdi / "wdi_long_gdp_gdppc_pop_fdi.csv.gz"), str(wdi / "owid_trade_share_of_gdp_NE.TRD.GNFS.ZS.csv.gz")])
    assert con.execute("SELECT count(*) FROM raw.wdi").fetchone()[0] > 60_000
    assert con.execute(load_sql("ingest/checks/wdi_values_plausible")).fetchall() == []
    maxima = dict(con.execute("SELECT indicator_code, max(value) FROM raw.wdi GROUP BY ALL").fetchall())
    assert maxima["NY.GDP.PCAP.CD"] == pytest.approx(2.566e5, rel=1e-3)  # Monaco 2023, the reason's figure
    assert maxima["NE.TRD.GNFS.ZS"] == pytest.approx(863.2, rel=1e-3)  # US Virgin Islands 2008


def test_real_baci_flows_pass_the_value_and_quantity_bounds(shared_data):
    files = sorted((shared_data / "baci_sample_afg_zaf").glob("BACI_*.csv.gz"))
    assert files
    con = duckdb.connect()
    con.execute("CREATE TABLE flows AS SELECT v, try_cast(trim(CAST(q AS VARCHAR)) AS DOUBLE) AS q FROM read_csv(?)",
                [[str(f) for f in files]])
    suite = {"name": "bounds", "expectations": [_between("raw_baci_flows", "v"), _between("raw_baci_flows", "q")]}
    result = validate_sql(con, suite, "flows")
    assert result.success, result.summary()
    assert result.outcomes[0].element_count > 10_000


def test_real_io_outputs_and_distances_pass_their_bounds(shared_data):
    con = duckdb.connect()
    con.execute("CREATE TABLE io AS SELECT CAST(output AS DOUBLE) AS output FROM read_parquet(?)",
                [str(shared_data / "wiod_2013_release" / "wiot_output_1995_2011.parquet")])
    assert validate_sql(con, {"name": "io", "expectations": [_between("raw_icio", "output")]}, "io").success
    con.execute("CREATE TABLE geo AS SELECT dist FROM read_csv(?) WHERE iso_o <> iso_d",
                [str(shared_data / "cepii_geodist" / "dist_cepii.csv.gz")])
    assert validate_sql(con, {"name": "geo", "expectations": [_between("raw_geodist", "dist")]}, "geo").success
