"""TiVA marts (chapter 3) through the whole pipeline.

On the tiny world (tiny_world.icio_text: the hand example of test_tiva.py with H = KAZ, F = FRA,
1 = B05_06, 2 = C10T12, 2002 = 2001 doubled) every expected value below is worked by hand in
test_tiva.py's comment block; on the sample world's ICIO the identities and plausibility hold.
The same tables in the WIOD 2013 layout must give the same marts; the conventions (settings
tiva_taxes) and the choice of one input-output family (raw_inputs.io_tables) are run end to end.
"""

import math
import shutil

import pytest

from tcd_pipeline_tests.harness import World

TIVA_MARTS = ("tiva_indicators", "tiva_fva_by_source", "tiva_dva_by_destination", "gvc_participation", "dva_growth",
              "tiva_upstreamness", "tiva_export_upstreamness")
FV_KAZ = 3 + .09 / .97 * 60  # FVA of KAZ: B05_06 3, C10T12 .09/.97 x 60
DVA_KAZ = 27 + .88 / .97 * 60
M = 1e6  # the tables' values are million USD (hand values below); the marts give current USD: x 1e6


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    world = World(tmp_path_factory.mktemp("tiva"))
    report = world.refresh()
    assert report.success, report.problems
    return world


def test_indicators_by_hand(built):
    rows = built.query("SELECT industry, year, output_usd, va_usd, exgr_usd, exgr_dva_usd, exgr_fva_usd, exgr_tls_usd, "
                       "exgr_ddc_usd, exgr_idc_usd, exgr_rim_usd, iv_usd, ffd_dva_usd FROM marts.tiva_indicators "
                       "WHERE country = 'KAZ' ORDER BY year, industry", published=True)
    expected_2001 = [
        # va = x - column sum of Z = published VA + TLS (taxes as value added): 85 + 5, 65 + 5
        ("B05_06", 2001, 100, 90, 30, 27, 3, 0, 27, 0, 0, 0, .9 * (30 + 10.2 / .97)),
        ("C10T12", 2001, 100, 70, 60, .88 / .97 * 60, .09 / .97 * 60, 0, 42, 10.8, .0264 / .97 * 60, 0, .7 * 51 / .97),
    ]
    assert len(rows) == 4
    for got, want in zip(rows[:2], expected_2001):
        assert got[:2] == want[:2]
        assert got[2:] == pytest.approx([M * v for v in want[2:]], rel=1e-12, abs=1e-6)
    # 2002 is 2001 doubled: A and v are unchanged, every value doubles
    for got, base in zip(rows[2:], rows[:2]):
        assert got[1] == 2002 and got[2:] == pytest.approx([2 * v for v in base[2:]], rel=1e-12, abs=1e-6)


def test_country_marts_by_hand(built):
    q = lambda sql: built.query(sql, published=True)  # noqa: E731
    assert q("SELECT source_country, fva_usd, share_pct, share_of_exgr_pct FROM marts.tiva_fva_by_source "
             "WHERE country = 'KAZ' AND year = 2001") == [("FRA", pytest.approx(FV_KAZ * M), pytest.approx(100.0),
                                                           pytest.approx(100 * FV_KAZ / 90))]
    assert q("SELECT destination, exgr_usd, dva_usd, share_pct FROM marts.tiva_dva_by_destination "
             "WHERE country = 'KAZ' AND year = 2001") == [("FRA", 90.0 * M, pytest.approx(DVA_KAZ * M), pytest.approx(100.0))]
    (exgr, fva, iv, backward, forward, participation, position), = q(
        "SELECT exgr_usd, exgr_fva_usd, iv_usd, backward_pct, forward_pct, participation_pct, position "
        "FROM marts.gvc_participation WHERE country = 'KAZ' AND year = 2001")
    # two countries: no third country, so IV = 0 and forward participation is 0; participation in percent
    assert (exgr, iv, forward) == (90.0 * M, 0.0, 0.0)
    assert (fva, backward, participation) == pytest.approx((FV_KAZ * M, 100 * FV_KAZ / 90, 100 * FV_KAZ / 90),
                                                           rel=1e-12)
    assert position == pytest.approx(-math.log(1 + FV_KAZ / 90), rel=1e-12)


