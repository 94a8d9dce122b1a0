"""Benchmark: every trade-outcome indicator of tcd_pipeline.core for one full-scale synthetic year.

Input: two full-scale synthetic BACI years from ``tcd_pipeline.sample`` (226 countries x 5,037
HS92 codes, about 10 million rows a year; ``generate_sample(workdir, scale="full",
years=[t0, t1])``, written once into the work folder, with the matching WDI and GeoDist files).
The measured process, run under ``/usr/bin/time -v`` (wall time, peak resident memory):

1. load: both BACI files into polars as ``clean.flows`` holds them (ISO3 via the release's
   country list, ``v x 1000`` USD, ``q`` tonnes or null), WDI GDP per capita, GeoDist;
2. the indicators for year t1, all countries at once: one aggregation of the flows to
   exporter x product and exporter x destination totals (both years), then exports by report
   sector and by destination region with the t0-t1 growth tables, Balassa RCA, Lall shares,
   PRODY/EXPY (fixed country set over t0 and t1) and ECI/PCI from the product totals;
   diversification, export quality (unit-value regressions) and the margin decomposition
   t0 -> t1 (needs both years) from the bilateral flows.

    python benchmarks/bench_trade_outcomes.py [--t0 2005] [--t1 2006] [--workdir /tmp/tcd_bench_to]

Prints a markdown table (machine, date, per-step seconds, peak memory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

BACI = "BACI_HS92_Y{year}_V202401b.csv"


def load_flows(root: Path, years: list[int]) -> list:
    """One frame per year, as clean.flows holds it (the concatenation shares their buffers)."""
    import polars as pl

    codes = pl.read_csv(root / "baci" / "country_codes_V202401b.csv", infer_schema=False)
    iso = dict(zip(codes["country_code"].cast(pl.Int32).to_list(), codes["country_iso3"].to_list()))
    frames = []
    for year in years:
        raw = pl.read_csv(root / "baci" / BACI.format(year=year),
                          schema={"t": pl.Int16, "i": pl.Int32, "j": pl.Int32, "k": pl.String, "v": pl.Float64,
                                  "q": pl.String})
        frames.append(raw.select(
            pl.col("t").alias("year"),
            pl.col("i").replace_strict(iso, return_dtype=pl.String).alias("exporter"),
            pl.col("j").replace_strict(iso, return_dtype=pl.String).alias("importer"),
            pl.col("k").alias("hs6"),
            (pl.col("v") * 1000).round(0).alias("value_usd"),
            pl.col("q").str.strip_chars().cast(pl.Float64, strict=False).alias("quantity_t"),
        ))
        del raw
    return frames


def child(root: Path, t0: int, t1: int) -> None:
    import polars as pl

    from tcd_pipeline.core import classifications as cls
    from tcd_pipeline.core.complexity import eci_pci
    from tcd_pipeline.core.diversification import diversification
    from tcd_pipeline.core.growth import exports_by, growth_table
    from tcd_pipeline.core.margins import decompose
    from tcd_pipeline.core.quality import aggregate_quality, quality
    from tcd_pipeline.core.rca import rca
    from tcd_pipeline.core.sophistication import expy, prody
    from tcd_pipeline.sources import reference_tables as ref
    from tcd_pipeline.sources.files import SourceFile
    from tcd_pipeline.sources.geodist import read_geodist
    from tcd_pipeline.sources.readers import read_wdi

    steps: dict[str, float] = {}
    rows: dict[str, int] = {}
    peak: dict[str, float] = {}

    def step(name: str, fn):
        started = time.perf_counter()
        out = fn()
        steps[name] = time.perf_counter() - started
        peak[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        first = out[0] if isinstance(out, tuple) else out
        rows[name] = first.height if hasattr(first, "height") else 0
        return out

    by_year = step("load BACI t0 and t1", lambda: tuple(load_flows(root, [t0, t1])))
    flows = pl.concat(by_year, rechunk=False)
    rows["load BACI t0 and t1"] = flows.height
    wdi = step("load WDI + GeoDist + reference tables", lambda: read_wdi(
        [SourceFile(p) for p in sorted((root / "wdi").glob("API_*.csv"))], []))
    gdp = wdi.filter(pl.col("indicator_code") == "NY.GDP.PCAP.CD").select(
        pl.col("country_code").alias("iso3"), "year", pl.col("value").alias("gdp_pc_usd"))
    started = time.perf_counter()
    dist = read_geodist(root / "geo" / "dist_cepii.csv")
    sectors_map, regions_map = ref.read_report_sectors(), ref.read_regions()
    conc, lall = ref.read_hs92_sitc2(), ref.read_lall2000()
    steps["load WDI + GeoDist + reference tables"] += time.perf_counter() - started
    year = by_year[1]
    years = [t0, t1]

    indicators = time.perf_counter()
    # the two aggregates most indicators start from (clean.flows is bilateral), year by year as
    # the pipeline's year partitions would compute them
    products, markets = step("aggregate to exporter x product and exporter x destination", lambda: (
        pl.concat([f.group_by("year", "exporter", "hs6").agg(pl.col("value_usd").sum()) for f in by_year]),
        pl.concat([f.group_by("year", "exporter", "importer").agg(pl.col("value_usd").sum()) for f in by_year])))
    products_t1 = products.filter(pl.col("year") == t1)
    step("sectors: exports by sector + growth table t0-t1", lambda: growth_table(
        exports_by(cls.report_sectors(products, sectors_map), "sector"), "sector", years))
    step("regions: exports by region + growth table t0-t1", lambda: growth_table(
        exports_by(cls.destination_regions(markets, regions_map), "region"), "region", years))
    step("RCA", lambda: rca(products_t1))
    step("diversification (products, markets; from the flows)", lambda: diversification(year))
    step("Lall shares", lambda: cls.lall_shares(products_t1, conc, lall))
    step("PRODY + EXPY (fixed set over t0, t1)", lambda: expy(products_t1, prody(products, gdp)))
    step("ECI + PCI", lambda: eci_pci(products_t1))
    q = step("quality (exporter x product, from the flows)", lambda: quality(year, gdp, dist))
    step("quality aggregates", lambda: aggregate_quality(q[0]))
    step(f"margins {t0} -> {t1} (from the flows)", lambda: decompose(flows, t0, t1))
    steps["all indicators"] = time.perf_counter() - indicators
    print(json.dumps({"steps": steps, "rows": rows, "peak": peak, "flows_t1": year.height, "flows": flows.height}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--t0", type=int, default=2005)
    parser.add_argument("--t1", type=int, default=2006)
    parser.add_argument("--workdir", default="/tmp/tcd_bench_to")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = Path(args.workdir)
    if args.child:
        child(root, args.t0, args.t1)
        return
    if not all((root / "baci" / BACI.format(year=y)).exists() for y in (args.t0, args.t1)):
        from tcd_pipeline.sample import generate_sample

        print(f"generating full-scale years {args.t0}, {args.t1} into {root} ...", file=sys.stderr)
        generate_sample(root, scale="full", years=[args.t0, args.t1], log=lambda m: print(m, file=sys.stderr))
    load = os.getloadavg()[0]
    result = measure([sys.executable, __file__, "--child", "--workdir", str(root), "--t0", str(args.t0),
                      "--t1", str(args.t1)])
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line), "?")
    import polars as pl

    print(f"### {dt.date.today().isoformat()}, {os.cpu_count()} vCPU {cpu}, Python {platform.python_version()}, "
          f"polars {pl.__version__} (1-min load average at start {load:.1f})\n")
    print(f"Input: full-scale synthetic BACI {args.t0} and {args.t1}: {result['flows']:,} rows, "
          f"{result['flows_t1']:,} in {args.t1}. One process under `/usr/bin/time -v`.\n")
    print("| step | seconds | rows out | peak RSS so far, MB |")
    print("|---|---|---|---|")
    for name, seconds in result["steps"].items():
        if name != "all indicators":
            print(f"| {name} | {seconds:.2f} | {result['rows'].get(name, 0):,} | {result['peak'].get(name, 0):,.0f} |")
    print(f"| **all indicators (excluding loading)** | **{result['steps']['all indicators']:.1f}** | | |")
    print(f"| process wall time (imports, loading, indicators) | {result['seconds']:.1f} | | |")
    print(f"\n**Peak resident memory: {result['peak_mb']:,.0f} MB** (targets: indicators under 60 s, "
          "peak under 4 GB).")


if __name__ == "__main__":
    main()
