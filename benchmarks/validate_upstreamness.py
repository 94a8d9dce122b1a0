"""Validation: our upstreamness measures on the WIOD 2013 release against Antràs and Chor's (2018) published ones.

Reference: Antràs and Chor's WIOD 2013 GVC measures by country x industry, 1995-2011 (``GVC_Ui``,
``GVC_FUGOi``, ``GVC_Di``, ``GVC_VAGOi``, net-inventory correction), as shipped by the R package
``concordance`` (github.com/insongkim/concordance, MIT licence, commit
201c812e51f213d967d8701b6ed6398c79df4a04, ``data-raw/WIOD2013_GVCmeasures_Dec2017.dta``; the package's
``get_upstream(..., setting = "GVC_Ui")`` reads the same values from ``data/upstream.RData``). Give
the .dta file (Stata, read with pandas) with ``--reference``; without it the compact extract in
``tcd_pipeline_tests/reference/antras_chor_wiod2013.csv`` (six countries) is used.

Ours: :func:`tcd_pipeline.core.upstreamness.gvc_position_frame` on each year of
``../shared/data/wiod_2013_release`` read by :func:`tcd_pipeline.sources.wiod.read_wiod_2013`, in both
output conventions. Rows matched by country (ROM = ROU, RoW = ROW) and industry (c1..c35 = ind_num);
industries without output are left out (0/0 measures). Prints a Markdown table per convention:
for each year and measure the number of rows, the Pearson correlation, the median and the maximum
absolute difference (and the row of the maximum); ``--min-output`` also reports rows with gross
output of at least that many million USD.

    python benchmarks/validate_upstreamness.py --reference /tmp/WIOD2013_GVCmeasures_Dec2017.dta
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tcd_pipeline.core.upstreamness import gvc_position_frame  # noqa: E402
from tcd_pipeline.sources.wiod import read_wiod_2013  # noqa: E402

WIOD = ROOT.parent / "shared" / "data" / "wiod_2013_release"
EXTRACT = ROOT / "tcd_pipeline_tests" / "reference" / "antras_chor_wiod2013.csv"
MEASURES = {"upstreamness": "GVC_Ui", "fugo": "GVC_FUGOi", "downstreamness": "GVC_Di", "vago": "GVC_VAGOi"}


def read_reference(path: Path | None) -> pl.DataFrame:
    """year, country, industry (c1..c35) and the four GVC_* columns."""
    if path is None:
        return pl.read_csv(EXTRACT, comment_prefix="#")
    import pandas as pd  # the .dta reader; pandas comes with the project's Great Expectations

    frame = pl.from_pandas(pd.read_stata(path))
    return frame.select(
        pl.col("year").cast(pl.Int64),
        pl.col("cty_name").str.to_uppercase().alias("country"),  # RoW -> ROW; ROU as our reader spells ROM
        ("c" + pl.col("ind_num").cast(pl.Utf8)).alias("industry"),
        *[pl.col(c).cast(pl.Float64) for c in MEASURES.values()])


def ours(year: int, output: str, inventory_correction: bool = True) -> pl.DataFrame:
    table = read_wiod_2013(WIOD, year, output=output)
    return gvc_position_frame(table, inventory_correction=inventory_correction)


def compare(mine: pl.DataFrame, ref: pl.DataFrame, min_output: float = 0.0) -> dict[str, dict]:
    """Per measure: n, correlation, median and max absolute difference, the row of the max."""
    joined = mine.join(ref, on=["year", "country", "industry"], how="inner").filter(
        pl.col("output") > max(min_output, 0.0))
    out = {}
    for ours_name, ref_name in MEASURES.items():
        rows = joined.filter(pl.col(ours_name).is_not_null() & pl.col(ref_name).is_not_null())
        a, b = rows[ours_name].to_numpy(), rows[ref_name].to_numpy()
        diff = np.abs(a - b)
        k = int(np.argmax(diff)) if len(diff) else 0
        out[ours_name] = {"n": len(a), "corr": float(np.corrcoef(a, b)[0, 1]) if len(a) > 1 else float("nan"),
                          "median_abs": float(np.median(diff)) if len(a) else float("nan"),
                          "max_abs": float(diff.max()) if len(a) else float("nan"),
                          "max_at": f"{rows['country'][k]}_{rows['industry'][k]}" if len(a) else ""}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", type=Path, default=None, help="WIOD2013_GVCmeasures_Dec2017.dta")
    parser.add_argument("--min-output", type=float, default=100.0, help="also report rows with x >= this (million USD)")
    parser.add_argument("--json", type=Path, default=None, help="write every number here")
    args = parser.parse_args()
    if not WIOD.is_dir():
        raise SystemExit(f"{WIOD} is absent")
    ref = read_reference(args.reference)
    years = sorted(ref["year"].unique().to_list())
    results = {}
    for output in ("row_sums", "published"):
        for correction in (True, False):
            label = f"{output}, {'with' if correction else 'without'} the inventory correction"
            print(f"\n#### x = {label}: all rows with output / rows with x >= {args.min_output:g} million USD\n")
            print("| year | measure | rows | corr. | median abs. diff. | max abs. diff. (row) "
                  "| rows (x >= min) | corr. | median | max |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            for year in years:
                mine = ours(year, output, correction).with_columns(pl.col("year").cast(pl.Int64))
                every, large = compare(mine, ref), compare(mine, ref, args.min_output)
                results[f"{output}/{correction}/{year}"] = {"all": every, "large": large}
                for m in MEASURES:
                    e, g = every[m], large[m]
                    print(f"| {year} | {MEASURES[m]} | {e['n']} | {e['corr']:.4f} | {e['median_abs']:.4f} | "
                          f"{e['max_abs']:.3f} ({e['max_at']}) | {g['n']} | {g['corr']:.4f} | {g['median_abs']:.4f} | "
                          f"{g['max_abs']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