# Upstreamness of the hand example (test_tiva.py; no inventory column, so N = 0), all x = 100:
# Delta = Z / x_i: [H1,H2] .2, [H2,F1] .3, [F1,H2] .1, [F2,H1] .1.
#   U_H2 = 1 + .3 U_F1, U_F1 = 1 + .1 U_H2  ->  .97 U_H2 = 1.3;  U_F1 = 1.1/.97;  U_H1 = 1 + .2 U_H2 = 1.23/.97;
#   U_F2 = 1 + .1 U_H1 = 1.093/.97.
# A = Z / x_j is the same matrix: D_F2 = 1 (no inputs), D_H1 = 1 + .1 D_F2 = 1.1,
#   D_H2 = 1 + .2 D_H1 + .1 D_F1, D_F1 = 1 + .3 D_H2  ->  .97 D_H2 = 1.32;  D_F1 = 1.366/.97.
# FUGO = final use / 100: H1 .8, H2 .7; VAGO = 1 - column sums of A: H1 .9, H2 .7.
# Export-weighted for KAZ (E_H1 = 30, E_H2 = 60): (30 x 1.23 + 60 x 1.3) / .97 / 90 = 114.9 / 87.3.
# 2002 is 2001 doubled: every measure is unchanged.
def test_upstreamness_by_hand(built):
    rows = built.query("SELECT industry, year, upstreamness, downstreamness, fugo_pct, vago_pct, output_convention "
                       "FROM marts.tiva_upstreamness WHERE country = 'KAZ' ORDER BY year, industry", published=True)
    want = [(1.23 / .97, 1.1, 80.0, 90.0), (1.3 / .97, 1.32 / .97, 70.0, 70.0)] * 2
    assert [r[:2] for r in rows] == [("B05_06", 2001), ("C10T12", 2001), ("B05_06", 2002), ("C10T12", 2002)]
    for got, expected in zip(rows, want):
        assert got[2:6] == pytest.approx(expected, rel=1e-12) and got[6] == "published"
    fra = built.query("SELECT upstreamness, downstreamness FROM marts.tiva_upstreamness WHERE country = 'FRA' "
                      "AND year = 2001 ORDER BY industry", published=True)
    assert fra == [pytest.approx((1.1 / .97, 1.366 / .97), rel=1e-12), pytest.approx((1.093 / .97, 1.0), rel=1e-12)]
    (exgr, export_u, output_u), = built.query(
        "SELECT exgr_usd, export_upstreamness, output_upstreamness FROM marts.tiva_export_upstreamness "
        "WHERE country = 'KAZ' AND year = 2001", published=True)
    assert exgr == pytest.approx(90 * M) and export_u == pytest.approx(114.9 / 87.3, rel=1e-12)
    assert output_u == pytest.approx((1.23 + 1.3) / .97 / 2, rel=1e-12)


def test_dva_growth_by_hand(built):
    rows = built.query("SELECT sector, year_start, year_end, value_start_usd, value_end_usd, share_start_pct, cagr_pct, "
                       "contribution_pct, contribution_pp, total_cagr_pct FROM marts.dva_growth WHERE country = 'KAZ' "
                       "ORDER BY sector", published=True)
    mining, food = 27.0, .88 / .97 * 60  # B05_06 -> Mining, C10T12 -> Manufacturing (icio_sectors.csv)
    total = mining + food
    expected = [("Manufacturing", food), ("Mining", mining)]
    assert [r[:3] for r in rows] == [(s, 2001, 2002) for s, _ in expected]
    for row, (_, value) in zip(rows, expected):
        # doubled in one year: CAGR 100 %, contribution = the sector's share, in points = 100 x share
        assert row[3:] == pytest.approx((value * M, 2 * value * M, 100 * value / total, 100.0, 100 * value / total,
                                         100 * value / total, 100.0), rel=1e-12)


def test_tiva_gates_ran_and_columns_are_documented(built):
    checks = {c for r in built.query("SELECT asset FROM meta.loaded_partitions WHERE asset LIKE 'verified/%'")
              for c in r}
    assert {"verified/raw/icio", "verified/tiva/decomposition", *{f"verified/marts/{m}" for m in TIVA_MARTS}} <= checks
    comments = built.query("SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name IN "
                           f"({', '.join(repr(m) for m in TIVA_MARTS)}) AND comment IS NULL", published=True)
    assert comments == [(0,)]


