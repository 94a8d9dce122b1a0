"""The sample world's MFN tariff schedules in the TRAINS bulk layout (``tariffs/AVEMFN_H0_<year>_U2/JobID-<year>.CSV``).

The layout is that of WITS's TRAINS bulk download (read by :mod:`tcd_pipeline.sources.tariffs`):
``NomenCode, Reporter_ISO_N, Year, ProductCode, Sum_Of_Rates, Min_Rate, Max_Rate, SimpleAverage,
Nbr_NA_Lines, Nbr_Free_Lines, Nbr_AVE_Lines, Nbr_Dutiable_Lines, TotalNoOfValidLines,
TotalNoOfLines, EstCode``, one row per reporter x HS6 product (HS 1992, ``H0``), rates in percent;
the folder name says the download (``AVEMFN``: MFN applied). One file a year holds every reporter.

Model, for reporter i, product k of end-use class u (``tcd_pipeline/reference/hs92_bec4_end_use.csv``)
and national tariff line l of k (1 + Poisson(0.8) lines per product)::

    rate_ikl(t) = L_i x m_u x f_k x exp(N(0, 0.35)) x exp(N(0, 0.15)) x 0.985^(t - 2000), in percent
    L_i ~ exp(N(ln 7, 0.35)) clipped to [2, 20];  m_u = 0.55 capital, 0.8 intermediate, 1.6 consumption,
    1.0 not classified;  f_k ~ exp(N(0, 0.45)) (a product's sensitivity, common to all reporters)

rounded to 0.1; a product is duty free in all its lines with probability 0.12 (capital and
intermediate goods) or 0.04, one line in 40 has no ad valorem equivalent (``Nbr_NA_Lines``).
**Customs union**: from ``event_year`` (2010, the setting ``event_year``) Kazakhstan and Belarus
apply Russia's schedule line for line (the common external tariff); before it Kazakhstan's own
schedule is lower, most of all on capital goods: its rates are the CET's x 0.3 (capital), x 0.86
(intermediate), x 0.7 (consumption and not classified), so its averages rise at the event year, the
capital goods' the most (the report, section 3.2: capital goods more than tripled, intermediates +16 %).
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import numpy as np

from tcd_pipeline.sample.world import SCALES, load_countries, load_products

STREAM_TARIFFS = 13
HEADER = ["NomenCode", "Reporter_ISO_N", "Year", "ProductCode", "Sum_Of_Rates", "Min_Rate", "Max_Rate",
          "SimpleAverage", "Nbr_NA_Lines", "Nbr_Free_Lines", "Nbr_AVE_Lines", "Nbr_Dutiable_Lines",
          "TotalNoOfValidLines", "TotalNoOfLines", "EstCode"]
END_USE_FACTOR = {"capital": 0.55, "intermediate": 0.8, "consumption": 1.6, "not classified": 1.0}
FREE_PROBABILITY = {"capital": 0.12, "intermediate": 0.12, "consumption": 0.04, "not classified": 0.04}
CET_SOURCE = "RUS"  # the customs union's common external tariff is Russia's schedule
CET_ADOPTERS = ("KAZ", "BLR")
FOCUS_BEFORE = {"capital": 0.3, "intermediate": 0.86, "consumption": 0.7, "not classified": 0.7}
FOCUS = "KAZ"


def _reference(name: str) -> list[dict[str, str]]:
    text = (resources.files("tcd_pipeline") / "reference" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def end_uses(codes: list[str]) -> list[str]:
    """The end-use class of each HS92 code (``not classified`` where the table has none)."""
    table = {r["hs6"]: r["end_use"] for r in _reference("hs92_bec4_end_use.csv")}
    return [table.get(code, "not classified") for code in codes]


def folder_name(year: int) -> str:
    return f"AVEMFN_H0_{year}_U2"


def write_tariffs(out_dir: Path, years=range(2000, 2019), seed: int = 20261127, scale: str = "sample",
                  event_year: int = 2010, products: list[str] | None = None,
                  reporters: list[str] | None = None) -> list[Path]:
    """Write one schedule file a year under ``out_dir/tariffs``; same arguments give identical bytes.
    ``products`` / ``reporters`` (ISO3) override the scale's (the full-scale benchmark)."""
    years = sorted({int(y) for y in years})
    cfg = SCALES[scale]
    codes = products if products is not None else list(load_products(cfg).code)
    m49 = {r["iso3"]: r["m49"] for r in _reference("m49_iso3.csv")}
    iso3 = reporters if reporters is not None else list(load_countries(cfg).iso3)
    iso3 = sorted((c for c in iso3 if c in m49), key=lambda c: m49[c])
    rng = np.random.default_rng([seed, STREAM_TARIFFS])
    n, k = len(iso3), len(codes)
    use = end_uses(codes)
    factor = np.array([END_USE_FACTOR[u] for u in use])
    free_p = np.array([FREE_PROBABILITY[u] for u in use])
    level = np.clip(np.exp(rng.normal(np.log(7.0), 0.35, n)), 2.0, 20.0)
    sensitivity = np.exp(rng.normal(0.0, 0.45, k))
    lines = 1 + rng.poisson(0.8, (n, k))
    width = int(lines.max())
    base = (level[:, None, None] * (factor * sensitivity)[None, :, None]
            * np.exp(rng.normal(0.0, 0.35, (n, k, 1))) * np.exp(rng.normal(0.0, 0.15, (n, k, width))))
    free = rng.random((n, k)) < free_p[None, :]
    no_ave = rng.random((n, k, width)) < 1 / 40
    row = {c: r for r, c in enumerate(iso3)}
    focus_ratio = np.array([FOCUS_BEFORE[u] for u in use])
    if CET_SOURCE in row:  # adopters keep their own lines' count; the CET line rates are Russia's
        for c in CET_ADOPTERS:
            if c in row:
                lines[row[c]], free[row[c]], no_ave[row[c]] = lines[row[CET_SOURCE]], free[row[CET_SOURCE]], no_ave[row[CET_SOURCE]]
    present = np.arange(width)[None, None, :] < lines[:, :, None]
    paths = []
    for year in years:
        rates = base * 0.985 ** (year - 2000)
        if CET_SOURCE in row:
            cet = rates[row[CET_SOURCE]]
            for c in CET_ADOPTERS:
                if c in row:
                    rates[row[c]] = cet if year >= event_year else (cet * focus_ratio[:, None] if c == FOCUS else rates[row[c]])
        rates = np.round(rates, 1)
        rates[free] = 0.0
        path = Path(out_dir) / "tariffs" / folder_name(year) / f"JobID-{seed % 100000:05d}{year}.CSV"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(HEADER)
            for i, reporter in enumerate(iso3):
                valid = present[i] & ~no_ave[i]
                n_valid = valid.sum(axis=1)
                n_lines = lines[i]
                masked = np.where(valid, rates[i], np.nan)
                with np.errstate(invalid="ignore"):
                    sums = np.nansum(masked, axis=1)
                    lo, hi = np.nanmin(np.where(valid, masked, np.inf), axis=1), np.nanmax(np.where(valid, masked, -np.inf), axis=1)
                n_free = (valid & (rates[i] == 0)).sum(axis=1)
                for p, code in enumerate(codes):
                    if n_valid[p]:
                        avg = f"{sums[p] / n_valid[p]:.6g}"
                        rate_cells = [f"{sums[p]:.6g}", f"{lo[p]:g}", f"{hi[p]:g}", avg]
                    else:
                        rate_cells = ["", "", "", ""]
                    out.writerow(["H0", str(int(m49[reporter])), year, code, *rate_cells, int(n_lines[p] - n_valid[p]),
                                  int(n_free[p]), int(n_valid[p]), int(n_valid[p] - n_free[p]), int(n_valid[p]),
                                  int(n_lines[p]), "0"])
        paths.append(path)
    return paths
