"""Benchmark: the TiVA indicator set for one ICIO-sized year, against one LU factorisation.

A synthetic table the size of OECD ICIO 2023 (81 regions x 45 industries = 3,645 rows: 77
countries incl. ROW, empty CHN/MEX blocks plus CN1/CN2/MX1/MX2; 77 final-demand destinations)
is generated once into the work folder. Each measurement runs in a fresh process under
``/usr/bin/time -v`` (wall time, peak resident memory); compute times are taken inside the
process (median of ``--repeat`` runs after one warm-up run, loading excluded):

- lu: ``scipy.linalg.lu_factor`` of I - A (the yardstick; target: ours <= 3 x lu);
- ours: :func:`tcd_pipeline.core.tiva.tiva_indicators` (every indicator, all frames);
- baseline: a straightforward implementation of the same indicators with a dense
  ``np.linalg.inv`` and explicit diagonal matrices (``Z @ diag(1/x)``, ``diag(v) @ B @ diag(E)``),
  run once; its DVA/FVA/IV are compared with ours.

Also timed: the same table written as an OECD ICIO 2023 CSV (about 3,645 x 4,110 cells), read
with :func:`tcd_pipeline.sources.icio.read_icio` and decomposed; and, when ../shared/data is
present, all 17 WIOD 2013 years (1995-2011, 41 economies x 35 industries):

- wiod (baseline): a script that reads each year and decomposes it, nothing else;
- wiod_pipeline: the real pipeline end to end, as ``make run`` does it (``tcd_pipeline.refresh``
  with the project's definitions, ``--force``, a fresh warehouse and an ephemeral Dagster
  instance): ingest with its gates, decomposition, the five TiVA marts and their gates,
  publication. The input folder is the tiny test world (tcd_pipeline_tests/tiny_world.py: 7 BACI
  rows, a few WDI values; the pipeline needs the BACI code lists) without its OECD tables, plus
  symlinks to the WIOD 2013 files; ``$TCD_IO_TABLES=wiod2013``, growth periods 1995-2008 and
  2008-2011. Target (issue 5): under 2 minutes. Process wall time includes Python and Dagster
  start-up; ``compute_s`` is the refresh itself.

    python benchmarks/bench_tiva.py [--repeat 3] [--workdir /tmp/tcd_bench_tiva]
    python benchmarks/bench_tiva.py --wiod-only --wiod-runs 2   # only the two WIOD measurements
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

REGIONS_N = 81
INDUSTRIES_N = int(os.environ.get("TCD_BENCH_INDUSTRIES", "45"))  # smaller for a smoke run
SHARED_WIOD = Path(__file__).resolve().parents[2] / "shared" / "data" / "wiod_2013_release"
WIOD_PERIODS = "1995-2008,2008-2011"


def _make(path: str) -> None:
    """The synthetic table (seeded): productive A, domestic blocks dense, imports skewed."""
    import numpy as np

    rng = np.random.default_rng(20261127)
    generic = [f"C{k:02d}" for k in range(74)]
    countries = sorted(generic + ["CHN", "MEX"]) + ["ROW"]
    regions = countries + ["CN1", "CN2", "MX1", "MX2"]
    region_country = countries + ["CHN", "CHN", "MEX", "MEX"]
    g, n_i, c = len(regions), INDUSTRIES_N, len(countries)
    n = g * n_i
    empty = np.repeat(np.isin(regions, ["CHN", "MEX"]), n_i)
    A = rng.random((n, n)) ** 6  # imports: most cells tiny, a few large
    for k in range(g):
        block = slice(k * n_i, (k + 1) * n_i)
        A[block, block] = 40 * rng.random((n_i, n_i)) ** 2  # domestic inputs dominate
    A[empty], A[:, empty] = 0.0, 0.0
    A *= rng.uniform(0.3, 0.75, n) / np.where(empty, 1.0, A.sum(axis=0))
    row_c = np.repeat([countries.index(x) for x in region_country], n_i)
    Y = rng.random((n, c)) ** 6
    Y[np.arange(n), row_c] += 30 * rng.random(n)
    Y[empty] = 0.0
    Y[rng.random((n, c)) < 0.05] *= -0.2  # negative inventory changes
    Y *= 1e4
    x = np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))
    Z = A * x[None, :]
    np.savez(path, Z=Z, Y=Y, x=x, regions=regions, countries=countries, region_country=region_country)


def _load(path: str):
    import numpy as np

    from tcd_pipeline.core.tiva_table import IOTable

    d = np.load(path)
    Z, Y, x = d["Z"], d["Y"], d["x"]
    return IOTable(source="synthetic ICIO-sized table", year=2018, classification="synthetic",
                   regions=tuple(d["regions"]), industries=tuple(f"I{k:02d}" for k in range(INDUSTRIES_N)),
                   countries=tuple(d["countries"]), region_country=tuple(d["region_country"]),
                   Z=Z, Y=Y, x=x, va=x - Z.sum(axis=0), tls=0 * x)


def _lu(path: str, repeat: int) -> None:
    import numpy as np
    import scipy.linalg as sla

    tab = _load(path)
    inv_x = 1.0 / np.where(tab.x > 0, tab.x, np.inf)
    times = []
    for _ in range(repeat + 1):  # the first run warms up (not counted)
        M = tab.Z * (-inv_x)[None, :]
        M[np.diag_indices(tab.size)] += 1.0
        t0 = time.perf_counter()
        sla.lu_factor(M.T, overwrite_a=True, check_finite=False)
        times.append(time.perf_counter() - t0)
        del M
    times = times[1:]
    print(json.dumps({"compute_s": statistics.median(times), "runs": times}))


def _ours(path: str, repeat: int) -> None:
    from tcd_pipeline.core.tiva import tiva_indicators

    tab = _load(path)
    times = []
    for _ in range(repeat + 1):  # the first run warms up (not counted)
        t0 = time.perf_counter()
        res = tiva_indicators(tab)
        times.append(time.perf_counter() - t0)
    times = times[1:]
    part = res.participation
    print(json.dumps({"compute_s": statistics.median(times), "runs": times, "rows": res.indicators.height,
                      "check": {c: float(part[c].sum()) for c in ("exgr_fva", "iv", "exgr")},
                      "dva": float(res.indicators["exgr_dva"].sum())}))


def _baseline(path: str) -> None:
    """The textbook implementation: explicit inverse and diagonal matrices, loops over blocks."""
    import numpy as np

    tab = _load(path)
    t0 = time.perf_counter()
    n, c, n_i = tab.size, len(tab.countries), len(tab.industries)
    x, Z, Y = tab.x, tab.Z, tab.Y
    xinv = np.diag(np.where(x > 0, 1.0 / np.where(x > 0, x, 1.0), 0.0))
    A = Z @ xinv
    B = np.linalg.inv(np.eye(n) - A)
    v = np.where(x > 0, 1.0 - A.sum(axis=0), 0.0)
    rc = tab.row_country
    S = np.zeros((n, c))
    S[np.arange(n), rc] = 1.0
    E_bil = Z @ S + Y
    E_bil[np.arange(n), rc] = 0.0
    E = E_bil.sum(axis=1)
    VBE = np.diag(v) @ B @ np.diag(E)  # value added of row i in exports of column j
    own = rc[:, None] == rc[None, :]
    dva = (VBE * own).sum(axis=0)
    fva = (VBE * ~own).sum(axis=0)
    fva_by_source = S.T @ VBE @ S  # [source, exporter]
    rows = [np.flatnonzero(rc == k) for k in range(c)]
    ddc, idc = np.zeros(n), np.zeros(n)
    for g in rows:
        if len(g):
            L = np.linalg.inv(np.eye(len(g)) - A[np.ix_(g, g)])
            ddc[g] = v[g] * np.diag(L) * E[g]
            idc[g] = (v[g] @ L - v[g] * np.diag(L)) * E[g]
    rim = dva - ddc - idc
    iv = np.zeros(n)
    for s, gs in enumerate(rows):
        for r, gr in enumerate(rows):
            if r == s or not len(gs) or not len(gr):
                continue
            third = [t for t in range(c) if t not in (s, r)]
            iv[gs] += v[gs] * (B[np.ix_(gs, gr)] @ Y[np.ix_(gr, third)].sum(axis=1))
    VBY = np.diag(v) @ B @ Y
    ffd = VBY.sum(axis=1) - VBY[np.arange(n), rc]
    seconds = time.perf_counter() - t0
    del fva_by_source, rim, ffd, n_i
    print(json.dumps({"compute_s": seconds, "check": {"exgr_fva": float(fva.sum()), "iv": float(iv.sum()),
                                                      "exgr": float(E.sum())}, "dva": float(dva.sum())}))


def _write_csv(npz: str, csv_path: str) -> None:
    """The synthetic table in the OECD ICIO 2023 CSV layout (six final-demand columns per country)."""
    import numpy as np
    import polars as pl

    tab = _load(npz)
    labels = tab.row_labels
    cols: dict[str, np.ndarray] = {"": np.array(labels + ["TLS", "VA", "OUT"], dtype=object)}
    tail = lambda col: np.concatenate([col, [0.0, 0.0, col.sum()]])  # noqa: E731
    for j, label in enumerate(labels):
        cols[label] = np.concatenate([tab.Z[:, j], [0.0, tab.va[j], tab.x[j]]])
    for k, country in enumerate(tab.countries):
        for cat, share in zip(("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR"), (.7, .02, .15, .13, 0, 0)):
            cols[f"{country}_{cat}"] = tail(share * tab.Y[:, k])
    cols["OUT"] = tail(tab.x)
    pl.DataFrame(cols).write_csv(csv_path)


def _read_csv(csv_path: str) -> None:
    from tcd_pipeline.core.tiva import tiva_indicators
    from tcd_pipeline.sources.icio import read_icio

    t0 = time.perf_counter()
    tab = read_icio(csv_path, rtol=1e-6, atol=1.0)
    read_s = time.perf_counter() - t0
    tiva_indicators(tab)
    print(json.dumps({"compute_s": time.perf_counter() - t0, "read_s": read_s}))


def _wiod(folder: str) -> None:
    from tcd_pipeline.core.tiva import tiva_indicators
    from tcd_pipeline.sources.wiod import read_wiod_2013, wiod_2013_years

    t0 = time.perf_counter()
    read_s = 0.0
    rows = 0
    for year in wiod_2013_years(Path(folder)):
        t1 = time.perf_counter()
        tab = read_wiod_2013(Path(folder), year)
        read_s += time.perf_counter() - t1
        rows += tiva_indicators(tab).indicators.height
    print(json.dumps({"compute_s": time.perf_counter() - t0, "read_s": read_s, "rows": rows}))


def _wiod_inputs(work: Path) -> Path:
    """The tiny test world without OECD tables, plus symlinks to the WIOD 2013 files (rebuilt each time)."""
    import shutil

    from tcd_pipeline_tests.tiny_world import write_tiny_world

    inputs = work / "wiod_inputs"
    shutil.rmtree(inputs, ignore_errors=True)
    write_tiny_world(inputs)
    shutil.rmtree(inputs / "icio")
    (inputs / "wiod").mkdir()
    for path in sorted(SHARED_WIOD.iterdir()):
        (inputs / "wiod" / path.name).symlink_to(path.resolve())
    return inputs


def _wiod_pipeline(inputs: str, work: str) -> None:
    """One refresh of everything on ``inputs`` into a fresh warehouse under ``work`` (in this process)."""
    import shutil

    t0 = time.perf_counter()
    run_dir = Path(work) / "wiod_pipeline"
    shutil.rmtree(run_dir, ignore_errors=True)
    os.environ.update(TCD_INPUT_DIR=inputs, TCD_WAREHOUSE=str(run_dir / "warehouse.duckdb"),
                      TCD_PUBLISHED=str(run_dir / "published" / "tcd.duckdb"), TCD_REPORTS=str(run_dir / "reports"),
                      TCD_IO_TABLES="wiod2013",
                      TCD_GROWTH_PERIODS=WIOD_PERIODS)
    import dagster as dg

    from tcd_pipeline.definitions import defs
    from tcd_pipeline.refresh import refresh

    import_s = time.perf_counter() - t0
    report = refresh(defs, dg.DagsterInstance.ephemeral(), force=True, log=lambda m: print(m, flush=True))
    if not report.success:
        raise SystemExit(f"the pipeline failed: {report.problems}")
    import duckdb

    with duckdb.connect(str(run_dir / "published" / "tcd.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM marts.tiva_indicators").fetchone()[0]
    jobs = {f"{r.job}[{r.partition}]" if r.partition else r.job: round(r.seconds, 2) for r in report.runs}
    print(json.dumps({"compute_s": report.seconds, "import_s": import_s, "rows": rows, "jobs": jobs}))


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import numpy
    import scipy

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.node()}, {cpu}, {os.cpu_count()} cores, load average {load:.1f} at start; "
            f"numpy {numpy.__version__}, scipy {scipy.__version__}; date {time.strftime('%Y-%m-%d %H:%M')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/tcd_bench_tiva")
    parser.add_argument("--no-baseline", action="store_true", help="skip the slow straightforward implementation")
    parser.add_argument("--wiod-only", action="store_true", help="only the WIOD 2013 measurements")
    parser.add_argument("--wiod-runs", type=int, default=1, help="fresh-process runs of each WIOD measurement")
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    me = [sys.executable, __file__]
    machine = _machine()
    if args.wiod_only:
        _main_wiod(me, work, args.wiod_runs, machine)
        return
    table = work / f"icio_{REGIONS_N}x{INDUSTRIES_N}.npz"
    if not table.exists():
        t0 = time.perf_counter()
        subprocess.run([*me, "--step", "make", str(table)], check=True)
        print(f"generated {table} in {time.perf_counter() - t0:.0f} s", flush=True)
    results = {"lu": measure([*me, "--step", "lu", str(table), str(args.repeat)])}
    print("lu", results["lu"], flush=True)
    results["ours"] = measure([*me, "--step", "ours", str(table), str(args.repeat)])
    print("ours", results["ours"], flush=True)
    if not args.no_baseline:
        results["baseline"] = measure([*me, "--step", "baseline", str(table)])
        print("baseline", results["baseline"], flush=True)
    csv_path = work / "ICIO2023_2018.csv"
    if not csv_path.exists():
        subprocess.run([*me, "--step", "write_csv", str(table), str(csv_path)], check=True)
    results["reader"] = measure([*me, "--step", "read_csv", str(csv_path)])
    print("reader", results["reader"], flush=True)
    if SHARED_WIOD.is_dir():
        results["wiod"] = measure([*me, "--step", "wiod", str(SHARED_WIOD)])
        print("wiod", results["wiod"], flush=True)
        inputs = _wiod_inputs(work)
        results["wiod_pipeline"] = measure([*me, "--step", "wiod_pipeline", str(inputs), str(work)])
        print("wiod_pipeline", results["wiod_pipeline"], flush=True)

    n = REGIONS_N * INDUSTRIES_N
    print()
    print(f"machine: {machine}")
    print(f"table: synthetic, {REGIONS_N} regions x {INDUSTRIES_N} industries = {n:,} rows, 77 countries; "
          f"compute = median of {args.repeat} in-process runs after a warm-up (baseline: 1 run), load excluded")
    print()
    print("| what | compute s | process wall s | peak RSS MB |")
    print("|---|---|---|---|")
    labels = {"lu": "one LU factorisation of I - A (scipy lu_factor)", "ours": "tiva_indicators: full indicator set",
              "baseline": "straightforward (np.linalg.inv, explicit diag matrices)",
              "reader": "one ICIO-sized CSV: read_icio + tiva_indicators",
              "wiod": "WIOD 2013, 17 years: read + decompose (script)",
              "wiod_pipeline": "WIOD 2013, 17 years: the pipeline end to end (refresh)"}
    for key, r in results.items():
        extra = f" (read {r['read_s']:.2f} s)" if "read_s" in r else ""
        print(f"| {labels[key]}{extra} | {r['compute_s']:.2f} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |")
    ratio = results["ours"]["compute_s"] / results["lu"]["compute_s"]
    print()
    print(f"ratio ours / LU: {ratio:.2f} (target <= 3); peak RSS ours {results['ours']['peak_mb']:.0f} MB "
          f"(target < 3,072 MB)")
    if "baseline" in results:
        b, o = results["baseline"], results["ours"]
        print(f"baseline / ours: {b['compute_s'] / o['compute_s']:.1f}x time, {b['peak_mb'] / o['peak_mb']:.1f}x memory")
        rel = max(abs(b["check"][k] - o["check"][k]) / abs(b["check"][k]) for k in b["check"])
        rel = max(rel, abs(b["dva"] - o["dva"]) / abs(b["dva"]))
        print(f"baseline vs ours, totals of EXGR, EXGR_DVA, EXGR_FVA, IV: max relative difference {rel:.1e}")


def _main_wiod(me: list[str], work: Path, runs: int, machine: str) -> None:
    """The script baseline and the pipeline end to end, alternately, ``runs`` times each."""
    if not SHARED_WIOD.is_dir():
        raise SystemExit(f"{SHARED_WIOD} is absent: nothing to measure")
    inputs = _wiod_inputs(work)
    results: dict[str, list[dict]] = {"wiod": [], "wiod_pipeline": []}
    for _ in range(runs):
        results["wiod"].append(measure([*me, "--step", "wiod", str(SHARED_WIOD)]))
        print("wiod", results["wiod"][-1], flush=True)
        results["wiod_pipeline"].append(measure([*me, "--step", "wiod_pipeline", str(inputs), str(work)]))
        print("wiod_pipeline", results["wiod_pipeline"][-1], flush=True)
    print()
    print(f"machine: {machine}")
    print()
    print("| what | run | compute s | process wall s | peak RSS MB |")
    print("|---|---|---|---|---|")
    for key, label in (("wiod", "script: read + decompose, 17 years"),
                       ("wiod_pipeline", "pipeline end to end (refresh --force)")):
        for k, r in enumerate(results[key], start=1):
            print(f"| {label} | {k} | {r['compute_s']:.1f} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |")
    for k, r in enumerate(results["wiod_pipeline"], start=1):
        print(f"pipeline run {k}: jobs {r['jobs']}, Python + Dagster import {r['import_s']:.1f} s, "
              f"{r['rows']:,} rows in marts.tiva_indicators")


INTERNAL = {"make": lambda a: _make(a[0]), "lu": lambda a: _lu(a[0], int(a[1])),
            "ours": lambda a: _ours(a[0], int(a[1])), "baseline": lambda a: _baseline(a[0]),
            "wiod": lambda a: _wiod(a[0]), "write_csv": lambda a: _write_csv(a[0], a[1]),
            "read_csv": lambda a: _read_csv(a[0]), "wiod_pipeline": lambda a: _wiod_pipeline(a[0], a[1])}

if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--step":  # one measurement, in its own process
        INTERNAL[sys.argv[2]](sys.argv[3:])
    else:
        main()