def test_no_icio_gives_empty_marts_with_a_warning(tmp_path):
    world = World(tmp_path)
    shutil.rmtree(world.inputs / "icio")
    report = world.refresh()
    assert report.success, report.problems
    for mart in TIVA_MARTS:
        assert world.query(f"SELECT count(*) FROM marts.{mart}", published=True) == [(0,)], mart
    # a new ICIO file is a changed input: the reference job and the TiVA marts run again
    from tcd_pipeline_tests.tiny_world import icio_text

    (world.inputs / "icio").mkdir()
    (world.inputs / "icio" / "ICIO2023_2001.csv").write_text(icio_text(2001))
    again = world.refresh()
    assert again.success, again.problems
    assert ("ingest_reference_job", "") in [(r.job, r.partition) for r in again.runs]
    assert world.query("SELECT count(*) FROM marts.tiva_indicators", published=True) == [(4,)]
    # growth period 2001-2002 lacks 2002: skipped with a warning, the mart is empty
    assert world.query("SELECT count(*) FROM marts.dva_growth", published=True) == [(0,)]


def test_sample_icio_identities_and_plausibility(tmp_path):
    from tcd_pipeline.sample.icio import write_icio
    from tcd_pipeline_tests.tiny_world import write_tiny_world

    inputs = write_tiny_world(tmp_path / "inputs")
    shutil.rmtree(inputs / "icio")
    write_icio(inputs / "icio", years=(2012, 2018))
    world = World(tmp_path, inputs=inputs, periods="2012-2018")
    report = world.refresh()
    assert report.success, report.problems
    q = lambda sql: built_query(world, sql)  # noqa: E731
    assert q("SELECT DISTINCT year FROM marts.tiva_indicators ORDER BY 1") == [(2012,), (2018,)]
    # identities (also gated; here against the published file)
    assert q("SELECT max(abs(exgr_dva_usd + exgr_fva_usd + exgr_tls_usd - exgr_usd) / greatest(abs(exgr_usd), 1e6)) "
             "FROM marts.tiva_indicators")[0][0] < 1e-9
    assert q("SELECT max(abs(exgr_ddc_usd + exgr_idc_usd + exgr_rim_usd - exgr_dva_usd) / greatest(abs(exgr_dva_usd), 1e6)) "
             "FROM marts.tiva_indicators")[0][0] < 1e-9
    assert q("SELECT max(abs(participation_pct - backward_pct - forward_pct)) FROM marts.gvc_participation")[0][0] < 1e-10
    assert q("SELECT max(abs(s - 100)) FROM (SELECT sum(share_pct) AS s FROM marts.tiva_fva_by_source "
             "GROUP BY country, year)")[0][0] < 1e-9
    assert q("SELECT max(abs(s - 100)) FROM (SELECT sum(contribution_pct) AS s FROM marts.dva_growth "
             "GROUP BY country, year_start, year_end)")[0][0] < 1e-6
    # plausibility: Kazakhstan (mining-heavy) is upstream, forward participation above backward
    for backward, forward, position in q("SELECT backward_pct, forward_pct, position FROM marts.gvc_participation "
                                         "WHERE country = 'KAZ'"):
        assert forward > backward and position > 0
    assert q("SELECT count(*) FROM marts.tiva_indicators WHERE country IN ('CN1', 'CN2', 'MX1', 'MX2')") == [(0,)]
    assert q("SELECT count(DISTINCT sector) FROM marts.dva_growth WHERE country = 'KAZ'") == [(5,)]


def built_query(world: World, sql: str):
    return world.query(sql, published=True)


# --------------------------------------------------------------------------- WIOD family, conventions
WIOD_CODES = {"B05_06": "c2", "C10T12": "c3"}  # tiny_world: the same industries in the WIOD 2013 layout


