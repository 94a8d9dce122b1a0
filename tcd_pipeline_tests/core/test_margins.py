"""Margins of export growth (core.margins.decompose; METHODS.md section 2).

Reference: a hand-built case covering every component (computation in the test), and the
identity components = X1 - X0, exactly, on the sample world (BACI values are whole dollars).
The pipeline sums the margins in the warehouse (sql/trade_outcomes/marts/export_margins.sql): it
must equal decompose on both, exactly, since every partial sum of whole dollars is an integer below
2^53 whatever the order of summation.
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from tcd_pipeline.core.margins import COMPONENTS, decompose, with_shares
from tcd_pipeline.warehouse.sql import load_sql
from tcd_pipeline_tests.core.test_quality import SampleWorld, sample_world


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> SampleWorld:
    return sample_world(tmp_path_factory)


def hand_case() -> pl.DataFrame:
    rows = [
        # t0: X0 = 100 + 50 + 20 = 170
        (2000, "A", "p1", "M1", 100.0), (2000, "A", "p1", "M2", 50.0), (2000, "A", "p2", "M1", 20.0),
        # t1: X1 = 120 + 50 + 30 + 40 + 25 + 15 = 280
        (2010, "A", "p1", "M1", 120.0),  # intensive +20
        (2010, "A", "p1", "M2", 50.0),  # intensive 0
        (2010, "A", "p3", "M1", 30.0),  # new product p3 to old market M1
        (2010, "A", "p4", "M3", 40.0),  # new product p4 to new market M3
        (2010, "A", "p1", "M3", 25.0),  # old product p1 to M3, not served in t0
        (2010, "A", "p2", "M2", 15.0),  # old product p2 to M2, served in t0 with p1
        # (A, p2, M1) stops: extinction -20
        (2000, "B", "p1", "M1", 7.0),  # B exits entirely
        (2010, "C", "p9", "M9", 3.0),  # C enters
    ]
    return pl.DataFrame(rows, schema=["year", "exporter", "hs6", "importer", "value_usd"], orient="row")


def test_hand_case_every_component():
    out = {r["exporter"]: r for r in decompose(hand_case(), 2000, 2010).iter_rows(named=True)}
    a = out["A"]
    assert (a["x0"], a["x1"], a["growth"]) == (170.0, 280.0, 110.0)
    assert a["intensive"] == 20.0
    assert a["new_product_old_market"] == 30.0
    assert a["new_product_new_market"] == 40.0
    assert a["old_product_served_market"] == 15.0
    assert a["old_product_new_market"] == 25.0
    assert a["extinction"] == -20.0
    # 20 + 30 + 40 + 15 + 25 - 20 = 110 = X1 - X0; shares of 110
    assert a["share_new_product_new_market"] == pytest.approx(40 / 110 * 100)
    assert out["B"]["extinction"] == -7.0 and out["B"]["x1"] == 0.0
    assert out["C"]["new_product_new_market"] == 3.0 and out["C"]["x0"] == 0.0


def test_shares_sum_to_100_and_null_without_growth():
    out = decompose(hand_case(), 2000, 2010)
    shares = out.select(pl.sum_horizontal([f"share_{c}" for c in COMPONENTS]))
    assert shares.to_series().to_numpy() == pytest.approx(100.0)
    flat = pl.DataFrame({"year": [2000, 2010], "exporter": ["A", "A"], "hs6": ["p", "p"], "importer": ["M", "M"],
                         "value_usd": [5.0, 5.0]})
    row = decompose(flat, 2000, 2010).row(0, named=True)
    assert row["growth"] == 0.0 and row["share_intensive"] is None


def test_components_sum_exactly_on_sample(world):
    for t0, t1 in ((2000, 2018), (2012, 2018), (2005, 2006)):
        out = decompose(world.flows, t0, t1)
        total = out.select(pl.sum_horizontal(list(COMPONENTS))).to_series()
        assert (total == out["growth"]).all(), f"{t0}-{t1}: components do not sum to X1 - X0 exactly"
        direct = world.flows.filter(pl.col("year").is_in([t0, t1])).group_by("exporter").agg(
            (pl.col("value_usd").filter(pl.col("year") == t1).sum()
             - pl.col("value_usd").filter(pl.col("year") == t0).sum()).alias("g"))
        joined = out.join(direct, on="exporter")
        assert (joined["growth"] == joined["g"]).all()
    assert out["new_product_new_market"].sum() >= 0 and (out["extinction"] <= 0).all()


def test_same_year_is_an_error():
    with pytest.raises(ValueError):
        decompose(hand_case(), 2000, 2000)


def _in_warehouse(flows: pl.DataFrame, t0: int, t1: int) -> pl.DataFrame:
    """sql/trade_outcomes/marts/export_margins.sql on ``flows`` as clean.flows, with core's shares."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA clean")
    con.register("f", flows.select("year", "exporter", "importer", "hs6", "value_usd"))
    con.execute("CREATE TABLE clean.flows AS SELECT * FROM f")
    return with_shares(con.execute(load_sql("trade_outcomes/marts/export_margins"), {"t0": t0, "t1": t1}).pl(), t0, t1)


def test_warehouse_margins_equal_decompose(world):
    assert _in_warehouse(hand_case(), 2000, 2010).equals(decompose(hand_case(), 2000, 2010))
    for t0, t1 in ((2000, 2018), (2012, 2018), (2005, 2006)):
        sql, core = _in_warehouse(world.flows, t0, t1), decompose(world.flows, t0, t1)
        assert sql.height == core.height > 30
        assert sql.equals(core), f"{t0}-{t1}: the warehouse's margins differ from core.margins.decompose"
