"""Materialization tests: the real definitions on a tiny hand-made world in tmp_path.

Expected values are computed by hand from tiny_world.FLOWS (v is thousands of USD).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from tcd_pipeline.definitions import build_definitions
from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.snapshot import render as render_snapshot
from tcd_pipeline_tests.tiny_world import FLOWS, write_year


@pytest.fixture
def world(tmp_path) -> World:
    return World(tmp_path)


def test_definitions_match_the_snapshot_and_every_asset_says_what_it_is():
    # snapshot of the code location: a change here is a change of the contract with users
    # (regenerate with: python -m tcd_pipeline_tests.snapshot > tcd_pipeline_tests/snapshots/definitions.txt)
    committed = (Path(__file__).parents[1] / "snapshots" / "definitions.txt").read_text(encoding="utf-8")
    assert render_snapshot() == committed
    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    chapters = {p.name for p in (Path(__file__).parents[2] / "tcd_pipeline" / "defs").iterdir() if p.is_dir()
                and not p.name.startswith("_")}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert node.group_name in chapters, key  # the asset group is the chapter folder that defines it
        assert node.code_version, key
    checks = {k.name for k in graph.asset_check_keys}
    # one blocking gate per suite file in expectations/<chapter>/
    assert checks == {f"{p.stem}_gate" for p in (Path(__file__).parents[2] / "expectations").rglob("*.json")}


def test_definitions_load_without_warnings():
    # what `dg dev` / `dagster dev` do first: import the code location; any warning is an error here
    code = "import tcd_pipeline.definitions as d; d.defs.resolve_asset_graph(); print('loaded')"
    proc = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "loaded"
    assert proc.stderr == ""


def test_refresh_builds_clean_tables_with_hand_computed_values(world):
    report = world.refresh()
    assert report.success, report.problems
    assert [(r.job, r.partition) for r in report.runs] == [
        ("ingest_reference_job", ""), ("ingest_flows_job", "2001"), ("ingest_flows_job", "2002"), ("trade_outcomes_job", ""),
        ("survival_job", ""), ("tiva_job", ""), ("tariffs_job", ""), ("publish_job", "")]
    # 2001 KAZ(398) -> FRA(251) crude oil: v 1500.000 thousand USD -> 1,500,000 USD, q 7,500 t
    assert world.query(
        "SELECT value_usd, quantity_t FROM clean.flows WHERE year = 2001 AND exporter = 'KAZ' AND importer = 'FRA'"
    ) == [(1_500_000.0, 7_500.0)]
    # q "NA" stays NULL; 490 "Other Asia, nes" (iso3 N/A in BACI) maps to the override XOA
    assert world.query("SELECT quantity_t FROM clean.flows WHERE year = 2001 AND hs6 = '740311'") == [(None,)]
    assert world.query("SELECT exporter, importer FROM clean.flows WHERE year = 2002 AND hs6 = '740311'") == [
        ("KAZ", "XOA")]
    # leading zero kept: 010110
    assert world.query("SELECT count(*) FROM clean.flows WHERE hs6 = '010110'") == [(2,)]
    # rows per year and totals: 2001 = 1500 + 200.5 + 3.25 + 10 = 1713.75 thousand USD
    assert world.query("SELECT year, count(*), sum(value_usd) FROM clean.flows GROUP BY 1 ORDER BY 1") == [
        (2001, 4, 1_713_750.0), (2002, 3, 1_920_750.0)]
    # WDI: WLD aggregate dropped, ROM harmonised to ROU, bulk and long files merged per country-year
    assert world.query("SELECT iso3, year, gdp_usd, population, trade_pct_gdp FROM clean.macro ORDER BY 1, 2") == [
        ("FRA", 2001, 1.38e12, 61.4e6, None), ("FRA", 2002, 1.5e12, None, None),
        ("KAZ", 2001, 22.15e9, 14.86e6, 90.5), ("KAZ", 2002, 24.64e9, 14.85e6, None),
        ("ROU", 2001, 40.6e9, None, None)]


def test_refresh_is_incremental(world):
    assert world.refresh().success
    # nothing changed: no run at all
    again = world.refresh()
    assert again.runs == [] and any("nothing changed" in m for m in world.messages)
    # one more year: only that year runs, the other years are not reprocessed
    write_year(world.inputs, 2003, FLOWS[2003])
    before = world.materializations("clean/flows", "2001")
    report = world.refresh()
    assert [(r.job, r.partition) for r in report.runs] == [("ingest_flows_job", "2003"), ("trade_outcomes_job", ""),
                                                           ("survival_job", ""), ("tiva_job", ""), ("tariffs_job", ""), ("publish_job", "")]
    assert world.materializations("clean/flows", "2001") == before
    assert world.query("SELECT year, count(*) FROM clean.flows GROUP BY 1 ORDER BY 1") == [
        (2001, 4), (2002, 3), (2003, 2)]
    # force rebuilds everything and gives the same table (idempotent)
    snapshot = world.query("SELECT * FROM clean.flows ORDER BY ALL")
    forced = world.refresh(force=True)
    assert len(forced.runs) == 9 and forced.success  # reference, 3 years, 4 mart chapters, publish
    assert world.query("SELECT * FROM clean.flows ORDER BY ALL") == snapshot


def test_codes_sharing_an_iso3_are_summed(world):
    # BACI lists 56 Belgium and 58 Belgium-Luxembourg, both BEL; a year holding both must stay
    # unique on (year, exporter, importer, hs6): 12.5 + 7.25 = 19.75 thousand USD, 3 + 1 tonnes
    codes = world.inputs / "baci" / "country_codes_V202401b.csv"
    codes.write_text(codes.read_text() + "56,Belgium,BE,BEL\n58,Belgium-Luxembourg,BE,BEL\n")
    write_year(world.inputs, 2003, [(2003, 56, 398, "010110", 12.5, 3.0), (2003, 58, 398, "010110", 7.25, 1.0),
                                    (2003, 398, 56, "270900", 100.0, None)])
    assert world.refresh().success
    assert world.query("SELECT exporter, importer, hs6, value_usd, quantity_t FROM clean.flows "
                       "WHERE year = 2003 ORDER BY ALL") == [
        ("BEL", "KAZ", "010110", 19_750.0, 4.0), ("KAZ", "BEL", "270900", 100_000.0, None)]
    # the years without shared codes took the one-to-one statement and give the same totals
    assert world.query("SELECT year, sum(value_usd) FROM clean.flows WHERE year < 2003 GROUP BY 1 ORDER BY 1") == [
        (2001, 1_713_750.0), (2002, 1_920_750.0)]


def test_suites_are_valid_great_expectations_suites():
    # load_suite builds gx.ExpectationSuite(**json) after checking each type against GE's registry
    from tcd_pipeline.config import EXPECTATIONS_DIR
    from tcd_pipeline.gates import load_suite, suite_parameters
    from tcd_pipeline.warehouse.sql import load_sql

    for path in sorted(EXPECTATIONS_DIR.rglob("*.json")):
        suite = load_suite(path.stem)
        meta = suite["meta"]
        assert suite["name"] == path.stem
        assert set(meta.get("parameters", {})) == suite_parameters(suite), path.name
        for statement in [*meta.get("parameters", {}).values(), *meta.get("sql_checks", [])]:
            assert load_sql(statement)


def test_great_expectations_engine_gates_the_pipeline_too(tmp_path):
    # the same suites run by Great Expectations itself (pandas) through the same asset checks
    world = World(tmp_path, engine="gx")
    assert world.refresh().success
    path = world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv"
    path.write_text(path.read_text().replace("1800.000", "-1800.000"))
    report = world.refresh()
    assert not report.success
    message = " ".join(report.problems)
    assert "raw_baci_flows_gate" in message and "-1800.0" in message and "BACI_HS92_Y2002_V202401b.csv" in message
