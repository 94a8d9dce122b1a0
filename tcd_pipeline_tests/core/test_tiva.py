"""The TiVA core (tcd_pipeline.core.leontief, tiva, tiva_sectors) on tables small enough to check.

References: a two-country table worked by hand below; the decompr toy in
../shared/data/gvc_toy_leather_decompr (expected cells from decompr's own unit tests, see its
PROVENANCE.md); brute-force loops over explicit blocks of B written in this file (B by
np.linalg.inv: tcd_pipeline_tests/reference/leontief_explicit.py); METHODS.md
(the CAGR check of Table 1). No value below was produced by the code under test.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.leontief import SingularLeontiefError, calc_A, calc_v, factor_leontief
from tcd_pipeline.core.tiva import gross_exports, identity_gaps, tiva_indicators
from tcd_pipeline.core.tiva_sectors import aggregate_to_sectors, dva_growth
from tcd_pipeline.core.tiva_table import IOTable, balance_violations, country_of_region
from tcd_pipeline_tests.reference.leontief_explicit import calc_B, calc_L_local, calc_VBE

# ---------------------------------------------------------------------------------------------
# Hand example: countries H and F, industries 1 and 2, rows/columns ordered H1, H2, F1, F2.
# Every industry produces x = 100. Intermediate sales: H1 -> H2 20, H2 -> F1 30, F1 -> H2 10,
# F2 -> H1 10, so A has four entries: A[H1,H2] = .2, A[H2,F1] = .3, A[F1,H2] = .1, A[F2,H1] = .1.
# Final demand (to H, to F): H1 (50, 30), H2 (40, 30), F1 (20, 70), F2 (10, 80): rows sum to 100.
# VA = x - column sums of Z = (90, 70, 70, 100); v = (.9, .7, .7, 1).
#
# B = (I - A)^-1 column by column from y = e_j + A y (the only loop is H2 -> F1 -> H2, .3 x .1 = .03):
#   B[:,H1] = (1, 0, 0, .1)                       B[:,H2] = (.2, 1, .1, .02) / .97
#   B[:,F1] = (.06, .3, 1, .006) / .97            B[:,F2] = (0, 0, 0, 1)
# Gross exports: E_H1 = Y[H1,F] = 30; E_H2 = Z[H2,F1] + Y[H2,F] = 30 + 30 = 60;
#                E_F1 = Z[F1,H2] + Y[F1,H] = 10 + 20 = 30; E_F2 = Z[F2,H1] + Y[F2,H] = 10 + 10 = 20.
# DVA of H by exporting industry (v_H . B[H rows, j] x E_j):
#   H1: (.9 x 1 + .7 x 0) x 30 = 27;  H2: (.9 x .2 + .7 x 1)/.97 x 60 = .88/.97 x 60 = 54.432990
# FVA of H: H1: (1 x .1) x 30 = 3;  H2: (.7 x .1 + 1 x .02)/.97 x 60 = .09/.97 x 60 = 5.567010
# Local inverse of H: A_HH = [[0, .2], [0, 0]] -> L_HH = [[1, .2], [0, 1]].
#   DDC (v_j l_jj e_j): H1 .9 x 30 = 27, H2 .7 x 60 = 42;  IDC: H1 0, H2 v_H1 l_12 e_2 = .9 x .2 x 60 = 10.8
#   RIM = V_H (B_HH - L_HH) E: H2: (.9 x (.2/.97 - .2) + .7 x (1/.97 - 1)) x 60 = .0264/.97 x 60 = 1.632990
# FFD_DVA (v_i sum over r != s of (B Y_r)_i), Y_F = (30, 30, 70, 80):
#   H1: .9 x (30 + .2 x 30/.97 + .06 x 70/.97) = .9 x (30 + 10.2/.97) = 36.463918
#   H2: .7 x (30 + .3 x 70)/.97 = .7 x 51/.97 = 36.804124
# Two countries have no third country t, so IV = 0 and forward participation is 0.
# H: E = 90, FV = 3 + 5.567010 = 8.567010, backward = FV/E = .095189, position = -ln(1.095189).
# ---------------------------------------------------------------------------------------------
HAND_Z = np.array([[0, 20, 0, 0], [0, 0, 30, 0], [0, 10, 0, 0], [10, 0, 0, 0]], dtype=float)
HAND_Y = np.array([[50, 30], [40, 30], [20, 70], [10, 80]], dtype=float)
HAND_B = np.array([[1, .2 / .97, .06 / .97, 0], [0, 1 / .97, .3 / .97, 0], [0, .1 / .97, 1 / .97, 0],
                   [.1, .02 / .97, .006 / .97, 1]])


def table(Z, Y, x, va=None, tls=None, regions=("H", "F"), industries=("1", "2"), countries=None,
          region_country=None, source="test table", year=2000) -> IOTable:
    Z, Y, x = (np.asarray(a, dtype=float) for a in (Z, Y, x))
    countries = tuple(countries or regions)
    return IOTable(source=source, year=year, classification="test", regions=tuple(regions),
                   industries=tuple(industries), countries=countries,
                   region_country=tuple(region_country or regions), Z=Z, Y=Y, x=x,
                   va=x - Z.sum(axis=0) if va is None else np.asarray(va, float),
                   tls=np.zeros(len(x)) if tls is None else np.asarray(tls, float))


@pytest.fixture
def hand() -> IOTable:
    return table(HAND_Z, HAND_Y, np.full(4, 100.0))


def test_hand_leontief_inverse(hand):
    A = calc_A(hand.Z, hand.x)
    np.testing.assert_allclose(calc_B(A), HAND_B, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(calc_v(A, hand.x), [.9, .7, .7, 1.0], rtol=1e-12)
    np.testing.assert_allclose(calc_L_local(A, np.array([0, 1])), [[1, .2], [0, 1]], atol=1e-15)
    np.testing.assert_allclose(calc_B(A) @ (np.eye(4) - A), np.eye(4), atol=1e-12)


def test_hand_decomposition(hand):
    res = tiva_indicators(hand)
    ind = {(r["country"], r["industry"]): r for r in res.indicators.iter_rows(named=True)}
    expected = {  # (exgr, dva, fva, ddc, idc, rim, ffd_dva), from the comment block above
        ("H", "1"): (30, 27, 3, 27, 0, 0, .9 * (30 + 10.2 / .97)),
        ("H", "2"): (60, .88 / .97 * 60, .09 / .97 * 60, 42, 10.8, .0264 / .97 * 60, .7 * 51 / .97),
    }
    for key, (exgr, dva, fva, ddc, idc, rim, ffd) in expected.items():
        row = ind[key]
        got = [row[c] for c in ("exgr", "exgr_dva", "exgr_fva", "exgr_ddc", "exgr_idc", "exgr_rim", "ffd_dva")]
        np.testing.assert_allclose(got, [exgr, dva, fva, ddc, idc, rim, ffd], rtol=1e-12, atol=1e-12)
        assert row["iv"] == 0.0
    h = res.participation.filter(pl.col("country") == "H").row(0, named=True)
    fv = 3 + .09 / .97 * 60
    assert h["exgr"] == pytest.approx(90) and h["exgr_fva"] == pytest.approx(fv, rel=1e-12)
    assert h["backward"] == pytest.approx(fv / 90, rel=1e-12) and h["forward"] == 0.0
    assert h["position"] == pytest.approx(-np.log(1 + fv / 90), rel=1e-12)
    fva = res.fva_by_source.filter(pl.col("exporter") == "H").row(0, named=True)
    assert (fva["source"], fva["value"], fva["share"]) == ("F", pytest.approx(fv), pytest.approx(100.0))
    assert fva["share_of_exgr"] == pytest.approx(100 * fv / 90)
    dva = res.dva_by_destination.filter(pl.col("exporter") == "H").row(0, named=True)
    assert (dva["destination"], dva["exgr"], dva["value"]) == ("F", 90.0, pytest.approx(27 + .88 / .97 * 60))


# --------------------------------------------------------------------------- decompr toy (shared)
@pytest.fixture(scope="module")
def toy(shared_data) -> IOTable:
    folder = shared_data / "gvc_toy_leather_decompr"
    Z = pl.read_csv(folder / "leather_inter_Z.csv").drop("row").to_numpy()
    Y = pl.read_csv(folder / "leather_final_Y.csv").drop("row").to_numpy()
    x = pl.read_csv(folder / "leather_output_x.csv")["output"].to_numpy()
    countries = ("Argentina", "Turkey", "Germany")
    return table(Z, Y, x, regions=countries, industries=("Agriculture", "Textile_and_Leather", "Transport_Equipment"))


def test_decompr_leontief_cells(toy, shared_data):
    # decompr 6.8.0 tests/testthat/test_leontief.R via expected_values_from_decompr_tests.csv:
    # decomp(method = "leontief") row 1 / row 81 = cell (1,1) / (9,9) of diag(v) B diag(E) ("exports")
    # or diag(v) B diag(x) ("output"); relative error below 1e-6 of the printed values.
    expected = pl.read_csv(shared_data / "gvc_toy_leather_decompr" / "expected_values_from_decompr_tests.csv")
    A = calc_A(toy.Z, toy.x)
    B, v = calc_B(A), calc_v(A, toy.x)
    _, e = gross_exports(toy)
    cells = {"l[1,5]": calc_VBE(v, B, e)[0, 0], "l[81,5]": calc_VBE(v, B, e)[8, 8],
             "lo[1,5]": calc_VBE(v, B, toy.x)[0, 0], "lo[81,5]": calc_VBE(v, B, toy.x)[8, 8]}
    for row in expected.iter_rows(named=True):
        assert cells[row["cell"]] == pytest.approx(row["expected"], rel=1e-6), row


def test_toy_identities(toy):
    A = calc_A(toy.Z, toy.x)
    B = calc_B(A)
    np.testing.assert_allclose(B @ (np.eye(9) - A), np.eye(9), atol=1e-9)
    res = tiva_indicators(toy)
    ind = res.indicators
    _assert_identities(res, toy)
    # DVA per exporting industry = own-country column sums of decompr's diag(v) B diag(E)
    _, e = gross_exports(toy)
    vbe = calc_VBE(calc_v(A, toy.x), B, e)
    own = np.repeat(np.arange(3), 3)
    dva = np.array([vbe[own == own[j], j].sum() for j in range(9)])
    np.testing.assert_allclose(ind["exgr_dva"].to_numpy(), dva, rtol=1e-12)


def test_toy_forward_participation_and_ffd_brute_force(toy):
    # IV_s = sum_{r != s} sum_{t != s, r} V_s B_sr Y_rt and FFD_DVA by explicit blocks and loops
    A = calc_A(toy.Z, toy.x)
    B, v = calc_B(A), calc_v(A, toy.x)
    blocks = [slice(3 * k, 3 * k + 3) for k in range(3)]
    iv = np.zeros(9)
    for s in range(3):
        for r in range(3):
            for t in range(3):
                if r != s and t not in (s, r):
                    iv[blocks[s]] += v[blocks[s]] * (B[blocks[s], blocks[r]] @ toy.Y[blocks[r], t])
    ffd = np.array([v[i] * sum((B @ toy.Y[:, r])[i] for r in range(3) if r != i // 3) for i in range(9)])
    ind = tiva_indicators(toy).indicators
    np.testing.assert_allclose(ind["iv"].to_numpy(), iv, rtol=1e-12)
    np.testing.assert_allclose(ind["ffd_dva"].to_numpy(), ffd, rtol=1e-12)
    assert (iv > 0).all()


def _assert_identities(res, tab: IOTable, va_rtol: float | None = 1e-9) -> None:
    """DVA + FVA (+ TLS) = EXGR and DDC + IDC + RIM = DVA to 1e-9; DFD + FFD = VA if x = row sums."""
    gaps = identity_gaps(res)
    assert gaps["gap_total"].abs().max() < 1e-9
    assert gaps["gap_dva"].abs().max() < 1e-9
    if va_rtol is not None:
        ind = res.indicators
        got = (ind["dfd_dva"] + ind["ffd_dva"]).to_numpy()
        np.testing.assert_allclose(got, ind["va"].to_numpy(), rtol=va_rtol, atol=va_rtol * np.abs(got).max())
    # country level: DVA by destination sums to EXGR_DVA, FVA by source to EXGR_FVA
    tot = res.indicators.group_by("country").agg(pl.col("exgr_dva", "exgr_fva").sum())
    dva = res.dva_by_destination.group_by("exporter").agg(pl.col("value").sum().alias("d"))
    fva = res.fva_by_source.group_by("exporter").agg(pl.col("value").sum().alias("f"))
    both = tot.join(dva, left_on="country", right_on="exporter").join(fva, left_on="country", right_on="exporter")
    np.testing.assert_allclose(both["d"].to_numpy(), both["exgr_dva"].to_numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(both["f"].to_numpy(), both["exgr_fva"].to_numpy(), rtol=1e-9, atol=1e-9)


# --------------------------------------------------------------------------- split countries
def _split(tab: IOTable, k: int, alpha: float, names=("CN1", "CN2")) -> IOTable:
    """Region k cut into two scaled copies (shares alpha, 1 - alpha) with identical technology.

    Z[a_i, b_j] = alpha_a alpha_b Z[i, j] inside the region, alpha_a Z on its rows and columns,
    alpha_a Y on its rows: then every column of A of both halves equals the original's share-wise,
    and the economy of the two halves is the original region (Miller and Blair: aggregation is
    exact for industries with identical coefficient columns).
    """
    n = len(tab.industries)
    rows = np.arange(k * n, (k + 1) * n)
    parts = [np.eye(tab.size)[:, :k * n]]
    for a in (alpha, 1 - alpha):
        block = np.zeros((tab.size, n))
        block[rows, np.arange(n)] = a
        parts.append(block)
    parts.append(np.eye(tab.size)[:, (k + 1) * n:])
    P = np.hstack(parts)  # old rows -> new rows (GN x (G+1)N): identity outside region k
    Z = P.T @ tab.Z @ P
    Y = P.T @ tab.Y
    x = P.T @ tab.x
    regions = tab.regions[:k] + names + tab.regions[k + 1:]
    rc = tab.region_country[:k] + (tab.countries[k],) * 2 + tab.region_country[k + 1:]
    return table(Z, Y, x, regions=regions, industries=tab.industries, countries=tab.countries, region_country=rc)


def test_split_country_equals_whole(toy):
    # Turkey, renamed CHN, cut into CN1 (30%) and CN2 (70%): computing with the splits and summing
    # must give the unsplit results (CN1 -> CN2 sales are domestic, not exports).
    whole = replace(toy, countries=("Argentina", "CHN", "Germany"), regions=("Argentina", "CHN", "Germany"),
                    region_country=("Argentina", "CHN", "Germany"))
    split = _split(whole, 1, 0.3)
    assert split.regions == ("Argentina", "CN1", "CN2", "Germany")
    assert [country_of_region(r) for r in split.regions] == list(split.region_country)
    a, b = tiva_indicators(whole), tiva_indicators(split)
    cols = ["output", "va", "exgr", "exgr_dva", "exgr_ddc", "exgr_idc", "exgr_rim", "exgr_fva", "iv", "dfd_dva",
            "ffd_dva"]
    np.testing.assert_allclose(b.indicators.select(cols).to_numpy(), a.indicators.select(cols).to_numpy(),
                               rtol=1e-10, atol=1e-10)
    for name in ("fva_by_source", "dva_by_destination", "participation"):
        left, right = getattr(a, name), getattr(b, name)
        num = [c for c, t in left.schema.items() if t == pl.Float64]
        np.testing.assert_allclose(right.select(num).to_numpy(), left.select(num).to_numpy(), rtol=1e-10, atol=1e-10)
    _assert_identities(b, split)


def test_empty_blocks_are_zero(toy):
    # OECD ICIO keeps an all-zero CHN block next to CN1/CN2: its A, v and B entries are zero/identity
    whole = replace(toy, countries=("Argentina", "CHN", "Germany"), regions=("Argentina", "CHN", "Germany"),
                    region_country=("Argentina", "CHN", "Germany"))
    split = _split(whole, 1, 0.4)
    n = 3
    pad = lambda a, axis: np.insert(a, [n] * n, 0.0, axis=axis)  # noqa: E731 (zero block after Argentina)
    Z = pad(pad(split.Z, 0), 1)
    padded = table(Z, pad(split.Y, 0), pad(split.x, 0), regions=("Argentina", "CHN", "CN1", "CN2", "Germany"),
                   industries=toy.industries, countries=split.countries,
                   region_country=("Argentina", "CHN", "CHN", "CHN", "Germany"))
    res = tiva_indicators(padded)
    ref = tiva_indicators(whole).indicators
    np.testing.assert_allclose(res.indicators["exgr_dva"].to_numpy(), ref["exgr_dva"].to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res.indicators["iv"].to_numpy(), ref["iv"].to_numpy(), rtol=1e-10)
    assert np.isfinite(res.indicators.select(pl.exclude("country", "industry")).to_numpy().astype(float)).all()


# --------------------------------------------------------------------------- taxes, errors
def test_taxes_in_value_added_or_separate(hand):
    # TLS of 5 in every column: VA (published) = x - Z - TLS
    tls = np.full(4, 5.0)
    taxed = replace(hand, va=hand.va - tls, tls=tls)
    assert balance_violations(taxed).height == 0
    default, separate = tiva_indicators(taxed), tiva_indicators(taxed, taxes="separate")
    _assert_identities(default, taxed)
    _assert_identities(separate, taxed)
    d, s = default.indicators, separate.indicators
    np.testing.assert_allclose(d["va"].to_numpy(), (hand.x - hand.Z.sum(axis=0)))  # TLS counted as VA
    np.testing.assert_allclose(s["va"].to_numpy(), taxed.va)  # published VA only
    assert (d["exgr_tls"] == 0).all() and (s["exgr_tls"] > 0).all()
    np.testing.assert_allclose((s["exgr_dva"] + s["exgr_fva"] + s["exgr_tls"]).to_numpy(), d["exgr"].to_numpy())
    # H1 exports 30 with B[:,H1] = (1, 0, 0, .1): tax content .05 x (1 + .1) x 30 = 1.65
    assert s.filter((pl.col("country") == "H") & (pl.col("industry") == "1"))["exgr_tls"].item() == pytest.approx(1.65)


def test_singular_table_names_rows():
    # industry H2 sells its whole output to itself (Z[H2,H2] = x): row H2 of I - A is zero, and column
    # H2 of A sums to 1.3 (its own 1 + .2 from H1 + .1 from F1)
    Z = HAND_Z.copy()
    Z[1, 1], Z[1, 2] = 100.0, 0.0
    Y = HAND_Y.copy()
    Y[1] = 0.0
    tab = table(Z, Y, np.array([100, 100, 100, 100.0]), source="ICIO2023_2018.csv")
    with pytest.raises(SingularLeontiefError, match=r"ICIO2023_2018.csv, 2000: I - A is singular") as err:
        tiva_indicators(tab)
    assert "sum to >= 1: H_2" in str(err.value)
    with pytest.raises(SingularLeontiefError, match="zero rows of I - A: H_2"):
        factor_leontief(calc_A(Z, tab.x), tab.row_labels, "direct call")


def test_negative_output_rejected(hand):
    with pytest.raises(ValueError, match="negative gross output in rows F_2"):
        tiva_indicators(replace(hand, x=np.array([100, 100, 100, -1.0])))


# --------------------------------------------------------------------------- sectors and growth
SECTORS = pl.DataFrame({"industry": ["a", "b", "c"], "sector": ["Agriculture", "Mining", "Mining"],
                        "subsector": ["Agriculture", "Oil", "Ores"]})


def _frame(year: int, dva: list[float]) -> pl.DataFrame:
    n = len(dva)
    zeros = [0.0] * n
    return pl.DataFrame({"country": ["KAZ"] * n, "industry": ["a", "b", "c"][:n], "year": [year] * n,
                         "output": zeros, "va": [10.0] * n, "exgr": [2 * v for v in dva], "exgr_dva": dva,
                         "exgr_ddc": zeros, "exgr_idc": zeros, "exgr_rim": zeros, "exgr_fva": dva,
                         "exgr_tls": zeros, "iv": zeros, "dfd_dva": zeros, "ffd_dva": [5.0] * n})


def test_aggregate_to_sectors_recomputes_shares():
    out = aggregate_to_sectors(_frame(2000, [1.0, 2.0, 5.0]), SECTORS)
    mining = out.filter(pl.col("sector") == "Mining").row(0, named=True)
    assert mining["exgr_dva"] == 7.0 and mining["exgr"] == 14.0
    assert mining["dexfvapsh"] == pytest.approx(50.0) and mining["ffd_dvash"] == pytest.approx(50.0)
    with pytest.raises(ValueError, match=r"without a sector in the map: \['c'\]"):
        aggregate_to_sectors(_frame(2000, [1.0, 2.0, 5.0]), SECTORS.head(2))


def test_dva_growth_contributions():
    # METHODS.md section 1 (report Table 1): 4,350 -> 64,486 over 2000-2012 is a CAGR of 25.2%
    frame = pl.concat([_frame(2000, [4350.0, 100.0, 50.0]), _frame(2012, [64486.0, 40.0, 210.0])])
    out = dva_growth(frame, SECTORS, 2000, 2012, level="subsector").sort("sector")
    agri = out.filter(pl.col("sector") == "Agriculture").row(0, named=True)
    assert round(agri["cagr"], 1) == 25.2
    # total 4,500 -> 64,736: change 60,236; agriculture 60,136 / 60,236, oil -60 / 60,236, ores 160 / 60,236
    np.testing.assert_allclose(out["contribution"].to_numpy(), 100 * np.array([60136, -60, 160]) / 60236)
    assert out["contribution"].sum() == pytest.approx(100.0)
    assert out["contribution_pp"].sum() == pytest.approx(100 * (64736 / 4500 - 1))
    assert out["share_start"].sum() == pytest.approx(100.0) and out["share_end"].sum() == pytest.approx(100.0)
    assert agri["total_cagr"] == pytest.approx(100 * ((64736 / 4500) ** (1 / 12) - 1))
    with pytest.raises(ValueError, match="must be after"):
        dva_growth(frame, SECTORS, 2012, 2000)
