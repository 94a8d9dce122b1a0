"""Upstreamness and downstreamness of country-industries in global value chains (the TiVA chapter; METHODS.md has no formula for them: this docstring is their definition).

Sources: Antràs, Chor, Fally and Hillberry (2012), "Measuring the upstreamness of production and
trade flows", AER Papers and Proceedings 102(3): 412-416; Fally (2012), "Production staging:
measurement and facts"; Antràs and Chor (2018), "On the measurement of upstreamness and
downstreamness in global value chains" (in Ing and Yu, eds., World Trade Evolution; working paper
of October 2017), whose WIOD 2013 measures ``GVC_Ui``, ``GVC_FUGOi``, ``GVC_Di`` and ``GVC_VAGOi``
(file ``WIOD2013_GVCmeasures_Dec2017.dta``) these functions reproduce; Miller and Temurshoev (2017),
"Output upstreamness and input downstreamness of industries/countries in world production",
International Regional Science Review 40(5): 443-475.

The world table is a closed system: rows i, j run over every country x industry (GN of them),
Z_ij is the sale of row i to row j, F_i the final use of i's output summed over every destination
and category (inventories included, ``IOTable.Y`` summed), N_i the net change in inventories of
i's output (one of those categories) and x_i gross output (the published vector or the row sums
Z 1 + F, setting ``tiva_output``).

**Net-inventory correction** (Antràs et al. 2012, p. 414; Antràs and Chor 2018, section 3): the
inventoried part of output N_i is apportioned to i's buyers in proportion to their purchases, i.e.
every Z_ij and the non-inventory final use F_i - N_i are scaled by s_i = x_i / (x_i - N_i):

.. math:: \\tilde Z_{ij} = s_i Z_{ij}, \\qquad \\tilde F_i = s_i (F_i - N_i)

so that x = Z~ 1 + F~ whenever x = Z 1 + F. Rows with x_i - N_i <= 0 (possible only in tiny rows
of rounded tables) are left uncorrected (s_i = 1, N_i treated as 0).

**Upstreamness** (Antràs and Chor's GVC_Ui; Miller and Temurshoev's output upstreamness; Fally's
recursion): with the allocation (Ghosh) coefficients Delta_ij = Z~_ij / x_i = Z_ij / (x_i - N_i),

.. math:: U_i = 1 + \\sum_j \\Delta_{ij} U_j, \\qquad U = (I - \\Delta)^{-1} \\mathbf 1

equal to Antràs and Chor's average distance from final use
U_i = [1 F~_i + 2 sum_j a_ij F~_j + 3 ...] / x_i. U >= 1, and U_i = 1 for a row sold only to final use.

**Final use to gross output** (GVC_FUGOi): FUGO_i = F~_i / x_i = (F_i - N_i) / (x_i - N_i); with
x = row sums FUGO_i + sum_j Delta_ij = 1.

**Downstreamness** (GVC_Di; Miller and Temurshoev's input downstreamness; Fally's number of
production stages N): with the technical coefficients of the corrected table A~_ij = Z~_ij / x_j,

.. math:: D_j = 1 + \\sum_i \\tilde A_{ij} D_i, \\qquad D = (I - \\tilde A')^{-1} \\mathbf 1

**Value added to gross output** (GVC_VAGOi): VAGO_j = 1 - sum_i A~_ij = (x_j - sum_i Z~_ij) / x_j,
value added net of the corrected purchases (taxes, margins and the rounding of the table count as
value added, as in :mod:`tcd_pipeline.core.tiva` with ``taxes="value_added"``); D_j = 1 for a row
without intermediate inputs.

One factorisation for both: A~ = X Delta X^-1 (X = diag(x)), so
D = X^-1 (I - Delta')^-1 x: U and D are two triangular solves with the LU factors of I - Delta
(:func:`tcd_pipeline.core.leontief.factor_I_minus_A`; no inverse is formed). The same relation
gives Miller and Temurshoev's Proposition 1, used as a check: the gross-output weighted sums of U
and D are equal, x'U = x'(I - Delta)^-1 1 = x'D.

Rows without output (x_i = 0) have U = D = 1 and no FUGO or VAGO (0/0; Antràs and Chor's file
carries VAGO = 1 and FUGO missing there); their columns of Z (purchases by an industry that
produces nothing: rounding residue) are ignored, so that both measures see the same coefficients.

Split regions (OECD ICIO CN1/CN2, MX1/MX2; :mod:`tcd_pipeline.core.tiva_table`) are computed as
rows of their own and merged into their country with gross-output weights, the aggregation under
which FUGO and VAGO stay ratios of sums (Antràs and Chor 2018, eqs. 9-10).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from tcd_pipeline.core.leontief import factor_I_minus_A, safe_inverse
from tcd_pipeline.core.tiva import gross_exports
from tcd_pipeline.core.tiva_table import IOTable


@dataclass(frozen=True, eq=False)
class GvcPosition:
    """The four measures by row of the table (length GN), and which rows were corrected.

    upstreamness (U), downstreamness (D), fugo and vago (fractions; NaN where x = 0),
    inventory_factor s_i = x_i / (x_i - N_i) (1 where not corrected).
    """

    upstreamness: np.ndarray
    downstreamness: np.ndarray
    fugo: np.ndarray
    vago: np.ndarray
    inventory_factor: np.ndarray


def inventory_factor(x: np.ndarray, inventories: np.ndarray | None) -> np.ndarray:
    """s_i = x_i / (x_i - N_i) where x_i > 0 and x_i - N_i > 0, else 1 (Antràs et al. 2012)."""
    x = np.asarray(x, dtype=float)
    if inventories is None:
        return np.ones_like(x)
    net = x - np.asarray(inventories, dtype=float)
    ok = (x > 0) & (net > 0)
    out = np.ones_like(x)
    np.divide(x, net, out=out, where=ok)
    return out


def gvc_position(Z: np.ndarray, x: np.ndarray, final_use: np.ndarray, inventories: np.ndarray | None = None, *,
                 labels: Sequence[str] | None = None, label: str = "table") -> GvcPosition:
    """U, D, FUGO and VAGO of every row of a closed (world) table (formulas in the module docstring).

    ``Z`` (n x n) intermediate sales, ``x`` (n,) gross output, ``final_use`` (n,) total final use
    F (inventories included), ``inventories`` (n,) N or ``None`` for no inventory correction.
    ``labels`` and ``label`` name rows and table in a
    :class:`~tcd_pipeline.core.leontief.SingularLeontiefError` (I - Delta singular).
    """
    x = np.asarray(x, dtype=float)
    n = len(x)
    has_output = x > 0
    s = inventory_factor(x, inventories)
    n_eff = np.where(s != 1.0, np.asarray(inventories, dtype=float), 0.0) if inventories is not None else np.zeros(n)
    inv_x = safe_inverse(np.where(has_output, x, 0.0))
    # Delta_ij = s_i Z_ij / x_i: one n x n array, later I - Delta and its LU factors
    delta = np.asarray(Z, dtype=float) * (s * inv_x)[:, None]
    delta[:, ~has_output] = 0.0
    purchases = x @ delta  # sum_i Z~_ij, the corrected column sums
    fugo = np.where(has_output, s * (np.asarray(final_use, dtype=float) - n_eff) * inv_x, np.nan)
    vago = np.where(has_output, 1.0 - purchases * inv_x, np.nan)
    np.negative(delta, out=delta)
    delta[np.diag_indices(n)] += 1.0
    factor = factor_I_minus_A(delta, labels, f"{label} (I - Delta, allocation coefficients)")
    upstreamness = factor.solve(np.ones(n))
    w = factor.solve_transposed(x)  # (I - Delta')^-1 x = X D
    downstreamness = np.where(has_output, w * inv_x, 1.0)
    return GvcPosition(upstreamness, downstreamness, fugo, vago, s)


#: Columns of :func:`gvc_position_frame` (tiva.upstreamness): values in the table's currency, measures as fractions.
FRAME_COLUMNS = ("country", "industry", "year", "output", "inventories", "final_use", "exgr", "upstreamness",
                 "downstreamness", "fugo", "vago", "exgr_upstreamness", "exgr_downstreamness")


def gvc_position_frame(table: IOTable, *, inventory_correction: bool = True) -> pl.DataFrame:
    """The measures of one table by country x industry (split regions merged with gross-output weights).

    Columns (``FRAME_COLUMNS``): output x, inventories N, final_use F - N (non-inventory final
    use, uncorrected), exgr (gross exports E_i as :func:`tcd_pipeline.core.tiva.gross_exports`
    defines them), upstreamness, downstreamness, fugo, vago (output-weighted over the country's
    regions; U = D = 1 and FUGO = VAGO = null where the output is 0) and the export-weighted sums
    exgr_upstreamness = sum E_i U_i and exgr_downstreamness = sum E_i D_i over the regions, from
    which a country's export upstreamness is sum exgr_upstreamness / sum exgr. Without
    ``inventory_correction`` (or when the table has no inventory vector) N is taken as 0.
    """
    inventories = table.inventories if inventory_correction else None
    final_use = table.Y.sum(axis=1)
    pos = gvc_position(table.Z, table.x, final_use, inventories, labels=table.row_labels, label=table.label)
    x = np.asarray(table.x, dtype=float)
    n_inv = np.zeros(len(x)) if table.inventories is None else np.asarray(table.inventories, dtype=float)
    _, e = gross_exports(table)
    n_ind = len(table.industries)
    key = table.row_country * n_ind + table.row_industry
    present = np.unique(table.row_country)
    cells = (present[:, None] * n_ind + np.arange(n_ind)[None, :]).ravel()

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(key, weights=values, minlength=len(table.countries) * n_ind)[cells]

    output = total(x)
    weighted = {name: total(np.nan_to_num(getattr(pos, name)) * x)
                for name in ("upstreamness", "downstreamness", "fugo", "vago")}
    has_output = output > 0
    inv_output = safe_inverse(np.where(has_output, output, 0.0))

    def mean(name: str, empty: float) -> np.ndarray:
        return np.where(has_output, weighted[name] * inv_output, empty)

    return pl.DataFrame({
        "country": np.repeat(np.array(table.countries)[present], n_ind),
        "industry": np.tile(np.array(table.industries), len(present)),
        "year": np.full(len(cells), table.year, dtype=np.int32),
        "output": output, "inventories": total(n_inv), "final_use": total(final_use - n_inv), "exgr": total(e),
        "upstreamness": mean("upstreamness", 1.0), "downstreamness": mean("downstreamness", 1.0),
        "fugo": mean("fugo", np.nan), "vago": mean("vago", np.nan),
        "exgr_upstreamness": total(e * pos.upstreamness), "exgr_downstreamness": total(e * pos.downstreamness),
    }).with_columns(pl.col("fugo", "vago").fill_nan(None))
