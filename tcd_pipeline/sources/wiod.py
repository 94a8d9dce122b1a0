"""World Input-Output Database tables as staged in ../shared/data -> :class:`IOTable`.

WIOD 2013 release (``wiod_2013_release/``, see its PROVENANCE.md): 41 economies x 35 industries,
1995-2011, converted from the R package ``wiod``. Per year a long parquet of the non-zero cells
(``block`` Z or F, ``row``, ``col``, ``value`` in whole million USD), gross output in
``wiot_output_1995_2011.parquet`` (any ``wiot_output_*.parquet``, one per folder), labels in
``labels_rows.csv`` and ``labels_final_cols.csv`` (five final uses per destination: CONS_h,
CONS_np, CONS_g, GFCF, INVEN, summed here). All files of a year sit in one folder, plain (not
zipped).

Choices (recorded in ``IOTable.notes``):
- ``output="published"`` (default): x = published gross output. Cells were rounded to whole
  million USD, so x exceeds the row sums in most rows (by up to about 108); VA is derived as
  x - column sums of Z and holds net taxes on products, international margins and purchases
  abroad besides value added. EXGR_DVA + EXGR_FVA = EXGR holds exactly; sum_r diag(v) B Y_r = VA
  holds only up to the rounding. ``output="row_sums"``: x = Z 1 + Y 1, every identity holds
  exactly, but a few tiny industries get VA < 0 (more inputs than row sum).
- The published output is checked against the row sums: at most 0.5 per stored column
  (0.5 x 1,640 = 820), the largest possible rounding loss.
- A row with zero output (published, or row sum <= 0 with ``row_sums``) is an empty industry:
  its stray cells (e.g. LUX c5 with an inventory change of -1) are cleared and listed.
- Codes: ``ROM`` -> ``ROU``, ``RoW`` -> ``ROW`` (rest of the world).

Long-run WIOD (``wiod_long_run_1965_2000/WIODlr_WIOT_{year}.parquet``): 26 regions x 23
industries, full precision, wide layout with an explicit VA row; the margin row ``xMRG_int``
(and the other primary-input rows, zero in industry columns) goes to ``IOTable.tls``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import polars as pl

from tcd_pipeline.core.tiva_table import IOTable, balance_violations, stray_cells_of_empty_rows
from tcd_pipeline.sources.files import InputFileError, SourceFile, read_csv_text

WIOD_CODES = {"ROM": "ROU", "RoW": "ROW", "xROW": "ROW"}  # ROM -> ROU as in reference/iso3_aliases.csv
FINAL_USES = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
LR_FINAL_USES = ("xCONS_h", "xCONS_g", "xGFCF", "xINV")
LR_KEYS = ("IndustryCode_isic3", "IndustryDescription", "Country", "Year")
LR_PRIMARY = ("xTXSP", "xSD", "xPURNR", "xPURR", "xMRG_int")
OUTPUTS = ("published", "row_sums")
LABEL_FILES = ("labels_rows.csv", "labels_final_cols.csv")
OUTPUT_FILES = "wiot_output_*.parquet"
ROUNDING = 0.5  # million USD: the largest rounding loss of one cell stored as a whole number


def wiod_2013_years(directory: Path) -> list[int]:
    """Years with a ``wiot{YYYY}_ZF_long.parquet`` file in ``directory``."""
    return sorted(int(m.group(1)) for p in Path(directory).glob("wiot*_ZF_long.parquet")
                  if (m := re.match(r"wiot(\d{4})_ZF_long", p.name)))


def wiod_2013_output_file(directory: Path) -> Path:
    """The one ``wiot_output_*.parquet`` of ``directory`` (gross output of every year)."""
    found = sorted(Path(directory).glob(OUTPUT_FILES))
    if len(found) != 1:
        raise InputFileError(directory, f"expected one {OUTPUT_FILES} next to the wiot*_ZF_long.parquet files, "
                                        f"found {[p.name for p in found] or 'none'}")
    return found[0]


def read_wiod_2013(directory: Path, year: int, output: str = "published", output_file: Path | None = None) -> IOTable:
    """One year of the staged WIOD 2013 release (see the module docstring for the choices).

    Reads ``wiot{year}_ZF_long.parquet``, ``labels_rows.csv`` and ``labels_final_cols.csv`` of
    ``directory`` and gross output from ``output_file`` (default: the folder's one
    ``wiot_output_*.parquet``). Raises :class:`InputFileError` naming the file on a missing or
    unreadable file, missing columns, cells outside the table or stored twice, missing or
    negative output, and output beyond the rounding bound of the row sums.
    """
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
    directory = Path(directory)
    regions, industries = _row_labels(directory / "labels_rows.csv")
    n = len(regions) * len(industries)
    fd_country, fd_use = _final_columns(directory / "labels_final_cols.csv", regions)
    countries = tuple(regions)
    cells_path = directory / f"wiot{year}_ZF_long.parquet"
    cells = _read_parquet(cells_path)
    _expect_columns(cells_path, cells, ("block", "row", "col", "value"))
    Z, F = np.zeros((n, n)), np.zeros((n, len(fd_country)))
    for block, target in (("Z", Z), ("F", F)):
        part = cells.filter(pl.col("block").cast(pl.Utf8) == block)
        rows, cols = part["row"].to_numpy().astype(np.intp), part["col"].to_numpy().astype(np.intp)
        _check_cells(cells_path, block, part, rows, cols, target.shape)
        target[rows, cols] = part["value"].to_numpy()
    other = cells.filter(~pl.col("block").cast(pl.Utf8).is_in(["Z", "F"]))
    if other.height:
        raise InputFileError(cells_path, f"unknown block {other['block'][0]!r} (row {other['row'][0]})")
    Y = np.zeros((n, len(countries)))
    np.add.at(Y.T, np.array([countries.index(c) for c in fd_country]), F.T)
    inventories = F[:, [k for k, use in enumerate(fd_use) if use == "INVEN"]].sum(axis=1)

    out_path = Path(output_file) if output_file is not None else wiod_2013_output_file(directory)
    out = _read_parquet(out_path)
    _expect_columns(out_path, out, ("year", "row", "output"))
    for column in ("year", "row", "output"):
        if not out[column].dtype.is_numeric() or out[column].is_null().any():
            raise InputFileError(out_path, f"column {column} must hold numbers, without gaps (found {out[column].dtype}"
                                           f"{', with empty cells' if out[column].is_null().any() else ''})")
    out = out.filter(pl.col("year") == year)
    outside = out.filter((pl.col("row") < 0) | (pl.col("row") >= n))
    if outside.height:
        raise InputFileError(out_path, f"year {year}: row {outside['row'][0]} is outside the {n} rows of labels_rows.csv")
    x_pub = np.full(n, np.nan)
    x_pub[out["row"].to_numpy().astype(np.intp)] = out["output"].to_numpy()
    labels = [f"{r}_{i}" for r in regions for i in industries]
    missing = np.flatnonzero(np.isnan(x_pub))
    if out.height != n or len(missing):
        raise InputFileError(out_path, f"year {year}: output for {out.height} rows, expected {n} "
                                       f"(missing e.g. {', '.join(labels[k] for k in missing[:3])})")
    negative = np.flatnonzero(x_pub < 0)
    if len(negative):
        raise InputFileError(out_path, f"year {year}: negative output in rows " +
                             ", ".join(f"{labels[k]} ({x_pub[k]:g})" for k in negative[:5]))
    row_sum = Z.sum(axis=1) + Y.sum(axis=1)
    tolerance = ROUNDING * (n + len(fd_country))
    off = np.flatnonzero(np.abs(x_pub - row_sum) > tolerance)
    if len(off):
        raise InputFileError(out_path, f"year {year}: published output differs from the row sum of Z and final "
                                       f"demand by more than {tolerance:g} (rounding bound) in {len(off)} rows: " +
                             ", ".join(f"{labels[k]} (output {x_pub[k]:g}, row sum {row_sum[k]:g})" for k in off[:5]))

    notes = ["x = published gross output" if output == "published" else "x = row sums of Z and final demand",
             "VA derived as x - column sums of Z (includes net taxes on products, margins, purchases abroad)"]
    x = _clear_empty(Z, Y, x_pub, labels, notes, "zero published output", inventories)
    if output == "row_sums":
        x = _clear_empty(Z, Y, Z.sum(axis=1) + Y.sum(axis=1), labels, notes, "row sum <= 0", inventories)
    va = x - Z.sum(axis=0)
    if (va < 0).any():
        notes.append(f"VA < 0 in {int((va < 0).sum())} rows: "
                     + ", ".join(labels[k] for k in np.flatnonzero(va < 0)[:10]))
    return IOTable(source=f"WIOD 2013 release ({cells_path.name})", year=year, classification="wiod2013", regions=countries,
                   industries=tuple(industries), countries=countries, region_country=countries,
                   Z=Z, Y=Y, x=x, va=va, tls=np.zeros(n), notes=tuple(notes), balance_tolerance=(tolerance, 0.0),
                   inventories=inventories)


def _clear_empty(Z: np.ndarray, Y: np.ndarray, x: np.ndarray, labels: list[str], notes: list[str],
                 why: str, inventories: np.ndarray) -> np.ndarray:
    stray = stray_cells_of_empty_rows(Z, Y, x)
    if len(stray):
        Z[stray], Y[stray], inventories[stray] = 0.0, 0.0, 0.0
        notes.append(f"cleared the cells of {len(stray)} rows with {why}: " + ", ".join(labels[k] for k in stray))
    return np.where(x > 0, x, 0.0)


def _row_labels(path: Path) -> tuple[list[str], list[str]]:
    frame = _read_csv(path, ("row", "country", "industry"))
    if not frame.height:
        raise InputFileError(path, "has a header but no rows")
    rows = frame["row"].cast(pl.Int64, strict=False)
    if rows.is_null().any() or rows.to_list() != list(range(frame.height)):
        raise InputFileError(path, "column row must number the rows 0, 1, 2, ... in order")
    regions: list[str] = []
    for country in frame["country"].to_list():
        code = WIOD_CODES.get(country, country)
        if not regions or regions[-1] != code:
            if code in regions:
                raise InputFileError(path, f"inconsistent labels: rows of {country} are not contiguous")
            regions.append(code)
    n = frame.height // len(regions)
    industries = frame["industry"].to_list()[:n]
    for g, region in enumerate(regions):
        block = frame["industry"].to_list()[g * n:(g + 1) * n]
        if block != industries:
            raise InputFileError(path, f"inconsistent labels: {region} does not list the industries of "
                                       f"{regions[0]} in the same order (row {g * n})")
    return regions, industries


def _final_columns(path: Path, regions: list[str]) -> tuple[list[str], list[str]]:
    """The country and the use (one of FINAL_USES) of every final-use column."""
    frame = _read_csv(path, ("col", "country", "use"))
    cols = frame["col"].cast(pl.Int64, strict=False)
    if not frame.height or cols.is_null().any() or cols.to_list() != list(range(frame.height)):
        raise InputFileError(path, "column col must number the final-use columns 0, 1, 2, ... in order")
    for column in ("country", "use"):
        if frame[column].is_null().any():
            raise InputFileError(path, f"empty {column} (col {frame['col'][int(frame[column].is_null().arg_true()[0])]})")
    bad = frame.filter(~pl.col("use").is_in(FINAL_USES))
    if bad.height:
        raise InputFileError(path, f"unknown final use {bad['use'][0]!r} (col {bad['col'][0]}); expected {FINAL_USES}")
    countries = [WIOD_CODES.get(c, c) for c in frame["country"].to_list()]
    unknown = sorted(set(countries) - set(regions))
    if unknown:
        raise InputFileError(path, f"inconsistent labels: final-demand countries without rows: {unknown}")
    return countries, frame["use"].to_list()


def _check_cells(path: Path, block: str, part: pl.DataFrame, rows: np.ndarray, cols: np.ndarray,
                 shape: tuple[int, int]) -> None:
    if part["value"].is_null().any():
        k = int(part["value"].is_null().arg_true()[0])
        raise InputFileError(path, f"block {block}: empty value at row {rows[k]}, col {cols[k]}")
    if not part["value"].dtype.is_numeric():
        raise InputFileError(path, f"block {block}: values are {part['value'].dtype}, not numbers")
    values = part["value"].cast(pl.Float64).to_numpy()
    if not np.isfinite(values).all():  # NaN or infinity: named here, not later as an unbalanced output row
        k = int(np.flatnonzero(~np.isfinite(values))[0])
        raise InputFileError(path, f"block {block}: non-finite value {values[k]} at row {rows[k]}, col {cols[k]}")
    outside = np.flatnonzero((rows < 0) | (rows >= shape[0]) | (cols < 0) | (cols >= shape[1]))
    if len(outside):
        k = outside[0]
        raise InputFileError(path, f"block {block}: cell (row {rows[k]}, col {cols[k]}) is outside "
                                   f"{shape[0]} x {shape[1]}")
    twice = np.flatnonzero(np.bincount(rows * shape[1] + cols, minlength=shape[0] * shape[1]) > 1)
    if len(twice):
        k = int(twice[0])
        raise InputFileError(path, f"block {block}: cell (row {k // shape[1]}, col {k % shape[1]}) stored twice")


def _read_parquet(path: Path) -> pl.DataFrame:
    try:
        if path.stat().st_size == 0:
            raise InputFileError(path, "is empty")
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputFileError(path, f"cannot be read as parquet ({str(exc).splitlines()[0]})") from exc


def _read_csv(path: Path, columns: tuple[str, ...]) -> pl.DataFrame:
    """A label list as text columns; empty, truncated or wrongly delimited files are named (files.read_csv_text)."""
    frame = read_csv_text(SourceFile(path))
    _expect_columns(path, frame, columns)
    return frame


def _expect_columns(path: Path, frame: pl.DataFrame, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputFileError(path, f"missing columns {missing} (found {frame.columns})")


def read_wiod_long_run(path: Path, output: str = "published", rtol: float = 1e-6, atol: float = 0.01) -> IOTable:
    """One year of the long-run WIOD (wide layout, full precision, explicit VA row)."""
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {OUTPUTS}, got {output!r}")
    path = Path(path)
    frame = _read_parquet(path)
    _expect_columns(path, frame, LR_KEYS)
    years = frame["Year"].unique().drop_nulls().to_list()
    if len(years) != 1:
        raise InputFileError(path, f"expected one year in column Year, found {sorted(years)[:5]}")
    body = frame.filter(pl.col("Country") != "xTOT")
    totals = frame.filter(pl.col("Country") == "xTOT")
    row_labels = [f"{c}_{i}" for c, i in zip(body["Country"].to_list(), body["IndustryCode_isic3"].to_list())]
    data_cols = [c for c in frame.columns if c not in LR_KEYS]
    inter = [c for c in data_cols if not c.split("_", 1)[-1].startswith("x")]
    fd = [c for c in data_cols if c.split("_", 1)[-1] in LR_FINAL_USES and not c.startswith("xTOT")]
    unknown = [c for c in data_cols if c not in inter and c not in fd and not c.startswith("xTOT_")]
    if unknown:
        raise InputFileError(path, f"unknown column label {unknown[0]!r}")
    if len(inter) != len(row_labels):
        raise InputFileError(path, f"intermediate block is not square: {len(row_labels)} rows x {len(inter)} columns")
    for k, (r, c) in enumerate(zip(row_labels, inter)):
        if r != c:
            raise InputFileError(path, f"inconsistent labels: row {k + 1} is {r!r} but column {k + 1} is {c!r}")
    for col in inter + fd + ["xTOT_xGO"]:
        if col not in frame.columns:
            raise InputFileError(path, f"missing column {col!r}")
        if not frame[col].dtype.is_numeric() or frame[col].is_null().any():
            bad = frame[col].cast(pl.Float64, strict=False).is_null().arg_true()
            where = row_labels[int(bad[0])] if len(bad) and int(bad[0]) < len(row_labels) else "a total row"
            raise InputFileError(path, f"non-numeric or empty cell in column {col!r} (row {where})")
    regions = list(dict.fromkeys(WIOD_CODES.get(c, c) for c in body["Country"].to_list()))
    industries = list(dict.fromkeys(body["IndustryCode_isic3"].to_list()))
    if len(regions) * len(industries) != len(row_labels):
        raise InputFileError(path, "inconsistent labels: regions do not all list the same industries")
    Z = body.select(inter).to_numpy().astype(float)
    Y = np.zeros((len(row_labels), len(regions)))
    for col in fd:
        Y[:, regions.index(WIOD_CODES.get(col.split("_", 1)[0], col.split("_", 1)[0]))] += body[col].to_numpy()
    inventories = sum((body[col].to_numpy().astype(float) for col in fd if col.endswith("_xINV")),
                      np.zeros(len(row_labels)))

    def total_row(code: str) -> np.ndarray:
        hit = totals.filter(pl.col("IndustryCode_isic3") == code)
        if hit.height != 1:
            raise InputFileError(path, f"expected one xTOT row {code!r}, found {hit.height}")
        return hit.select(inter).to_numpy().ravel().astype(float)

    x_pub = body["xTOT_xGO"].to_numpy().astype(float)
    negative = np.flatnonzero(x_pub < 0)
    if len(negative):
        raise InputFileError(path, "negative output in rows " + ", ".join(row_labels[k] for k in negative[:5]))
    va, tls = total_row("xVA"), sum(total_row(code) for code in LR_PRIMARY)
    base = dict(source=f"Long-run WIOD ({path.name})", year=int(years[0]), classification="wiod_lr",
                regions=tuple(regions), industries=tuple(industries), countries=tuple(regions),
                region_country=tuple(regions), Z=Z, Y=Y, va=va, tls=tls, balance_tolerance=(atol, rtol))
    gaps = balance_violations(IOTable(x=x_pub, **base), rtol=rtol, atol=atol)
    if gaps.height:
        r = gaps.row(0, named=True)
        raise InputFileError(path, f"gross output (xGO) differs from the {r['check']} in {gaps.height} rows/columns, "
                                   f"e.g. {r['label']}: {r['output']:.6g} vs {r['total']:.6g}")
    go_row = total_row("xGO")
    if not np.allclose(go_row, x_pub, rtol=rtol, atol=atol):
        k = int(np.argmax(np.abs(go_row - x_pub)))
        raise InputFileError(path, f"xGO row and xTOT_xGO column disagree at {row_labels[k]}")
    x = x_pub if output == "published" else Z.sum(axis=1) + Y.sum(axis=1)
    notes = ("x = published gross output (xGO)" if output == "published" else "x = row sums of Z and final demand",
             "TLS = international margins and other primary inputs outside VA (xMRG_int, xTXSP, xSD, xPURNR, xPURR)")
    return IOTable(x=x, notes=notes, inventories=inventories, **base)
