"""ECI and PCI (core.complexity; Hidalgo and Hausmann 2009, Growth Lab convention).

References: a 3 x 3 nested matrix solved by hand (in the test); the Harvard Growth Lab Stata
``ecomplexity`` output (``ecomplexity export_val, i(origin) p(hs92) t(year)``) on the real Atlas
sample in ../shared/data/ecomplexity_stata_reference (PROVENANCE.md there).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.complexity import binary_rca, eci_pci, eci_pci_matrix
from tcd_pipeline_tests.core.test_quality import SampleWorld, sample_world


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> SampleWorld:
    return sample_world(tmp_path_factory)


def test_nested_matrix_by_hand():
    # M = [[1,1,1],[1,1,0],[1,0,0]], k_c = k_p = (3, 2, 1).
    # M~ = D_c^-1 M D_p^-1 M' = [[11,5,2]/18, [5,5,2]/12, [4,4,4]/12]: eigenvalue 1 (rows sum to 1),
    # trace 49/36 and det 1/36 give the other two as roots of l^2 - 13/36 l + 1/36: 1/4 and 1/9.
    # (M~ - I/4) v = 0 gives v = (2, -1, -4) (corr with diversity > 0); mean -1, population sd sqrt(6):
    # ECI = (3, 0, -3) / sqrt(6). w = D_p^-1 M' v / (1/4) = 4 x (-3/3, 1/2, 2/1) = (-4, 2, 8);
    # PCI = (w + 1) / sqrt(6) = (-3, 3, 9) / sqrt(6).
    m = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]])
    eci, pci, lam = eci_pci_matrix(m)
    s6 = math.sqrt(6)
    assert lam == pytest.approx(0.25)
    assert eci == pytest.approx([3 / s6, 0.0, -3 / s6], abs=1e-12)
    assert pci == pytest.approx([-3 / s6, 3 / s6, 9 / s6], abs=1e-12)
    # a country's ECI is the mean PCI of its products
    assert (m @ pci) / m.sum(axis=1) == pytest.approx(eci, abs=1e-12)


def test_zero_rows_and_columns_are_dropped():
    # X_A = 110 (p 80, q 30), X_B = 90 (p 10, q 20, r 60), X_C = 100 (p 50, r 50); world p 140,
    # q 50, r 110, X_w = 300. RCA: A,p = (80/110)/(140/300) = 1.558; A,q = (30/110)/(50/300) = 1.636;
    # B,r = (60/90)/(110/300) = 1.818; all others below 1.4. With a threshold of 1.6 column p and
    # row C have no M = 1 and are dropped.
    f = pl.DataFrame({"exporter": ["A", "A", "A", "B", "B", "B", "C", "C"],
                      "hs6": ["p", "q", "r", "p", "q", "r", "p", "r"],
                      "value_usd": [80.0, 30.0, 0.0, 10.0, 20.0, 60.0, 50.0, 50.0]})
    m, countries, products = binary_rca(f, "exporter", "hs6", "value_usd", threshold=1.6)
    assert countries == ["A", "B"] and products == ["q", "r"]
    assert m.tolist() == [[True, False], [False, True]]


def stata_frames(shared_data):
    base = shared_data / "ecomplexity_stata_reference"
    trade = pl.read_csv(base / "trade_data_sample.csv", schema_overrides={"hs92": pl.String})
    country = pl.read_csv(base / "stata_ground_truth_country_level.csv")
    product = pl.read_csv(base / "stata_ground_truth_product_level.csv", schema_overrides={"hs92": pl.String})
    return trade, country, product


def test_matches_stata_ecomplexity(shared_data):
    trade, stata_c, stata_p = stata_frames(shared_data)
    eci, pci = eci_pci(trade, exporter="origin", product="hs92", value="export_val")
    c = eci.join(stata_c.rename({"origin": "country"}), on=["year", "country"], how="inner")
    p = pci.join(stata_p, on=["year", "hs92"], how="inner")
    assert c.height == 20 and p.height == 60
    assert (c["diversity"] == c["diversity_right"]).all() and (p["ubiquity"] == p["ubiquity_right"]).all()
    # within 1e-2, sign included, as computed (Growth Lab standardisation)
    assert (c["eci"] - c["eci_right"]).abs().max() < 1e-2
    assert (p["pci"] - p["pci_right"]).abs().max() < 1e-2
    # Stata standardises with the sample sd over its N = 300 country-product rows per year:
    # Stata = ours x sqrt((N - 1) / N) (METHODS.md); then the two agree to rounding
    n = trade.filter(pl.col("year") == 1995).height
    f = math.sqrt((n - 1) / n)
    assert (c["eci"] * f - c["eci_right"]).abs().max() < 1e-10
    assert (p["pci"] * f - p["pci_right"]).abs().max() < 1e-10


def test_identities_on_sample(world):
    flows = world.flows.filter(pl.col("year").is_in([2005, 2015]))
    eci, pci = eci_pci(flows)
    for year in (2005, 2015):
        e = eci.filter(pl.col("year") == year)
        assert e["eci"].mean() == pytest.approx(0.0, abs=1e-9) and e["eci"].std(ddof=0) == pytest.approx(1.0)
        assert np.corrcoef(e["eci"].to_numpy(), e["diversity"].to_numpy())[0, 1] > 0
        m, countries, products = binary_rca(flows.filter(pl.col("year") == year), "exporter", "hs6", "value_usd")
        pc = dict(pci.filter(pl.col("year") == year).select("hs6", "pci").iter_rows())
        mean_pci = (m @ np.array([pc[p] for p in products])) / m.sum(axis=1)
        ec = dict(e.select("country", "eci").iter_rows())
        assert mean_pci == pytest.approx([ec[c] for c in countries], abs=1e-9)
