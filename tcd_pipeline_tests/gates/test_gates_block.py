"""SQL checks block like expectations do, and a failed year is retried while the others stay; the
coverage checks keep a mart from being published empty while its inputs hold what it needs.

(The systematic bad-input matrix is test_bad_inputs.py; these are the cases only SQL checks see.)
"""

import duckdb
import numpy as np
import pytest

from tcd_pipeline.warehouse.sql import load_sql
from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, baci_text, write_tiny_world, write_year

GOOD = baci_text(FLOWS[2002])

CASES = {
    "year differs from file name": (GOOD.replace("2002,398,251", "2005,398,251"),
                                    "ingest/checks/baci_year_matches_file: offending rows, e.g. {'year': 2002, 't': 2005"),
    "self trade": (GOOD.replace("2002,398,490", "2002,398,398"),
                   "ingest/checks/baci_self_trade: offending rows, e.g. {'year': 2002, 't': 2002, 'i': 398, 'j': 398"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_sql_check_blocks_and_the_year_is_retried(tmp_path, case):
    content, words = CASES[case]
    world = World(tmp_path)
    assert world.refresh().success
    good_rows = world.query("SELECT * FROM clean.flows WHERE year = 2002 ORDER BY ALL")
    (world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv").write_text(content)

    report = world.refresh()

    assert not report.success
    message = " ".join(report.problems)
    assert "raw_baci_flows_gate" in message and "BACI_HS92_Y2002_V202401b.csv" in message
    assert words in message, message
    assert "clean/flows[2002]" not in report.materialized
    assert world.query("SELECT * FROM clean.flows WHERE year = 2002 ORDER BY ALL") == good_rows
    # only 2002 ran (2001 untouched), marts were not rebuilt, and the next refresh tries 2002 again
    assert [(r.job, r.partition) for r in report.runs] == [("ingest_flows_job", "2002")]
    assert [(r.job, r.partition) for r in world.refresh().runs] == [("ingest_flows_job", "2002")]


# --- coverage: no mart is published empty while its inputs hold what it needs ---------------------

COVERAGE = {  # mart -> its check's first row when the mart is emptied on the tiny world (hand-read from FLOWS)
    "trade_openness": (2001, 4, ["FRA", "KAZ", "USA", "XOA"], "trading countries of clean.flows missing in marts.trade_openness"),
    "sector_region_shares": (2001, 3, ["FRA", "KAZ", "USA"], "exporters of clean.flows missing in marts.sector_region_shares"),
    "exports_by_sector": (2001, 3, ["FRA", "KAZ", "USA"], "exporters of clean.flows missing in marts.exports_by_sector"),
    "exports_by_region": (2001, 3, ["FRA", "KAZ", "USA"], "exporters of clean.flows missing in marts.exports_by_region"),
    "rca": (2001, 3, ["FRA", "KAZ", "USA"], "exporters of clean.flows missing in marts.rca"),
    "diversification": (2001, 3, ["FRA", "KAZ", "USA"], "exporters of clean.flows missing in marts.diversification"),
    "lall_shares": (2001, 3, ["FRA", "KAZ", "USA"], "exporters of clean.flows missing in marts.lall_shares"),
    "eci": (2001, 3, "year of clean.flows (two or more exporters) without ECI in marts.eci"),
    "pci": (2001, 3, "year of clean.flows (two or more exporters) without PCI in marts.pci"),
    "services_exports": (2001, 1, ["KAZ"], "economies with services exports in raw.services missing in marts.services_exports"),
    "survival_curves": ("exporter", "AFG", "exporter with spells missing in marts.survival_curves"),
    "survival_summary": ("exporter", "AFG", "exporter with spells missing in marts.survival_summary"),
}
TIVA = ("tiva_indicators", "tiva_fva_by_source", "tiva_dva_by_destination", "gvc_participation")


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory):
    """A copy of the tiny world's warehouse after a good refresh (no GDP per capita in the tiny world)."""
    root = tmp_path_factory.mktemp("coverage")
    world = World(root)
    report = world.refresh()
    assert report.success, report.problems
    return world.warehouse


def _check(con, name: str) -> list[tuple]:
    chapter = "tiva" if name in TIVA else "survival" if name.startswith("survival") else "trade_outcomes"
    return con.execute(load_sql(f"{chapter}/checks/coverage_{name}")).fetchall()


@pytest.mark.parametrize("mart", [*COVERAGE, *TIVA])
def test_coverage_check_passes_on_the_built_mart_and_names_what_an_empty_one_misses(good_warehouse, mart):
    with duckdb.connect(str(good_warehouse)) as con:
        assert _check(con, mart) == []
        con.execute("BEGIN")
        con.execute(f"DELETE FROM marts.{mart}")
        missing = _check(con, mart)
        con.execute("ROLLBACK")
    if mart in TIVA:  # both input-output years of the tiny world
        assert [(r[0], r[1].rsplit("/", 1)[-1]) for r in missing] == [(2001, "ICIO2023_2001.csv"), (2002, "ICIO2023_2002.csv")]
        assert missing[0][2].endswith(f"in marts.{mart}")
    else:
        assert missing[0] == COVERAGE[mart]
        years = {r[0] for r in missing if isinstance(r[0], int)}
        assert years in ({2001, 2002}, set())  # survival rows are keyed by group, not year


def test_coverage_names_the_years_of_prody_and_expy_that_incomes_allow(good_warehouse):
    """The tiny world has no GDP per capita: PRODY and EXPY are legitimately empty. Give KAZ and FRA
    their 2001 income (and none in 2002): PRODY is due in 2001 only, and 2002 is the named gap."""
    with duckdb.connect(str(good_warehouse)) as con:
        assert _check(con, "prody") == [] and _check(con, "expy") == []
        con.execute("BEGIN")
        con.execute("UPDATE clean.macro SET gdp_pc_usd = 1422.27 WHERE iso3 = 'KAZ' AND year = 2001")
        con.execute("UPDATE clean.macro SET gdp_pc_usd = 22331.79 WHERE iso3 = 'FRA' AND year = 2001")
        assert _check(con, "prody") == [
            (2001, 2, "2002", "year with exporters' GDP per capita but no PRODY in marts.prody")]
        # one PRODY of 2001 (crude oil): KAZ and USA export it, FRA (horses only) has no EXPY due
        con.execute("INSERT INTO marts.prody (year, hs6, prody_usd) VALUES (2001, '270900', 1422.27)")
        assert _check(con, "prody") == []
        assert _check(con, "expy") == [(2001, 2, ["KAZ", "USA"], "exporters with a PRODY product missing in marts.expy")]
        con.execute("ROLLBACK")


def _quality_world(con, distances: dict) -> None:
    """Six unit values of two products in 2001 from exporters A, B, C (GDP per capita e^8, e^9, e^10)."""
    con.execute("CREATE SCHEMA clean; CREATE SCHEMA raw; CREATE SCHEMA marts")
    con.execute("CREATE TABLE clean.flows (year SMALLINT, exporter VARCHAR, importer VARCHAR, hs6 VARCHAR, "
                "value_usd DOUBLE, quantity_t DOUBLE)")
    con.execute("INSERT INTO clean.flows VALUES (2001, 'A', 'X', '010110', 10, 1), (2001, 'B', 'X', '010110', 20, 1), "
                "(2001, 'C', 'X', '010110', 30, 1), (2001, 'A', 'Y', '270900', 10, 1), (2001, 'B', 'Y', '270900', 20, 1), "
                "(2001, 'C', 'Y', '270900', 30, 1), (2002, 'A', 'X', '010110', 10, NULL)")
    con.execute("CREATE TABLE clean.macro AS SELECT * FROM (VALUES ('A', 2001, exp(8)), ('B', 2001, exp(9)), "
                "('C', 2001, exp(10)), ('A', 2002, exp(8))) v(iso3, year, gdp_pc_usd)")
    con.execute("CREATE TABLE raw.geodist (exporter VARCHAR, importer VARCHAR, dist DOUBLE)")
    con.executemany("INSERT INTO raw.geodist VALUES (?, ?, ?)", [(*pair, d) for pair, d in distances.items()])
    con.execute("CREATE TABLE marts.export_quality (country VARCHAR, year SMALLINT, sector VARCHAR, quality DOUBLE)")


def test_export_quality_is_due_where_the_unit_value_regression_can_be_estimated():
    # ln d = ln y within each product: collinear (det 0), no quality due; 2002 has no quantity
    collinear = {(c, m): float(np.exp(k)) for m in "XY" for c, k in zip("ABC", (8, 9, 10))}
    with duckdb.connect() as con:
        _quality_world(con, collinear)
        assert _check(con, "export_quality") == []
    # product 270900: distances in the opposite order (ln d = 18 - ln y): S_yy = S_dd = 4, S_yd = 0,
    # det / (S_yy S_dd) = 1 by hand; 2001 must then have quality
    crossing = {**collinear, ("A", "Y"): float(np.exp(10)), ("C", "Y"): float(np.exp(8))}
    with duckdb.connect() as con:
        _quality_world(con, crossing)
        rows = _check(con, "export_quality")
        assert [(y, n, round(i, 12)) for y, n, i, _ in rows] == [(2001, 6, 1.0)]
        con.execute("INSERT INTO marts.export_quality VALUES ('A', 2001, 'All', 1.0)")
        assert _check(con, "export_quality") == []


def test_tiny_world_with_incomes_publishes_prody_and_expy(tmp_path):
    """With WDI GDP per capita (tiny_world.GDP_PER_CAPITA), PRODY and EXPY are not empty. By hand: the
    fixed country set is {KAZ} (FRA exports in 2001 only), so PRODY of KAZ's products = KAZ's income;
    EXPY = that PRODY for KAZ and USA (crude oil) and none for FRA and AFG (horses only, no PRODY)."""
    world = World(tmp_path, inputs=write_tiny_world(tmp_path / "inputs", gdp_per_capita=True))
    report = world.refresh()
    assert report.success, report.problems
    assert world.query("SELECT year, hs6, prody_usd FROM marts.prody ORDER BY ALL") == [
        (2001, "270900", 1422.27), (2001, "740311", 1422.27), (2002, "270900", 1573.55), (2002, "740311", 1573.55)]
    assert world.query("SELECT year, country, expy_usd FROM marts.expy ORDER BY ALL") == [
        (2001, "KAZ", 1422.27), (2001, "USA", 1422.27), (2002, "KAZ", 1573.55)]


def test_new_baci_year_without_its_wdi_year_is_a_named_gap_not_an_empty_prody(tmp_path):
    """BACI 2003 arrives before WDI 2003. PRODY and EXPY must not be published with 0 rows: either the
    PRODY gate stops the run naming the years with incomes and the gap, or PRODY covers 2001-2002 and
    the builder names 2003."""
    inputs = write_tiny_world(tmp_path / "inputs", gdp_per_capita=True)
    write_year(inputs, 2003, FLOWS[2003])
    world = World(tmp_path, inputs=inputs)
    report = world.refresh()
    if not report.success:
        message = " ".join(report.problems)
        assert "marts_prody_gate" in message and "trade_outcomes/checks/coverage_prody" in message, message
        assert "'year': 2001" in message and "'years_without_income': '2003'" in message, message
        assert "publish/marts_file" not in report.materialized
    else:
        assert [y for (y,) in world.query("SELECT DISTINCT year FROM marts.prody ORDER BY 1")] == [2001, 2002]
        assert world.query("SELECT count(*) FROM marts.expy")[0][0] > 0
        assert any("2003" in m and "GDP per capita" in m for m in world.messages), world.messages
