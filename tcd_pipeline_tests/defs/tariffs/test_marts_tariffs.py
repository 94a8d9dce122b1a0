"""Tariff marts on the tiny world and a few additions, every value computed by hand below.

The world: tiny_world's KAZ MFN schedule (TRAINS layout, tiny_world.TARIFFS) for 010110, 270900,
740311, plus (this module) two products in the BACI product list, 842952 (excavators, BEC 41: capital)
and 620520 (men's cotton shirts, BEC 62: consumption), their KAZ MFN rows in a zip of the TRAINS
download, France's effectively applied (AHS) rates of 2002 in the WITS query layout, gzipped, and
three more BACI flows of 2001 that KAZ imports. End use (tcd_pipeline/reference/hs92_bec4_end_use.csv):
270900 (BEC 31) and 740311 (22) intermediate; 010110 has no BEC code (in 'all' only).

KAZ product rates (simple average over its national lines, percent; lines in brackets)::

              2001          2002
    010110    10   [2]      15   [2]
    270900     0   [1 free]  5   [1]
    740311    10   [1]      10   [2: one without AVE]
    842952     0   [1 free]  5   [1]
    620520    15   [2]      25   [2]

KAZ imports of 2001 (BACI v x 1,000 USD), the weights of the 2002 rates: 010110 3,250 (tiny world);
740311 100,000; 842952 400,000; 620520 50,000; none of 270900. No flows in 2000: no 2001 weights.
"""

import gzip
import zipfile

import pytest

from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, PRODUCTS, TARIFFS, TARIFFS_FILE, write_tiny_world, write_year

EXTRA_PRODUCTS = "842952,Self-propelled mechanical shovels and excavators\n620520,\"Men's shirts, of cotton\"\n"
EXTRA_FLOWS = [(2001, 842, 398, "842952", 400.0, 10.0), (2001, 251, 398, "740311", 100.0, 5.0),
               (2001, 251, 398, "620520", 50.0, 1.0)]
KAZ_EXTRA = """NomenCode,Reporter_ISO_N,Year,ProductCode,Sum_Of_Rates,Min_Rate,Max_Rate,SimpleAverage,Nbr_NA_Lines,Nbr_Free_Lines,Nbr_AVE_Lines,Nbr_Dutiable_Lines,TotalNoOfValidLines,TotalNoOfLines,EstCode
H0,398,2001,842952,0,0,0,0,0,1,1,0,1,1,0
H0,398,2001,620520,30,10,20,15,0,0,2,2,2,2,0
H0,398,2002,842952,5,5,5,5,0,0,1,1,1,1,0
H0,398,2002,620520,50,20,30,25,0,0,2,2,2,2,0
"""
FRA_AHS = """Selected Nomen,Native Nomen,Reporter,Reporter Name,Product,Product Name,Partner,Partner Name,Tariff Year,Trade Year,Trade Source,DutyType,Simple Average,Weighted Average,Standard Deviation,Minimum Rate,Maximum Rate,Nbr of Total Lines,Nbr of DomesticPeaks,Nbr of InternationalPeaks,Imports Value in 1000 USD
H0,H0,250,France,010110,Horses,000,World,2002,2002,Comtrade,AHS,3,2.5,3,0,6,2,0,0,12.5
H0,H0,250,France,270900,Crude oil,000,World,2002,2002,Comtrade,AHS,0,0,0,0,0,1,0,0,1500
H0,H0,250,France,740311,Copper cathodes,000,World,2002,2002,Comtrade,AHS,2,2,0,2,2,1,0,0,0
"""


