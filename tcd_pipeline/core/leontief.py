"""Leontief algebra of an inter-country input-output table (Miller and Blair 2009, ch. 2 and 3).

Symbols: Z intermediate use (GN x GN), x gross output, A = Z diag(x)^-1 technical coefficients,
B = (I - A)^-1 the global Leontief inverse, v value-added coefficients, L_ss = (I - A_ss)^-1 the
local inverse of one country's block. Pure numpy/scipy; no file access.

Function names and symbols follow pymrio's ``pymrio/tools/iomath.py`` (``calc_A``; ``calc_L`` there
is the B here). For GN in the thousands the global inverse is never formed: :func:`factor_leontief`
keeps an LU factorisation of I - A and answers products B R and R' B with triangular solves, which
is what every TiVA indicator needs (:mod:`tcd_pipeline.core.tiva` calls :func:`calc_A`,
:func:`calc_v` and :func:`factor_leontief`). The explicit inverses B and L_ss, for small tables,
are test references (``tcd_pipeline_tests/reference/leontief_explicit.py``). Diagonal matrices are
never built: scaling uses broadcasting.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from scipy.linalg import lapack

#: I - A counts as singular when its reciprocal condition number (1-norm) falls below this.
RCOND_MIN = 1e-12


class SingularLeontiefError(ValueError):
    """I - A cannot be inverted; the message names the table and the offending rows/columns."""


def safe_inverse(x: np.ndarray) -> np.ndarray:
    """1 / x elementwise, 0 where x = 0 (the convention for industries without output)."""
    out = np.zeros_like(x, dtype=float)
    np.divide(1.0, x, out=out, where=x != 0)
    return out


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Technical coefficients.

    .. math:: A = Z \\hat{x}^{-1}, \\quad A_{ij} = Z_{ij} / x_j

    Columns with x_j = 0 are zero (Miller and Blair eq. 2.4; pymrio ``calc_A``).
    """
    return Z * safe_inverse(np.asarray(x, dtype=float))[None, :]


def calc_v(A: np.ndarray, x: np.ndarray, va: np.ndarray | None = None) -> np.ndarray:
    """Value-added coefficients: by default those that close the columns of A.

    .. math:: v_j = 1 - \\sum_i A_{ij} \\; (x_j > 0), \\qquad v_j = 0 \\; (x_j = 0)

    With this v the columns of diag(v) B sum to one, so every unit of gross output (and of
    exports) is split exactly into value added by origin; any primary input outside value added
    (taxes less subsidies, margins, discrepancies) is counted as value added of the using
    industry. Given the published value added ``va`` (METHODS.md: v = VA / x; pymrio ``calc_S``
    of the value-added row), ``A`` is not used:

    .. math:: v_j = VA_j / x_j \\; (x_j \\ne 0), \\qquad v_j = 0 \\; (x_j = 0)

    :mod:`tcd_pipeline.core.tiva` uses the second to report taxes separately.
    """
    if va is not None:
        return np.asarray(va, dtype=float) * safe_inverse(np.asarray(x, dtype=float))
    return np.where(np.asarray(x) > 0, 1.0 - A.sum(axis=0), 0.0)


@dataclass(frozen=True, eq=False)
class LeontiefFactor:
    """LU factorisation of (I - A)' that answers B R and R' B without forming B.

    Built by :func:`factor_leontief`. The transpose is factored because a C-ordered I - A is a
    Fortran-ordered (I - A)', which LAPACK can overwrite in place (no second GN x GN copy).
    """

    lu: np.ndarray
    piv: np.ndarray
    rcond: float

    def solve(self, rhs: np.ndarray) -> np.ndarray:
        """B R = (I - A)^-1 R (R: GN or GN x k)."""
        return sla.lu_solve((self.lu, self.piv), rhs, trans=1, check_finite=False)

    def solve_transposed(self, rhs: np.ndarray) -> np.ndarray:
        """B' R = ((R' B))'; e.g. ``solve_transposed(v)`` is the row vector v' B as a column."""
        return sla.lu_solve((self.lu, self.piv), rhs, trans=0, check_finite=False)


