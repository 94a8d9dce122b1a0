"""Generate the synthetic sample world in the real public file layouts (see the package docstring).

The model is in :mod:`tcd_pipeline.sample.flows` (trade flows, entry and exit, unit values) and
:mod:`tcd_pipeline.sample.macro` (WDI series); the writers are in ``baci``, ``wdi`` and ``geo``.
Years are generated one at a time (the entry/exit chain is advanced from 1995 to each year), so
memory is bounded by one year's flows plus the relations' state.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from tcd_pipeline.sample import baci, geo, services, tariffs, wdi
from tcd_pipeline.sample.flows import Survival, build_relations, build_unit_values, flows_of_year
from tcd_pipeline.sample.icio import write_icio
from tcd_pipeline.sample.macro import build_macro
from tcd_pipeline.sample.world import (
    PRICES,
    RESOURCE_PROFILES,
    SCALES,
    SIM_END,
    SIM_START,
    Params,
    continents,
    load_countries,
    load_products,
)

DEFAULT_SEED = 20261127
DEFAULT_YEARS = range(2000, 2019)
QUALITY_HEADER = ["exporter_iso3", "hs6", "quality"]
# years of the sample ICIO (OECD ICIO 2023 layout) when requested: five of 2005-2018, not all fourteen, to keep
# `make run` quick (about 1 s a year to write, read twice and decompose); 2012 and 2018 make the default
# growth period 2012-2018 of marts.dva_growth
ICIO_YEARS = (2005, 2010, 2012, 2015, 2018)


def _years(years: Iterable[int]) -> list[int]:
    out = sorted({int(y) for y in years})
    if not out:
        raise ValueError("no year to generate")
    if out[0] < SIM_START or out[-1] > SIM_END:
        raise ValueError(f"years must lie within {SIM_START}-{SIM_END}, got {out[0]}-{out[-1]}")
    return out


def generate_sample(out_dir: Path, scale: str = "sample", years: Iterable[int] = DEFAULT_YEARS,
                    seed: int = DEFAULT_SEED, zipped: bool = False,
                    log: Callable[[str], None] | None = None) -> dict:
    """Write the synthetic world under ``out_dir``; same arguments give byte-identical files.

    Returns ``{"files": [paths relative to out_dir], "rows_per_year": {year: flow rows},
    "countries": n, "products": n}``. ``log``, when given, receives one line per step.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, got {scale!r}")
    out_dir, years, cfg, p = Path(out_dir), _years(years), SCALES[scale], Params()
    say = log or (lambda msg: None)
    t0 = time.perf_counter()
    countries, products = load_countries(cfg), load_products(cfg)
    macro = build_macro(countries, seed)
    dist, flags = geo.distances(countries), geo.pair_flags(countries)
    lnd = np.log(dist["distcap"])
    rel = build_relations(countries, products, macro, lnd, flags["comlang_off"].astype(bool), p, cfg, seed)
    uvm = build_unit_values(countries, products, macro, p, seed)
    say(f"world: {len(countries)} countries, {len(products)} products, {len(rel):,} possible relations "
        f"({time.perf_counter() - t0:.1f} s)")

    files: list[Path] = []
    baci_dir = out_dir / "baci"
    baci.write_country_codes(baci_dir / f"country_codes_{baci.VERSION}.csv", countries)
    baci.write_product_codes(baci_dir / f"product_codes_HS92_{baci.VERSION}.csv", products)
    files += [baci_dir / f"country_codes_{baci.VERSION}.csv", baci_dir / f"product_codes_HS92_{baci.VERSION}.csv"]

    survival = Survival(rel, p, seed)
    rows_per_year: dict[int, int] = {}
    traded_pairs = np.zeros((len(countries), len(products)), dtype=bool)
    for year in years:
        t1 = time.perf_counter()
        flows = flows_of_year(rel, survival, uvm, products, macro, lnd, p, year, seed)
        traded_pairs[flows["i"], flows["k"]] = True
        files.append(baci.write_flows(baci_dir, year, flows, countries, products, zipped))
        rows_per_year[year] = len(flows["i"])
        del flows
        say(f"{year}: {rows_per_year[year]:,} flows ({time.perf_counter() - t1:.1f} s)")

    files += wdi.write_wide(out_dir / "wdi", countries, macro, years)
    files += wdi.write_country_metadata(out_dir / "wdi", countries, continents(), macro, years)
    wdi.write_long(out_dir / "wdi" / "wdi_long_trade.csv", countries, macro, years)
    files.append(out_dir / "wdi" / "wdi_long_trade.csv")
    geo.write_geodist(out_dir / "geo" / "dist_cepii.csv", countries, dist, flags)
    files.append(out_dir / "geo" / "dist_cepii.csv")
    files.append(services.write_services(out_dir, years=years, seed=seed, scale=scale))
    if scale == "sample":  # MFN schedules, TRAINS layout; the full scale's are written by benchmarks/bench_tariffs.py,
        # so that the full-scale ingest benchmark keeps measuring BACI alone
        files += tariffs.write_tariffs(out_dir, years=years, seed=seed, scale=scale)
    icio_years = [y for y in years if y in ICIO_YEARS]
    if icio_years:  # inter-country input-output tables for chapter 3 (about 5.5 MB a year)
        files += write_icio(out_dir / "icio", years=icio_years, seed=seed)

    possible = np.zeros_like(traded_pairs)
    possible[rel.i, rel.k] = True
    files.append(_write_quality(out_dir / "truth" / "planted_quality.csv", countries, products, uvm, possible))
    files.append(_write_parameters(out_dir / "truth" / "parameters.json", p, seed, scale, years, countries,
                                   products, uvm, rows_per_year))
    say(f"done: {len(files)} files ({time.perf_counter() - t0:.1f} s)")
    return {"files": [f.relative_to(out_dir).as_posix() for f in files], "rows_per_year": rows_per_year,
            "countries": len(countries), "products": len(products)}


def _write_quality(path: Path, countries, products, uvm, pairs: np.ndarray) -> Path:
    """quality_ik of every exporter x product pair that has a possible relation (a superset of traded)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    order = sorted(range(len(countries)), key=lambda r: countries.iso3[r])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(QUALITY_HEADER)
        for i in order:
            for k in np.flatnonzero(pairs[i]):
                out.writerow([countries.iso3[i], products.code[k], f"{uvm.quality[i, k]:.6f}"])
    return path


def _write_parameters(path: Path, p: Params, seed: int, scale: str, years: list[int], countries, products,
                      uvm, rows_per_year: dict[int, int]) -> Path:
    doc = {
        "generator": "tcd_pipeline.sample",
        "seed": seed,
        "scale": scale,
        "years": years,
        "simulation_start": SIM_START,
        "countries": len(countries),
        "products": len(products),
        "rows_per_year": {str(y): n for y, n in rows_per_year.items()},
        "coefficients": p.to_dict(),
        "unit_value_equation": "ln uv = alpha_k + lambda_gt + quality_ik + beta (ln gdppc_it - 8.5) "
                               "+ gamma (ln distcap_ij - 8) + eps",
        "resource_profiles": RESOURCE_PROFILES,
        "commodity_prices": {group: dict(zip(range(SIM_START, SIM_END + 1), prices))
                             for group, prices in PRICES.items()},
        "quality_exporter": {countries.iso3[r]: round(float(uvm.quality_exporter[r]), 6)
                             for r in sorted(range(len(countries)), key=lambda r: countries.iso3[r])},
    }
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path
