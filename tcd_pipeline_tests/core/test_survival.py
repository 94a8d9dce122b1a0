"""Kaplan-Meier curves, summaries and log-rank tests (tcd_pipeline.core.survival).

Reference: lifelines 0.30.3 (``KaplanMeierFitter().fit(durations, events)`` with its default
alpha = 0.05 interval, ``logrank_test``, ``multivariate_logrank_test``), fitted here on the raw,
uncollapsed spells of every group of the sample world; agreement is required to 1e-10. The
hand-built example is worked out in its comments.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test, multivariate_logrank_test

from tcd_pipeline.config import REPO_ROOT
from tcd_pipeline.core.survival import (
    collapse_spells,
    kaplan_meier,
    life_table,
    logrank,
    logrank_pairwise,
    survival_summary,
)
from tcd_pipeline.sample import generate_sample
from tcd_pipeline.sample.world import section_of
from tcd_pipeline_tests.reference.spells_polars import export_spells

TOL = 1e-10
EVENT_YEAR = 2009  # "before vs after an event year": spells starting before 2009 vs from 2009 on
GROUP_TYPES = {
    "exporter": ["exporter"],
    "exporter x sector": ["exporter", "section"],
    "exporter x destination region": ["exporter", "region"],
    "exporter x period": ["exporter", "period"],
}

# Six spells: durations 1, 1, 2, 3, 3, 4 with exits at 1, 2, 3 (the others censored).
HAND = pl.DataFrame({"duration": [1, 1, 2, 3, 3, 4], "event": [1, 0, 1, 1, 0, 0]})


def test_kaplan_meier_by_hand():
    km = kaplan_meier(HAND)
    # at risk: 6 at t = 1; 4 at t = 2 (one exit, one censored at 1); 3 at t = 3; 1 at t = 4
    assert km["t"].to_list() == [0, 1, 2, 3, 4]
    assert km["n_at_risk"].to_list() == [6, 6, 4, 3, 1]
    assert km["n_events"].to_list() == [0, 1, 1, 1, 0]
    assert km["n_censored"].to_list() == [0, 1, 0, 1, 1]
    # S = 1, 5/6, 5/6 * 3/4 = 5/8, 5/8 * 2/3 = 5/12, 5/12 (no exit at 4)
    np.testing.assert_allclose(km["survival"], [1, 5 / 6, 5 / 8, 5 / 12, 5 / 12], rtol=0, atol=1e-15)
    # Greenwood: sum d / (n (n - d)) = 1/30, 1/30 + 1/12, 1/30 + 1/12 + 1/6
    g = np.array([0, 1 / 30, 1 / 30 + 1 / 12, 1 / 30 + 1 / 12 + 1 / 6, 1 / 30 + 1 / 12 + 1 / 6])
    np.testing.assert_allclose(km["greenwood_var"], km["survival"].to_numpy() ** 2 * g, rtol=1e-14)
    # log(-log) interval at t = 1: v = ln(5/6), s = sqrt(1/30), z = 1.959963984540054
    v, s, z = math.log(5 / 6), math.sqrt(1 / 30), 1.959963984540054
    lower, upper = math.exp(-math.exp(math.log(-v) - z * s / v)), math.exp(-math.exp(math.log(-v) + z * s / v))
    assert km["ci_lower"][1] == pytest.approx(lower, abs=1e-15) and lower == pytest.approx(0.27312284992835606)
    assert km["ci_upper"][1] == pytest.approx(upper, abs=1e-15) and upper == pytest.approx(0.9747124266908934)
    assert km["ci_lower"][0] == km["ci_upper"][0] == 1.0  # S = 1: the interval is [1, 1]


def test_summary_by_hand_and_beyond_the_longest_duration():
    summary = survival_summary(kaplan_meier(HAND))
    row = summary.row(0, named=True)
    assert row["n_spells"] == 6 and row["n_events"] == 3
    assert row["survival_1"] == pytest.approx(5 / 6) and row["survival_3"] == pytest.approx(5 / 12)
    assert row["survival_5"] is None and row["survival_10"] is None   # past t_max = 4: undefined
    assert row["t_max"] == 4 and row["survival_t_max"] == pytest.approx(5 / 12)
    assert row["median_duration"] == 3   # first t with S <= 0.5
    never = survival_summary(kaplan_meier(pl.DataFrame({"duration": [2, 3], "event": [0, 0]})))
    assert never["median_duration"].to_list() == [math.inf] and never["survival_1"].to_list() == [1.0]


@pytest.mark.parametrize("durations, events", [
    ([2, 2, 2], [1, 1, 1]),   # everyone exits at once: S = 0, interval [0, 0]
    ([2, 3, 3], [0, 0, 0]),   # nobody exits: S = 1, interval [1, 1]
    ([2, 3, 3], [1, 1, 1]),
    ([5], [1]),
    ([1, 1, 2, 3, 3, 4], [1, 0, 1, 1, 0, 0]),
])
def test_edge_cases_equal_lifelines(durations, events):
    km = kaplan_meier(pl.DataFrame({"duration": durations, "event": events}))
    assert_equal_to_lifelines(km, np.array(durations), np.array(events))


def test_collapsed_weights_give_the_same_curves_and_tests():
    spells = pl.DataFrame({"g": list("aaaabbbbbb"), "duration": [1, 1, 2, 5, 1, 2, 2, 2, 3, 3],
                           "event": [1, 1, 0, 1, 0, 1, 1, 0, 1, 1]})
    collapsed = collapse_spells(spells, ["g"])
    assert collapsed.height == 7 and collapsed["weight"].sum() == 10  # a: 3 distinct rows, b: 4
    assert kaplan_meier(collapsed, ["g"], weight="weight").equals(kaplan_meier(spells, ["g"]))
    assert logrank(collapsed, "g", weight="weight").equals(logrank(spells, "g"))
    assert life_table(collapsed, ["g"], weight="weight").equals(life_table(spells, ["g"]))


def assert_equal_to_lifelines(curve: pl.DataFrame, durations: np.ndarray, events: np.ndarray) -> None:
    kmf = KaplanMeierFitter().fit(durations, events)
    table = kmf.event_table
    np.testing.assert_array_equal(curve["t"].to_numpy(), kmf.survival_function_.index.to_numpy())
    np.testing.assert_array_equal(curve["n_at_risk"].to_numpy(), table["at_risk"].to_numpy())
    np.testing.assert_array_equal(curve["n_events"].to_numpy(), table["observed"].to_numpy())
    np.testing.assert_array_equal(curve["n_censored"].to_numpy(), table["censored"].to_numpy())
    np.testing.assert_allclose(curve["survival"].to_numpy(), kmf.survival_function_.iloc[:, 0], rtol=0, atol=TOL)
    ci = kmf.confidence_interval_.to_numpy()
    np.testing.assert_allclose(curve["ci_lower"].to_numpy(), ci[:, 0], rtol=0, atol=TOL)
    np.testing.assert_allclose(curve["ci_upper"].to_numpy(), ci[:, 1], rtol=0, atol=TOL)


# ---------------------------------------------------------------- sample world, every group

@pytest.fixture(scope="module")
def spells(tmp_path_factory) -> pl.DataFrame:
    """Bilateral spells of the sample world 2000-2018 (default rules) with the grouping columns:
    HS section of the product, continent of the destination, period before/after 2009."""
    out = tmp_path_factory.mktemp("sample_world")
    generate_sample(out, years=range(2000, 2019))
    codes = pl.read_csv(out / "baci" / "country_codes_V202401b.csv")
    iso = dict(zip(codes["country_code"].to_list(), codes["country_iso3"].to_list(), strict=True))
    flows = pl.concat([
        pl.read_csv(out / "baci" / f"BACI_HS92_Y{y}_V202401b.csv", schema_overrides={"k": pl.String, "q": pl.String})
        for y in range(2000, 2019)
    ]).select(
        pl.col("t").alias("year"), pl.col("i").replace_strict(iso).alias("exporter"),
        pl.col("j").replace_strict(iso).alias("importer"), pl.col("k").alias("hs6"),
        (pl.col("v") * 1000).alias("value_usd"),
    )
    with open(REPO_ROOT / "tcd_pipeline" / "sample" / "data" / "countries.csv", encoding="utf-8") as f:
        continent = {r["iso3"]: r["continent"] for r in csv.DictReader(f)}
    return export_spells(flows).with_columns(
        pl.col("hs6").str.slice(0, 2).cast(pl.Int32).map_elements(section_of, return_dtype=pl.Int32).alias("section"),
        pl.col("importer").replace_strict(continent).alias("region"),
        pl.when(pl.col("first_year") < EVENT_YEAR).then(pl.lit("before")).otherwise(pl.lit("after")).alias("period"),
    )


@pytest.mark.parametrize("group_type", GROUP_TYPES)
def test_kaplan_meier_equals_lifelines_for_every_group(spells, group_type):
    by = GROUP_TYPES[group_type]
    curves = kaplan_meier(spells, by)
    # collapsing identical spells into weights first gives the same numbers
    assert kaplan_meier(collapse_spells(spells, by), by, weight="weight").equals(curves)
    fitted = curves.partition_by(by, as_dict=True)
    groups = spells.partition_by(by, as_dict=True)
    assert fitted.keys() == groups.keys() and len(groups) >= 40
    for key, group in groups.items():
        assert_equal_to_lifelines(fitted[key], group["duration"].to_numpy(), group["event"].to_numpy())
    s = curves.sort([*by, "t"])
    assert s.select((pl.col("survival").diff().over(by).fill_null(0) <= 0).all()).item()  # non-increasing
    assert ((s["ci_lower"] <= s["survival"]) & (s["survival"] <= s["ci_upper"])).all()


def test_summary_equals_lifelines_predictions(spells):
    summary = survival_summary(kaplan_meier(spells, ["exporter"]), ["exporter"])
    assert summary.height == spells["exporter"].n_unique()
    for row in summary.iter_rows(named=True):
        group = spells.filter(pl.col("exporter") == row["exporter"])
        kmf = KaplanMeierFitter().fit(group["duration"].to_numpy(), group["event"].to_numpy())
        assert row["t_max"] == group["duration"].max() <= 18  # 2001-2018 at most (2000 is left-censored)
        for h in (1, 3, 5, 10):
            expected = kmf.survival_function_at_times(h).iloc[0] if h <= row["t_max"] else None
            assert row[f"survival_{h}"] == pytest.approx(expected, abs=TOL)
        assert row["survival_t_max"] == pytest.approx(kmf.survival_function_.iloc[-1, 0], abs=TOL)
        assert row["median_duration"] == kmf.median_survival_time_
        assert row["n_spells"] == group.height and row["n_events"] == group["event"].sum()


def test_pairwise_logrank_equals_lifelines_for_every_pair_of_exporters(spells):
    got = logrank_pairwise(spells, "exporter")
    exporters = sorted(spells["exporter"].unique())
    assert got.height == len(exporters) * (len(exporters) - 1) // 2
    by_exporter = spells.partition_by("exporter", as_dict=True)
    for row in got.iter_rows(named=True):
        a, b = by_exporter[(row["group_a"],)], by_exporter[(row["group_b"],)]
        ref = logrank_test(a["duration"].to_numpy(), b["duration"].to_numpy(), a["event"].to_numpy(), b["event"].to_numpy())
        assert row["statistic"] == pytest.approx(ref.test_statistic, abs=TOL, rel=TOL)
        assert row["p_value"] == pytest.approx(ref.p_value, abs=TOL)
        assert row["observed_a"] == a["event"].sum()


def test_one_exporter_against_each_comparator_within_each_period(spells):
    focal = "KAZ"
    comparators = ["RUS", "UZB", "CHN", "DEU", "TUR"]
    got = logrank_pairwise(spells, "exporter", pairs=[(focal, c) for c in comparators], within=["period"])
    assert got.height == 2 * len(comparators)
    for row in got.iter_rows(named=True):
        part = spells.filter(pl.col("period") == row["period"])
        a, b = part.filter(pl.col("exporter") == focal), part.filter(pl.col("exporter") == row["group_b"])
        ref = logrank_test(a["duration"].to_numpy(), b["duration"].to_numpy(), a["event"].to_numpy(), b["event"].to_numpy())
        assert row["statistic"] == pytest.approx(ref.test_statistic, abs=TOL, rel=TOL)
        assert row["p_value"] == pytest.approx(ref.p_value, abs=TOL)


@pytest.mark.parametrize("by, within", [
    ("region", ["exporter"]),      # destination regions against each other, per exporter
    ("period", ["exporter"]),      # before vs after the event year, per exporter (two groups)
    ("exporter", []),              # all exporters at once
    ("section", ["region"]),       # sectors, per destination region
])
def test_multivariate_logrank_equals_lifelines(spells, by, within):
    got = logrank(spells, by, within)
    tests = spells.partition_by(within, as_dict=True) if within else {(): spells}
    assert got.height == len(tests)
    for key, part in tests.items():
        row = got.filter(*[pl.col(c) == v for c, v in zip(within, key, strict=True)]) if within else got
        part = part.sort(by)  # lifelines drops the last group in order of appearance; ours sorted
        ref = multivariate_logrank_test(part["duration"].to_numpy(), part[by].to_numpy(), part["event"].to_numpy())
        assert row["n_groups"].item() == part[by].n_unique() == row["df"].item() + 1
        assert row["statistic"].item() == pytest.approx(ref.test_statistic, abs=TOL, rel=TOL)
        assert row["p_value"].item() == pytest.approx(ref.p_value, abs=TOL)


def test_logrank_degenerate_inputs():
    spells = pl.DataFrame({"g": ["a", "a", "b"], "k": [1, 1, 2], "duration": [1, 2, 3], "event": [1, 1, 0]})
    got = logrank(spells, "g", ["k"])  # one group per value of k: nothing to compare
    assert got["n_groups"].to_list() == [1, 1] and got["statistic"].null_count() == 2
    # a pair naming an absent group is left out, not reported as a test on empty data
    pairs = logrank_pairwise(spells, "g", pairs=[("a", "b"), ("a", "zz")])
    assert pairs.select("group_a", "group_b").rows() == [("a", "b")]
    # by hand: t = 1: n = 3 (a: 2), d = 1 -> E_a = 2/3, V = 1 * 2 * 1 / 9; t = 2: n = 2 (a: 1),
    # d = 1 -> E_a = 1/2, V = 1 * 1 * 1 / 4. O_a = 2, Z = 2 - 7/6 = 5/6, V = 17/36, U = 25/17
    assert pairs["expected_a"].item() == pytest.approx(7 / 6, abs=1e-15)
    assert pairs["statistic"].item() == pytest.approx(25 / 17, abs=1e-14)
    with pytest.raises(ValueError, match="null group labels"):
        logrank(spells.with_columns(pl.lit(None, pl.String).alias("g")), "g")