def write_tariff_world(root):
    inputs = write_tiny_world(root)
    (inputs / "baci" / "product_codes_HS92_V202401b.csv").write_text(PRODUCTS + EXTRA_PRODUCTS)
    write_year(inputs, 2001, FLOWS[2001] + EXTRA_FLOWS)
    with zipfile.ZipFile(inputs / "tariffs" / "MFN_APPLIED_RATES.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("AVEMFN_H0_KAZ_2001-2002_U2/JobID-1002_KAZ.CSV", KAZ_EXTRA)
    (inputs / "tariffs" / "DataJobID-1003_FRA_AHS.csv.gz").write_bytes(gzip.compress(FRA_AHS.encode()))
    return inputs


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("tariffs")
    world = World(root, inputs=write_tariff_world(root / "inputs"))
    report = world.refresh()
    assert report.success, report.problems
    return world


def _averages(world, country, duty):
    rows = world.query("SELECT year, end_use, n_products, n_lines, duty_free_lines_pct, simple_average_pct, "
                       "weighted_average_pct, weights_year, weights_usd, min_rate_pct, max_rate_pct "
                       "FROM marts.tariff_averages WHERE country = ? AND duty_type = ?", [country, duty], published=True)
    return {(r[0], r[1]): r[2:] for r in rows}


def test_raw_tariffs_from_every_form(built):
    files = dict(built.query("SELECT source_file, count(*) FROM raw.tariffs GROUP BY 1"))
    # the tiny world's plain file, the zip member and the gzipped WITS query result
    assert files == {"JobID-1001_KAZ.csv": 6, "JobID-1002_KAZ.CSV": 4, "DataJobID-1003_FRA_AHS.csv.gz": 3}


def test_kaz_averages_by_hand(built):
    a = _averages(built, "KAZ", "MFN")
    # columns: n_products, n_lines, duty_free_lines_pct, simple, weighted, weights_year, weights_usd, min, max
    # 2001 all: rates 10, 0, 10, 0, 15 -> 35 / 5 = 7; lines 2+1+1+1+2 = 7, free 270900 and 842952: 2 / 7 x 100;
    # no imports in 2000, so no weighted average
    assert a[(2001, "all")] == (5, 7, pytest.approx(200 / 7), pytest.approx(7.0), None, 2000, None, 0.0, 20.0)
    # 2001 intermediate: 270900 (0), 740311 (10) -> 5; 2 lines, 1 free = 50 %
    assert a[(2001, "intermediate")] == (2, 2, 50.0, 5.0, None, 2000, None, 0.0, 10.0)
    assert a[(2001, "capital")] == (1, 1, 100.0, 0.0, None, 2000, None, 0.0, 0.0)
    assert a[(2001, "consumption")] == (1, 2, 0.0, 15.0, None, 2000, None, 10.0, 20.0)
    # 2002 all: rates 15, 5, 10, 5, 25 -> 60 / 5 = 12; lines 2+1+2+1+2 = 8, none free.
    # weighted by 2001 imports: (15 x 3,250 + 10 x 100,000 + 5 x 400,000 + 25 x 50,000) / 553,250
    #   = (48,750 + 1,000,000 + 2,000,000 + 1,250,000) / 553,250 = 4,298,750 / 553,250 = 7.76999...
    assert a[(2002, "all")] == (5, 8, 0.0, pytest.approx(12.0), pytest.approx(4_298_750 / 553_250), 2001,
                                pytest.approx(553_250.0), 5.0, 30.0)
    # 2002 intermediate: (5 + 10) / 2 = 7.5; weighted: only 740311 was imported in 2001 -> 10
    assert a[(2002, "intermediate")] == (2, 3, 0.0, 7.5, 10.0, 2001, 100_000.0, 5.0, 10.0)
    assert a[(2002, "capital")] == (1, 1, 0.0, 5.0, 5.0, 2001, 400_000.0, 5.0, 5.0)
    assert a[(2002, "consumption")] == (1, 2, 0.0, 25.0, 25.0, 2001, 50_000.0, 20.0, 30.0)
    assert len(a) == 8


def test_fra_effectively_applied_from_the_query_layout(built):
    a = _averages(built, "FRA", "AHS")
    # 2002 all: (3 + 0 + 2) / 3; lines 2+1+1 = 4; 010110's free lines are unknown (0 to 6 %): no duty-free share.
    # Weights: FRA's 2001 imports are crude oil from KAZ only (1,500,000 USD, rate 0) -> weighted 0
    assert a[(2002, "all")] == (3, 4, None, pytest.approx(5 / 3), 0.0, 2001, 1_500_000.0, 0.0, 6.0)
    # intermediate: 270900 (0, one free line) and 740311 (2) -> 1; free 1 of 2 lines
    assert a[(2002, "intermediate")] == (2, 2, 50.0, 1.0, 0.0, 2001, 1_500_000.0, 0.0, 2.0)
    assert set(a) == {(2002, "all"), (2002, "intermediate")}  # no capital or consumption product in its schedule


def test_changes_by_hand(built):
    rows = built.query("SELECT end_use, year_start, year_end, simple_average_start_pct, simple_average_end_pct, "
                       "simple_average_change_pp, simple_average_growth_pct, weighted_average_start_pct, "
                       "weighted_average_end_pct, weighted_average_change_pp FROM marts.tariff_changes "
                       "WHERE country = 'KAZ' AND duty_type = 'MFN'", published=True)
    c = {r[0]: r[1:] for r in rows}
    # the harness's growth period 2001-2002 (the event year 2010's 2009-2010 is not in the data)
    assert {r[1:3] for r in rows} == {(2001, 2002)}
    # all: 7 -> 12, +5 points, 12 / 7 - 1 = +71.43 %; no 2001 weighted average, so no weighted change
    assert c["all"][2:] == (pytest.approx(7.0), pytest.approx(12.0), pytest.approx(5.0), pytest.approx(500 / 7), None,
                            pytest.approx(4_298_750 / 553_250), None)
    assert c["intermediate"][2:6] == (5.0, 7.5, 2.5, 50.0)
    assert c["capital"][2:6] == (0.0, 5.0, 5.0, None)  # growth from 0 is undefined
    assert c["consumption"][2:6] == (15.0, 25.0, 10.0, pytest.approx(200 / 3))
    # FRA has no AHS schedule of 2001: no change
    assert built.query("SELECT count(*) FROM marts.tariff_changes WHERE country = 'FRA'", published=True) == [(0,)]


def test_dim_products_end_use(built):
    rows = dict((r[0], r[1:]) for r in built.query("SELECT hs6, bec, end_use FROM dim.products", published=True))
    assert rows == {"010110": (None, "not classified"), "270900": ("31", "intermediate"),
                    "740311": ("22", "intermediate"), "842952": ("41", "capital"), "620520": ("62", "consumption")}


def test_gate_refuses_an_average_outside_the_line_rates(built):
    # the plausibility check on the built mart: a weighted average above the class's highest line rate is named
    import duckdb

    from tcd_pipeline.lib.gated import run_sql_checks

    con = duckdb.connect(str(built.warehouse))
    try:
        con.execute("BEGIN")
        con.execute("UPDATE marts.tariff_averages SET weighted_average_pct = 31 WHERE country = 'KAZ' AND year = 2002 "
                    "AND end_use = 'all'")
        failures = run_sql_checks(con, ["tariffs/checks/marts_tariff_averages_within_rates"], None)
        con.execute("ROLLBACK")
    finally:
        con.close()
    assert len(failures) == 1 and "'weighted_average_pct': 31.0" in failures[0]["message"]
    assert "'max_rate_pct': 30.0" in failures[0]["message"]


def test_no_tariff_file_gives_empty_marts(tmp_path):
    inputs = write_tiny_world(tmp_path / "inputs")
    for path in sorted((inputs / "tariffs").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    world = World(tmp_path, inputs=inputs)
    report = world.refresh()
    assert report.success, report.problems
    assert world.query("SELECT count(*) FROM raw.tariffs") == [(0,)]
    assert world.query("SELECT count(*) FROM marts.tariff_averages", published=True) == [(0,)]



def test_a_schedule_in_two_files_is_refused_naming_both(tmp_path):
    # the same KAZ rows in a second download folder (a copy kept by hand): each file alone is valid
    inputs = write_tiny_world(tmp_path / "inputs")
    copy = inputs / "tariffs" / "AVEMFN_H0_KAZ_2001_U2" / "JobID-1001_KAZ.csv"
    copy.parent.mkdir()
    copy.write_text(TARIFFS)
    world = World(tmp_path, inputs=inputs)
    report = world.refresh()
    message = " ".join(report.problems)
    assert not report.success
    assert "KAZ 2001 MFN product 010110 is in more than one file" in message
    assert str(copy) in message and str(inputs / TARIFFS_FILE) in message
