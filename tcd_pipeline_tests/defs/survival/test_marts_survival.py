"""Spells and survival marts: hand-built spells on the tiny world; Kaplan-Meier and log-rank
marts against lifelines (the reference implementation, METHODS.md section 4) on the sample."""

import polars as pl
import pytest

from tcd_pipeline.sample import generate_sample
from tcd_pipeline_tests.harness import World


def test_spells_of_the_tiny_world_by_hand(tmp_path):
    world = World(tmp_path)
    assert world.refresh().success
    spells = world.query("SELECT exporter, hs6, importer, first_year, last_year, duration, event, left_censored, "
                         "sector, region FROM spells.export_spells ORDER BY ALL")
    # 2001: KAZ-270900-FRA, KAZ-740311-USA, FRA-010110-KAZ, USA-270900-XOA; 2002: KAZ-270900-FRA,
    # KAZ-740311-XOA, AFG-010110-KAZ. Panel 2001-2002: active in 2001 = left-censored, in 2002 = right-censored.
    assert spells == [
        ("AFG", "010110", "KAZ", 2002, 2002, 1, 0, False, "Foodstuffs", "CIS"),  # KAZ: CIS in 2002 (EEU from 2015)
        ("FRA", "010110", "KAZ", 2001, 2001, 1, 1, True, "Foodstuffs", "CIS"),
        ("KAZ", "270900", "FRA", 2001, 2002, 2, 0, True, "Oil and gas", "EU"),
        ("KAZ", "740311", "USA", 2001, 2001, 1, 1, True, "Metals", "USA"),
        ("KAZ", "740311", "XOA", 2002, 2002, 1, 0, False, "Metals", "Rest of world"),
        ("USA", "270900", "XOA", 2001, 2001, 1, 1, True, "Oil and gas", "Rest of world"),
    ]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("survival")
    generate_sample(root / "inputs", years=range(2000, 2011))
    world = World(root, inputs=root / "inputs", periods="2000-2010")
    report = world.refresh()
    assert report.success, report.problems
    return world


def test_curves_equal_lifelines(sample):
    from lifelines import KaplanMeierFitter

    spells = pl.DataFrame(sample.query(
        "SELECT exporter, duration, event FROM spells.export_spells WHERE NOT left_censored AND exporter IN ('KAZ', 'RUS')"),
        schema=["exporter", "duration", "event"], orient="row")
    for exporter in ("KAZ", "RUS"):
        own = spells.filter(pl.col("exporter") == exporter)
        kmf = KaplanMeierFitter().fit(own["duration"].to_numpy(), own["event"].to_numpy())
        curve = sample.query("SELECT t, survival, ci_lower, ci_upper FROM marts.survival_curves "
                             "WHERE group_type = 'exporter' AND group_name = ? ORDER BY t", [exporter], published=True)
        assert [t for t, *_ in curve] == list(kmf.survival_function_.index)
        expected = kmf.survival_function_.iloc[:, 0].to_numpy()
        lower, upper = kmf.confidence_interval_.iloc[:, 0].to_numpy(), kmf.confidence_interval_.iloc[:, 1].to_numpy()
        for (t, s, lo, hi), e, el, eu in zip(curve, expected, lower, upper):
            assert s == pytest.approx(e, abs=1e-10) and lo == pytest.approx(el, abs=1e-10) and hi == pytest.approx(eu, abs=1e-10)
        # the counts are integers (BIGINT) and lifelines' event table: at risk and observed ends at each t
        counts = sample.query("SELECT t, n_at_risk, n_events FROM marts.survival_curves "
                              "WHERE group_type = 'exporter' AND group_name = ? ORDER BY t", [exporter], published=True)
        table = kmf.event_table
        assert [(t, n, d) for t, n, d in counts] == [
            (t, int(table.loc[t, "at_risk"]), int(table.loc[t, "observed"])) for t, *_ in counts]
        assert all(isinstance(n, int) and isinstance(d, int) for _, n, d in counts)


def test_logrank_equals_lifelines(sample):
    from lifelines.statistics import logrank_test

    spells = pl.DataFrame(sample.query(
        "SELECT exporter, duration, event FROM spells.export_spells WHERE NOT left_censored AND exporter IN ('KAZ', 'RUS')"),
        schema=["exporter", "duration", "event"], orient="row")
    kaz, rus = (spells.filter(pl.col("exporter") == c) for c in ("KAZ", "RUS"))
    expected = logrank_test(kaz["duration"].to_numpy(), rus["duration"].to_numpy(),
                            kaz["event"].to_numpy(), rus["event"].to_numpy())
    (statistic, p_value), = sample.query(
        "SELECT statistic, p_value FROM marts.survival_logrank WHERE test = 'focus_vs_comparator' AND group_b = 'RUS'",
        published=True)
    assert statistic == pytest.approx(expected.test_statistic, abs=1e-10)
    assert p_value == pytest.approx(expected.p_value, abs=1e-10)


