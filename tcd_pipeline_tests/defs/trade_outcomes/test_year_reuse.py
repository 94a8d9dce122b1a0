"""Per-year marts recompute only the years whose inputs changed (defs/trade_outcomes/year_reuse.py).

Two years of hand-made flows (exporters AAA, BBB; products 010101, 020202), RCA built three times:
first every year is computed; again with nothing changed, both years' rows are kept; after one flow
of 2001 is doubled (same manifest fingerprint: rows changed by hand), 2001 alone is computed and the
table equals a build from scratch. The RCA of 2001 after the change is checked by hand.
The export margins, built per period, keep a period whose two years are unchanged the same way.
"""

import duckdb
import pytest

from tcd_pipeline.defs.trade_outcomes.assets import _build_margins, _build_rca
from tcd_pipeline.lib.resources import DiagnosticSettings
from tcd_pipeline_tests.defs.trade_outcomes.hand_flows import hand_flows

FLOWS_2002 = [(2002, "AAA", "CCC", "010101", 60.0), (2002, "AAA", "DDD", "020202", 5.0),
              (2002, "BBB", "CCC", "020202", 35.0)]
FLOWS = [  # year, exporter, importer, hs6, value_usd
    (2000, "AAA", "CCC", "010101", 30.0), (2000, "AAA", "CCC", "020202", 10.0),
    (2000, "BBB", "CCC", "010101", 20.0), (2000, "BBB", "CCC", "020202", 40.0),
    (2001, "AAA", "CCC", "010101", 50.0), (2001, "AAA", "CCC", "020202", 10.0),
    (2001, "BBB", "CCC", "010101", 10.0), (2001, "BBB", "CCC", "020202", 30.0),
]


class Log:
    def __init__(self):
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)

    warning = info


@pytest.fixture
def con():
    return hand_flows(FLOWS + FLOWS_2002)


def _rca(con) -> dict[tuple, float]:
    return {(y, c, k): r for y, c, k, r in con.execute("SELECT year, country, hs6, rca FROM marts.rca").fetchall()}


def test_only_changed_years_are_computed(con):
    con.execute("DELETE FROM clean.flows WHERE year = 2002")  # two years here
    settings = DiagnosticSettings().resolved()
    log = Log()
    _build_rca(con, settings, log)
    assert not any("unchanged" in line for line in log.lines)  # first build: every year computed
    first = _rca(con)

    log.lines.clear()
    _build_rca(con, settings, log)
    assert any("years [2000, 2001] unchanged" in line and "computing none" in line for line in log.lines)
    assert _rca(con) == first

    # AAA's 010101 in 2001: 50 -> 100, by hand (the manifest does not know)
    con.execute("UPDATE clean.flows SET value_usd = 100 WHERE year = 2001 AND exporter = 'AAA' AND hs6 = '010101'")
    log.lines.clear()
    _build_rca(con, settings, log)
    assert any("years [2000] unchanged" in line and "computing [2001]" in line for line in log.lines)
    after = _rca(con)
    assert {k: v for k, v in after.items() if k[0] == 2000} == {k: v for k, v in first.items() if k[0] == 2000}
    # 2001: AAA exports 110 (100 + 10), world 150 (110 + 40), world 010101 = 110 (100 + 10):
    # RCA(AAA, 010101) = (100 / 110) / (110 / 150) = 1.2396694...
    assert after[(2001, "AAA", "010101")] == pytest.approx((100 / 110) / (110 / 150), rel=1e-12)

    con.execute("DELETE FROM meta.mart_years")  # nothing recorded: a build from scratch
    _build_rca(con, settings, Log())
    assert _rca(con) == after


def _margins(con) -> dict[tuple, float]:
    return {(a, b, c, m): v for a, b, c, m, v in con.execute(
        "SELECT year_start, year_end, country, component, value_usd FROM marts.export_margins").fetchall()}


def test_only_periods_with_a_changed_year_are_computed(con):
    import dataclasses

    settings = dataclasses.replace(DiagnosticSettings().resolved(), margin_periods=((2000, 2001), (2000, 2002)))
    log = Log()
    _build_margins(con, settings, log)
    first = _margins(con)
    # AAA 2000 -> 2002: 010101/CCC 30 -> 60 intensive +30; 020202/CCC 10 -> 0 extinction -10;
    # 020202/DDD new pair, old product, market DDD not served in 2000: old_product_new_market +5
    assert first[(2000, 2002, "AAA", "intensive")] == 30.0
    assert first[(2000, 2002, "AAA", "extinction")] == -10.0
    assert first[(2000, 2002, "AAA", "old_product_new_market")] == 5.0

    log.lines.clear()
    _build_margins(con, settings, log)
    assert any("periods [(2000, 2001), (2000, 2002)] unchanged" in line for line in log.lines)
    assert _margins(con) == first

    con.execute("UPDATE clean.flows SET value_usd = 90 WHERE year = 2002 AND exporter = 'AAA' AND hs6 = '010101'")
    log.lines.clear()
    _build_margins(con, settings, log)
    assert any("periods [(2000, 2001)] unchanged" in line and "computing [(2000, 2002)]" in line
               for line in log.lines)
    after = _margins(con)
    assert {k: v for k, v in after.items() if k[1] == 2001} == {k: v for k, v in first.items() if k[1] == 2001}
    assert after[(2000, 2002, "AAA", "intensive")] == 60.0  # 90 - 30

    con.execute("DELETE FROM meta.mart_periods")  # nothing recorded: a build from scratch
    _build_margins(con, settings, Log())
    assert _margins(con) == after


