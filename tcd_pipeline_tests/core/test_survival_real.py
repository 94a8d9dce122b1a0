"""Spells and survival on staged real data (../shared/data; skipped where it is absent).

- BACI V202601 HS12 extract (baci_brics_hs12_2015_2024/world_exports.parquet): 11 BRICS+
  exporters x HS6 to the World, 2015-2024, positive flows only -> product-level spells.
- Atlas HS92 4-digit exports of Germany and Greece 1995-2020 (atlas_hs92_4d_deu_grc), a
  balanced panel with explicit zeros (zeros are not exports) -> exporter x HS4 spells.

Besides agreement with lifelines, the checks are plausibility checks; the numbers quoted in the
comments are what the data give (2026-11-27), the bounds are loose on purpose.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from tcd_pipeline.core.survival import kaplan_meier, logrank, logrank_pairwise, survival_summary
from tcd_pipeline_tests.reference.spells_polars import export_spells, product_spells

TOL = 1e-10


@pytest.fixture(scope="module")
def brics(shared_data) -> pl.DataFrame:
    return pl.read_parquet(shared_data / "baci_brics_hs12_2015_2024" / "world_exports.parquet")


@pytest.fixture(scope="module")
def atlas(shared_data) -> pl.DataFrame:
    path = shared_data / "atlas_hs92_4d_deu_grc" / "deu_grc_hsproduct4digit_1995_2020.csv.gz"
    frame = pl.read_csv(path, schema_overrides={"hs_product_code": pl.String, "export_value": pl.Float64})
    return frame.rename({"location_code": "exporter", "hs_product_code": "hs4"})


ATLAS = {"keys": ("exporter", "hs4"), "value": "export_value"}


def check_curves(curves: pl.DataFrame, by: list[str]) -> None:
    """S(t) non-increasing within each group, in [0, 1], and inside its confidence interval."""
    s = curves.sort([*by, "t"])
    assert s.select((pl.col("survival").diff().over(by).fill_null(0) <= 0).all()).item()
    assert s["survival"].is_between(0, 1).all()
    assert ((s["ci_lower"] <= s["survival"] + 1e-15) & (s["survival"] <= s["ci_upper"] + 1e-15)).all()
    assert s["ci_lower"].is_between(0, 1).all() and s["ci_upper"].is_between(0, 1).all()


def test_brics_product_spells(brics):
    assert (brics["year"].min(), brics["year"].max()) == (2015, 2024)
    every = product_spells(brics, value="value", include_left_censored=True)
    # spells partition the exported product-years (no gap rule): 493,053 rows
    assert every["duration"].cast(pl.Int64).sum() == brics.height
    # most product lines are exported from the first year on (73%): left-censored, excluded
    assert 0.6 < every["left_censored"].mean() < 0.85
    new = product_spells(brics, value="value")
    assert new.height == every.filter(~pl.col("left_censored")).height
    # new export lines are fragile: 36% (ARE) to 57% (ETH) last one year
    one_year = new.group_by("exporter").agg((pl.col("duration") == 1).mean().alias("share"))
    assert one_year.height == 11 and one_year["share"].is_between(0.3, 0.6).all()
    # China exports nearly every HS6 line throughout: it has the fewest new lines (164)
    counts = new.group_by("exporter").len().sort("len")
    assert counts["exporter"][0] == "CHN" and counts["len"].max() > 10 * counts["len"][0]


def test_brics_survival_curves_tests_and_lifelines(brics):
    spells = product_spells(brics, value="value")
    curves = kaplan_meier(spells, ["exporter"])
    check_curves(curves, ["exporter"])
    for (exporter,), group in spells.partition_by("exporter", as_dict=True).items():
        kmf = KaplanMeierFitter().fit(group["duration"].to_numpy(), group["event"].to_numpy())
        mine = curves.filter(pl.col("exporter") == exporter)
        np.testing.assert_allclose(mine["survival"], kmf.survival_function_.iloc[:, 0], rtol=0, atol=TOL)
        np.testing.assert_allclose(mine["ci_lower"], kmf.confidence_interval_.iloc[:, 0], rtol=0, atol=TOL)
        np.testing.assert_allclose(mine["ci_upper"], kmf.confidence_interval_.iloc[:, 1], rtol=0, atol=TOL)
    summary = {r["exporter"]: r for r in survival_summary(curves, ["exporter"]).iter_rows(named=True)}
    # a 10-year panel without left-censored spells has durations of at most 9 years
    assert all(r["t_max"] == 9 and r["survival_10"] is None for r in summary.values())
    # diversified exporters keep new lines longer: S(5) 0.38 (CHN), 0.39 (BRA) vs 0.14 (ETH)
    assert min(summary["CHN"]["survival_5"], summary["BRA"]["survival_5"]) > summary["ETH"]["survival_5"] + 0.15
    pairs = logrank_pairwise(spells, "exporter", pairs=[("CHN", "ETH"), ("BRA", "ETH")])
    assert (pairs["p_value"] < 1e-10).all()  # 5.8e-13 and 9.6e-67
    assert (pairs["observed_a"] < pairs["expected_a"]).all()  # CHN, BRA: fewer exits than under H0
    overall = logrank(spells, "exporter")
    ordered = spells.sort("exporter")
    ref = multivariate_logrank_test(ordered["duration"].to_numpy(), ordered["exporter"].to_numpy(), ordered["event"].to_numpy())
    assert overall["statistic"].item() == pytest.approx(ref.test_statistic, abs=TOL, rel=TOL)
    assert overall["p_value"].item() < 1e-100  # 630 on 10 degrees of freedom


def test_brics_larger_initial_flows_survive_longer(brics):
    # Besedes and Prusa (2006): relationships that start large last longer. Pooled over exporters:
    # S(1) 0.60 for all 18,032 new lines, 0.79 for the 418 starting at 1 million USD or more
    all_new = survival_summary(kaplan_meier(product_spells(brics, value="value")))
    large = survival_summary(kaplan_meier(product_spells(brics, value="value", min_initial_value=1e6)))
    assert large["survival_1"].item() > all_new["survival_1"].item() + 0.1
    assert large["n_spells"].item() < all_new["n_spells"].item() / 10


def test_atlas_zeros_are_not_exports(atlas):
    assert (atlas["export_value"] == 0).sum() == 2018 and atlas.height == 64_612
    every = export_spells(atlas, include_left_censored=True, **ATLAS)
    # spells cover exactly the positive product-years (64,612 - 2,018), never a zero year
    assert every["duration"].cast(pl.Int64).sum() == (atlas["export_value"] > 0).sum() == 62_594
    # counting zeros as exports would merge spells across them (2,512 spells instead of 3,095)
    as_if_exported = export_spells(atlas.with_columns(pl.col("export_value") + 1), include_left_censored=True, **ATLAS)
    assert as_if_exported.height < every.height == 3095


def test_atlas_germany_keeps_its_export_relationships_much_longer_than_greece(atlas):
    # the stock of relationships (left-censored ones included, counted from 1995): Germany exports
    # 1,210 of 1,248 HS4 headings in every year 1995-2020, Greece 1,000
    every = export_spells(atlas, include_left_censored=True, **ATLAS)
    whole = every.filter(pl.col("left_censored") & (pl.col("event") == 0)).group_by("exporter").len()
    assert dict(whole.iter_rows()) == {"DEU": 1210, "GRC": 1000}
    curves = kaplan_meier(every, ["exporter"])
    check_curves(curves, ["exporter"])
    s = {r["exporter"]: r for r in survival_summary(curves, ["exporter"], horizons=(1, 5, 25)).iter_rows(named=True)}
    # S(25): 0.95 for Germany, 0.63 for Greece
    assert s["DEU"]["survival_25"] > 0.9 and s["GRC"]["survival_25"] < s["DEU"]["survival_25"] - 0.2
    assert s["DEU"]["survival_1"] > s["GRC"]["survival_1"]
    test = logrank(every, "exporter")
    assert test["p_value"].item() < 1e-50  # 432 on 1 degree of freedom
    # new relationships (started after 1995) are few for Germany (29) and short-lived for both:
    # about half end within a year, as everywhere in the trade-duration literature
    new = export_spells(atlas, **ATLAS)
    n_new = dict(new.group_by("exporter").len().iter_rows())
    assert n_new["DEU"] < 50 < 500 < n_new["GRC"]
    s_new = survival_summary(kaplan_meier(new, ["exporter"]), ["exporter"])
    assert s_new["survival_1"].is_between(0.4, 0.8).all() and s_new["median_duration"].to_list() == [2.0, 2.0]


def test_atlas_gap_merge_and_minimum_initial_value(atlas):
    greece = atlas.filter(pl.col("exporter") == "GRC")
    plain = survival_summary(kaplan_meier(export_spells(greece, **ATLAS)))
    merged_spells = export_spells(greece, gap="merge_one_year_gaps", **ATLAS)
    merged = survival_summary(kaplan_meier(merged_spells))
    # merging one-year gaps joins spells (675 -> 288 new spells; more become left-censored) and
    # lengthens them: S(5) 0.31 -> 0.41
    assert merged["n_spells"].item() < plain["n_spells"].item()
    assert merged["survival_5"].item() > plain["survival_5"].item()
    assert (merged_spells["duration"] == merged_spells["last_year"] - merged_spells["first_year"] + 1).all()
    large = survival_summary(kaplan_meier(export_spells(greece, min_initial_value=1e6, **ATLAS)))
    # 23 new relationships starting at 1 million USD or more: S(5) 0.65 against 0.31
    assert large["survival_5"].item() > plain["survival_5"].item() + 0.2
