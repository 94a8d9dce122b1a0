"""Upstreamness, downstreamness, FUGO and VAGO (tcd_pipeline.core.upstreamness) on tables small enough to check.

References: two- and three-sector tables worked by hand below; the decompr toy in
../shared/data/gvc_toy_leather_decompr (9 rows, see its PROVENANCE.md) against Antràs and Chor's
(2018) power-series formulas eq. (5) and (7) evaluated with explicit inverses (np.linalg.inv) in this
file; Miller and Temurshoev's (2017) Proposition 1 (x'U = x'D). No value below was produced by
the code under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.tiva_table import IOTable
from tcd_pipeline.core.upstreamness import gvc_position, gvc_position_frame, inventory_factor

# ---------------------------------------------------------------------------------------------
# Hand example 1: two sectors, x = (10, 8).
#   Sector 1 sells Z11 = 1 to itself, Z12 = 4 to sector 2 and F1 = 5 to final use (10 in total).
#   Sector 2 sells F2 = 8 to final use only: a pure final-goods sector.
# Without inventories: Delta = Z / x_i (rows) = [[.1, .4], [0, 0]].
#   U2 = 1 (nothing sold to industries); U1 = 1 + .1 U1 + .4 U2  ->  .9 U1 = 1.4  ->  U1 = 14/9.
#   A = Z / x_j (columns) = [[.1, .5], [0, 0]];  D1 = 1 + .1 D1  ->  D1 = 10/9;
#   D2 = 1 + A12 D1 + A22 D2 = 1 + .5 x 10/9 = 14/9.
#   FUGO = F / x = (.5, 1);  VAGO = 1 - column sums of A = (.9, .5).
#   x'U = 10 x 14/9 + 8 = 212/9 = x'D = 10 x 10/9 + 8 x 14/9 (Miller and Temurshoev's Proposition 1).
# With inventories N1 = 2 inside F1 (N2 = 0): s1 = x1 / (x1 - N1) = 10/8 = 1.25 scales row 1.
#   Delta11 = 1/8, Delta12 = 4/8;  U1 = 1 + U1/8 + 1/2  ->  (7/8) U1 = 3/2  ->  U1 = 12/7.
#   FUGO1 = (5 - 2)/(10 - 2) = 3/8  (and 3/8 + 1/8 + 4/8 = 1).
#   Z~11 = 1.25, Z~12 = 5: A~11 = .125, A~12 = 5/8;  D1 = 1/(1 - .125) = 8/7;  D2 = 1 + 5/8 x 8/7 = 12/7.
#   VAGO = (1 - .125, 1 - .625) = (.875, .375);  x'U = 120/7 + 8 = 176/7 = x'D = 80/7 + 96/7.
# ---------------------------------------------------------------------------------------------
Z2 = np.array([[1.0, 4.0], [0.0, 0.0]])
X2 = np.array([10.0, 8.0])
F2 = np.array([5.0, 8.0])
N2 = np.array([2.0, 0.0])


def test_two_sectors_by_hand_without_inventories():
    pos = gvc_position(Z2, X2, F2)
    np.testing.assert_allclose(pos.upstreamness, [14 / 9, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.downstreamness, [10 / 9, 14 / 9], rtol=1e-14)
    np.testing.assert_allclose(pos.fugo, [.5, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.vago, [.9, .5], rtol=1e-14)
    assert X2 @ pos.upstreamness == pytest.approx(212 / 9, rel=1e-14)
    assert X2 @ pos.downstreamness == pytest.approx(212 / 9, rel=1e-14)


def test_two_sectors_by_hand_with_the_inventory_correction():
    pos = gvc_position(Z2, X2, F2, N2)
    np.testing.assert_allclose(pos.inventory_factor, [1.25, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.upstreamness, [12 / 7, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.fugo, [3 / 8, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.downstreamness, [8 / 7, 12 / 7], rtol=1e-14)
    np.testing.assert_allclose(pos.vago, [.875, .375], rtol=1e-14)
    assert X2 @ pos.upstreamness == pytest.approx(176 / 7, rel=1e-14) == X2 @ pos.downstreamness
    # switched off (no inventory vector) it is the uncorrected example again
    np.testing.assert_allclose(gvc_position(Z2, X2, F2, None).upstreamness, [14 / 9, 1.0], rtol=1e-14)


# ---------------------------------------------------------------------------------------------
# Hand example 2: a three-stage chain, x = (10, 10, 10): raw 1 -> part 2 -> assembly 3.
#   Z12 = 6 (F1 = 4), Z23 = 5 (F2 = 5), F3 = 10.  Delta = [[0, .6, 0], [0, 0, .5], [0, 0, 0]].
#   U3 = 1; U2 = 1 + .5 U3 = 1.5; U1 = 1 + .6 U2 = 1.9.
#   A = Delta here (all x equal):  D1 = 1; D2 = 1 + .6 D1 = 1.6; D3 = 1 + .5 D2 = 1.8.
#   x'U = 10 (1.9 + 1.5 + 1) = 44 = x'D = 10 (1 + 1.6 + 1.8).
# ---------------------------------------------------------------------------------------------
def test_three_stage_chain_by_hand():
    Z = np.zeros((3, 3))
    Z[0, 1], Z[1, 2] = 6.0, 5.0
    pos = gvc_position(Z, np.full(3, 10.0), np.array([4.0, 5.0, 10.0]))
    np.testing.assert_allclose(pos.upstreamness, [1.9, 1.5, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.downstreamness, [1.0, 1.6, 1.8], rtol=1e-14)
    np.testing.assert_allclose(pos.fugo, [.4, .5, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.vago, [1.0, .4, .5], rtol=1e-14)


def test_rows_without_output_have_unit_measures_and_their_purchases_are_ignored():
    # row 3 has no output but "buys" 7 from row 1 (residue): U and D of rows 1-2 are those of example 1
    Z = np.zeros((3, 3))
    Z[:2, :2] = Z2
    Z[0, 2] = 7.0
    pos = gvc_position(Z, np.append(X2, 0.0), np.append(F2, 0.0))
    np.testing.assert_allclose(pos.upstreamness, [14 / 9, 1.0, 1.0], rtol=1e-14)
    np.testing.assert_allclose(pos.downstreamness, [10 / 9, 14 / 9, 1.0], rtol=1e-14)
    assert np.isnan(pos.fugo[2]) and np.isnan(pos.vago[2])


def test_inventory_factor_leaves_rows_without_net_output_uncorrected():
    # x - N: 8 (corrected), 0 and -1 (not: the correction is undefined), 5 with x = 0 (no output)
    s = inventory_factor(np.array([10.0, 3.0, 2.0, 0.0]), np.array([2.0, 3.0, 3.0, -5.0]))
    np.testing.assert_allclose(s, [1.25, 1.0, 1.0, 1.0])


# ---------------------------------------------------------------------------------------------
# The decompr "leather" toy (3 countries x 3 industries, x = row sums): a closed world table.
# Independent references, with explicit inverses: Antràs and Chor's eq. (5),
# U = X^-1 (I - A)^-2 F = X^-1 (I - A)^-1 x (their derivation: Y = (I - A)^-1 F), and eq. (7),
# D' = VA' (I - Delta)^-2 X^-1 with Delta = X^-1 Z the Ghosh allocation matrix.
# ---------------------------------------------------------------------------------------------
LEATHER = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "gvc_toy_leather_decompr"


def _leather():
    if not LEATHER.is_dir():
        pytest.skip(f"{LEATHER} is absent (the decompr toy lives in ../shared/data, outside the repository)")
    Z = pl.read_csv(LEATHER / "leather_inter_Z.csv").drop("row").to_numpy()
    Y = pl.read_csv(LEATHER / "leather_final_Y.csv").drop("row").to_numpy()
    x = pl.read_csv(LEATHER / "leather_output_x.csv").to_numpy()[:, -1].astype(float)
    return Z, Y, x


def test_leather_toy_against_antras_chor_power_series():
    Z, Y, x = _leather()
    F = Y.sum(axis=1)
    np.testing.assert_allclose(x, Z.sum(axis=1) + F, rtol=1e-12)  # the toy is balanced
    pos = gvc_position(Z, x, F)
    A = Z / x[None, :]
    Lx = np.linalg.inv(np.eye(9) - A)
    np.testing.assert_allclose(pos.upstreamness, (Lx @ Lx @ F) / x, rtol=1e-12)
    np.testing.assert_allclose(pos.upstreamness, (Lx @ x) / x, rtol=1e-12)
    G = np.linalg.inv(np.eye(9) - Z / x[:, None])
    va = x - Z.sum(axis=0)
    np.testing.assert_allclose(pos.downstreamness, (va @ G @ G) / x, rtol=1e-12)
    # the defining recursions and the identities that hold when x is the row sums
    delta = Z / x[:, None]
    np.testing.assert_allclose(pos.upstreamness, 1 + delta @ pos.upstreamness, rtol=1e-12)
    np.testing.assert_allclose(pos.downstreamness, 1 + A.T @ pos.downstreamness, rtol=1e-12)
    np.testing.assert_allclose(pos.fugo + delta.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(pos.vago + A.sum(axis=0), 1.0, rtol=1e-12)
    assert x @ pos.upstreamness == pytest.approx(x @ pos.downstreamness, rel=1e-12)
    assert x @ pos.fugo == pytest.approx(x @ pos.vago, rel=1e-12)  # world final use = world value added
    assert (pos.upstreamness >= 1).all() and (pos.downstreamness >= 1).all()


def test_leather_toy_with_inventories_rescales_rows():
    # a tenth of each row's final use is an inventory change: the corrected table Z~ = s Z must give the
    # uncorrected measures of the table (s Z, s (F - N)) with the same x, which is balanced again
    Z, Y, x = _leather()
    F = Y.sum(axis=1)
    N = 0.1 * F
    s = x / (x - N)
    pos = gvc_position(Z, x, F, N)
    plain = gvc_position(Z * s[:, None], x, s * (F - N))
    for name in ("upstreamness", "downstreamness", "fugo", "vago"):
        np.testing.assert_allclose(getattr(pos, name), getattr(plain, name), rtol=1e-12)
    assert (pos.upstreamness > gvc_position(Z, x, F).upstreamness).all()  # inventoried output counted as in use


def test_published_output_keeps_the_definition_but_not_the_row_identity():
    # x published 1 % above the row sums (as a release's rounding might): U = 1 + Delta U still holds
    # with Delta = Z / x, but FUGO + sum Delta = F / x + Z 1 / x = 1 / 1.01 instead of 1
    Z, Y, x = _leather()
    F = Y.sum(axis=1)
    pos = gvc_position(Z, 1.01 * x, F)
    delta = Z / (1.01 * x)[:, None]
    np.testing.assert_allclose(pos.upstreamness, 1 + delta @ pos.upstreamness, rtol=1e-12)
    np.testing.assert_allclose(pos.fugo + delta.sum(axis=1), 1 / 1.01, rtol=1e-12)


def test_random_tables_measures_at_least_one():
    rng = np.random.default_rng(13)
    for _ in range(20):
        n = 12
        Z = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < .4)
        F = rng.uniform(.1, 3, n)
        x = Z.sum(axis=1) + F
        pos = gvc_position(Z, x, F)
        assert (pos.upstreamness >= 1 - 1e-12).all() and (pos.downstreamness >= 1 - 1e-12).all()
        assert ((pos.fugo > 0) & (pos.fugo <= 1)).all()
        assert x @ pos.upstreamness == pytest.approx(x @ pos.downstreamness, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# The frame of one IOTable: split regions merged with gross-output weights, exports as in core.tiva.
# Regions CN1, CN2 (both CHN) and USA, one industry "a". Z: CN1 -> USA 2, USA -> CN2 3.
# Final demand (CHN, USA): CN1 (4, 4), CN2 (10, 0), USA (0, 5). x = row sums = (10, 10, 8).
# Delta: CN1 row (0, 0, .2), USA row (0, 3/8, 0). U_CN2 = 1, U_USA = 1 + 3/8 = 11/8,
# U_CN1 = 1 + .2 x 11/8 = 1.275.  CHN_a: U = (10 x 1.275 + 10 x 1) / 20 = 1.1375.
# Exports: CN1 -> USA: Z 2 + Y 4 = 6; CN2: 0 (CN2 -> CHN is domestic); USA -> CHN: 3 + 0 = 3.
# exgr_upstreamness: CHN 6 x 1.275 = 7.65; USA 3 x 11/8 = 4.125.
# A = Z / x_j: A[CN1, USA] = 2/8, A[USA, CN2] = 3/10.  D_CN1 = 1, D_USA = 1 + .25 = 1.25,
# D_CN2 = 1 + .3 x 1.25 = 1.375;  CHN_a: D = (10 + 13.75) / 20 = 1.1875.
# ---------------------------------------------------------------------------------------------
def test_frame_merges_split_regions_and_weights_exports():
    Z = np.zeros((3, 3))
    Z[0, 2], Z[2, 1] = 2.0, 3.0
    Y = np.array([[4.0, 4.0], [10.0, 0.0], [0.0, 5.0]])
    x = Z.sum(axis=1) + Y.sum(axis=1)
    t = IOTable(source="split test", year=2001, classification="test", regions=("CN1", "CN2", "USA"),
                industries=("a",), countries=("CHN", "USA"), region_country=("CHN", "CHN", "USA"), Z=Z, Y=Y, x=x,
                va=x - Z.sum(axis=0), tls=np.zeros(3), inventories=np.array([1.0, 0.0, 0.0]))
    frame = gvc_position_frame(t, inventory_correction=False).sort("country")
    assert frame["country"].to_list() == ["CHN", "USA"]
    np.testing.assert_allclose(frame["output"], [20.0, 8.0])
    np.testing.assert_allclose(frame["upstreamness"], [1.1375, 11 / 8], rtol=1e-14)
    np.testing.assert_allclose(frame["downstreamness"], [1.1875, 1.25], rtol=1e-14)
    np.testing.assert_allclose(frame["exgr"], [6.0, 3.0])
    np.testing.assert_allclose(frame["exgr_upstreamness"], [7.65, 4.125], rtol=1e-14)
    # FUGO as a ratio of sums, uncorrected (final use with inventories): CHN (8 + 10) / 20, USA 5 / 8;
    # final_use is final use net of inventories whatever the setting: CHN 8 + 10 - 1 = 17
    np.testing.assert_allclose(frame["fugo"], [18 / 20, 5 / 8], rtol=1e-14)
    np.testing.assert_allclose(frame["final_use"], [17.0, 5.0])
    # with the correction CN1's row is scaled by 10/9: U_CN1 = 1 + 2/9 x 11/8 = 1.3055...
    corrected = gvc_position_frame(t).sort("country")
    assert corrected["upstreamness"][0] == pytest.approx((10 * (1 + 2 / 9 * 11 / 8) + 10) / 20, rel=1e-14)