def test_eci_and_pci_keep_unchanged_years(con):
    from tcd_pipeline.defs.trade_outcomes.assets import _build_complexity

    def both(db) -> tuple[list, list]:
        return (db.execute("SELECT * FROM marts.eci ORDER BY ALL").fetchall(),
                db.execute("SELECT * FROM marts.pci ORDER BY ALL").fetchall())

    settings, log = DiagnosticSettings().resolved(), Log()
    _build_complexity(con, settings, log)
    first = both(con)
    # two countries, each specialised in one product: ECI standardised over two values is -1 and +1 each year
    assert [row[1] for row in sorted(first[0], key=lambda r: (r[1], r[2]))] == [2000, 2000, 2001, 2001, 2002, 2002]
    assert [row[2] for row in sorted(first[0], key=lambda r: (r[1], r[2]))] == pytest.approx([-1.0, 1.0] * 3, abs=1e-12)
    log.lines.clear()
    _build_complexity(con, settings, log)
    assert any("years [2000, 2001, 2002] unchanged" in line and "computing none" in line for line in log.lines)
    assert both(con) == first

    # 2001 changed by hand: only 2001 is computed, and the marts equal a build from scratch
    con.execute("UPDATE clean.flows SET value_usd = 5 WHERE year = 2001 AND exporter = 'BBB' AND hs6 = '020202'")
    log.lines.clear()
    _build_complexity(con, settings, log)
    assert any("years [2000, 2002] unchanged" in line and "computing [2001]" in line for line in log.lines)
    after = both(con)
    con.execute("DELETE FROM meta.mart_years")
    _build_complexity(con, settings, Log())
    assert both(con) == after


def test_every_reusing_builder_equals_a_build_from_scratch_on_the_sample(built_sample, tmp_path):
    # the sample warehouse (2000-2018), one flow of 2012 changed by hand: each mart that keeps unchanged years or
    # periods computes only what involves 2012 and must equal a build from scratch (nothing recorded for reuse),
    # values to 1e-12 relative (DuckDB may add a sum's terms in another order), and differ from the first build
    import math
    import shutil

    from tcd_pipeline.defs.trade_outcomes import assets as A
    from tcd_pipeline.defs.trade_outcomes import marts as M

    if built_sample.world is None:
        pytest.skip("TCD_TEST_PUBLISHED gave a published file only: no sample warehouse to rebuild")
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_sample.world.warehouse, warehouse)
    db = duckdb.connect(str(warehouse))
    settings = DiagnosticSettings().resolved()
    builders = {M.RCA: A._build_rca, M.DIVERSIFICATION_MART: A._build_diversification, M.LALL_SHARES: A._build_lall,
                M.EXPORT_QUALITY: A._build_quality, M.ECI: A._build_complexity, M.SECTOR_REGION_SHARES: A._build_sector_region,
                M.TRADE_OPENNESS: A._build_openness, M.EXPORT_MARGINS: A._build_margins, M.PRODY: A._build_prody,
                M.EXPY: A._build_expy}

    def build_all(log) -> dict[str, list[tuple]]:
        for build in builders.values():
            build(db, settings, log)
        return {m.name: db.execute(f"SELECT * FROM {m.table} ORDER BY ALL").fetchall() for m in [*builders, M.PCI]}

    first = build_all(Log())
    db.execute("UPDATE clean.flows SET value_usd = value_usd * 3 WHERE year = 2012 AND exporter = 'KAZ' "
               "AND hs6 = (SELECT min(hs6) FROM clean.flows WHERE year = 2012 AND exporter = 'KAZ')")
    log = Log()
    reused = build_all(log)
    kept_lines = [line for line in log.lines if "unchanged, their rows kept" in line]
    # every per-year builder computed 2012 only (PRODY too: a changed value leaves its fixed country set as it
    # was; EXPY: PRODY changed in 2012 only); the margins (periods 2000-2018, 2000-2012, 2012-2018 with the
    # default growth periods) the two periods that end on 2012
    assert len(kept_lines) == len(builders), kept_lines
    assert sum("computing [2012]" in line for line in kept_lines) == len(builders) - 1, kept_lines
    assert any("periods [(2000, 2018)] unchanged" in line and "computing [(2000, 2012), (2012, 2018)]" in line
               for line in kept_lines), kept_lines
    db.execute("DELETE FROM meta.mart_years")
    db.execute("DELETE FROM meta.mart_periods")
    db.execute("DELETE FROM work.exports_by_product_years")  # the shared totals summed again too
    scratch = build_all(Log())
    for name, rows in scratch.items():
        assert len(reused[name]) == len(rows), name
        for got, want in zip(reused[name], rows):
            assert all(g == w or (isinstance(w, float) and math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-9))
                       for g, w in zip(got, want)), (name, got, want)
    assert reused["rca"] != first["rca"] and reused["export_margins"] != first["export_margins"]
    assert reused["prody"] != first["prody"] and reused["expy"] != first["expy"]


