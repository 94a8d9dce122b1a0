"""Shares, CAGR and the growth tables of the report (Tables 1 and 2), core.growth.

Reference values: Table 1 of the report (oil and gas, quoted in METHODS.md section 1) and hand
computations written next to each assertion.
"""

from __future__ import annotations

import polars as pl
import pytest

from tcd_pipeline.core.classifications import destination_regions, report_sectors
from tcd_pipeline.core.growth import cagr, cagr_expr, exports_by, growth_table, share
from tcd_pipeline.sources.reference_tables import read_regions, read_report_sectors
from tcd_pipeline_tests.core.test_quality import SampleWorld, sample_world


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> SampleWorld:
    return sample_world(tmp_path_factory)


def test_cagr_reproduces_table_1_oil_and_gas():
    # (64,486 / 4,350)^(1/12) - 1 = 14.8244^(0.08333) - 1 = 0.2519 -> 25.2 %
    assert round(cagr(4350, 64486, 2000, 2012) * 100, 1) == 25.2
    # (42,738 / 64,486)^(1/6) - 1 = 0.66275^(0.16667) - 1 = -0.0663 -> -6.6 %
    assert round(cagr(64486, 42738, 2012, 2018) * 100, 1) == -6.6


def test_cagr_edges():
    assert cagr(0, 10, 2000, 2001) is None  # no base
    assert cagr(10, 10, 2000, 2000) is None  # no period
    assert cagr(10, 0, 2000, 2005) == -1.0  # everything lost: -100 %
    assert cagr(100, 121, 2000, 2002) == pytest.approx(0.1)  # 1.1^2 = 1.21


def test_cagr_expr_in_percent():
    out = pl.DataFrame({"a": [4350.0, 0.0], "b": [64486.0, 5.0]}).select(cagr_expr("a", "b", 12).alias("g"))
    assert out["g"][0] == pytest.approx(25.19337, abs=1e-5)
    assert out["g"][1] is None


def test_share_is_part_over_total_times_100():
    f = pl.DataFrame({"c": ["A", "A", "B"], "v": [1.0, 3.0, 0.0]})
    out = share(f, "v", ["c"])
    assert out["share"].to_list()[:2] == [25.0, 75.0]  # 1/4, 3/4
    assert out["share"][2] is None  # B's total is 0: undefined, not 0/0


def test_exports_by_shares_sum_to_100():
    f = pl.DataFrame({"exporter": ["KAZ"] * 3, "year": [2000] * 3, "sector": ["Oil and gas", "Metals", "Oil and gas"],
                      "value_usd": [30.0, 20.0, 50.0]})
    out = exports_by(f, "sector")
    assert dict(zip(out["sector"], out["value_usd"])) == {"Metals": 20.0, "Oil and gas": 80.0}
    assert dict(zip(out["sector"], out["share"])) == {"Metals": 20.0, "Oil and gas": 80.0}


def table1_frame() -> pl.DataFrame:
    """Oil and gas as in the report's Table 1 (USD million) and a made-up rest."""
    return pl.DataFrame({
        "exporter": ["KAZ"] * 6,
        "year": [2000, 2000, 2012, 2012, 2018, 2018],
        "sector": ["Oil and gas", "Other"] * 3,
        "value_usd": [4350.0, 4650.0, 64486.0, 21514.0, 42738.0, 18262.0],
    })


def test_growth_table_is_table_1():
    out = growth_table(table1_frame(), "sector", [2000, 2012, 2018])
    oil = out.filter(pl.col("sector") == "Oil and gas").row(0, named=True)
    assert round(oil["cagr_2000_2012"], 1) == 25.2 and round(oil["cagr_2012_2018"], 1) == -6.6
    # share 2000 = 4,350 / (4,350 + 4,650) = 48.33 %
    assert oil["share_2000"] == pytest.approx(4350 / 9000 * 100)
    total = out.filter(pl.col("sector") == "Total").row(0, named=True)
    assert (total["value_2000"], total["value_2012"], total["value_2018"]) == (9000.0, 86000.0, 61000.0)
    # Total CAGR 2012-2018 = (61,000 / 86,000)^(1/6) - 1 = -5.56 %
    assert total["cagr_2012_2018"] == pytest.approx(((61000 / 86000) ** (1 / 6) - 1) * 100)
    body = out.filter(pl.col("sector") != "Total")
    for y in (2000, 2012, 2018):
        assert body[f"share_{y}"].sum() == pytest.approx(100.0)
    assert out["sector"].to_list()[-1] == "Total"


