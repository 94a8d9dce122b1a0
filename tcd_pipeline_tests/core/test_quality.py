"""Export quality (core.quality) and the CEPII GeoDist reader (sources.geodist).

References: a hand-built balanced design whose coefficients OLS recovers exactly (computation in
the test), and the sample world's planted quality (truth/planted_quality.csv, model in
tcd_pipeline/sample/flows.py, section 4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from tcd_pipeline.core.quality import aggregate_quality, quality, unit_value_regression, unit_values
from tcd_pipeline.sample import generate_sample
from tcd_pipeline.sources.files import InputFileError, SourceFile
from tcd_pipeline.sources.geodist import read_geodist
from tcd_pipeline.sources.readers import read_wdi

SAMPLE_YEARS = range(2000, 2019)


def read_baci_sample(root: Path, years) -> pl.DataFrame:
    """The sample's BACI files as clean.flows would hold them (ISO3, USD, tonnes)."""
    codes = pl.read_csv(root / "baci" / "country_codes_V202401b.csv", infer_schema=False).select(
        pl.col("country_code").cast(pl.Int32), "country_iso3")
    frames = []
    for y in years:
        f = pl.read_csv(root / "baci" / f"BACI_HS92_Y{y}_V202401b.csv",
                        schema_overrides={"k": pl.String, "q": pl.String, "i": pl.Int32, "j": pl.Int32})
        f = (f.join(codes.rename({"country_code": "i", "country_iso3": "exporter"}), on="i")
             .join(codes.rename({"country_code": "j", "country_iso3": "importer"}), on="j"))
        frames.append(f.select(pl.col("t").cast(pl.Int16).alias("year"), "exporter", "importer",
                               pl.col("k").alias("hs6"), (pl.col("v") * 1000).round(0).alias("value_usd"),
                               pl.col("q").str.strip_chars().cast(pl.Float64, strict=False).alias("quantity_t")))
    return pl.concat(frames)


@dataclass(frozen=True)
class SampleWorld:
    """The sample world 2000-2018 (default seed): its folder, flows and GDP per capita."""

    root: Path
    flows: pl.DataFrame
    gdp_pc: pl.DataFrame


_CACHE: dict[str, SampleWorld] = {}


def sample_world(tmp_path_factory) -> SampleWorld:
    """Generated and read once per test session; the trade-outcome test modules share it."""
    if "world" not in _CACHE:
        root = tmp_path_factory.mktemp("trade_outcomes_sample")
        generate_sample(root, years=SAMPLE_YEARS)
        wdi = read_wdi([SourceFile(p) for p in sorted((root / "wdi").glob("API_*.csv"))], [])
        gdp = wdi.filter(pl.col("indicator_code") == "NY.GDP.PCAP.CD").select(
            pl.col("country_code").alias("iso3"), "year", pl.col("value").alias("gdp_pc_usd"))
        _CACHE["world"] = SampleWorld(root, read_baci_sample(root, SAMPLE_YEARS), gdp)
    return _CACHE["world"]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> SampleWorld:
    return sample_world(tmp_path_factory)


def balanced_world() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """4 exporters x 2 importers x 1 product x 2 years; ln uv = zeta_t + 0.5 ln y + 0.2 ln d + q_i.

    ln y = 8, 8, 9, 9 and q = 0, 0.3, 0, 0.3 for A, B, C, D; ln d = 7 (to X) and 8 (to Y) for
    every exporter. The design is balanced, so q is orthogonal to ln y and ln d within
    product-year and OLS returns b_y = 0.5, b_d = 0.2 exactly.
    """
    ln_y = {"A": 8.0, "B": 8.0, "C": 9.0, "D": 9.0}
    q = {"A": 0.0, "B": 0.3, "C": 0.0, "D": 0.3}
    ln_d = {"X": 7.0, "Y": 8.0}
    zeta = {2000: 1.0, 2001: 1.4}
    rows = [(m, x, "010111", t, 100.0, 100.0 / math.exp(zeta[t] + 0.5 * ln_y[m] + 0.2 * ln_d[x] + q[m]))
            for m in ln_y for x in ln_d for t in zeta]
    flows = pl.DataFrame(rows, schema=["exporter", "importer", "hs6", "year", "value_usd", "quantity_t"], orient="row")
    gdp = pl.DataFrame([(m, t, math.exp(v)) for m, v in ln_y.items() for t in zeta],
                       schema=["iso3", "year", "gdp_pc_usd"], orient="row")
    dist = pl.DataFrame([(m, x, math.exp(v)) for m in ln_y for x, v in ln_d.items()],
                        schema=["exporter", "importer", "dist"], orient="row")
    return flows, gdp, dist


def test_balanced_design_recovers_coefficients_and_frontier():
    flows, gdp, dist = balanced_world()
    q, coef = quality(flows, gdp, dist, min_obs=1)
    assert coef["b_y"][0] == pytest.approx(0.5, abs=1e-9)
    assert coef["b_d"][0] == pytest.approx(0.2, abs=1e-9)
    assert not coef["pooled"][0]
    # net ln q = zeta_t + q_i; the product-year P90 (linear) of [0, 0, 0.3, 0.3] is 0.3
    # (position 0.9 x 3 = 2.7 between two 0.3s), so quality = exp(q - 0.3): 0.7408 for A, C and 1 for B, D
    got = {(r["exporter"], r["year"]): r["quality"] for r in q.iter_rows(named=True)}
    for t in (2000, 2001):
        assert got[("A", t)] == pytest.approx(math.exp(-0.3)) and got[("C", t)] == pytest.approx(math.exp(-0.3))
        assert got[("B", t)] == pytest.approx(1.0) and got[("D", t)] == pytest.approx(1.0)


