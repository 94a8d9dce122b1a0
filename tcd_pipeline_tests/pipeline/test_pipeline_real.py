"""The whole pipeline on REAL BACI-format and WDI files from ../shared/data (skipped where absent).

Files are copied into tmp_path under the names of a BACI download; their content is unchanged.
Reference numbers come from the folders' PROVENANCE.md or from reading the files with DuckDB, as
stated next to each assertion.
"""

import shutil

import duckdb
import pytest

from tcd_pipeline_tests.harness import World


def _real_world(tmp_path, shared, files: dict[str, str], hs: str) -> World:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for target, source in files.items():
        shutil.copy(shared / source, inputs / target)
    for api in sorted((shared / "wdi_worldbank" / "original").glob("API_*.csv.gz")):
        shutil.copy(api, inputs / api.name)
    return World(tmp_path, inputs=inputs, hs=hs)


def test_real_hs17_year_and_wdi_run_through(tmp_path, shared_data):
    world = _real_world(tmp_path, shared_data, {
        "BACI_HS17_Y2020_V202301.csv.gz": "baci_sample_afg_zaf/BACI_HS17_Y2020_i4_i710_subset.csv.gz",
        "country_codes_V202201.csv": "baci_codes/country_codes_V202201.csv",
        # the staged list carries an extra `bec` column; the loader keeps code and description
        "product_codes_HS17_V202201.csv": "baci_codes/product_codes_HS17_V202201_with_bec.csv",
    }, hs="17")
    report = world.refresh()
    assert report.success, report.problems
    # PROVENANCE.md: 70,920 rows, exporter 710 (ZAF) 68,589 rows, 4 (AFG) 2,331
    assert world.query("SELECT exporter, count(*) FROM clean.flows GROUP BY 1 ORDER BY 1") == [
        ("AFG", 2_331), ("ZAF", 68_589)]
    # total value equals the file's own sum of v (thousand USD) x 1,000, read independently
    with duckdb.connect() as con:
        file_total = con.execute(
            "SELECT sum(v) * 1000 FROM read_csv(?)",
            [str(shared_data / "baci_sample_afg_zaf" / "BACI_HS17_Y2020_i4_i710_subset.csv.gz")],
        ).fetchone()[0]
    assert world.query("SELECT sum(value_usd) FROM clean.flows")[0][0] == pytest.approx(file_total, rel=1e-12)
    # WDI (PROVENANCE.md check): KAZ 2019 GDP 181.7 bn USD, GDP pc 9,457 USD, population 19.21 m
    gdp, gdp_pc, pop = world.query(
        "SELECT gdp_usd, gdp_pc_usd, population FROM clean.macro WHERE iso3 = 'KAZ' AND year = 2019")[0]
    assert gdp == pytest.approx(181.7e9, rel=1e-3)
    assert gdp_pc == pytest.approx(9_457, rel=1e-3)
    assert pop == pytest.approx(19.21e6, rel=1e-3)
    # aggregates (World, EU, income groups) are not countries
    assert world.query("SELECT count(*) FROM clean.macro WHERE iso3 IN ('WLD', 'EUU', 'HIC', 'AFE')") == [(0,)]
    countries = world.query("SELECT count(DISTINCT iso3) FROM clean.macro")[0][0]
    assert 200 <= countries <= 220  # 266 rows per indicator less the 49 WB aggregates in the file


def test_release_mismatch_is_caught_by_the_gate(tmp_path, shared_data):
    # The 2021 file comes from BACI V202301, which codes Italy 380; the V202201 list has 381 only
    # (found by this gate: DuckDB anti-join of j against the list gives [380], 661 rows).
    world = _real_world(tmp_path, shared_data, {
        "BACI_HS92_Y2021_V202301.csv.gz": "baci_sample_afg_zaf/BACI_Y2021_i4_i710_subset.csv.gz",
        "country_codes_V202201.csv": "baci_codes/country_codes_V202201.csv",
        "product_codes_HS92_V202201.csv": "baci_codes/product_code_baci92_hs92.csv",
    }, hs="92")
    report = world.refresh()
    assert not report.success
    message = " ".join(report.problems)
    assert "BACI_HS92_Y2021_V202301.csv.gz" in message
    assert "j: 661 of 71192 rows not in $baci_country_codes; values 380 (661 rows)" in message
    with pytest.raises(duckdb.CatalogException):
        world.query("SELECT count(*) FROM clean.flows")  # nothing of 2021 reached the clean layer