def test_growth_table_any_pair_and_missing_years():
    f = table1_frame().vstack(pl.DataFrame({"exporter": ["RUS"], "year": [2000], "sector": ["Other"],
                                            "value_usd": [10.0]}))
    out = growth_table(f, "sector", [2000, 2012, 2018], pairs=[(2000, 2018)])
    assert out.columns[-1] == "cagr_2000_2018"
    rus = out.filter((pl.col("exporter") == "RUS") & (pl.col("sector") == "Other")).row(0, named=True)
    assert rus["value_2012"] is None and rus["cagr_2000_2018"] is None  # RUS reports no 2012, 2018
    kaz_oil = out.filter((pl.col("exporter") == "KAZ") & (pl.col("sector") == "Oil and gas")).row(0, named=True)
    assert kaz_oil["cagr_2000_2018"] == pytest.approx(((42738 / 4350) ** (1 / 18) - 1) * 100)


def test_sector_absent_in_a_year_counts_as_zero():
    f = pl.DataFrame({"exporter": ["KAZ"] * 3, "year": [2000, 2000, 2018], "sector": ["Metals", "Other", "Other"],
                      "value_usd": [5.0, 5.0, 10.0]})
    metals = growth_table(f, "sector", [2000, 2018]).filter(pl.col("sector") == "Metals").row(0, named=True)
    assert metals["value_2018"] == 0.0 and metals["cagr_2000_2018"] == -100.0


def test_tables_1_and_2_fall_out_of_the_sample_as_queries(world):
    flows = world.flows.filter(pl.col("year").is_in([2000, 2012, 2018]))
    sectors = exports_by(report_sectors(flows, read_report_sectors()), "sector")
    table1 = growth_table(sectors, "sector", [2000, 2012, 2018])
    regions = exports_by(destination_regions(flows, read_regions()), "region")
    table2 = growth_table(regions, "region", [2000, 2012, 2018])
    for table, group in ((table1, "sector"), (table2, "region")):
        body = table.filter(pl.col(group) != "Total")
        sums = body.group_by("exporter").agg(pl.col("share_2018").sum())
        assert sums["share_2018"].to_numpy() == pytest.approx(100.0)
        total = table.filter(pl.col(group) == "Total").sort("exporter")
        direct = flows.filter(pl.col("year") == 2018).group_by("exporter").agg(pl.col("value_usd").sum()).sort("exporter")
        assert total["value_2018"].to_list() == direct["value_usd"].to_list()
    kaz = table1.filter((pl.col("exporter") == "KAZ") & (pl.col("sector") == "Oil and gas")).row(0, named=True)
    assert kaz["share_2012"] > 40  # the sample's Kazakhstan is an oil exporter (RESOURCE_PROFILES)


def test_growth_periods_long_form_by_hand():
    from tcd_pipeline.core.growth import growth_periods

    # KAZ: Metals only in 2000 (exit), Cereals only in 2012 (entry); Total 100 -> 121 over 2 years = 10 %
    values = pl.DataFrame({"exporter": ["KAZ"] * 4, "year": [2000, 2000, 2002, 2002],
                           "sector": ["Oil and gas", "Metals", "Oil and gas", "Cereals"],
                           "value_usd": [80.0, 20.0, 96.8, 24.2]})
    out = growth_periods(values, "sector", [(2000, 2002)])
    rows = {r["sector"]: r for r in out.iter_rows(named=True)}
    assert rows["Total"]["value_start_usd"] == 100.0 and abs(rows["Total"]["cagr_pct"] - 10.0) < 1e-12
    assert abs(rows["Oil and gas"]["cagr_pct"] - 10.0) < 1e-12  # 80 -> 96.8 = 80 x 1.1^2
    assert rows["Metals"]["value_end_usd"] is None and rows["Metals"]["cagr_pct"] is None
    assert rows["Cereals"]["value_start_usd"] is None and rows["Cereals"]["cagr_pct"] is None
    assert out["year_start"].unique().to_list() == [2000] and out["year_end"].unique().to_list() == [2002]
