"""Margin periods (settings.margin_periods, $TCD_MARGIN_PERIODS): marts.export_margins is built for
them, not for the growth periods. ``auto`` (the default) = the whole span of clean.flows, first to
last year, plus every growth period, without duplicates, ordered."""

import pytest

from tcd_pipeline.defs.trade_outcomes.assets import margin_periods
from tcd_pipeline.lib.resources import DiagnosticSettings
from tcd_pipeline.sample import generate_sample
from tcd_pipeline_tests.harness import World


def _settings(growth: str, margins: str):
    return DiagnosticSettings(growth_periods=growth, margin_periods=margins).resolved()


def test_auto_is_the_whole_span_plus_the_growth_periods():
    auto = _settings("2012-2018,2000-2012,2000-2018", "auto")
    # the span 2000-2018 is also a growth period: once; ordered by start, then end
    assert margin_periods(auto, list(range(2000, 2019))) == [(2000, 2012), (2000, 2018), (2012, 2018)]
    # the span follows the data, not the growth periods: BACI 1995-2020 adds 1995-2020
    assert margin_periods(auto, [1995, 2000, 2012, 2018, 2020]) == [(1995, 2020), (2000, 2012), (2000, 2018),
                                                                    (2012, 2018)]
    # one year of data has no span; no data neither (the growth periods stay, and are skipped by the builder)
    assert margin_periods(auto, [2012]) == [(2000, 2012), (2000, 2018), (2012, 2018)]
    assert margin_periods(auto, []) == [(2000, 2012), (2000, 2018), (2012, 2018)]


def test_configured_periods_are_taken_as_given():
    configured = _settings("2000-2012", "2005-2010,2000-2018,2005-2010")
    assert margin_periods(configured, list(range(2000, 2019))) == [(2005, 2010), (2000, 2018)]


@pytest.fixture(scope="module")
def short(tmp_path_factory):
    """The sample world for 2000-2004 with growth periods 2001-2003 and 2003-2004, margins auto."""
    root = tmp_path_factory.mktemp("margins")
    generate_sample(root / "inputs", years=range(2000, 2005))
    world = World(root, inputs=root / "inputs", periods="2001-2003,2003-2004", margin_periods="auto")
    report = world.refresh()
    assert report.success, report.problems
    return world


def test_auto_builds_the_whole_span_and_the_growth_periods(short):
    periods = short.query("SELECT DISTINCT year_start, year_end FROM marts.export_margins ORDER BY ALL", published=True)
    assert periods == [(2000, 2004), (2001, 2003), (2003, 2004)]


def test_the_whole_span_components_sum_to_the_change_of_exports(short):
    # identity: the six components of a country over 2000-2004 sum to X_2004 - X_2000, its goods exports
    # in clean.flows (computed here from the flows directly, not from the mart's gate's trade_openness)
    change = dict(short.query(
        "SELECT exporter, sum(value_usd) FILTER (WHERE year = 2004) - sum(value_usd) FILTER (WHERE year = 2000) "
        "FROM clean.flows WHERE year IN (2000, 2004) GROUP BY exporter"))
    change = {c: v for c, v in change.items() if v is not None}  # countries exporting in both years
    components = short.query("SELECT country, count(*), sum(value_usd), sum(share_of_growth_pct) FROM marts.export_margins "
                             "WHERE year_start = 2000 AND year_end = 2004 GROUP BY country", published=True)
    assert len(components) >= len(change) >= 40  # the sample has 42 countries
    for country, n, total, shares in components:
        assert n == 6
        if country in change:
            assert total == pytest.approx(change[country], rel=1e-9, abs=1e-3), country
            if change[country] != 0:
                assert shares == pytest.approx(100.0, rel=1e-9), country


def test_a_configured_period_outside_the_data_is_skipped_with_a_warning(tmp_path):
    # the tiny world has 2001 and 2002: 1999-2002 cannot be decomposed, 2001-2002 is built
    world = World(tmp_path, margin_periods="1999-2002,2001-2002")
    report = world.refresh()
    assert report.success, report.problems
    assert world.query("SELECT DISTINCT year_start, year_end FROM marts.export_margins", published=True) == [(2001, 2002)]
    assert any("margins 1999-2002: year(s) [1999] not in clean.flows; skipped" in m for m in world.messages), \
        world.messages
