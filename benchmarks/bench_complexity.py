"""Benchmark: ECI/PCI for 230 countries x 5,000 products, C x C (ours) against P x P (baseline).

Ours: ``tcd_pipeline.core.complexity`` -- the symmetric C x C formulation solved with
``numpy.linalg.eigh`` (METHODS.md section 3), timed both from a long export frame (RCA, M,
eigenproblem, output frames: ``eci_pci``) and on the binary matrix alone (``eci_pci_matrix``).
Baseline, measured in the same run on the same matrix: the py-ecomplexity approach, which builds
M~_pp' = D_p^-1 M' D_c^-1 M (P x P) and takes its eigenvectors with ``numpy.linalg.eig``
(PCI from P x P, ECI from the C x C ``eig``). Both results are compared (|corr| of ECI and PCI).

Ours is measured twice, each in a fresh process: with numpy's default BLAS threading and with
``OPENBLAS_NUM_THREADS=1``. The matrices are small (230 x 5,000), so BLAS threads gain little,
and when the cores are busy (polars' own thread pool, other processes) OpenBLAS's spinning
threads can make the C x C step ten times slower. The baseline runs with the default threads.

    python benchmarks/bench_complexity.py [--countries 230] [--products 5000] [--repeat 5] [--seed 7]

The world is synthetic: log-normal export values with country size and product ubiquity
effects, about 45 % of country-product cells positive. Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import polars as pl

from tcd_pipeline.core.complexity import binary_rca, eci_pci, eci_pci_matrix


def synthetic_flows(n_c: int, n_p: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    size = rng.normal(0, 1.5, n_c)[:, None]
    capability = rng.normal(0, 1, n_c)[:, None]
    complexity = rng.normal(0, 1, n_p)[None, :]
    propensity = size + 1.5 * (capability - complexity) + rng.normal(0, 1.5, (n_c, n_p))
    positive = propensity > np.quantile(propensity, 0.55)
    value = np.exp(12 + propensity + rng.normal(0, 1, (n_c, n_p))) * positive
    c, p = np.nonzero(value)
    return pl.DataFrame({"year": np.full(len(c), 2005, np.int16), "exporter": [f"C{i:03d}" for i in c],
                         "hs6": [f"{j:06d}" for j in p], "value_usd": value[c, p]})


def baseline_pxp(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """py-ecomplexity style: eigenvectors of the P x P and C x C matrices with ``np.linalg.eig``."""
    kc, kp = m.sum(axis=1), m.sum(axis=0)
    mcc = (m / kc[:, None]) @ (m / kp[None, :]).T
    mpp = (m.T / kp[:, None]) @ (m / kc[:, None])
    vals_c, vecs_c = np.linalg.eig(mcc)
    vals_p, vecs_p = np.linalg.eig(mpp)
    eci = np.real(vecs_c[:, np.argsort(np.real(vals_c))[-2]])
    pci = np.real(vecs_p[:, np.argsort(np.real(vals_p))[-2]])
    return eci, pci


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def ours(args) -> dict:
    flows = synthetic_flows(args.countries, args.products, args.seed)
    m, _, _ = binary_rca(flows, "exporter", "hs6", "value_usd")
    t_frame, _ = timed(lambda: eci_pci(flows), args.repeat)
    t_matrix, _ = timed(lambda: eci_pci_matrix(m), args.repeat)
    t_rca, _ = timed(lambda: binary_rca(flows, "exporter", "hs6", "value_usd"), args.repeat)
    return {"frame": t_frame, "matrix": t_matrix, "rca": t_rca}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=230)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(ours(args)))
        return

    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--child", "--countries", str(args.countries), "--products",
               str(args.products), "--repeat", str(args.repeat), "--seed", str(args.seed)]
    runs = {}
    for label, extra in (("default BLAS threads", {}), ("OPENBLAS_NUM_THREADS=1", {"OPENBLAS_NUM_THREADS": "1"})):
        out = subprocess.run(command, env={**os.environ, **extra}, capture_output=True, text=True, check=True)
        runs[label] = json.loads(out.stdout.strip().splitlines()[-1])

    flows = synthetic_flows(args.countries, args.products, args.seed)
    m, countries, products = binary_rca(flows, "exporter", "hs6", "value_usd")
    eci, pci, _ = eci_pci_matrix(m)
    t_base, (b_eci, b_pci) = timed(lambda: baseline_pxp(m.astype(np.float64)), args.baseline_repeat)
    corr_e = abs(np.corrcoef(eci, b_eci)[0, 1])
    corr_p = abs(np.corrcoef(pci, b_pci)[0, 1])

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line), "?")
    print(f"### {dt.date.today().isoformat()}, {os.cpu_count()} vCPU {cpu}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, polars {pl.__version__} (1-min load average at start {load:.1f})\n")
    print(f"Input: {len(countries)} countries x {len(products)} products with M = 1 somewhere "
          f"({flows.height:,} positive country-product cells, M density {m.mean():.2f}); ours: median of "
          f"{args.repeat} runs in a fresh process per column; baseline: {args.baseline_repeat} run.\n")
    labels = list(runs)
    print(f"| what | {' | '.join(f'seconds, {x}' for x in labels)} |")
    print("|---|" + "---|" * len(labels))
    rows = (("ours: `eci_pci` from the long frame (RCA, M, C x C `eigh`, frames)", "frame", "{:.3f}"),
            ("ours: of which `binary_rca` (RCA and M from the frame)", "rca", "{:.3f}"),
            ("ours: `eci_pci_matrix` on M (C x C `eigh`)", "matrix", "{:.4f}"))
    for text, key, fmt in rows:
        print(f"| {text} | {' | '.join(fmt.format(runs[x][key]) for x in labels)} |")
    print(f"| baseline: P x P and C x C `numpy.linalg.eig` (py-ecomplexity approach) on M | "
          f"{t_base:.1f} (default threads) | |")
    best = min(r["frame"] for r in runs.values())
    worst = max(r["frame"] for r in runs.values())
    print(f"\n**Ratio baseline / ours (from the frame): {t_base / worst:,.0f}x to {t_base / best:,.0f}x.** "
          f"Same answer: |corr(ECI)| = {corr_e:.6f}, |corr(PCI)| = {corr_p:.6f}.")


if __name__ == "__main__":
    main()
