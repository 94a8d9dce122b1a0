"""Balassa RCA (core.rca) and diversification / concentration (core.diversification).

References: hand computations written next to each assertion; identities on the sample world.
"""

from __future__ import annotations

import polars as pl
import pytest

from tcd_pipeline.core.diversification import concentration, diversification
from tcd_pipeline.core.rca import rca
from tcd_pipeline_tests.core.test_quality import SampleWorld, sample_world


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> SampleWorld:
    return sample_world(tmp_path_factory)


def two_by_two() -> pl.DataFrame:
    # A: p1 10, p2 30 (X_A = 40); B: p1 30, p2 30 (X_B = 60); world p1 40, p2 60, X_w = 100
    return pl.DataFrame({"year": [2000] * 4, "exporter": ["A", "A", "B", "B"], "importer": ["Z"] * 4,
                         "hs6": ["p1", "p2", "p1", "p2"], "value_usd": [10.0, 30.0, 30.0, 30.0]})


def test_rca_hand_computed():
    out = {(r["exporter"], r["hs6"]): r["rca"] for r in rca(two_by_two()).iter_rows(named=True)}
    assert out[("A", "p1")] == pytest.approx((10 / 40) / (40 / 100))  # 0.625
    assert out[("A", "p2")] == pytest.approx((30 / 40) / (60 / 100))  # 1.25
    assert out[("B", "p1")] == pytest.approx((30 / 60) / (40 / 100))  # 1.25
    assert out[("B", "p2")] == pytest.approx((30 / 60) / (60 / 100))  # 0.8333


def test_rca_sums_over_destinations_and_accepts_world_totals():
    f = two_by_two().vstack(pl.DataFrame({"year": [2000], "exporter": ["A"], "importer": ["Y"], "hs6": ["p1"],
                                          "value_usd": [10.0]}))
    # A's p1 is now 20 of 50; with world totals p1 = 100, p2 = 300 (X_w = 400) given explicitly:
    world = pl.DataFrame({"year": [2000, 2000], "hs6": ["p1", "p2"], "value_usd": [100.0, 300.0]})
    out = rca(f, world=world).filter((pl.col("exporter") == "A") & (pl.col("hs6") == "p1"))
    assert out["value_usd"][0] == 20.0
    assert out["rca"][0] == pytest.approx((20 / 50) / (100 / 400))  # 1.6


def test_rca_identity_on_sample(world):
    # sum_p RCA_cp x (x_wp / X_w) = sum_p x_cp / X_c = 1 for every exporter and year
    r = rca(world.flows)
    world = r.group_by("year", "hs6").agg(pl.col("value_usd").sum().alias("xw")).with_columns(
        (pl.col("xw") / pl.col("xw").sum().over("year")).alias("sw"))
    check = r.join(world, on=["year", "hs6"]).group_by("year", "exporter").agg(
        (pl.col("rca") * pl.col("sw")).sum().alias("one"))
    assert check["one"].to_numpy() == pytest.approx(1.0, abs=1e-9)
    assert (r["rca"] > 0).all()


def diversification_frame() -> pl.DataFrame:
    # A: p1 60 to M1, p2 30 to M1, p3 10 to M2; B: one product to one market
    return pl.DataFrame({"year": [2000] * 4, "exporter": ["A", "A", "A", "B"], "importer": ["M1", "M1", "M2", "M1"],
                         "hs6": ["p1", "p2", "p3", "p1"], "value_usd": [60.0, 30.0, 10.0, 5.0]})