def test_wiod_layout_gives_the_hand_values(built, tmp_path):
    # the tiny tables in the WIOD 2013 layout (no TLS row: WIOD's derived VA = x - column sums of Z = the OECD
    # VA + TLS), taxes counted as value added: every mart equals the OECD one, industry codes aside
    from tcd_pipeline_tests.tiny_world import write_tiny_world

    world = World(tmp_path, inputs=write_tiny_world(tmp_path / "inputs", io_tables="wiod2013"))
    report = world.refresh()
    assert report.success, report.problems
    columns = ("country, industry, year, output_usd, va_usd, exgr_usd, exgr_dva_usd, exgr_ddc_usd, exgr_idc_usd, "
               "exgr_rim_usd, exgr_fva_usd, exgr_tls_usd, iv_usd, dfd_dva_usd, ffd_dva_usd")
    oecd = built.query(f"SELECT {columns} FROM marts.tiva_indicators ORDER BY country, industry, year", published=True)
    wiod = world.query(f"SELECT {columns} FROM marts.tiva_indicators ORDER BY country, industry, year", published=True)
    assert len(wiod) == 8
    for got, want in zip(wiod, oecd):
        assert got[:3] == (want[0], WIOD_CODES[want[1]], want[2])
        assert got[3:] == pytest.approx(want[3:], rel=1e-12, abs=1e-6)  # USD: 1e-12 of the tables' million
    for mart in ("tiva_fva_by_source", "tiva_dva_by_destination", "gvc_participation", "dva_growth"):
        sql = f"SELECT * FROM marts.{mart} ORDER BY ALL"
        got, want = world.query(sql, published=True), built.query(sql, published=True)
        assert len(got) == len(want) > 0, mart
        for g, w in zip(got, want):  # dva_growth: c2 -> Mining, c3 -> Manufacturing (sector map wiod2013)
            assert [v for v in g if isinstance(v, str)] == [v for v in w if isinstance(v, str)], mart
            assert [v for v in g if not isinstance(v, str)] == pytest.approx(
                [v for v in w if not isinstance(v, str)], rel=1e-12, abs=1e-6), mart
    assert world.query("SELECT DISTINCT family, classification, output_convention, balance_atol FROM raw.icio_tables") \
        == [("wiod2013", "wiod2013", "published", 7.0)]
    assert world.query("SELECT year, family, source, classification, taxes, output_convention FROM tiva.tables "
                       "ORDER BY year") == [
        (y, "wiod2013", f"WIOD 2013 release (wiot{y}_ZF_long.parquet)", "wiod2013", "value_added", "published")
        for y in (2001, 2002)]


def test_taxes_kept_separate(tmp_path):
    # tiva_taxes = separate on the tiny OECD tables (TLS 5 per column): value added is the published VA, and
    # the tax content of KAZ B05_06's exports is .05 x (1 + .1) x 30 = 1.65 (worked in test_tiva.py,
    # test_taxes_in_value_added_or_separate)
    world = World(tmp_path, tiva_taxes="separate")
    report = world.refresh()
    assert report.success, report.problems
    rows = world.query("SELECT industry, va_usd, exgr_usd, exgr_dva_usd, exgr_fva_usd, exgr_tls_usd FROM marts.tiva_indicators "
                       "WHERE country = 'KAZ' AND year = 2001 ORDER BY industry", published=True)
    assert [r[:2] for r in rows] == [("B05_06", 85.0 * M), ("C10T12", 65.0 * M)]  # published VA only
    assert rows[0][5] == pytest.approx(1.65 * M, rel=1e-12)
    for _, _, exgr, dva, fva, tls in rows:
        assert tls > 0 and dva + fva + tls == pytest.approx(exgr, rel=1e-12)
    assert world.query("SELECT DISTINCT taxes, output_convention FROM tiva.tables") == [("separate", "published")]
    comment = world.query("SELECT comment FROM duckdb_columns() WHERE schema_name = 'marts' "
                          "AND table_name = 'tiva_indicators' AND column_name = 'exgr_tls_usd'", published=True)[0][0]
    assert "tiva_taxes ($TCD_TIVA_TAXES)" in comment


def test_two_families_need_a_choice(tmp_path):
    from tcd_pipeline_tests.tiny_world import write_tiny_wiod

    world = World(tmp_path)
    write_tiny_wiod(world.inputs / "wiod")
    report = world.refresh()
    assert not report.success
    problem = " ".join(report.problems)
    assert (f"several input-output table families under {world.inputs}: icio (OECD ICIO): 2 files in "
            f"{world.inputs / 'icio'} (ICIO2023_2001.csv ... ICIO2023_2002.csv); wiod2013 (WIOD 2013 release)") in problem
    assert "set $TCD_IO_TABLES (raw_inputs.io_tables) to one of icio, wiod2013" in problem
    assert "publish/marts_file" not in report.materialized and not world.published.exists()
    chosen = World(tmp_path, inputs=world.inputs, io_tables="wiod2013")
    again = chosen.refresh()
    assert again.success, again.problems
    # every file of the other family is listed as ignored, with the setting that chose
    ignored = [m for m in chosen.messages if m.startswith("ignored ") and "/icio/ICIO2023_200" in m]
    assert len(ignored) == 2 and all("selects wiod2013" in m for m in ignored), chosen.messages
    assert chosen.query("SELECT DISTINCT industry FROM marts.tiva_indicators ORDER BY 1", published=True) == \
        [("c2",), ("c3",)]
