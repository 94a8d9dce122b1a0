"""Explicit Leontief inverses for small tables: the references the LU path of the TiVA core is checked against.

Provenance: the textbook formulas of Miller and Blair (2009), *Input-Output Analysis:
Foundations and Extensions*, 2nd ed., ch. 2 (B = (I - A)^-1) and ch. 3 (inter-regional blocks,
L_ss = (I - A_ss)^-1), computed the way pymrio does (``pymrio/tools/iomath.py``, ``calc_L``:
``np.linalg.inv(I - A)``), independently of the LU factorisation
(:func:`tcd_pipeline.core.leontief.factor_leontief`) that :mod:`tcd_pipeline.core.tiva` uses;
:func:`calc_VBE` is the matrix of decompr's ``decomp(method = "leontief")`` (Quast and Kummritz
2015, R package decompr). They were ``calc_B``, ``calc_L_local`` and ``calc_VBE`` of
``tcd_pipeline/core/leontief.py``; the pipeline never calls them (it never forms a GN x GN
inverse), so they live with the tests. A and v come from the core
(:func:`tcd_pipeline.core.leontief.calc_A`, :func:`~tcd_pipeline.core.leontief.calc_v`), which
the pipeline uses.

Used by ``tcd_pipeline_tests/core/test_tiva.py`` (the hand-worked table, decompr's toy cells,
brute-force loops over explicit blocks of B), ``tcd_pipeline_tests/core/test_tiva_real.py`` (WIOD
2013: B (I - A) = I and the value-added identity with explicit B) and
``tcd_pipeline_tests/sources/test_icio_sources.py`` (ICIO tables: B (I - A) = I).
"""

from __future__ import annotations

import numpy as np


def calc_B(A: np.ndarray) -> np.ndarray:
    """Global Leontief inverse, explicitly (pymrio ``calc_L``; for small tables only).

    .. math:: B = (I - A)^{-1}

    GN x GN; ``np.linalg.LinAlgError`` if I - A is exactly singular.
    """
    return np.linalg.inv(np.eye(A.shape[0]) - A)


def calc_L_local(A: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Local (national) Leontief inverse of the block of ``rows``.

    .. math:: L_{ss} = (I - A_{ss})^{-1}

    ``rows`` are the indices of one country's industries (several blocks for split countries).
    """
    block = -A[np.ix_(rows, rows)]
    block[np.diag_indices_from(block)] += 1.0
    return np.linalg.inv(block)


def calc_VBE(v: np.ndarray, B: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Value added of each source row embodied in the exports (or output) of each column.

    .. math:: \\hat{v} B \\hat{e}, \\quad (\\hat{v} B \\hat{e})_{ij} = v_i B_{ij} e_j

    decompr's ``decomp(method = "leontief")`` (Quast and Kummritz 2015): with e = gross exports
    the column sums give DVA + FVA = e_j. GN x GN: for small tables only.
    """
    return v[:, None] * B * e[None, :]
