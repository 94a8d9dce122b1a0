"""The inter-country input-output table the TiVA core works on, and its pure validation helpers.

An :class:`IOTable` holds G regions x N industries in Miller and Blair's symbols (Z, Y, x, VA)
plus the mapping of regions to reporting countries. Regions and countries differ only where a
release splits an economy: OECD ICIO ships China as CN1/CN2 and Mexico as MX1/MX2 (and keeps
empty CHN/MEX blocks). The decomposition in :mod:`tcd_pipeline.core.tiva` keeps the split rows
(their technical coefficients differ) but treats all regions of one country as one economy, so
flows between CN1 and CN2 are domestic, and reports the sum over the regions: "compute with the
splits, merge afterwards".

The readers in :mod:`tcd_pipeline.sources.icio` and :mod:`tcd_pipeline.sources.wiod` build
tables; the functions below return offending rows as frames, for readers (which raise naming
the file) and for the pipeline's blocking checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

#: Split regions of the OECD ICIO and the country they belong to (ICIO 2016-2023 releases).
SPLIT_PREFIXES = {"CN": "CHN", "MX": "MEX"}


def country_of_region(region: str) -> str:
    """CN1, CN2 -> CHN; MX1, MX2 -> MEX; any other region is its own country."""
    if len(region) == 3 and region[:2] in SPLIT_PREFIXES and region[2].isdigit():
        return SPLIT_PREFIXES[region[:2]]
    return region


@dataclass(frozen=True, eq=False)
class IOTable:
    """One year of an inter-country input-output table (million USD unless the source says otherwise).

    Rows and columns of ``Z`` are region-major: row ``g * N + i`` is industry ``i`` of region ``g``.

    Attributes
    ----------
    source : str
        Release and file, used in every message (e.g. ``"OECD ICIO2023 (ICIO2023_2018.csv)"``).
    year : int
    classification : str
        Industry code list: ``"oecd_icio"``, ``"wiod2013"`` or ``"wiod_lr"`` (keys of
        ``tcd_pipeline/reference/icio_sectors.csv``); anything else for ad-hoc tables.
    regions : tuple[str, ...]
        The G row blocks in order (CN1 and CN2 are separate regions).
    industries : tuple[str, ...]
        The N industry codes, the same in every region.
    countries : tuple[str, ...]
        The C reporting economies; the columns of ``Y`` are these final-demand destinations.
    region_country : tuple[str, ...]
        For each region, its country (an element of ``countries``).
    Z : (GN, GN) intermediate use, Z_ij = sales of row i to industry j.
    Y : (GN, C) final demand by destination country (all final-demand categories summed).
    x : (GN,) gross output.
    va : (GN,) value added as published (or derived, for WIOD 2013).
    tls : (GN,) other primary inputs that are not in ``va``: taxes less subsidies on intermediate
        products (OECD ``TLS``/``TAXSUB``), international margins (long-run WIOD ``xMRG_int``);
        zero where the release has none.
    inventories : (GN,) changes in inventories of each row's output (a final-demand category
        included in ``Y``: OECD ``INVNT``/``INV``, WIOD 2013 ``INVEN``, long-run WIOD ``xINV``),
        summed over destinations; ``None`` when the reader does not say. Used by the inventory
        correction of upstreamness (:mod:`tcd_pipeline.core.upstreamness`).
    notes : tuple[str, ...]
        What the reader changed or chose (output definition, cleared rows), for metadata.
    balance_tolerance : tuple[float, float]
        ``(atol, rtol)``: how far the reader let the published gross output differ from the row
        sums of Z and Y, ``|x - Z 1 - Y 1| <= atol + rtol |x|`` (the rounding of the published
        cells: 0.01 + 1e-6 x for OECD ICIO and long-run WIOD, 0.5 per stored column for WIOD 2013's
        whole million USD). The pipeline's raw gate re-checks the summaries with it.
    """

    source: str
    year: int
    classification: str
    regions: tuple[str, ...]
    industries: tuple[str, ...]
    countries: tuple[str, ...]
    region_country: tuple[str, ...]
    Z: np.ndarray
    Y: np.ndarray
    x: np.ndarray
    va: np.ndarray
    tls: np.ndarray
    notes: tuple[str, ...] = field(default=())
    balance_tolerance: tuple[float, float] = (0.0, 0.0)
    inventories: np.ndarray | None = None

    def __post_init__(self) -> None:
        g, n, c = len(self.regions), len(self.industries), len(self.countries)
        gn = g * n
        expected = {"Z": (gn, gn), "Y": (gn, c), "x": (gn,), "va": (gn,), "tls": (gn,), "inventories": (gn,)}
        for name, shape in expected.items():
            if getattr(self, name) is not None and getattr(self, name).shape != shape:
                raise ValueError(f"{self.source}: {name} has shape {getattr(self, name).shape}, expected {shape} "
                                 f"({g} regions x {n} industries, {c} countries)")
        if len(self.region_country) != g:
            raise ValueError(f"{self.source}: region_country has {len(self.region_country)} entries for {g} regions")
        unknown = sorted(set(self.region_country) - set(self.countries))
        if unknown:
            raise ValueError(f"{self.source}: regions belong to countries without a final-demand column: {unknown}")

    @property
    def label(self) -> str:
        return f"{self.source}, {self.year}"

    @property
    def size(self) -> int:
        """GN, the number of rows of Z."""
        return len(self.regions) * len(self.industries)

    @property
    def row_labels(self) -> list[str]:
        """``REGION_INDUSTRY`` for every row (the OECD ICIO spelling)."""
        return [f"{r}_{i}" for r in self.regions for i in self.industries]

    @property
    def row_country(self) -> np.ndarray:
        """Index into ``countries`` of every row (length GN)."""
        index = {c: k for k, c in enumerate(self.countries)}
        per_region = np.array([index[c] for c in self.region_country], dtype=np.intp)
        return np.repeat(per_region, len(self.industries))

    @property
    def row_industry(self) -> np.ndarray:
        """Index into ``industries`` of every row (length GN)."""
        return np.tile(np.arange(len(self.industries), dtype=np.intp), len(self.regions))

    def country_rows(self, country: str) -> np.ndarray:
        """Row indices of all regions of ``country`` (several blocks for split countries)."""
        return np.flatnonzero(self.row_country == self.countries.index(country))


def balance_violations(table: IOTable, rtol: float = 1e-6, atol: float = 1e-6) -> pl.DataFrame:
    """Rows and columns whose output disagrees with the table's sums, beyond ``atol + rtol |x|``.

    Row identity: x_i = sum_j Z_ij + sum_r Y_ir. Column identity (industries only):
    x_j = sum_i Z_ij + VA_j + TLS_j. Returns ``label, check, output, total, gap`` (empty when
    both identities hold), sorted by the size of the gap.
    """
    labels = np.array(table.row_labels)
    row_total = table.Z.sum(axis=1) + table.Y.sum(axis=1)
    col_total = table.Z.sum(axis=0) + table.va + table.tls
    frames = []
    for check, total in (("row sums (Z + Y)", row_total), ("column sums (Z + VA + TLS)", col_total)):
        gap = table.x - total
        bad = np.flatnonzero(np.abs(gap) > atol + rtol * np.abs(table.x))
        frames.append(pl.DataFrame({"label": labels[bad], "check": [check] * len(bad), "output": table.x[bad],
                                    "total": total[bad], "gap": gap[bad]},
                                   schema={"label": pl.Utf8, "check": pl.Utf8, "output": pl.Float64,
                                           "total": pl.Float64, "gap": pl.Float64}))
    return pl.concat(frames).sort(pl.col("gap").abs(), descending=True)


def negative_output(table: IOTable) -> pl.DataFrame:
    """Rows with x < 0 (``label, output``)."""
    bad = np.flatnonzero(table.x < 0)
    return pl.DataFrame({"label": np.array(table.row_labels)[bad], "output": table.x[bad]},
                        schema={"label": pl.Utf8, "output": pl.Float64})


def non_finite_cells(table: IOTable) -> pl.DataFrame:
    """Cells of Z, Y, x, VA or TLS that are NaN or infinite (``block, row, column``)."""
    labels = table.row_labels
    rows: list[tuple[str, str, str]] = []
    for name, cols in (("Z", labels), ("Y", list(table.countries))):
        for i, j in zip(*np.nonzero(~np.isfinite(getattr(table, name)))):
            rows.append((name, labels[i], cols[j]))
    for name in ("x", "va", "tls"):
        rows += [(name, labels[i], name) for i in np.flatnonzero(~np.isfinite(getattr(table, name)))]
    return pl.DataFrame(rows, schema={"block": pl.Utf8, "row": pl.Utf8, "column": pl.Utf8}, orient="row")


def stray_cells_of_empty_rows(Z: np.ndarray, Y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Indices of rows with x_i <= 0 that still carry non-zero cells in Z or Y.

    A row without output cannot sell: such cells are rounding residue (WIOD 2013 stores whole
    million USD, so a zero-output row can show an inventory change of -1). Readers clear them
    and say so in ``IOTable.notes``.
    """
    empty = x <= 0
    return np.flatnonzero(empty & ((Z != 0).any(axis=1) | (Y != 0).any(axis=1)))