def test_small_products_fall_back_to_the_pooled_estimate():
    flows, gdp, dist = balanced_world()
    _, coef = quality(flows, gdp, dist, min_obs=100)  # 8 observations < 100
    assert coef["pooled"][0] and coef["b_y"][0] == pytest.approx(0.5, abs=1e-9)


def test_trimming_drops_only_beyond_the_percentiles():
    n = 200
    f = pl.DataFrame({"hs6": ["010111"] * n, "year": [2000] * n, "value_usd": [float(i + 1) for i in range(n)],
                      "quantity_t": [1.0] * n})
    kept = unit_values(f)  # ln uv = ln(1..200): P1 (lower) is the 2nd value, P99 (higher) the 199th
    assert kept.height == n - 2 and kept["value_usd"].min() == 2.0 and kept["value_usd"].max() == 199.0
    small = unit_values(f.head(50))  # fewer than 100 observations: nothing trimmed
    assert small.height == 50
    missing_q = f.head(3).with_columns(pl.Series("quantity_t", [None, 0.0, 1.0]))
    assert unit_values(missing_q).height == 1


def test_aggregate_quality_is_export_weighted():
    q = pl.DataFrame({"exporter": ["A", "A"], "year": [2000, 2000], "hs6": ["1", "2"],
                      "value_usd": [30.0, 10.0], "quality": [1.0, 0.6]})
    # (30 x 1.0 + 10 x 0.6) / 40 = 0.9
    assert aggregate_quality(q)["quality"][0] == pytest.approx(0.9)


def test_regression_rejects_collinear_data():
    obs = pl.DataFrame({"hs6": ["1"] * 4, "year": [2000] * 4, "ln_uv": [1.0, 2.0, 3.0, 4.0],
                        "ln_y": [1.0, 2.0, 3.0, 4.0], "ln_d": [2.0, 4.0, 6.0, 8.0]})
    with pytest.raises(ValueError, match="collinear"):
        unit_value_regression(obs)


def test_recovers_planted_quality(world):
    dist = read_geodist(world.root / "geo" / "dist_cepii.csv")
    q, coef = quality(world.flows, world.gdp_pc, dist)
    truth = pl.read_csv(world.root / "truth" / "planted_quality.csv", schema_overrides={"hs6": pl.String})
    est = q.group_by("exporter", "hs6").agg(pl.col("ln_quality").mean())
    joined = est.join(truth, left_on=["exporter", "hs6"], right_on=["exporter_iso3", "hs6"], how="inner")
    assert joined.height > 10_000
    rho = joined.select(pl.corr("ln_quality", "quality", method="spearman")).item()
    # raw unit values relative to the product-year median, same pairs
    uv = unit_values(world.flows).with_columns(
        (pl.col("ln_uv") - pl.col("ln_uv").median().over("hs6", "year")).alias("raw"))
    raw = uv.group_by("exporter", "hs6").agg(pl.col("raw").mean()).join(
        joined, on=["exporter", "hs6"], how="inner")
    rho_raw = raw.select(pl.corr("raw", "quality", method="spearman")).item()
    print(f"Spearman vs planted quality: quality {rho:.3f}, raw unit values {rho_raw:.3f}")
    assert rho >= 0.8
    assert rho > rho_raw + 0.05
    # the generator's income elasticity is 0.45 (truth/parameters.json); the median estimate is near it
    assert 0.3 < coef["b_y"].median() < 0.7
    agg = aggregate_quality(q)
    assert agg["quality"].min() > 0 and agg.height == q.select("exporter", "year").unique().height


GEO_HEADER = "iso_o,iso_d,contig,comlang_off,comlang_ethno,colony,comcol,curcol,col45,smctry,dist,distcap,distw,distwces\n"


def test_geodist_maps_cepii_codes_and_missing_cells(tmp_path):
    path = tmp_path / "dist_cepii.csv"
    path.write_text(GEO_HEADER
                    + "ROM,YUG,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,450.1,447.2,.,.\n"
                    + "PAL,ZAR,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,4000,4001,4002.5,4003\n"
                    + "TMP,KAZ,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,9000,9001,,NA\n")
    d = read_geodist(path)
    assert d.select("exporter", "importer").rows() == [("ROU", "SRB"), ("PSE", "COD"), ("TLS", "KAZ")]
    assert d["distw"].to_list() == [None, 4002.5, None] and d["dist"][0] == 450.1


def test_geodist_errors_name_the_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(GEO_HEADER + "AUT,DEU,0,0,0,0,0,0,0,0,500,510,x5,5\n")
    with pytest.raises(InputFileError, match=r"bad.csv: line 2: distw 'x5' is not a number"):
        read_geodist(bad)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("iso_o;iso_d;dist\nAUT;DEU;500\n")
    with pytest.raises(InputFileError, match="wrong.csv: wrong header"):
        read_geodist(wrong)
    dup = tmp_path / "dup.csv"
    dup.write_text(GEO_HEADER + "ROM,AUT,0,0,0,0,0,0,0,0,1,1,1,1\nROU,AUT,0,0,0,0,0,0,0,0,1,1,1,1\n")
    with pytest.raises(InputFileError, match="line 2: pair ROU-AUT appears twice"):
        read_geodist(dup)
