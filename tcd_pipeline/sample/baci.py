"""Writers for the CEPII BACI layouts (release V202401b, HS92 nomenclature).

``BACI_HS92_Y{year}_V202401b.csv``: header ``t,i,j,k,v,q``; i and j BACI country codes, k the
HS6 code zero-padded, v thousands of USD with three decimals, q metric tonnes with three decimals
right-aligned in 13 characters (``        0.308``; missing as ``           NA``), sorted by i, j, k.
``country_codes_V202401b.csv`` (``country_code,country_name,country_iso2,country_iso3``) and
``product_codes_HS92_V202401b.csv`` (``code,description``) are the release's code lists.
"""

from __future__ import annotations

import csv
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np
import polars as pl

from tcd_pipeline.sample.world import Countries, Products

VERSION = "V202401b"
BACI_HEADER = "t,i,j,k,v,q"
COUNTRY_HEADER = ["country_code", "country_name", "country_iso2", "country_iso3"]
PRODUCT_HEADER = ["code", "description"]
Q_WIDTH = 13
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed member timestamp: byte-identical archives


def flows_name(year: int) -> str:
    return f"BACI_HS92_Y{year}_{VERSION}.csv"


def _fixed3(col: str) -> pl.Expr:
    """An integer count of thousandths as a decimal string with three decimals (1234 -> 1.234)."""
    whole = (pl.col(col) // 1000).cast(pl.String)
    frac = (pl.col(col) % 1000).cast(pl.String).str.zfill(3)
    return whole + pl.lit(".") + frac


def flows_frame(year: int, flows: dict[str, np.ndarray], countries: Countries, products: Products) -> pl.DataFrame:
    """The year's rows in the published layout (all columns already formatted)."""
    codes = pl.Series("code", products.code, dtype=pl.String)
    baci = countries.baci.astype(np.int32)
    frame = pl.DataFrame({
        "i": baci[flows["i"]], "j": baci[flows["j"]],
        "k_idx": flows["k"].astype(np.int32), "vm": flows["v_usd"], "qm": flows["q_kg"],
    })
    return frame.select(
        pl.lit(year, dtype=pl.Int32).alias("t"),
        "i", "j",
        codes.gather(frame["k_idx"]).alias("k"),
        _fixed3("vm").alias("v"),
        pl.when(pl.col("qm") < 0).then(pl.lit("NA")).otherwise(_fixed3("qm")).str.pad_start(Q_WIDTH).alias("q"),
    )


def write_flows(out_dir: Path, year: int, flows: dict[str, np.ndarray], countries: Countries,
                products: Products, zipped: bool) -> Path:
    """Write one year (plain csv, or a zip holding the csv of the same name); returns the path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = flows_name(year)
    frame = flows_frame(year, flows, countries, products)
    if not zipped:
        target = out_dir / name
        frame.write_csv(target, quote_style="never")
        return target
    target = out_dir / name.replace(".csv", ".zip")
    tmp = out_dir / f".{name}.tmp"
    try:
        frame.write_csv(tmp, quote_style="never")
        del frame
        write_zip(target, tmp, name)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def write_zip(target: Path, source: Path, member: str) -> None:
    """A deflated single-member zip with a fixed timestamp and permissions (deterministic bytes)."""
    info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    info.file_size = os.path.getsize(source)
    with zipfile.ZipFile(target, "w") as archive, open(source, "rb") as src:
        with archive.open(info, "w", force_zip64=info.file_size >= zipfile.ZIP64_LIMIT) as dst:
            shutil.copyfileobj(src, dst, length=1 << 22)


def write_country_codes(path: Path, countries: Countries) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(COUNTRY_HEADER)
        for row in range(len(countries)):
            out.writerow([int(countries.baci[row]), countries.name[row], countries.iso2[row], countries.iso3[row]])


def write_product_codes(path: Path, products: Products) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(PRODUCT_HEADER)
        out.writerows(zip(products.code, products.description))