def factor_leontief(A: np.ndarray, labels: Sequence[str] | None = None, label: str = "table",
                    overwrite_a: bool = False) -> LeontiefFactor:
    """LU-factorise I - A, the matrix whose inverse is the Leontief inverse B = (I - A)^-1.

    ``A`` is left untouched (one GN x GN working copy) unless ``overwrite_a``: then a writeable
    float64 ``A`` is turned into I - A in place and factored there (no second GN x GN array when
    it is C-ordered, as :func:`calc_A` returns it; ``A`` is overwritten). ``labels``
    name the rows/columns and ``label`` the table in a :class:`SingularLeontiefError`.
    """
    in_place = overwrite_a and isinstance(A, np.ndarray) and A.dtype == np.float64 and A.flags.writeable
    M = np.negative(A, out=A) if in_place else -np.asarray(A, dtype=float)
    M[np.diag_indices_from(M)] += 1.0
    return factor_I_minus_A(M, labels, label, A_for_diagnosis=None if in_place else A)


def factor_I_minus_A(M: np.ndarray, labels: Sequence[str] | None = None, label: str = "table",
                     A_for_diagnosis: np.ndarray | None = None) -> LeontiefFactor:
    """LU-factorise M = I - A in place (M is overwritten) and check its conditioning.

    Raises :class:`SingularLeontiefError` naming ``label`` and the offending rows/columns when
    the reciprocal condition number is below :data:`RCOND_MIN`: the columns whose input
    coefficients sum to one or more (they make I - A non-productive), the zero rows/columns of
    I - A, and the rows/columns at the near-zero pivots.
    """
    n = M.shape[0]
    if M.shape != (n, n):
        raise ValueError(f"{label}: I - A must be square, got {M.shape}")
    if not np.isfinite(M).all():
        raise SingularLeontiefError(f"{label}: I - A has non-finite entries (NaN or infinity)")
    colsum_A = 1.0 - M.sum(axis=0) if A_for_diagnosis is None else A_for_diagnosis.sum(axis=0)
    zero_rows = np.flatnonzero(~M.any(axis=1))
    zero_cols = np.flatnonzero(~M.any(axis=0))
    # 1-norm of M' (the matrix LAPACK factors) = largest absolute row sum of M, in row chunks
    anorm = max(float(np.abs(M[k:k + 512]).sum(axis=1).max()) for k in range(0, n, 512))
    Mt = M.T  # Fortran-ordered view: factored in place
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sla.LinAlgWarning)
        lu, piv = sla.lu_factor(Mt, overwrite_a=True, check_finite=False)
    rcond, info = lapack.dgecon(lu, anorm, norm="1")
    if info != 0 or not rcond >= RCOND_MIN:
        names = list(labels) if labels is not None else [str(k) for k in range(n)]
        diag = np.abs(np.diag(lu))
        pivots = np.flatnonzero(diag <= max(diag.max(), 1.0) * 1e3 * np.finfo(float).eps * n)
        parts = [f"{label}: I - A is singular or nearly so (reciprocal condition number {rcond:.1e} "
                 f"< {RCOND_MIN:.0e}); B = (I - A)^-1 is not defined"]
        for what, idx in (("columns whose input coefficients sum to >= 1",
                           np.flatnonzero(colsum_A >= 1.0 - 1e-12)),
                          ("zero rows of I - A", zero_rows), ("zero columns of I - A", zero_cols),
                          ("near-zero pivots at", pivots)):
            if len(idx):
                shown = ", ".join(names[k] for k in idx[:10]) + (f" (+{len(idx) - 10} more)" if len(idx) > 10 else "")
                parts.append(f"{what}: {shown}")
        raise SingularLeontiefError("; ".join(parts))
    return LeontiefFactor(lu=lu, piv=piv, rcond=float(rcond))
