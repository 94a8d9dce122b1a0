"""The sample world's services trade in the UNCTADstat layout (``services/US_TradeServCatTotal.csv``).

The layout is that of UNCTADstat's bulk file for "Services (BPM6): Exports and imports by
service-category, trading partner world, annual" (read by
:mod:`tcd_pipeline.sources.services`): ``Year, Economy, Economy Label, Flow, Flow Label,
Category, Category Label, US$ at current prices in millions`` plus the measure's ``Footnote``
and ``Missing value`` columns; economies by UN M49 code, rows for the World (``0000``) too.

Model, for country i and year t (GDP and trade share from :mod:`tcd_pipeline.sample.macro`)::

    services exports_it = GDP_it x trade_it / 200 x s_i x exp(a_it)       (imports: s'_i, a'_it)
    s_i ~ 0.22 exp(N(0, 0.35)) clipped to [0.05, 0.6], a_it an AR(1) (rho 0.8, sd 0.06)
    category shares_ict = softmax(ln base_c + b_ic + r_ict),  b_ic ~ N(0, 0.4),
                          r_ict a random walk with sd 0.05 a year

``base_c`` are typical EBOPS 2010 shares of world services exports (transport 18 %, travel 22 %,
other business services 24 %, telecommunications, computer and information 10 %, ...); the
total ``S`` is the sum of the 12 main items. About 3 % of category cells (never ``S``) are
published empty with "Not available" in the Missing value column, as UNCTADstat does for
confidential or unreported items; 5 % of values carry the footnote "Estimated".
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import numpy as np

from tcd_pipeline.sample.macro import build_macro
from tcd_pipeline.sample.world import SCALES, load_countries

STREAM_SERVICES = 11
FILE_NAME = "US_TradeServCatTotal.csv"
VALUE = "US$ at current prices in millions"
HEADER = ["Year", "Economy", "Economy Label", "Flow", "Flow Label", "Category", "Category Label",
          VALUE, f"{VALUE} Footnote", f"{VALUE} Missing value"]
CATEGORIES = (  # EBOPS 2010 main items, base share of services exports
    ("SA", "Manufacturing services on physical inputs owned by others", 0.02),
    ("SB", "Maintenance and repair services n.i.e.", 0.02),
    ("SC", "Transport", 0.18),
    ("SD", "Travel", 0.22),
    ("SE", "Construction", 0.03),
    ("SF", "Insurance and pension services", 0.02),
    ("SG", "Financial services", 0.07),
    ("SH", "Charges for the use of intellectual property n.i.e.", 0.05),
    ("SI", "Telecommunications, computer, and information services", 0.10),
    ("SJ", "Other business services", 0.24),
    ("SK", "Personal, cultural, and recreational services", 0.02),
    ("SL", "Government goods and services n.i.e.", 0.03),
)
TOTAL = ("S", "Services")
FLOWS = (("02", "Exports"), ("01", "Imports"))
#: Economies whose services are known to lean on one item (KAZ: transit and pipeline transport).
TILTS = {"KAZ": {"SC": 0.8, "SE": 0.4}, "RUS": {"SC": 0.4}, "TUR": {"SD": 0.6}, "THA": {"SD": 0.7},
         "IND": {"SI": 1.0}, "GBR": {"SG": 0.6}, "CHE": {"SG": 0.5}, "USA": {"SH": 0.6}}


def _m49() -> dict[str, str]:
    text = (resources.files("tcd_pipeline") / "reference" / "m49_iso3.csv").read_text(encoding="utf-8")
    return {row["iso3"]: row["m49"] for row in csv.DictReader(io.StringIO(text))}


def _ar1(rng: np.random.Generator, n: int, t: int, rho: float, sd: float) -> np.ndarray:
    out = np.empty((n, t))
    out[:, 0] = rng.normal(0, sd / np.sqrt(1 - rho**2), n)
    for k in range(1, t):
        out[:, k] = rho * out[:, k - 1] + rng.normal(0, sd, n)
    return out


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def write_services(out_dir: Path, years=range(2005, 2019), seed: int = 20261127, scale: str = "sample") -> Path:
    """Write ``out_dir/services/US_TradeServCatTotal.csv``; same arguments give identical bytes."""
    years = sorted({int(y) for y in years})
    countries = load_countries(SCALES[scale])
    macro = build_macro(countries, seed)
    m49 = _m49()
    keep = [i for i, iso in enumerate(countries.iso3) if iso in m49]
    rng = np.random.default_rng([seed, STREAM_SERVICES])
    n, t, c = len(countries), len(years), len(CATEGORIES)
    base = np.log([share for _, _, share in CATEGORIES])
    rows: list[list[str]] = []
    world = np.zeros((len(FLOWS), t, c + 1))
    cols = [macro.col(y) for y in years]
    gdp, trade = macro.gdp[:, cols], macro.trade[:, cols]
    values = {}
    for f, _ in enumerate(FLOWS):
        level = np.clip(0.22 * np.exp(rng.normal(0, 0.35, n)), 0.05, 0.6)
        total = gdp * trade / 200.0 * level[:, None] * np.exp(_ar1(rng, n, t, 0.8, 0.06)) / 1e6
        tilt = np.array([[TILTS.get(iso, {}).get(code, 0.0) for code, _, _ in CATEGORIES] for iso in countries.iso3])
        logits = base[None, None, :] + rng.normal(0, 0.4, (n, 1, c)) + tilt[:, None, :]
        logits = logits + np.cumsum(rng.normal(0, 0.05, (n, t, c)), axis=1)
        shares = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
        values[f] = total[:, :, None] * shares  # country x year x category, USD millions
    missing = rng.random((len(FLOWS), n, t, c)) < 0.03
    estimated = rng.random((len(FLOWS), n, t, c + 1)) < 0.05
    for y, year in enumerate(years):
        for i in sorted(keep, key=lambda r: m49[countries.iso3[r]]):
            for f, (flow, flow_label) in enumerate(FLOWS):
                cells = values[f][i, y]
                rows.append([str(year), m49[countries.iso3[i]], countries.name[i], flow, flow_label, *TOTAL,
                             _fmt(cells.sum()), "Estimated" if estimated[f, i, y, c] else "", ""])
                world[f, y, c] += cells.sum()
                for k, (code, label, _) in enumerate(CATEGORIES):
                    if missing[f, i, y, k]:
                        rows.append([str(year), m49[countries.iso3[i]], countries.name[i], flow, flow_label,
                                     code, label, "", "", "Not available"])
                        continue
                    world[f, y, k] += cells[k]
                    rows.append([str(year), m49[countries.iso3[i]], countries.name[i], flow, flow_label, code, label,
                                 _fmt(cells[k]), "Estimated" if estimated[f, i, y, k] else "", ""])
        for f, (flow, flow_label) in enumerate(FLOWS):
            rows.append([str(year), "0000", "World", flow, flow_label, *TOTAL, _fmt(world[f, y, c]), "", ""])
            for k, (code, label, _) in enumerate(CATEGORIES):
                rows.append([str(year), "0000", "World", flow, flow_label, code, label, _fmt(world[f, y, k]), "", ""])
    path = Path(out_dir) / "services" / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(HEADER)
        out.writerows(rows)
    return path