def test_prody_and_expy_keep_years_while_the_fixed_country_set_holds(con):
    from tcd_pipeline.defs.trade_outcomes.assets import _build_expy, _build_prody

    con.execute("CREATE TABLE clean.macro (iso3 VARCHAR, year SMALLINT, gdp_pc_usd DOUBLE)")
    con.executemany("INSERT INTO clean.macro VALUES (?, ?, ?)",
                    [(c, y, g) for y in (2000, 2001, 2002) for c, g in (("AAA", 1000.0), ("BBB", 3000.0), ("DDD", 500.0))])
    # DDD exports in 2000 and 2001 only: not in the set fixed across 2000-2002
    con.executemany("INSERT INTO clean.flows VALUES (?, ?, ?, ?, ?, NULL)",
                    [(2000, "DDD", "CCC", "010101", 90.0), (2001, "DDD", "CCC", "010101", 90.0)])
    settings, log = DiagnosticSettings().resolved(), Log()

    def build(log) -> tuple[dict, dict]:
        _build_prody(con, settings, log)
        _build_expy(con, settings, log)
        return ({(y, k): v for y, k, v in con.execute("SELECT year, hs6, prody_usd FROM marts.prody").fetchall()},
                {(y, c): v for y, c, v in con.execute("SELECT year, country, expy_usd FROM marts.expy").fetchall()})

    prody, expy = build(log)
    # 2000, set {AAA, BBB}: AAA's shares 30/40 and 10/40 (GDP pc 1000), BBB's 20/60 and 40/60 (3000)
    p1 = (0.75 * 1000 + (1 / 3) * 3000) / (0.75 + 1 / 3)  # 1615.38...
    p2 = (0.25 * 1000 + (2 / 3) * 3000) / (0.25 + 2 / 3)  # 2454.54...
    assert prody[(2000, "010101")] == pytest.approx(p1, rel=1e-12)
    assert prody[(2000, "020202")] == pytest.approx(p2, rel=1e-12)
    assert expy[(2000, "AAA")] == pytest.approx(0.75 * p1 + 0.25 * p2, rel=1e-12)

    log.lines.clear()
    assert build(log) == (prody, expy)
    assert sum("years [2000, 2001, 2002] unchanged" in line and "computing none" in line for line in log.lines) == 2

    # a value of 2001 changed by hand: the set is the same, PRODY and EXPY compute 2001 only
    con.execute("UPDATE clean.flows SET value_usd = 20 WHERE year = 2001 AND exporter = 'AAA' AND hs6 = '020202'")
    log.lines.clear()
    changed = build(log)
    assert sum("years [2000, 2002] unchanged" in line and "computing [2001]" in line for line in log.lines) == 2
    assert {k: v for k, v in changed[0].items() if k[0] != 2001} == {k: v for k, v in prody.items() if k[0] != 2001}

    # DDD now exports in 2002 too: it joins the fixed set, so every year of PRODY (and EXPY) is computed again
    con.execute("INSERT INTO clean.flows VALUES (2002, 'DDD', 'CCC', '010101', 90.0, NULL)")
    log.lines.clear()
    widened = build(log)
    assert not any("unchanged" in line for line in log.lines), log.lines
    assert widened[0][(2000, "010101")] != changed[0][(2000, "010101")]
    # 2000 with DDD (all of its exports are 010101, GDP pc 500): PRODY(010101) = (0.75*1000 + 1/3*3000 + 1*500) / (0.75 + 1/3 + 1)
    assert widened[0][(2000, "010101")] == pytest.approx((750 + 1000 + 500) / (0.75 + 1 / 3 + 1), rel=1e-12)
    con.execute("DELETE FROM meta.mart_years")
    con.execute("DELETE FROM work.exports_by_product_years")
    assert build(Log()) == widened
