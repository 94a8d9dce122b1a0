"""TiVA on REAL tables staged in ../shared/data (skipped where absent): the WIOD 2013 release
(17 years), the long-run WIOD, and the ADB Kazakhstan GVC results as a check of the sample ICIO.
The core and readers only; the same tables through the Dagster pipeline are in
test_tiva_pipeline_real.py, and the time they take in benchmarks/bench_tiva.py.

Published magnitudes used as plausibility bands (wide on purpose: WIOD is not the OECD ICIO;
the values are quoted approximately from the publications, not recomputed here):
- OECD TiVA, 2015 edition, foreign value-added share of gross exports (EXGR_FVASH), 2011:
  Luxembourg about 60%, Korea about 42%, Czech Republic/Hungary/Slovak Republic 45-48%,
  Germany about 25%, China about 32% (with the processing-trade split that WIOD lacks, so WIOD
  gives less), United States and Japan about 15%, Russia/Brazil/Australia 10-14%.
- UNCTAD World Investment Report 2013 (UNCTAD-Eora GVC database): about 28% of world gross
  exports in 2010 is foreign value added.
- Johnson and Noguera (2012), Timmer, Erumban, Los, Stehrer and de Vries (2014, JEP) and
  Los, Timmer and de Vries (2015): the foreign content of trade rose from 1995 to 2008 and fell
  in the 2009 trade collapse.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.leontief import calc_A, calc_v
from tcd_pipeline.core.tiva import identity_gaps, tiva_indicators
from tcd_pipeline.sample.icio import write_icio
from tcd_pipeline.sources.icio import read_icio
from tcd_pipeline.sources.wiod import read_wiod_2013, read_wiod_long_run, wiod_2013_years
from tcd_pipeline_tests.reference.leontief_explicit import calc_B

YEARS = list(range(1995, 2012))


@pytest.fixture(scope="module")
def wiod(shared_data) -> dict:
    """Every WIOD 2013 year read (published output) and decomposed (time: benchmarks/bench_tiva.py)."""
    folder = shared_data / "wiod_2013_release"
    assert wiod_2013_years(folder) == YEARS
    tables, results = {}, {}
    for year in YEARS:
        tables[year] = read_wiod_2013(folder, year)
        results[year] = tiva_indicators(tables[year])
    return {"folder": folder, "tables": tables, "results": results,
            "participation": pl.concat([r.participation for r in results.values()])}


def test_wiod_identities_every_year(wiod):
    for year, res in wiod["results"].items():
        gaps = identity_gaps(res)
        assert gaps["gap_total"].abs().max() < 1e-9, year  # DVA + FVA = EXGR per exporting industry
        assert gaps["gap_dva"].abs().max() < 1e-9, year  # DDC + IDC + RIM = DVA
        # B(I - A) = I; with published output sum_r diag(v) B Y_r = VA - diag(v) B (x - row sums), exactly
        tab = wiod["tables"][year]
        A = calc_A(tab.Z, tab.x)
        B = calc_B(A)
        np.testing.assert_allclose(B @ (np.eye(tab.size) - A), np.eye(tab.size), atol=1e-9)
        d = tab.x - tab.Z.sum(axis=1) - tab.Y.sum(axis=1)
        expected = tab.x - tab.Z.sum(axis=0) - calc_v(A, tab.x) * (B @ d)
        ind = res.indicators
        np.testing.assert_allclose((ind["dfd_dva"] + ind["ffd_dva"]).to_numpy(), expected, rtol=1e-9,
                                   atol=1e-9 * np.abs(expected).max())


def test_wiod_row_sums_close_the_value_added_identity(wiod):
    for year in (1995, 2003, 2011):
        tab = read_wiod_2013(wiod["folder"], year, output="row_sums")
        A = calc_A(tab.Z, tab.x)
        np.testing.assert_allclose(calc_B(A) @ (np.eye(tab.size) - A), np.eye(tab.size), atol=1e-9)
        ind = tiva_indicators(tab).indicators
        got = (ind["dfd_dva"] + ind["ffd_dva"]).to_numpy()
        np.testing.assert_allclose(got, ind["va"].to_numpy(), rtol=1e-9, atol=1e-9 * np.abs(got).max())
        assert identity_gaps(tiva_indicators(tab))["gap_total"].abs().max() < 1e-9


def test_wiod_foreign_content_is_plausible(wiod):
    part = wiod["participation"].with_columns(fva_share=100 * pl.col("backward"))
    # every country, every year: 0-65% (Luxembourg reaches 61% here, about 60% in TiVA 2011)
    assert part["fva_share"].is_between(0, 65).all(), part.sort("fva_share").tail(3)
    y2011 = dict(part.filter(pl.col("year") == 2011).select("country", "fva_share").iter_rows())
    bands = {"USA": (10, 20), "JPN": (10, 22), "DEU": (20, 32), "KOR": (33, 48), "CHN": (15, 40), "LUX": (50, 65)}
    for country, (low, high) in bands.items():
        assert low <= y2011[country] <= high, (country, y2011[country])
    assert all(y2011[c] > 35 for c in ("LUX", "HUN", "CZE", "SVK", "IRL", "BEL"))  # small open economies
    assert all(y2011[c] < 20 for c in ("USA", "JPN", "BRA", "AUS", "RUS"))  # large or resource economies
    assert y2011["USA"] < y2011["DEU"] < y2011["KOR"] < y2011["LUX"]


def test_wiod_world_foreign_content_rises_then_dips_in_2009(wiod):
    world = (wiod["participation"].group_by("year").agg(share=100 * pl.col("exgr_fva").sum() / pl.col("exgr").sum())
             .sort("year"))
    share = dict(world.iter_rows())
    assert share[2008] > share[1995] + 5
    assert share[2009] < share[2008] - 1
    assert 20 <= share[2010] <= 30  # UNCTAD WIR 2013: about 28% in 2010 (Eora, more countries)


def test_wiod_negative_exports_are_rare_and_finite(wiod):
    # negative inventory changes abroad make a few gross-export cells negative (METHODS.md caveats)
    ind = pl.concat([r.indicators for r in wiod["results"].values()])
    negative = ind.filter(pl.col("exgr") < 0)
    assert 0 < negative.height < 0.01 * ind.height
    assert negative["dexfvapsh"].is_finite().all()
    assert all("cleared the cells" in " ".join(t.notes) for y, t in wiod["tables"].items() if y in (1995, 2011))


# --------------------------------------------------------------------------- long-run WIOD
@pytest.fixture(scope="module")
def long_run(shared_data) -> dict:
    folder = shared_data / "wiod_long_run_1965_2000"
    return {year: read_wiod_long_run(folder / f"WIODlr_WIOT_{year}.parquet") for year in (1965, 1980, 1995, 2000)}


def test_long_run_identities_and_margins(long_run):
    for year, tab in long_run.items():
        assert tab.year == year and len(tab.regions) == 26 and len(tab.industries) == 23 and "ROW" in tab.regions
        A = calc_A(tab.Z, tab.x)
        np.testing.assert_allclose(calc_B(A) @ (np.eye(tab.size) - A), np.eye(tab.size), atol=1e-9)
        for taxes in ("value_added", "separate"):
            res = tiva_indicators(tab, taxes=taxes)
            gaps = identity_gaps(res)
            assert gaps["gap_total"].abs().max() < 1e-9 and gaps["gap_dva"].abs().max() < 1e-9
        # margins (xMRG_int) are the only primary input outside VA in industry columns: small
        sep = res.indicators
        assert 0 < sep["exgr_tls"].sum() < 0.03 * sep["exgr"].sum()
        assert res.participation["backward"].is_between(0, 0.6).all()


def test_long_run_agrees_with_wiod_2013_in_2000(long_run, wiod):
    # the same economies in 2000 from two WIOD releases (different industry detail and rest of
    # the world): foreign content of exports within a few points
    lr = long_run[2000]
    a = tiva_indicators(lr).participation.select("country", lr_share=100 * pl.col("backward"))
    b = wiod["participation"].filter(pl.col("year") == 2000).select("country", w_share=100 * pl.col("backward"))
    both = a.join(b, on="country").filter(pl.col("country") != "ROW")
    diff = (both["lr_share"] - both["w_share"]).abs()
    assert both.height == 24 and diff.median() < 2.0
    big = both.filter(pl.col("country").is_in(["USA", "JPN", "DEU", "CHN", "GBR", "FRA"]))
    assert ((big["lr_share"] - big["w_share"]).abs() < 3.0).all(), big


# --------------------------------------------------------------------------- ADB Kazakhstan
def test_sample_kazakhstan_against_adb_mrio(shared_data, tmp_path):
    # adb_kaz_gvc/final (Borin-Mancini decomposition on ADB MRIO; PROVENANCE.md): Kazakhstan's
    # trade-based forward participation exceeds backward in every year, and foreign value added is
    # 9-22% of its gross exports. KAZ is not in WIOD (only inside RoW), so this checks the sample
    # ICIO's calibration, qualitatively: our IV/E (Koopman et al.) is not Borin-Mancini's forward
    # measure, but our FV/E and their fva/exports measure the same backward linkage.
    adb = shared_data / "adb_kaz_gvc" / "final"
    part = pl.read_csv(adb / "3.3_participation.csv")
    decomp = pl.read_csv(adb / "3.1_decomp.csv").with_columns(fva_share=100 * pl.col("fva") / pl.col("exports"))
    assert (part["gvcp_trade_f"] > part["gvcp_trade_b"]).all()
    window = decomp.filter(pl.col("t").is_between(2007, 2018))["fva_share"]
    low, high = window.min(), window.max()
    for path in write_icio(tmp_path, years=[2007, 2012, 2018]):
        kaz = tiva_indicators(read_icio(path)).participation.filter(pl.col("country") == "KAZ").row(0, named=True)
        assert kaz["forward"] > kaz["backward"], path.name
        assert low - 5 <= 100 * kaz["backward"] <= high + 5, (path.name, kaz["backward"], low, high)