def test_diversification_hand_computed():
    out = {r["exporter"]: r for r in diversification(diversification_frame()).iter_rows(named=True)}
    a = out["A"]
    assert (a["value_usd"], a["n_products"], a["n_markets"]) == (100.0, 3, 2)
    # products: shares .6 .3 .1 -> HHI = .36 + .09 + .01 = .46; HHI* = (.46 - 1/3) / (1 - 1/3) = .19
    assert a["hhi_products"] == pytest.approx(0.46)
    assert a["hhi_products_norm"] == pytest.approx(0.19)
    # markets: M1 .9, M2 .1 -> HHI = .82; HHI* = (.82 - .5) / .5 = .64
    assert a["hhi_markets"] == pytest.approx(0.82)
    assert a["hhi_markets_norm"] == pytest.approx(0.64)
    assert a["top5_product_share"] == pytest.approx(100.0) and a["top5_market_share"] == pytest.approx(100.0)
    b = out["B"]
    assert b["hhi_products"] == 1.0 and b["hhi_products_norm"] is None  # N = 1: HHI* undefined


def test_top5_takes_the_five_largest():
    # 7 products of 10, 10, 10, 10, 10, 25, 25 (total 100): top 5 = 25 + 25 + 10 + 10 + 10 = 80 %
    totals = pl.DataFrame({"c": ["A"] * 7, "p": list("abcdefg"), "v": [10.0] * 5 + [25.0, 25.0]})
    out = concentration(totals, ["c"], "v", "products").row(0, named=True)
    assert out["top5_products_share"] == pytest.approx(80.0)
    assert out["n_products"] == 7


def test_zero_and_negative_lines_are_not_active():
    totals = pl.DataFrame({"c": ["A"] * 3, "p": ["a", "b", "c"], "v": [5.0, 5.0, 0.0]})
    out = concentration(totals, ["c"], "v", "products").row(0, named=True)
    assert out["n_products"] == 2 and out["hhi_products"] == pytest.approx(0.5)
    assert out["hhi_products_norm"] == pytest.approx(0.0)  # equal shares: HHI = 1/N


def test_hhi_within_bounds_on_sample(world):
    d = diversification(world.flows)
    for dim in ("products", "markets"):
        n, hhi, norm = d[f"n_{dim}"], d[f"hhi_{dim}"], d[f"hhi_{dim}_norm"]
        assert ((hhi >= 1.0 / n - 1e-12) & (hhi <= 1.0 + 1e-12)).all()
        assert norm.drop_nulls().is_between(-1e-12, 1.0 + 1e-12).all()
        assert d[f"top5_{dim.removesuffix('s')}_share"].is_between(0.0, 100.0 + 1e-9).all()
    kaz = d.filter((pl.col("exporter") == "KAZ") & (pl.col("year") == 2012)).row(0, named=True)
    assert kaz["hhi_products"] > 0.2  # oil-dominated basket


def test_diversification_from_the_warehouse_totals_equals_the_flows(world):
    # the pipeline sums the year's product and market lines in DuckDB
    # (trade_outcomes/inputs/exports_by_product and exports_by_market) and hands the totals to
    # diversification_of_totals; on the sample that must equal diversification over the flows:
    # counts exactly, HHIs and shares to 1e-12 (only the order of the sums differs)
    import duckdb

    from tcd_pipeline.core.diversification import diversification_of_totals
    from tcd_pipeline.warehouse.sql import load_sql

    con = duckdb.connect()
    con.execute("CREATE SCHEMA clean")
    con.register("f", world.flows)
    con.execute("CREATE TABLE clean.flows AS SELECT * FROM f")
    for year in (2000, 2010, 2018):
        totals = [con.execute(load_sql(f"trade_outcomes/inputs/{name}"), {"year": year}).pl()
                  for name in ("exports_by_product", "exports_by_market")]
        got = diversification_of_totals(*totals)
        want = diversification(world.flows.filter(pl.col("year") == year))
        assert got.height == want.height > 30
        assert got.select("year", "exporter", "n_products", "n_markets").equals(
            want.select("year", "exporter", "n_products", "n_markets"))
        for column in ("value_usd", "hhi_products", "hhi_products_norm", "top5_product_share", "hhi_markets",
                       "hhi_markets_norm", "top5_market_share"):
            assert got[column].to_numpy() == pytest.approx(want[column].to_numpy(), rel=1e-12), column
