"""The exporter x HS6 totals shared by the per-year marts (defs/trade_outcomes/shared_inputs.py).

Stored in work.exports_by_product once per year and read back by every mart; summed again only for a year
whose flows changed (re-ingested, or by hand) or whose stored totals were changed by hand.
"""

import pytest

from tcd_pipeline.defs.trade_outcomes import shared_inputs
from tcd_pipeline.warehouse import manifest
from tcd_pipeline_tests.defs.trade_outcomes.hand_flows import hand_flows

FLOWS = [  # year, exporter, importer, hs6, value_usd
    (2000, "AAA", "CCC", "010101", 30.0), (2000, "AAA", "DDD", "010101", 12.0), (2000, "BBB", "CCC", "020202", 40.0),
    (2001, "AAA", "CCC", "010101", 50.0), (2001, "BBB", "CCC", "020202", 30.0), (2001, "BBB", "DDD", "020202", 5.0),
]


@pytest.fixture
def con():
    return hand_flows(FLOWS)


def _totals(con, year: int) -> dict[tuple, float]:
    frame = shared_inputs.exports_by_product(con, year)
    return {(e, k): v for e, k, v in frame.select("exporter", "hs6", "value_usd").iter_rows()}


def test_totals_are_summed_once_and_again_only_for_a_changed_year(con):
    assert shared_inputs.ensure(con, [2000, 2001]) == [2000, 2001]
    # AAA's 010101 in 2000: 30 + 12 over its two destinations; BBB's 020202 in 2001: 30 + 5
    assert _totals(con, 2000) == {("AAA", "010101"): 42.0, ("BBB", "020202"): 40.0}
    assert _totals(con, 2001) == {("AAA", "010101"): 50.0, ("BBB", "020202"): 35.0}
    assert shared_inputs.ensure(con, [2000, 2001]) == []  # stored and intact: nothing summed

    con.execute("UPDATE clean.flows SET value_usd = 7 WHERE year = 2001 AND importer = 'DDD'")  # by hand
    assert shared_inputs.ensure(con, [2000, 2001]) == [2001]
    assert _totals(con, 2001)[("BBB", "020202")] == 37.0

    manifest.record(con, "clean/flows", "2000", "BACI_2000.csv", "fingerprint-2000-b", 3)  # re-ingested
    manifest.verify(con, "clean/flows", "2000")
    assert shared_inputs.ensure(con, [2000, 2001]) == [2000]


def test_a_total_changed_by_hand_is_summed_again(con):
    shared_inputs.ensure(con, [2000, 2001])
    con.execute("UPDATE work.exports_by_product SET value_usd = 1 WHERE year = 2000 AND exporter = 'AAA'")
    assert _totals(con, 2000)[("AAA", "010101")] == 42.0
    con.execute("DELETE FROM work.exports_by_product WHERE year = 2001 AND exporter = 'BBB'")
    assert _totals(con, 2001) == {("AAA", "010101"): 50.0, ("BBB", "020202"): 35.0}


def test_exporter_totals_of_the_years_asked(con):
    totals = shared_inputs.exporter_totals(con, [2001])
    assert sorted(totals.select("year", "exporter", "value_usd").iter_rows()) == [(2001, "AAA", 50.0), (2001, "BBB", 35.0)]
