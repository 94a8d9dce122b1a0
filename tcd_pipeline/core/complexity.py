"""Economic and product complexity (Hidalgo and Hausmann 2009, PNAS 106(26); Growth Lab convention).

For one year: M_cp = 1 if RCA_cp >= 1, diversity k_c = sum_p M_cp, ubiquity k_p = sum_c M_cp;
countries and products whose row or column sums to zero are dropped. With D_c = diag(k_c),
D_p = diag(k_p):

    M~ = D_c^-1 M D_p^-1 M'                      (C x C; M~_cc' = sum_p M_cp M_c'p / (k_c k_p))

M~ is similar to the symmetric S = D_c^-1/2 M D_p^-1 M' D_c^-1/2, so ``numpy.linalg.eigh`` of S
gives its eigenvalues; if S u = lambda u, then v = D_c^-1/2 u is the eigenvector of M~. ECI is v
of the second-largest eigenvalue lambda_2, signed so that corr(ECI, diversity) > 0. The matching
product vector is w = D_p^-1 M' v / lambda_2 (the average v of the countries making p, divided
by lambda_2), so that the mean of w over a country's products equals v_c. Both are standardised
with the mean and population standard deviation of v:

    ECI_c = (v_c - mean(v)) / sd(v),   PCI_p = (w_p - mean(v)) / sd(v)

hence a country's ECI is the mean PCI of its products. Never P x P: at 230 countries x 5,000
products the C x C problem takes milliseconds, the P x P one over a minute.

Stata ``ecomplexity`` standardises with the sample sd over all N country-product rows: its values
equal these times sqrt((N - 1) / N) (METHODS.md, "Data caveats").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl


def eci_pci_matrix(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """ECI (per row) and PCI (per column) of a binary C x P matrix without zero rows or columns.

    Returns ``(eci, pci, lambda_2)``.
    """
    m = np.asarray(m, dtype=np.float64)
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    if (kc == 0).any() or (kp == 0).any():
        raise ValueError("drop zero rows and columns first")
    if m.shape[0] < 2:
        raise ValueError("ECI needs at least two countries")
    a = m / np.sqrt(kc)[:, None] / np.sqrt(kp)[None, :]
    s = a @ a.T
    values, vectors = np.linalg.eigh(s)
    lam = float(values[-2])
    v = vectors[:, -2] / np.sqrt(kc)
    if np.dot(v - v.mean(), kc - kc.mean()) < 0:  # sign of corr(v, kc), defined when kc is constant
        v = -v
    w = (m.T @ v) / kp / lam
    mean, sd = v.mean(), v.std()
    return (v - mean) / sd, (w - mean) / sd, lam


def _codes(column: pl.Series) -> tuple[np.ndarray, pl.Series]:
    """Position of each value in the sorted distinct values (an Enum cast for text: a hash lookup)."""
    levels = column.unique().sort()
    if column.dtype == pl.String:
        return column.cast(pl.Enum(levels)).to_physical().to_numpy().astype(np.int64), levels
    return levels.search_sorted(column).to_numpy().astype(np.int64), levels


def binary_rca(flows: pl.DataFrame, exporter: str, product: str, value: str,
               threshold: float = 1.0) -> tuple[np.ndarray, list, list]:
    """M_cp = 1 if RCA >= ``threshold`` as a dense matrix, zero rows and columns dropped.

    ``flows`` (one year; bilateral rows are summed over destinations) -> ``(M, countries, products)``.
    """
    ci, countries = _codes(flows[exporter])
    pi, products = _codes(flows[product])
    n_c, n_p = len(countries), len(products)
    mat = np.bincount(ci * n_p + pi, weights=flows[value].to_numpy(), minlength=n_c * n_p).reshape(n_c, n_p)
    np.maximum(mat, 0.0, out=mat)
    xc, xp = mat.sum(axis=1), mat.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rca_ = (mat / xc[:, None]) / (xp / mat.sum())[None, :]
    m = rca_ >= threshold
    rows, cols = m.any(axis=1), m.any(axis=0)
    return m[rows][:, cols], countries.filter(rows).to_list(), products.filter(cols).to_list()


def eci_pci(flows: pl.DataFrame, exporter: str = "exporter", product: str = "hs6",
            by: Sequence[str] = ("year",), value: str = "value_usd",
            threshold: float = 1.0) -> tuple[pl.DataFrame, pl.DataFrame]:
    """ECI and PCI for every ``by`` group (e.g. year), RCA computed within the group.

    Returns ``(eci, pci)``: ``by + ["country", "eci", "diversity"]`` and ``by + [product, "pci",
    "ubiquity"]`` (the columns of ``marts.eci`` and ``marts.pci``; ``exporter`` names the input column).
    """
    by = list(by)
    eci_parts, pci_parts = [], []
    groups = flows.partition_by(by, as_dict=True, maintain_order=True) if by else {(): flows}
    for key, part in groups.items():
        m, countries, products = binary_rca(part, exporter, product, value, threshold)
        eci, pci, _ = eci_pci_matrix(m)
        keys = dict(zip(by, key))
        eci_parts.append(pl.DataFrame({"country": countries, "eci": eci, "diversity": m.sum(axis=1).astype(np.int64)})
                         .with_columns(*[pl.lit(v).alias(k) for k, v in keys.items()]))
        pci_parts.append(pl.DataFrame({product: products, "pci": pci, "ubiquity": m.sum(axis=0).astype(np.int64)})
                         .with_columns(*[pl.lit(v).alias(k) for k, v in keys.items()]))
    eci_frame = pl.concat(eci_parts).select(*by, "country", "eci", "diversity")
    pci_frame = pl.concat(pci_parts).select(*by, product, "pci", "ubiquity")
    if by:
        eci_frame = eci_frame.with_columns(pl.col(c).cast(flows.schema[c]) for c in by)
        pci_frame = pci_frame.with_columns(pl.col(c).cast(flows.schema[c]) for c in by)
    return eci_frame, pci_frame
