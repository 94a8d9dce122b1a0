"""Upstreamness on the WIOD 2013 release against Antràs and Chor's (2018) published WIOD measures.

Reference: ``tcd_pipeline_tests/reference/antras_chor_wiod2013.csv``, their GVC_Ui, GVC_FUGOi, GVC_Di
and GVC_VAGOi (net-inventory correction) for USA, CHN, DEU, RUS, MEX and IDN x 35 industries, 1995-2011
(source, commit and licence in the file's header: the R package concordance's copy of
``WIOD2013_GVCmeasures_Dec2017.dta``). Data: ``../shared/data/wiod_2013_release`` (outside the
repository; the test skips without it), whose cells are rounded to whole million USD (its
PROVENANCE.md): Antràs and Chor worked on the unrounded tables, so small differences remain, and
they shrink with the size of the industry (all 41 economies, 2011: median |U - GVC_Ui| 0.10 for
industries below 100 million USD of output, 0.0005 above 100 billion; docs/benchmarks.md has the
per-year table of every economy, from benchmarks/validate_upstreamness.py). The thresholds below
are those of the measured agreement with a margin, on six large economies whose rows rounding
hardly moves: correlation >= 0.9995 and median absolute difference <= 0.005 in every year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.upstreamness import gvc_position_frame
from tcd_pipeline.sources.wiod import read_wiod_2013

ROOT = Path(__file__).resolve().parents[2]
WIOD = ROOT.parent / "shared" / "data" / "wiod_2013_release"
REFERENCE = ROOT / "tcd_pipeline_tests" / "reference" / "antras_chor_wiod2013.csv"
MEASURES = {"upstreamness": "GVC_Ui", "fugo": "GVC_FUGOi", "downstreamness": "GVC_Di", "vago": "GVC_VAGOi"}
YEARS = range(1995, 2012)

pytestmark = pytest.mark.skipif(not WIOD.is_dir(), reason=f"{WIOD} is absent (the WIOD 2013 release lives in "
                                                          "../shared/data, outside the repository)")


@pytest.fixture(scope="module")
def reference() -> pl.DataFrame:
    return pl.read_csv(REFERENCE, comment_prefix="#")


def _joined(year: int, reference: pl.DataFrame, output: str = "row_sums", correction: bool = True) -> pl.DataFrame:
    frame = gvc_position_frame(read_wiod_2013(WIOD, year, output=output), inventory_correction=correction)
    return (frame.with_columns(pl.col("year").cast(pl.Int64))
            .join(reference, on=["year", "country", "industry"], how="inner").filter(pl.col("output") > 0))


def _agreement(joined: pl.DataFrame, ours: str) -> tuple[float, float, float]:
    rows = joined.filter(pl.col(ours).is_not_null() & pl.col(MEASURES[ours]).is_not_null())
    a, b = rows[ours].to_numpy(), rows[MEASURES[ours]].to_numpy()
    diff = np.abs(a - b)
    return float(np.corrcoef(a, b)[0, 1]), float(np.median(diff)), float(diff.max())


def test_reference_extract_is_complete(reference):
    assert reference.height == 6 * 35 * 17
    assert sorted(reference["country"].unique()) == ["CHN", "DEU", "IDN", "MEX", "RUS", "USA"]
    assert reference["GVC_Ui"].min() >= 1 and reference["GVC_Di"].min() >= 1


@pytest.mark.parametrize("year", YEARS)
def test_row_sums_with_the_inventory_correction_reproduce_antras_chor(year, reference):
    joined = _joined(year, reference)
    assert joined.height >= 200  # the six economies' rows with output (a few, e.g. c35 private households, have none)
    for ours in MEASURES:
        corr, median, worst = _agreement(joined, ours)
        assert corr >= 0.9995, (year, ours, corr)
        assert median <= (0.005 if ours in ("upstreamness", "downstreamness") else 0.002), (year, ours, median)
        assert worst <= 0.15, (year, ours, worst)
    # the largest industries (x >= 100 billion USD), where rounding to whole millions is negligible
    large = joined.filter(pl.col("output") >= 1e5)
    assert large.height >= 20
    assert (large["upstreamness"] - large["GVC_Ui"]).abs().max() <= 0.01


@pytest.mark.parametrize("year", [1995, 2003, 2011])
def test_the_inventory_correction_is_what_antras_chor_did(year, reference):
    with_, without = _joined(year, reference), _joined(year, reference, correction=False)
    for ours in ("upstreamness", "fugo"):
        assert _agreement(with_, ours)[1] < _agreement(without, ours)[1] / 2, (year, ours)


def test_published_output_agrees_less_closely(reference):
    # published x differs from the rounded cells' row sums by up to ~100 million USD: the measures move with it
    joined = _joined(2011, reference, output="published")
    corr, median, _ = _agreement(joined, "upstreamness")
    assert corr >= 0.999 and median <= 0.01
    assert median > _agreement(_joined(2011, reference), "upstreamness")[1]


@pytest.mark.parametrize("year", [1995, 2011])
def test_world_identities_on_the_real_table(year):
    # Miller and Temurshoev (2017) Proposition 1: x'U = x'D; with x = row sums world FUGO = world VAGO
    frame = gvc_position_frame(read_wiod_2013(WIOD, year, output="row_sums"))
    x = frame["output"].to_numpy()
    assert x @ frame["upstreamness"].to_numpy() == pytest.approx(x @ frame["downstreamness"].to_numpy(), rel=1e-10)
    assert x @ frame["fugo"].fill_null(0).to_numpy() == pytest.approx(x @ frame["vago"].fill_null(0).to_numpy(),
                                                                        rel=1e-10)
    assert frame["upstreamness"].min() >= 1 - 1e-9 and frame["downstreamness"].min() >= 1 - 1e-9
