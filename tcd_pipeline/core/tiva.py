"""Trade in value added: decomposition of gross exports and GVC participation (METHODS.md section 5).

For an :class:`~tcd_pipeline.core.tiva_table.IOTable` with countries s, r, t and rows i, j:

- A = Z diag(x)^-1, B = (I - A)^-1, v value-added coefficients, L_ss = (I - A_ss)^-1;
- E_sr (by exporting industry) = Z_sr 1 + Y_sr for r != s, E_s = sum_r E_sr (gross exports EXGR);
- EXGR_DVA_j = sum_{i in s} v_i B_ij e_j (V_s B_ss diag(E_s): block of the GLOBAL inverse), split
  into direct DDC_j = v_j l_jj e_j, indirect IDC_j = sum_{i in s, i != j} v_i l_ij e_j and
  re-imported RIM_j = [V_s (B_ss - L_ss)]_j e_j (for a split country "direct" sums v_i l_ij over
  the rows i of j's industry in all its regions, so that it is the merged industry's own VA);
- EXGR_FVA_j = sum_{t != s} sum_{i in t} v_i B_ij e_j (by source country t: V_t B_ts E_s);
- DVA by destination r: V_s B_ss E_sr;
- forward participation (Koopman, Powers, Wang and Wei 2010, "Give credit where credit is due",
  NBER WP 16426): IV_s = sum_{r != s} sum_{t != s, r} V_s B_sr Y_rt, reported by the industry i of
  s where the value is added: IV_i = v_i sum_{r != s} (B_sr y~_r)_i, y~_r = sum_{t != s, r} Y_rt;
- backward participation FV = EXGR_FVA; DEXFVAPSH = 100 FV / E; participation = IV/E + FV/E;
  position = ln(1 + IV/E) - ln(1 + FV/E);
- FFD_DVA_i = v_i sum_{r != s} (B Y_r)_i (value added absorbed by final demand abroad) and
  DFD_DVA_i = v_i (B Y_s)_i, so DFD_DVA + FFD_DVA = VA when x equals the row sums.

Taxes (``taxes=``): ``"value_added"`` (default) uses v = 1 - column sums of A: taxes less
subsidies on intermediate products (OECD ``TLS``), margins and any column discrepancy count as
value added of the industry that pays them, in its own country (taxes on products are levied
where the products are bought). Then the columns of diag(v) B sum to one and
EXGR_DVA + EXGR_FVA = EXGR exactly. ``"separate"`` uses v = VA / x and reports the tax content
t B e (t = 1 - column sums of A - v, all countries' taxes) as EXGR_TLS, so that
EXGR_DVA + EXGR_FVA + EXGR_TLS = EXGR.

Split countries (CN1/CN2, MX1/MX2) are computed with their own rows but as one economy (the
rows of all its regions form the block s), and the results are summed into CHN/MEX.

A and v come from :func:`~tcd_pipeline.core.leontief.calc_A` and
:func:`~tcd_pipeline.core.leontief.calc_v`, B from the LU factorisation of
:func:`~tcd_pipeline.core.leontief.factor_leontief`. Cost: one LU factorisation of I - A plus
triangular solves with 3C right-hand sides (C countries); the only GN x GN arrays are Z (input)
and A (turned into I - A and factored in place). B is never formed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tcd_pipeline.core.leontief import RCOND_MIN, calc_A, calc_v, factor_I_minus_A, factor_leontief
from tcd_pipeline.core.tiva_table import IOTable

TAXES = ("value_added", "separate")
#: Additive columns of the indicator frame (summed over split regions and into sectors).
ADDITIVE = ("output", "va", "exgr", "exgr_dva", "exgr_ddc", "exgr_idc", "exgr_rim", "exgr_fva", "exgr_tls",
            "iv", "dfd_dva", "ffd_dva")


@dataclass(frozen=True, eq=False)
class TivaResult:
    """Tidy frames for one table (one year), stored as ``tiva.<frame>``; the marts named below publish
    them in their vocabulary (``country``, money x 1e6 in ``*_usd`` columns, participation x 100 in
    ``*_pct`` columns: ``sql/tiva/marts``).

    indicators : country, industry, year, output, va, exgr, exgr_dva, exgr_ddc, exgr_idc,
        exgr_rim, exgr_fva, exgr_tls, iv, dfd_dva, ffd_dva, exgr_dvash, dexfvapsh, ffd_dvash
        (``marts.tiva_indicators``; values in the table's currency, shares in percent).
        EXGR* are by exporting industry; iv, dfd_dva, ffd_dva and va by the industry that adds
        the value. ``va`` = v x, the value added the decomposition distributes: with
        ``taxes="value_added"`` it is x - column sums of Z (published VA + TLS); with
        ``"separate"`` the published VA. Empty industries (x = 0) have v = 0 and no exports, so
        their B_jj = 1 contributes nothing.
    fva_by_source : exporter, source, year, value, share, share_of_exgr (``marts.tiva_fva_by_source``;
        share = percent of the exporter's EXGR_FVA, share_of_exgr = percent of its EXGR).
    dva_by_destination : exporter, destination, year, exgr, value, share
        (``marts.tiva_dva_by_destination``; exgr = bilateral gross exports, value = V_s B_ss E_sr,
        share = percent of the exporter's EXGR_DVA).
    participation : country, year, exgr, exgr_fva, iv, backward, forward, participation, position
        (``marts.gvc_participation``; backward = FV/E and forward = IV/E as fractions).
    """

    source: str
    taxes: str
    indicators: pl.DataFrame
    fva_by_source: pl.DataFrame
    dva_by_destination: pl.DataFrame
    participation: pl.DataFrame


def gross_exports(table: IOTable) -> tuple[np.ndarray, np.ndarray]:
    """Bilateral gross exports by exporting row and destination country, and their total.

    .. math:: E_{i r} = \\sum_{j \\in r} Z_{ij} + Y_{ir} \\; (r \\ne s(i)), \\qquad E_i = \\sum_r E_{ir}

    Returns ``(E_bil (GN x C), E (GN,))``; the own-country column of E_bil is zero.
    """
    n, c = table.size, len(table.countries)
    cr = table.row_country
    S = np.zeros((n, c))
    S[np.arange(n), cr] = 1.0
    e_bil = table.Z @ S + table.Y
    e_bil[np.arange(n), cr] = 0.0
    return e_bil, e_bil.sum(axis=1)


def tiva_indicators(table: IOTable, *, taxes: str = "value_added") -> TivaResult:
    """The full indicator set of one table (see the module docstring for every formula)."""
    if taxes not in TAXES:
        raise ValueError(f"taxes must be one of {TAXES}, got {taxes!r}")
    x = np.asarray(table.x, dtype=float)
    if (x < 0).any():
        bad = [table.row_labels[k] for k in np.flatnonzero(x < 0)[:10]]
        raise ValueError(f"{table.label}: negative gross output in rows {', '.join(bad)}")
    n, c = table.size, len(table.countries)
    cr, rows = table.row_country, np.arange(n)
    groups = [np.flatnonzero(cr == k) for k in range(c)]
    e_bil, e = gross_exports(table)

    # A in the one GN x GN array; v from its column sums (or VA / x); the local blocks I - A_ss are
    # copied before A becomes I - A and its LU factors in place
    A = calc_A(table.Z, x)
    v_total = calc_v(A, x)
    if taxes == "value_added":
        v, t = v_total, None
    else:
        v = calc_v(A, x, va=table.va)
        t = v_total - v
    local = {k: _I_minus(A[np.ix_(g, g)]) for k, g in enumerate(groups) if len(g)}
    factor = factor_leontief(A, table.row_labels, table.label, overwrite_a=True)
    del A  # overwritten by the LU factors of I - A (held by ``factor``)

    # row side: W'[j, s] = sum_{i in s} v_i B_ij (and the tax row t B)
    v_hat = np.zeros((n, c))
    v_hat[rows, cr] = v
    w = factor.solve_transposed(v_hat if t is None else np.column_stack([v_hat, t]))
    w_own = w[rows, cr]
    exgr_dva = w_own * e
    exgr_fva = (w[:, :c].sum(axis=1) - w_own) * e
    exgr_tls = w[:, c] * e if t is not None else np.zeros(n)

    # final-demand side: B Y and B y~ (y~ for IV: final demand of r's products in third countries)
    y = table.Y
    y_tilde = (y.sum(axis=1) - y[rows, cr])[:, None] - y
    y_tilde[rows, cr] = 0.0
    by = factor.solve(np.column_stack([y, y_tilde]))
    dfd_dva = v * by[rows, cr]
    ffd_dva = v * by[:, :c].sum(axis=1) - dfd_dva
    iv = v * by[rows, c + cr]

    # local inverses: direct, indirect and re-imported domestic value added
    ddc, idc, rim = np.zeros(n), np.zeros(n), np.zeros(n)
    industry = table.row_industry
    for k, L in _local_inverses(table, groups, local):
        g = groups[k]
        vL = v[g][:, None] * L
        same_industry = industry[g][:, None] == industry[g][None, :]  # the identity unless s is split
        direct = (vL * same_industry).sum(axis=0)
        vl = vL.sum(axis=0)
        ddc[g] = direct * e[g]
        idc[g] = (vl - direct) * e[g]
        rim[g] = (w_own[g] - vl) * e[g]

    values = {"output": x, "va": v * x, "exgr": e, "exgr_dva": exgr_dva, "exgr_ddc": ddc, "exgr_idc": idc,
              "exgr_rim": rim, "exgr_fva": exgr_fva, "exgr_tls": exgr_tls, "iv": iv, "dfd_dva": dfd_dva,
              "ffd_dva": ffd_dva}
    indicators = _by_country_industry(table, values)

    fva_matrix = _sum_rows_by_country(w[:, :c] * e[:, None], cr, c)  # [exporter, source]
    dva_matrix = _sum_rows_by_country(w_own[:, None] * e_bil, cr, c)  # [exporter, destination]
    exgr_matrix = _sum_rows_by_country(e_bil, cr, c)
    exporters = [k for k in range(c) if len(groups[k])]
    return TivaResult(
        source=table.source, taxes=taxes, indicators=indicators,
        fva_by_source=_fva_frame(table, fva_matrix, exgr_matrix.sum(axis=1), exporters),
        dva_by_destination=_dva_frame(table, dva_matrix, exgr_matrix, exporters),
        participation=participation(indicators),
    )


def _I_minus(block: np.ndarray) -> np.ndarray:
    """I - A_ss from a copied block A_ss of A (modified in place and returned)."""
    np.negative(block, out=block)
    block[np.diag_indices_from(block)] += 1.0
    return block


def _local_inverses(table: IOTable, groups: list[np.ndarray], local: dict[int, np.ndarray]):
    """(country index, L_ss) for every country with rows: stacked inverses by block size.

    One batched ``np.linalg.inv`` per block size (small LAPACK calls are dominated by overhead);
    a block that is singular or ill-conditioned (1-norm condition number) is factored again on
    its own to raise the named :class:`~tcd_pipeline.core.leontief.SingularLeontiefError`.
    """
    labels = table.row_labels
    by_size: dict[int, list[int]] = {}
    for k in local:
        by_size.setdefault(len(groups[k]), []).append(k)
    for ks in by_size.values():
        stack = np.stack([local[k] for k in ks])
        try:
            inv = np.linalg.inv(stack)
            cond = np.abs(stack).sum(axis=1).max(axis=1) * np.abs(inv).sum(axis=1).max(axis=1)
            bad = [k for k, c in zip(ks, cond) if not 1.0 / c >= RCOND_MIN]
        except np.linalg.LinAlgError:
            bad, inv = list(ks), None
        for k in bad:
            factor_I_minus_A(local[k].copy(), [labels[i] for i in groups[k]],
                             f"{table.label}, domestic block of {table.countries[k]}")
        if inv is None:  # pragma: no cover - LinAlgError implies a block the check above names
            raise AssertionError("singular local block not identified")
        yield from zip(ks, inv)


def _sum_rows_by_country(values: np.ndarray, cr: np.ndarray, c: int) -> np.ndarray:
    """Sum the rows of ``values`` by country (a C x GN one-hot product: faster than ``np.add.at``)."""
    one_hot = np.zeros((c, len(cr)))
    one_hot[cr, np.arange(len(cr))] = 1.0
    return one_hot @ values


def _by_country_industry(table: IOTable, values: dict[str, np.ndarray]) -> pl.DataFrame:
    """Sum the rows of each country's regions industry by industry; add the ratios."""
    n_ind = len(table.industries)
    key = table.row_country * n_ind + table.row_industry
    present = np.unique(table.row_country)
    cells = (present[:, None] * n_ind + np.arange(n_ind)[None, :]).ravel()
    sums = {name: np.bincount(key, weights=arr, minlength=len(table.countries) * n_ind)[cells]
            for name, arr in values.items()}
    frame = pl.DataFrame({
        "country": np.repeat(np.array(table.countries)[present], n_ind),
        "industry": np.tile(np.array(table.industries), len(present)),
        "year": np.full(len(cells), table.year, dtype=np.int32),
        **sums,
    })
    return add_ratios(frame)


def add_ratios(frame: pl.DataFrame) -> pl.DataFrame:
    """exgr_dvash = 100 DVA/EXGR, dexfvapsh = 100 FVA/EXGR, ffd_dvash = 100 FFD_DVA/VA (null if the base is 0)."""
    def pct(num: str, den: str) -> pl.Expr:
        return pl.when(pl.col(den) != 0).then(100.0 * pl.col(num) / pl.col(den)).otherwise(None)

    return frame.with_columns(exgr_dvash=pct("exgr_dva", "exgr"), dexfvapsh=pct("exgr_fva", "exgr"),
                              ffd_dvash=pct("ffd_dva", "va"))


def participation(indicators: pl.DataFrame) -> pl.DataFrame:
    """Country-level GVC participation from an indicator frame (any industry detail).

    backward = FV/E, forward = IV/E (fractions), participation = backward + forward,
    position = ln(1 + IV/E) - ln(1 + FV/E) (Koopman et al. 2010); null where E <= 0.
    """
    totals = indicators.group_by("country", "year", maintain_order=True).agg(
        pl.col("exgr").sum(), pl.col("exgr_fva").sum(), pl.col("iv").sum())
    ok = pl.col("exgr") > 0
    return totals.with_columns(
        backward=pl.when(ok).then(pl.col("exgr_fva") / pl.col("exgr")),
        forward=pl.when(ok).then(pl.col("iv") / pl.col("exgr")),
    ).with_columns(
        participation=pl.col("backward") + pl.col("forward"),
        position=(1.0 + pl.col("forward")).log() - (1.0 + pl.col("backward")).log(),
    )


def _fva_frame(table: IOTable, fva: np.ndarray, exgr: np.ndarray, exporters: list[int]) -> pl.DataFrame:
    c = len(table.countries)
    pairs = [(s, u) for s in exporters for u in range(c) if u != s]
    s_idx, u_idx = (np.array([p[k] for p in pairs], dtype=np.intp) for k in (0, 1))
    value = fva[s_idx, u_idx]
    total = fva.sum(axis=1) - np.diag(fva)
    names = np.array(table.countries)
    return pl.DataFrame({
        "exporter": names[s_idx], "source": names[u_idx], "year": np.full(len(pairs), table.year, dtype=np.int32),
        "value": value,
        "share": _pct(value, total[s_idx]),
        "share_of_exgr": _pct(value, exgr[s_idx]),
    })


def _dva_frame(table: IOTable, dva: np.ndarray, exgr: np.ndarray, exporters: list[int]) -> pl.DataFrame:
    c = len(table.countries)
    pairs = [(s, r) for s in exporters for r in range(c) if r != s]
    s_idx, r_idx = (np.array([p[k] for p in pairs], dtype=np.intp) for k in (0, 1))
    value = dva[s_idx, r_idx]
    names = np.array(table.countries)
    return pl.DataFrame({
        "exporter": names[s_idx], "destination": names[r_idx],
        "year": np.full(len(pairs), table.year, dtype=np.int32),
        "exgr": exgr[s_idx, r_idx], "value": value, "share": _pct(value, dva.sum(axis=1)[s_idx]),
    })


def _pct(num: np.ndarray, den: np.ndarray) -> pl.Series:
    out = np.full(num.shape, np.nan)
    np.divide(100.0 * num, den, out=out, where=den != 0)
    return pl.Series(out).fill_nan(None)


def identity_gaps(result: TivaResult) -> pl.DataFrame:
    """The decomposition's accounting identities per exporting industry, as relative gaps.

    ``gap_total`` = (EXGR_DVA + EXGR_FVA + EXGR_TLS - EXGR) / max(|EXGR|, 1) and
    ``gap_dva`` = (DDC + IDC + RIM - EXGR_DVA) / max(|EXGR_DVA|, 1); a blocking check can
    filter rows above a tolerance (1e-9 holds on every table the tests touch).
    """
    ind = result.indicators
    return ind.select(
        "country", "industry", "year",
        gap_total=(pl.col("exgr_dva") + pl.col("exgr_fva") + pl.col("exgr_tls") - pl.col("exgr"))
        / pl.max_horizontal(pl.col("exgr").abs(), pl.lit(1.0)),
        gap_dva=(pl.col("exgr_ddc") + pl.col("exgr_idc") + pl.col("exgr_rim") - pl.col("exgr_dva"))
        / pl.max_horizontal(pl.col("exgr_dva").abs(), pl.lit(1.0)),
    )
