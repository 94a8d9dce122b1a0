"""Benchmark: upstreamness (core.upstreamness) per WIOD 2013 year and at ICIO size, against baselines of the same run.

Two measurements, each in a fresh process under ``/usr/bin/time -v`` (wall time, peak resident
memory); compute times are taken inside the process, the median of ``--repeat`` runs after one
warm-up run, loading excluded:

- icio: the synthetic ICIO-sized table of ``bench_tiva.py`` (81 regions x ``--industries``
  industries: 50 gives 4,050 rows, the size of the largest OECD ICIO releases) with a 5 % inventory
  share of final use. Timed: ``lu`` (``scipy.linalg.lu_factor`` of I - A, the yardstick),
  ``tiva`` (:func:`tcd_pipeline.core.tiva.tiva_indicators`, the TiVA chapter's decomposition of the
  same table: the baseline the new measures are added to), ``position``
  (:func:`tcd_pipeline.core.upstreamness.gvc_position`: U, D, FUGO, VAGO) and ``frame``
  (:func:`~tcd_pipeline.core.upstreamness.gvc_position_frame`, what the pipeline runs: + exports,
  merging by country x industry); once, ``inverse``: the same U and D with explicit inverses
  (``np.linalg.inv(I - Delta) @ 1`` and ``np.linalg.inv(I - A~') @ 1``), checked against ours.
- wiod (when ../shared/data is present): each of the 17 WIOD 2013 years (1,435 rows) read with
  :func:`tcd_pipeline.sources.wiod.read_wiod_2013` (``row_sums``) and timed the same way: ``lu``,
  ``tiva``, ``frame``.

    python benchmarks/bench_upstreamness.py [--repeat 3] [--industries 50] [--workdir /tmp/tcd_bench_upstream]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import measure  # noqa: E402

SHARED_WIOD = Path(__file__).resolve().parents[2] / "shared" / "data" / "wiod_2013_release"


def _median(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat + 1):  # the first run warms up (not counted)
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:]), out


def _lu_seconds(table, repeat: int) -> float:
    import numpy as np
    import scipy.linalg as sla

    inv_x = 1.0 / np.where(table.x > 0, table.x, np.inf)

    def run():
        M = table.Z * (-inv_x)[None, :]
        M[np.diag_indices(table.size)] += 1.0
        sla.lu_factor(M.T, overwrite_a=True, check_finite=False)
    return _median(run, repeat)[0]


def _times(table, repeat: int, inverse: bool = False) -> dict:
    import numpy as np

    from tcd_pipeline.core.tiva import tiva_indicators
    from tcd_pipeline.core.upstreamness import gvc_position, gvc_position_frame

    out = {"rows": table.size, "lu_s": _lu_seconds(table, repeat),
           "tiva_s": _median(lambda: tiva_indicators(table), repeat)[0]}
    final_use = table.Y.sum(axis=1)
    out["position_s"], pos = _median(lambda: gvc_position(table.Z, table.x, final_use, table.inventories), repeat)
    out["frame_s"] = _median(lambda: gvc_position_frame(table), repeat)[0]
    if inverse:
        t0 = time.perf_counter()
        x, ok = table.x, table.x > 0  # the synthetic table keeps empty CHN and MEX blocks (x = 0)
        inv_x = np.where(ok, 1.0 / np.where(ok, x, 1.0), 0.0)
        s = np.where(ok, x * inv_x / np.where(ok, 1.0 - table.inventories * inv_x, 1.0), 1.0)
        delta = table.Z * (s * inv_x)[:, None]
        delta[:, ~ok] = 0.0
        U = np.linalg.inv(np.eye(table.size) - delta) @ np.ones(table.size)
        A = table.Z * s[:, None] * inv_x[None, :]
        D = np.linalg.inv(np.eye(table.size) - A.T) @ np.ones(table.size)
        out["inverse_s"] = time.perf_counter() - t0
        out["inverse_max_rel_diff"] = float(max(np.abs(U / pos.upstreamness - 1).max(),
                                                np.abs(D[ok] / pos.downstreamness[ok] - 1).max()))
    return out


def _icio(work: str, repeat: int) -> None:
    from dataclasses import replace

    import bench_tiva
    import numpy as np

    npz = Path(work) / f"icio_{bench_tiva.INDUSTRIES_N}.npz"
    if not npz.exists():
        bench_tiva._make(str(npz))
    table = bench_tiva._load(str(npz))
    inventories = 0.05 * np.clip(table.Y.sum(axis=1), 0, None)  # 5 % of final use is an inventory change
    table = replace(table, inventories=inventories)
    print(json.dumps(_times(table, repeat, inverse=True)))


def _wiod(repeat: int) -> None:
    from tcd_pipeline.sources.wiod import read_wiod_2013

    years = {}
    for year in range(1995, 2012):
        years[year] = _times(read_wiod_2013(SHARED_WIOD, year, output="row_sums"), repeat)
    print(json.dumps({"years": years}))


def _machine() -> str:
    import bench_tiva

    return bench_tiva._machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--industries", type=int, default=50)
    parser.add_argument("--workdir", default="/tmp/tcd_bench_upstream")
    parser.add_argument("--part", choices=("icio", "wiod"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["TCD_BENCH_INDUSTRIES"] = str(args.industries)  # read by bench_tiva at import
    if args.part == "icio":
        return _icio(args.workdir, args.repeat)
    if args.part == "wiod":
        return _wiod(args.repeat)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    print(f"machine: {_machine()}")
    me = [sys.executable, __file__, "--repeat", str(args.repeat), "--industries", str(args.industries),
          "--workdir", args.workdir]
    env = {**os.environ, "TCD_BENCH_INDUSTRIES": str(args.industries)}
    icio = measure([*me, "--part", "icio"], env=env)
    print(f"\nICIO size ({icio['rows']:,} rows), median of {args.repeat}: "
          f"process {icio['seconds']:.1f} s, peak {icio['peak_mb']:,.0f} MB")
    print("| step | seconds | x LU |\n|---|---|---|")
    for key, name in (("lu_s", "LU of I - A (yardstick)"), ("tiva_s", "TiVA decomposition (baseline)"),
                      ("position_s", "U, D, FUGO, VAGO (gvc_position)"), ("frame_s", "the mart's frame (gvc_position_frame)"),
                      ("inverse_s", "U and D by explicit inverses (once)")):
        print(f"| {name} | {icio[key]:.2f} | {icio[key] / icio['lu_s']:.1f} |")
    print(f"explicit inverses agree to a relative {icio['inverse_max_rel_diff']:.1e}")
    if SHARED_WIOD.is_dir():
        wiod = measure([*me, "--part", "wiod"], env=env)
        print(f"\nWIOD 2013, 17 years (1,435 rows each), median of {args.repeat} per year: "
              f"process {wiod['seconds']:.1f} s, peak {wiod['peak_mb']:,.0f} MB")
        print("| year | LU s | TiVA s | gvc_position s | frame s | frame / TiVA |\n|---|---|---|---|---|---|")
        for year, t in wiod["years"].items():
            print(f"| {year} | {t['lu_s']:.3f} | {t['tiva_s']:.3f} | {t['position_s']:.3f} | {t['frame_s']:.3f} "
                  f"| {t['frame_s'] / t['tiva_s']:.2f} |")
        total = {k: sum(t[k] for t in wiod["years"].values()) for k in ("lu_s", "tiva_s", "frame_s")}
        print(f"| all 17 | {total['lu_s']:.2f} | {total['tiva_s']:.2f} | | {total['frame_s']:.2f} | "
              f"{total['frame_s'] / total['tiva_s']:.2f} |")


if __name__ == "__main__":
    main()
