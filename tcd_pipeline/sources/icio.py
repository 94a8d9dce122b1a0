"""OECD Inter-Country Input-Output tables (published CSV, one file per year) -> :class:`IOTable`.

Layout (ICIO 2021/2023 releases, e.g. ``ICIO2023_2018.csv``): the first column holds row labels
``CCC_INDUSTRY`` (``AUS_A01_02``, ``CN1_C10T12``, ``ROW_T``); the columns repeat those labels for
the intermediate block, then final demand ``CCC_HFCE, CCC_NPISH, CCC_GGFC, CCC_GFCF, CCC_INVNT,
CCC_DPABR`` per destination country, then the total ``OUT``. Rows after the intermediate block:
``TLS`` (taxes less subsidies on intermediate products), ``VA``, ``OUT``.
Older generations are read too: 2018 (rows ``CCC_TAXSUB`` ..., ``VALU``, ``OUTPUT``; columns
``CCC_P33``, ``TOTAL``) and 2016 (final demand spelled ``HFCE_CCC``, ``NPS``, ``INV``, ``DIRP``,
a country-less ``DISC`` column, rows ``VA+TAXSUB``, ``OUT``). Checked against the OECD mock
files shipped with pymrio's tests (``tests/mock_mrios/oecd_mock``) and pymrio's ``parse_oecd``.

Choices (recorded in ``IOTable.notes``):
- final-demand categories are summed per destination country; ``DISC`` (statistical
  discrepancy, no country) is added to the row's domestic final demand, so it creates no exports;
- gross output x is the published ``OUT`` column (``output="published"``, default) or the row sums
  of Z and final demand (``output="row_sums"``: then sum_r diag(v) B Y_r = VA holds exactly).
  The published column is always checked against the row sums (``atol + rtol |x|``);
- TLS/TAXSUB rows go to ``IOTable.tls`` (the core counts them as value added unless asked not to);
- CN1/CN2 and MX1/MX2 stay separate regions of CHN and MEX (see :mod:`tcd_pipeline.core.tiva_table`);
- rows with zero output must carry no cells beyond the tolerance; residue within it is cleared.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl

from tcd_pipeline.core.tiva_table import IOTable, balance_violations, country_of_region, stray_cells_of_empty_rows
from tcd_pipeline.sources.files import InputFileError, SourceFile, decode

FD_CATEGORIES = frozenset({"HFCE", "NPISH", "NPS", "GGFC", "GFCF", "INVNT", "INV", "DPABR", "P33", "DIRP"})
INVENTORY_CATEGORIES = frozenset({"INVNT", "INV"})
TOTAL_COLUMNS = frozenset({"OUT", "TOTAL", "OUTPUT"})
OUT_ROWS, VA_ROWS, TAX_ROWS = frozenset({"OUT", "OUTPUT"}), frozenset({"VA", "VALU"}), frozenset({"TLS", "TAXSUB"})
VA_AND_TAX_ROWS = frozenset({"VA+TAXSUB"})
CELL = re.compile(r"^([A-Za-z0-9]{3})_(\S+)$")
FD_FIRST = re.compile(r"^([A-Za-z0-9]+)_([A-Za-z0-9]{3})$")  # ICIO 2016: HFCE_AUS
RELEASE_NAME, YEAR_NAME = re.compile(r"^(ICIO\d{4})"), re.compile(r"_(\d{4})$")  # ICIO2023_2018
SECTOR_MAP = Path(__file__).resolve().parents[1] / "reference" / "icio_sectors.csv"


def read_icio(source: SourceFile | Path | str, year: int | None = None, output: str = "published",
              rtol: float = 1e-6, atol: float = 0.01) -> IOTable:
    """Read one OECD ICIO year file (plain, .gz or zip member) into an :class:`IOTable`.

    ``year`` defaults to the 4 digits after the last underscore of the file name
    (``ICIO2023_2018.csv`` -> 2018).
    Raises :class:`InputFileError` naming the file and the row/column on: a non-square or
    inconsistently labelled intermediate block, unknown row/column labels, non-numeric cells,
    negative output, and output that differs from the row sums (or, for industries, from
    Z column sums + TLS + VA) by more than ``atol + rtol |x|`` (million USD).
    """
    src = source if isinstance(source, SourceFile) else SourceFile(Path(source))
    if output not in ("published", "row_sums"):
        raise ValueError(f"output must be 'published' or 'row_sums', got {output!r}")
    stem = Path(src.name).name.split(".")[0]
    release_match, year_match = RELEASE_NAME.match(stem), YEAR_NAME.search(stem)
    release = release_match.group(1) if release_match else "ICIO"
    if year is None:
        if not year_match:
            raise InputFileError(src, "no year in the file name (ICIO{release}_{year}.csv); pass year=")
        year = int(year_match.group(1))
    labels, header, values = _read_grid(src)
    layout = _Layout.parse(src, labels, header)
    notes = [f"x = {'published OUT column' if output == 'published' else 'row sums of Z and final demand'}"]

    inter_r, inter_c = np.array(layout.inter_rows), np.array(layout.inter_cols)
    Z = values[np.ix_(inter_r, inter_c)]
    n = len(inter_r)
    countries = layout.countries
    Y = np.zeros((n, len(countries)))
    for col, country in layout.fd_cols:
        Y[:, countries.index(country)] += values[inter_r, col]
    inventories = values[np.ix_(inter_r, [col for col, _ in layout.fd_cols if _inventory_column(header[col])])].sum(axis=1)
    region_country = [country_of_region(r) for r in layout.regions]
    row_country = np.repeat([countries.index(c) for c in region_country], len(layout.industries))
    if layout.disc_cols:
        Y[np.arange(n), row_country] += values[np.ix_(inter_r, layout.disc_cols)].sum(axis=1)
        notes.append("DISC (statistical discrepancy) added to domestic final demand")

    def trailer(rows: list[int]) -> np.ndarray:
        return values[np.ix_(rows, inter_c)].sum(axis=0) if rows else np.zeros(n)

    published = values[inter_r, layout.total_col] if layout.total_col is not None else None
    out_row = trailer(layout.out_rows) if layout.out_rows else None
    if published is None and out_row is None:
        raise InputFileError(src, "no output: neither an OUT/TOTAL column nor an OUT/OUTPUT row")
    x_pub = published if published is not None else out_row
    row_labels = layout.inter_labels
    negative = np.flatnonzero(x_pub < 0)
    if len(negative):
        raise InputFileError(src, "negative output in rows " + ", ".join(
            f"{row_labels[k]} ({x_pub[k]:g})" for k in negative[:5]) + (" ..." if len(negative) > 5 else ""))
    tls = trailer(layout.tax_rows)
    va = trailer(layout.va_rows) if layout.va_rows else trailer(layout.va_tax_rows)
    if layout.va_tax_rows and not layout.va_rows:
        notes.append("VA+TAXSUB row: value added includes the taxes (TLS = 0)")
    if not layout.va_rows and not layout.va_tax_rows:
        va = (out_row if out_row is not None else x_pub) - Z.sum(axis=0) - tls
        notes.append("no VA row: VA derived as output - column sums of Z - TLS")

    base = dict(source=f"OECD {release} ({src.name})", year=year, classification="oecd_icio",
                regions=tuple(layout.regions), industries=tuple(layout.industries), countries=tuple(countries),
                region_country=tuple(region_country), balance_tolerance=(atol, rtol))
    published_table = IOTable(Z=Z, Y=Y, x=x_pub, va=va, tls=tls, **base)
    _raise_on_imbalance(src, published_table, rtol, atol, check_columns=bool(layout.va_rows or layout.va_tax_rows),
                        x_col=out_row)

    stray = stray_cells_of_empty_rows(Z, Y, x_pub)
    if len(stray):
        Z[stray], Y[stray], inventories[stray] = 0.0, 0.0, 0.0
        notes.append(f"cleared residue (within tolerance) in {len(stray)} rows with zero output: "
                     + ", ".join(row_labels[k] for k in stray[:10]))
    x = x_pub if output == "published" else Z.sum(axis=1) + Y.sum(axis=1)
    return IOTable(Z=Z, Y=Y, x=np.asarray(x, dtype=float), va=va, tls=tls, notes=tuple(notes),
                   inventories=inventories, **base)


def _inventory_column(name: str) -> bool:
    """CCC_INVNT (2018-2023 releases) or INV_CCC (2016): changes in inventories."""
    m, reversed_fd = CELL.match(name), FD_FIRST.match(name)
    category = m.group(2) if m else reversed_fd.group(1) if reversed_fd else ""
    return category.upper() in INVENTORY_CATEGORIES


def _raise_on_imbalance(src: SourceFile, table: IOTable, rtol: float, atol: float, check_columns: bool,
                        x_col: np.ndarray | None) -> None:
    gaps = balance_violations(table, rtol=rtol, atol=atol)
    rows = gaps.filter(pl.col("check").str.starts_with("row"))
    if rows.height:
        shown = ", ".join(f"{r['label']} (output {r['output']:.6g}, row sum {r['total']:.6g})"
                          for r in rows.head(5).iter_rows(named=True))
        raise InputFileError(src, f"output differs from the row sum of Z and final demand by more than "
                                  f"{atol:g} + {rtol:g} x output in {rows.height} rows: {shown}")
    if check_columns and x_col is not None:
        col_table = replace(table, x=x_col)
        cols = balance_violations(col_table, rtol=rtol, atol=atol).filter(pl.col("check").str.starts_with("column"))
        if cols.height:
            shown = ", ".join(f"{r['label']} (OUT row {r['output']:.6g}, Z + TLS + VA {r['total']:.6g})"
                              for r in cols.head(5).iter_rows(named=True))
            raise InputFileError(src, f"output row differs from the column sums of Z, TLS and VA in "
                                      f"{cols.height} columns: {shown}")


def _read_grid(src: SourceFile) -> tuple[list[str], list[str], np.ndarray]:
    """Row labels, header labels (without the corner cell) and the numeric cells (nulls -> 0)."""
    data = src.read_bytes()
    first = data.split(b"\n", 1)[0]
    header = [h.strip() for h in next(csv.reader([decode(first).rstrip("\r\n")]))]
    if len(header) < 3:
        raise InputFileError(src, f"not an ICIO table: the header has {len(header)} column(s) (wrong delimiter?)")
    seen: set[str] = set()
    for k, name in enumerate(header[1:], start=2):
        if name in seen:
            raise InputFileError(src, f"column label {name!r} appears twice (second time in column {k})")
        seen.add(name)
    names = [f"c{k}" for k in range(len(header))]
    schema = {name: (pl.Utf8 if k == 0 else pl.Float64) for k, name in enumerate(names)}
    kwargs = dict(has_header=False, skip_rows=1, truncate_ragged_lines=False)
    try:
        frame = pl.read_csv(io.BytesIO(data), schema=schema, **kwargs)
    except pl.exceptions.PolarsError:
        frame = _locate_bad_cell(src, data, header, names, kwargs)
    labels = [("" if v is None else v.strip()) for v in frame["c0"].to_list()]
    values = np.ascontiguousarray(frame.drop("c0").fill_null(0.0).to_numpy(), dtype=float)  # empty cells -> 0
    if not np.isfinite(values).all():
        i, j = (int(a[0]) for a in np.nonzero(~np.isfinite(values)))
        raise InputFileError(src, f"non-finite cell in row {labels[i]!r} (line {i + 2}), column {header[j + 1]!r}")
    if not data.endswith(b"\n"):  # cut inside its last cell, the table would still parse
        raise InputFileError(src, "does not end with a line break (truncated?)")
    return labels, header[1:], values


def _locate_bad_cell(src: SourceFile, data: bytes, header: list[str], names: list[str], kwargs: dict) -> pl.DataFrame:
    """Re-read as text to name the first cell that is not a number (or the ragged line)."""
    try:
        text = pl.read_csv(io.BytesIO(data), infer_schema=False, new_columns=names, **kwargs)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(src, f"not a readable CSV table ({str(exc).splitlines()[0]})") from exc
    for k, name in enumerate(names[1:], start=1):
        raw = text[name].str.strip_chars()
        cast = raw.cast(pl.Float64, strict=False)
        bad = (raw.is_not_null() & (raw != "") & cast.is_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise InputFileError(src, f"non-numeric cell {raw[i]!r} in row {text['c0'][i]!r} (line {i + 2}), "
                                      f"column {header[k]!r}")
    raise InputFileError(src, "not a readable CSV table")


class _Layout:
    """Which rows and columns of the grid are what; validated label by label."""

    def __init__(self) -> None:
        self.inter_rows: list[int] = []
        self.inter_cols: list[int] = []
        self.inter_labels: list[str] = []
        self.fd_cols: list[tuple[int, str]] = []
        self.disc_cols: list[int] = []
        self.total_col: int | None = None
        self.out_rows: list[int] = []
        self.va_rows: list[int] = []
        self.va_tax_rows: list[int] = []
        self.tax_rows: list[int] = []
        self.regions: list[str] = []
        self.industries: list[str] = []
        self.countries: list[str] = []

    @classmethod
    def parse(cls, src: SourceFile, labels: list[str], header: list[str]) -> "_Layout":
        lay = cls()
        for k, name in enumerate(header):
            upper = name.upper()
            m, reversed_fd = CELL.match(name), FD_FIRST.match(name)
            if upper in TOTAL_COLUMNS:
                if lay.total_col is not None:
                    raise InputFileError(src, f"two output columns ({header[lay.total_col]!r} and {name!r})")
                lay.total_col = k
            elif upper == "DISC":
                lay.disc_cols.append(k)
            elif m and m.group(2).upper() in FD_CATEGORIES:
                lay.fd_cols.append((k, country_of_region(m.group(1).upper())))
            elif reversed_fd and reversed_fd.group(1).upper() in FD_CATEGORIES:
                lay.fd_cols.append((k, country_of_region(reversed_fd.group(2).upper())))
            elif m:
                lay.inter_cols.append(k)
            else:
                raise InputFileError(src, f"unknown column label {name!r} (column {k + 2}): expected CCC_INDUSTRY, "
                                          f"CCC_<final demand category> or OUT")
        for i, label in enumerate(labels):
            upper = label.upper()
            if upper in OUT_ROWS:
                lay.out_rows.append(i)
            elif upper in VA_ROWS:
                lay.va_rows.append(i)
            elif upper in VA_AND_TAX_ROWS:
                lay.va_tax_rows.append(i)
            elif upper in TAX_ROWS or upper.endswith("_TAXSUB"):
                lay.tax_rows.append(i)
            elif CELL.match(label):
                lay.inter_rows.append(i)
            else:
                raise InputFileError(src, f"bad row label {label!r} (line {i + 2}): expected CCC_INDUSTRY "
                                          f"or one of TLS, TAXSUB, VA, VALU, OUT, OUTPUT")
        if not lay.fd_cols:
            raise InputFileError(src, "no final-demand columns (CCC_HFCE, CCC_GFCF, ...)")
        lay._check_block(src, labels, header)
        return lay

    def _check_block(self, src: SourceFile, labels: list[str], header: list[str]) -> None:
        rows = [labels[i] for i in self.inter_rows]
        cols = [header[k] for k in self.inter_cols]
        if len(rows) != len(cols):
            extra = [r for r in rows if r not in set(cols)][:3] or [c for c in cols if c not in set(rows)][:3]
            raise InputFileError(src, f"intermediate block is not square: {len(rows)} rows x {len(cols)} columns "
                                      f"(labels on one side only: {', '.join(extra)})")
        for k, (r, c) in enumerate(zip(rows, cols)):
            if r != c:
                raise InputFileError(src, f"inconsistent labels: row {k + 1} of the intermediate block is {r!r} "
                                          f"(line {self.inter_rows[k] + 2}) but column {k + 1} is {c!r}")
        self.inter_labels = rows
        pairs = [tuple(r.split("_", 1)) for r in rows]
        for region, industry in pairs:
            if not self.regions or self.regions[-1] != region:
                if region in self.regions:
                    raise InputFileError(src, f"inconsistent labels: rows of region {region} are not contiguous "
                                              f"(again at {region}_{industry})")
                self.regions.append(region)
        n = len(pairs) // len(self.regions) if self.regions else 0
        self.industries = [ind for reg, ind in pairs[:n]]
        for g, region in enumerate(self.regions):
            block = [ind for reg, ind in pairs[g * n:(g + 1) * n]]
            if block != self.industries or any(reg != region for reg, _ in pairs[g * n:(g + 1) * n]):
                got = next((f"{reg}_{ind}" for (reg, ind), want in zip(pairs[g * n:(g + 1) * n], self.industries)
                            if ind != want or reg != region), f"{region} ({len(block)} industries)")
                raise InputFileError(src, f"inconsistent labels: region {region} does not list the industries of "
                                          f"{self.regions[0]} in the same order (at {got})")
        fd_countries = list(dict.fromkeys(country for _, country in self.fd_cols))
        extra = [c for c in dict.fromkeys(country_of_region(r) for r in self.regions) if c not in fd_countries]
        self.countries = fd_countries + extra


def icio_sources(directory: Path) -> dict[int, SourceFile]:
    """The ICIO year files in ``directory``: ``ICIO*_YYYY.csv`` (or ``.csv.gz``), also inside zips."""
    found: dict[int, SourceFile] = {}

    def add(src: SourceFile) -> None:
        m = re.match(r"^ICIO\w*?_(\d{4})\.csv(\.gz)?$", src.name, flags=re.IGNORECASE)
        if m:
            year = int(m.group(1))
            if year in found:
                raise InputFileError(src, f"second file for year {year} (first: {found[year]})")
            found[year] = src

    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                for member in sorted(archive.namelist()):
                    add(SourceFile(path, member))
        else:
            add(SourceFile(path))
    return dict(sorted(found.items()))


def read_sector_map(classification: str, path: Path = SECTOR_MAP) -> pl.DataFrame:
    """``industry, description, sector, subsector`` of one classification of ``icio_sectors.csv``."""
    frame = pl.read_csv(path, infer_schema=False)
    out = frame.filter(pl.col("classification") == classification).drop("classification")
    if not out.height:
        known = sorted(frame["classification"].unique().to_list())
        raise InputFileError(path, f"no industries for classification {classification!r} (known: {known})")
    return out