def test_summary_reads_off_the_curves(sample):
    # S(1) in the summary is the curve's value at t = 1, for every group
    mismatches = sample.query("""
        SELECT s.group_type, s.group_name FROM marts.survival_summary s
        JOIN marts.survival_curves c ON c.group_type = s.group_type AND c.group_name = s.group_name AND c.t = 1
        WHERE abs(s.survival_1 - c.survival) > 1e-12""", published=True)
    assert mismatches == []
    kinds = dict(sample.query("SELECT group_type, count(*) FROM marts.survival_summary GROUP BY 1", published=True))
    assert set(kinds) == {"exporter", "exporter_sector", "exporter_region", "exporter_period"}


def test_pipeline_derives_product_spells_from_the_bilateral_ones(sample):
    """The survival job records how each spell table was built; the product spells it derived from
    the bilateral table equal the polars construction from the flows (reference.spells_polars.product_spells)."""
    import duckdb

    from tcd_pipeline_tests.reference.spell_counts import read_spells
    from tcd_pipeline_tests.reference.spells_polars import assert_same_spells, product_spells

    builds = dict(sample.query("SELECT level, flows_version <> '' FROM spells.builds"))
    assert builds == {"bilateral": True, "product": True}
    with duckdb.connect(str(sample.warehouse), read_only=True) as con:
        from_pipeline = read_spells(con, "product")
        flows = con.table("clean.flows").pl()
        covered = con.execute("SELECT count(*) FROM spells.builds b JOIN spells.builds p ON p.flows_version = "
                              "b.flows_version WHERE b.level = 'bilateral' AND p.level = 'product' AND b.gap = 'none' "
                              "AND b.include_left_censored AND b.min_initial_value IS NULL").fetchone()[0]
    assert covered == 1  # so the product spells were derived, not built from the flows
    assert_same_spells(from_pipeline, product_spells(flows, include_left_censored=True))


def test_sector_logrank_equals_lifelines(sample):
    """Sectors against each other within each country (METHODS.md section 4 lists sectors among the groups
    compared): every pair of the country's report sectors, and all of them at once, equal lifelines'
    logrank_test and multivariate_logrank_test on the country's spells (left-censored spells dropped, the
    default)."""
    from itertools import combinations

    from lifelines.statistics import logrank_test, multivariate_logrank_test

    for country in ("KAZ", "CHL"):
        spells = pl.DataFrame(sample.query(
            "SELECT sector, duration, event FROM spells.export_spells WHERE NOT left_censored AND exporter = ? "
            "ORDER BY sector", [country]), schema=["sector", "duration", "event"], orient="row")
        sectors = sorted(spells["sector"].unique().to_list())
        assert len(sectors) >= 3, (country, sectors)
        pairs = {(a, b): (s, p) for a, b, s, p in sample.query(
            "SELECT group_a, group_b, statistic, p_value FROM marts.survival_logrank "
            "WHERE test = 'sector_pair' AND country = ?", [country], published=True)}
        assert set(pairs) == set(combinations(sectors, 2))  # k sectors: k (k - 1) / 2 pairs
        for (a, b), (statistic, p_value) in pairs.items():
            one, two = (spells.filter(pl.col("sector") == g) for g in (a, b))
            ref = logrank_test(one["duration"].to_numpy(), two["duration"].to_numpy(), one["event"].to_numpy(),
                               two["event"].to_numpy())
            assert statistic == pytest.approx(ref.test_statistic, abs=1e-10, rel=1e-10), (country, a, b)
            assert p_value == pytest.approx(ref.p_value, abs=1e-10), (country, a, b)
        (n_groups, df, statistic, p_value), = sample.query(
            "SELECT n_groups, df, statistic, p_value FROM marts.survival_logrank WHERE test = 'sectors' AND country = ?",
            [country], published=True)
        ref = multivariate_logrank_test(spells["duration"].to_numpy(), spells["sector"].to_numpy(), spells["event"].to_numpy())
        assert (n_groups, df) == (len(sectors), len(sectors) - 1)
        assert statistic == pytest.approx(ref.test_statistic, abs=1e-10, rel=1e-10)
        assert p_value == pytest.approx(ref.p_value, abs=1e-10)
