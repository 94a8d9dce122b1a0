"""PRODY and EXPY (core.sophistication; Hausmann, Hwang and Rodrik 2007).

References: a hand computation (in the test) and the identity min PRODY <= EXPY <= max PRODY.
"""

from __future__ import annotations

import polars as pl
import pytest

from tcd_pipeline.core.sophistication import expy, fixed_country_set, prody
from tcd_pipeline_tests.core.test_quality import SampleWorld, sample_world


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> SampleWorld:
    return sample_world(tmp_path_factory)


def hand_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    # A (Y = 1,000): p1 30, p2 10 -> shares .75, .25;  B (Y = 3,000): p1 10, p2 30 -> .25, .75
    flows = pl.DataFrame({"year": [2000] * 4, "exporter": ["A", "A", "B", "B"], "hs6": ["p1", "p2", "p1", "p2"],
                          "importer": ["Z"] * 4, "value_usd": [30.0, 10.0, 10.0, 30.0]})
    gdp = pl.DataFrame({"iso3": ["A", "B"], "year": [2000, 2000], "gdp_pc_usd": [1000.0, 3000.0]})
    return flows, gdp


def test_prody_and_expy_hand_computed():
    flows, gdp = hand_frames()
    p = dict(prody(flows, gdp).select("hs6", "prody").iter_rows())
    # PRODY_p1 = .75/(.75+.25) x 1,000 + .25/(.75+.25) x 3,000 = 750 + 750 = 1,500
    # PRODY_p2 = .25 x 1,000 + .75 x 3,000 = 2,500
    assert p == {"p1": pytest.approx(1500.0), "p2": pytest.approx(2500.0)}
    e = dict(expy(flows, prody(flows, gdp)).select("exporter", "expy").iter_rows())
    # EXPY_A = .75 x 1,500 + .25 x 2,500 = 1,750;  EXPY_B = .25 x 1,500 + .75 x 2,500 = 2,250
    assert e == {"A": pytest.approx(1750.0), "B": pytest.approx(2250.0)}


def test_country_set_is_fixed_across_years():
    flows, gdp = hand_frames()
    # C exports only in 2001 and A and B export in both years: C is not in the fixed set
    later = flows.with_columns(pl.lit(2001, dtype=pl.Int64).alias("year"))
    c = pl.DataFrame({"year": [2001], "exporter": ["C"], "hs6": ["p1"], "importer": ["Z"], "value_usd": [99.0]})
    both = pl.concat([flows, later, c])
    gdp2 = pl.concat([gdp, gdp.with_columns(pl.lit(2001, dtype=pl.Int64).alias("year")),
                      pl.DataFrame({"iso3": ["C"], "year": [2001], "gdp_pc_usd": [50_000.0]})])
    assert fixed_country_set(both, gdp2) == ["A", "B"]
    p = prody(both, gdp2)
    assert p.filter(pl.col("year") == 2001)["prody"].to_list() == pytest.approx([1500.0, 2500.0])
    # C's EXPY is still computed, with the fixed set's PRODY
    e = expy(both, p).filter(pl.col("exporter") == "C").row(0, named=True)
    assert e["expy"] == pytest.approx(1500.0) and e["coverage"] == 1.0


def test_expy_renormalises_over_products_with_prody():
    flows, gdp = hand_frames()
    extra = pl.DataFrame({"year": [2000], "exporter": ["D"], "hs6": ["p9"], "importer": ["Z"], "value_usd": [40.0]})
    d = pl.concat([flows, extra, pl.DataFrame({"year": [2000], "exporter": ["D"], "hs6": ["p1"], "importer": ["Z"],
                                               "value_usd": [10.0]})])
    e = expy(d, prody(flows, gdp)).filter(pl.col("exporter") == "D").row(0, named=True)
    # p9 has no PRODY: D's EXPY is PRODY_p1 = 1,500 on 10 / 50 = 20 % coverage
    assert e["expy"] == pytest.approx(1500.0) and e["coverage"] == pytest.approx(0.2)


def test_expy_within_prody_range_on_sample(world):
    countries = fixed_country_set(world.flows, world.gdp_pc)
    assert len(countries) >= 30
    p = prody(world.flows, world.gdp_pc, countries)
    e = expy(world.flows, p)
    bounds = p.group_by("year").agg(pl.col("prody").min().alias("lo"), pl.col("prody").max().alias("hi"))
    check = e.join(bounds, on="year")
    assert ((check["expy"] >= check["lo"] - 1e-6) & (check["expy"] <= check["hi"] + 1e-6)).all()
    assert check["coverage"].min() > 0.99  # the fixed set covers almost every product
    rich = e.filter((pl.col("exporter") == "CHE") & (pl.col("year") == 2010))["expy"][0]
    poor = e.filter((pl.col("exporter") == "TJK") & (pl.col("year") == 2010))["expy"][0]
    assert rich > poor
