"""A synthetic OECD-layout ICIO for the sample world (``ICIO2023_{year}.csv``, one file per year).

Regions: the sample countries in ISO3 order (CHN and MEX kept as empty blocks, as in the OECD
release), ROW, then CN1/CN2 (China excluding / only export processing) and MX1/MX2 (Mexico
excluding / only global manufacturing). 20 real ICIO 2023 industry codes (:data:`INDUSTRIES`).
Final demand: six categories per destination country (HFCE, NPISH, GGFC, GFCF, INVNT, DPABR),
then OUT; rows TLS, VA, OUT. Values in million USD with two decimals.

The model, for using region g, industry j, supplying region h, product i (year t):

    A[(h,i),(g,j)] = a_j R_g[i,j] x (1 - m_gi) d_gh      (h a region of g's country)
                                 x m_gi pi_gih            (h abroad)
    a_j   intermediate share of output (:data:`INTERMEDIATE`; lower for mining when oil is dear)
    R_g   input recipe: column-normalised supplier weights (:data:`RECIPE` + generic services),
          with fixed country noise (lognormal sd 0.25) and year noise (sd 0.05)
    m_gi  import share of product i: tradability x openness of g (trade share, size)
    pi_gih origins: capacity_hi / distance_gh; capacity = GDP_h x specialisation (resource
          exporters in mining, China/Mexico splits in electronics and vehicles, from the
          RESOURCE_PROFILES of the sample world); mining capacity grows with GDP^0.5 (an
          endowment) and, for oil and gas, with the oil price^0.8
    d_gh  split countries: which region supplies domestic demand (CN1/MX1 mostly)

Final demand of country c: FD_c x composition x (domestic or import origins as above).
x = (I - A)^-1 Y 1; FD_c is scaled until each country's value added equals its GDP in
:func:`tcd_pipeline.sample.macro.build_macro` (ROW: world minus sample). TLS = 1-4% of output,
VA = x - column sums of Z - TLS (positive: a_j + tls_j < 0.9). Inventory changes are drawn
per cell (negative in about a third of goods cells). Kazakhstan's oil and metal-ore capacity
makes it mining-heavy with high forward participation, as in the ADB MRIO results staged in
../shared/data/adb_kaz_gvc. Same arguments give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import scipy.linalg as sla

from tcd_pipeline.sample import geo
from tcd_pipeline.sample.macro import build_macro
from tcd_pipeline.sample.world import (
    COPPER,
    COPPER_ORE,
    FERRO_CHROME,
    GAS,
    GAS_LNG,
    OIL,
    RESOURCE_PROFILES,
    SAMPLE_COUNTRIES,
    SCALES,
    SIM_END,
    SIM_START,
    URANIUM,
    Scale,
    load_countries,
    price_index,
)

STREAM_ICIO = 11
RELEASE = "ICIO2023"
INDUSTRIES = ("A01_02", "B05_06", "B07_08", "C10T12", "C13T15", "C19", "C20", "C23", "C24", "C25", "C26", "C28",
              "C29", "D", "F", "G", "H49", "K", "L", "O")  # fmt: skip
FD_CATEGORIES = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR")
SPLITS = {"CHN": ("CN1", "CN2"), "MEX": ("MX1", "MX2")}
_I = {code: k for k, code in enumerate(INDUSTRIES)}
# a_j: intermediate inputs / output; tls_j: taxes less subsidies on intermediates / output
INTERMEDIATE = dict(A01_02=.45, B05_06=.35, B07_08=.45, C10T12=.72, C13T15=.68, C19=.82, C20=.70, C23=.62, C24=.74,
                    C25=.64, C26=.72, C28=.66, C29=.78, D=.60, F=.60, G=.40, H49=.52, K=.40, L=.22, O=.35)
TLS = dict(A01_02=.005, B05_06=.03, B07_08=.02, C10T12=.03, C13T15=.02, C19=.04, C20=.02, C23=.02, C24=.02, C25=.02,
           C26=.015, C28=.015, C29=.02, D=.03, F=.02, G=.015, H49=.03, K=.01, L=.01, O=.01)
GENERIC = dict(G=.10, H49=.07, K=.06, D=.05, L=.03, C19=.03, C20=.02, C25=.02, F=.01)
RECIPE = {  # user: {supplier: weight}
    "A01_02": dict(A01_02=.25, C20=.15, C19=.08, C10T12=.08), "B05_06": dict(B05_06=.15, C28=.10, C25=.10, F=.05),
    "B07_08": dict(B07_08=.10, C28=.12, C19=.08, D=.10, C20=.05), "C10T12": dict(A01_02=.45, C10T12=.20),
    "C13T15": dict(C13T15=.35, A01_02=.10, C20=.12), "C19": dict(B05_06=.75, C19=.05),
    "C20": dict(B05_06=.20, C19=.15, C20=.30, B07_08=.05), "C23": dict(B07_08=.20, C23=.15, D=.10),
    "C24": dict(B07_08=.35, C24=.25, D=.08), "C25": dict(C24=.45, C25=.15, C28=.05),
    "C26": dict(C26=.55, C20=.05, C24=.05), "C28": dict(C24=.15, C25=.20, C26=.12, C28=.20),
    "C29": dict(C29=.35, C24=.10, C25=.12, C26=.10, C28=.05), "D": dict(B05_06=.35, C19=.10, D=.20),
    "F": dict(C23=.25, C25=.15, C24=.10, F=.10), "G": dict(G=.15, L=.10, H49=.10),
    "H49": dict(C19=.30, H49=.15, C29=.05),
    "K": dict(K=.35, L=.05), "L": dict(L=.10, F=.25, K=.15), "O": dict(G=.10, C26=.05, L=.10, C10T12=.03),
}
TRADABLE = dict(A01_02=.18, B05_06=.60, B07_08=.45, C10T12=.18, C13T15=.35, C19=.45, C20=.40, C23=.12, C24=.40,
                C25=.25, C26=.45, C28=.38, C29=.38, D=.02, F=.01, G=.02, H49=.05, K=.04, L=.01, O=.01)
FINAL = dict(A01_02=.03, B05_06=.002, B07_08=.001, C10T12=.12, C13T15=.04, C19=.03, C20=.02, C23=.005, C24=.003,
             C25=.01, C26=.04, C28=.04, C29=.05, D=.03, F=.13, G=.14, H49=.04, K=.05, L=.12, O=.15)
# final-demand category split of a cell: (HFCE, NPISH, GGFC, GFCF, DPABR); INVNT is drawn per cell
CATEGORY = {"F": (.05, 0, .05, .90, 0), "O": (.03, .02, .95, 0, 0), "C28": (.25, 0, .05, .70, 0),
            "C29": (.55, 0, .02, .43, 0), "C26": (.60, 0, .05, .35, 0), "K": (.88, .02, .10, 0, 0),
            "L": (.97, .01, .02, 0, 0), "G": (.93, .01, .03, .02, .01), "H49": (.90, .01, .05, .02, .02)}
DEFAULT_CATEGORY = (.84, .01, .03, .12, 0)
GOODS = {code for code in INDUSTRIES if code[0] in "ABC"}
ENERGY_EXPORTERS = {iso for iso, p in RESOURCE_PROFILES.items() if p["index"] == "energy"}


def write_icio(out_dir: Path, years=range(2005, 2019), seed: int = 20261127,
               countries: list[str] | None = None) -> list[Path]:
    """Write ``ICIO2023_{year}.csv`` for each year under ``out_dir``; returns the paths."""
    wanted = sorted({int(y) for y in years})
    if not wanted or wanted[0] < SIM_START or wanted[-1] > SIM_END:
        raise ValueError(f"years must be within {SIM_START}-{SIM_END} (the commodity price series), got {wanted}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = _World.build(list(countries or SAMPLE_COUNTRIES), seed)
    paths = []
    for year in wanted:
        frame = _year_frame(world, year, seed)
        path = out_dir / f"{RELEASE}_{year}.csv"
        frame.write_csv(path, line_terminator="\n")
        paths.append(path)
    return paths


class _World:
    """Regions, countries, distances and the fixed (seed-only) structure of the sample ICIO."""

    @classmethod
    def build(cls, iso3: list[str], seed: int) -> "_World":
        w = cls()
        cs = load_countries(Scale("icio", tuple(iso3), None, 0))
        full = load_countries(SCALES["full"])
        w.macro, w.macro_full, w.cs = build_macro(cs, seed), build_macro(full, seed), cs
        w.countries = sorted(iso3) + ["ROW"]
        w.regions = list(w.countries) + [r for c in sorted(SPLITS) if c in iso3 for r in SPLITS[c]]
        w.region_country = [next((c for c, s in SPLITS.items() if r in s), r) for r in w.regions]
        w.active = np.array([r not in SPLITS or r not in iso3 for r in w.regions])  # CHN, MEX blocks empty
        dist = geo.distances(cs)["distcap"]
        index = {c: k for k, c in enumerate(cs.iso3)}
        n_c = len(w.countries)
        w.dist = np.full((n_c, n_c), 7000.0)
        for a, ca in enumerate(w.countries):
            for b, cb in enumerate(w.countries):
                if ca in index and cb in index:
                    w.dist[a, b] = dist[index[ca], index[cb]]
        rng = np.random.default_rng([seed, STREAM_ICIO, 0])
        n_r, n_i = len(w.regions), len(INDUSTRIES)
        w.recipe_noise = np.exp(0.25 * rng.standard_normal((n_r, n_i, n_i)))
        w.spec = np.exp(0.3 * rng.standard_normal((n_r, n_i)))
        for g, region in enumerate(w.regions):
            w.spec[g] *= _specialisation(region)
        w.openness = np.ones(n_r)
        for g, country in enumerate(w.region_country):
            if country in index:
                k = index[country]
                trade = w.macro.trade[k, 2005 - w.macro.years[0]]
                size = w.macro.gdp[k, 2005 - w.macro.years[0]] / 1e12
                w.openness[g] = np.clip((trade / 60.0) ** 0.5 * size ** -0.05, 0.4, 1.5)
        return w

    def gdp(self, year: int) -> np.ndarray:
        """GDP (million USD) of each country of ``self.countries`` (ROW = world minus sample)."""
        col = year - self.macro.years[0]
        sample = {c: self.macro.gdp[k, col] / 1e6 for k, c in enumerate(self.cs.iso3)}
        world = self.macro_full.gdp[:, col].sum() / 1e6
        return np.array([sample.get(c, world - sum(sample.values())) for c in self.countries])


def _specialisation(region: str) -> np.ndarray:
    """Capacity multipliers by industry (resource profiles, processing regions, big exporters)."""
    s = np.ones(len(INDUSTRIES))
    shares = RESOURCE_PROFILES.get(region, {}).get("shares", {})
    s[_I["B05_06"]] *= 1 + 16 * sum(shares.get(k, 0) for k in (OIL, GAS, GAS_LNG))
    s[_I["B07_08"]] *= 1 + 30 * sum(shares.get(k, 0) for k in (COPPER_ORE, URANIUM))
    s[_I["C24"]] *= 1 + 10 * sum(shares.get(k, 0) for k in (COPPER, FERRO_CHROME))
    extra = {"ROW": dict(B05_06=4, B07_08=2), "CN1": dict(C13T15=2, C24=2, C23=2, C28=1.5),
             "CN2": dict(C26=8, C13T15=4, C28=2, A01_02=0.1, B05_06=0.02, B07_08=0.02, D=0.2, F=0.05, L=0.05, O=0.05),
             "MX1": dict(B05_06=3, A01_02=1.5), "MX2": dict(C29=6, C26=4, C28=2, A01_02=0.1, B05_06=0.02, D=0.2,
                                                            F=0.05, L=0.05, O=0.05),
             "DEU": dict(C29=2.5, C28=2.5, C20=1.5), "JPN": dict(C29=2, C26=2, C28=2), "KOR": dict(C26=3, C29=2),
             "USA": dict(C26=1.5, K=1.5, C20=1.5), "IND": dict(C13T15=2, C19=1.5), "VNM": dict(C13T15=3, C26=2),
             "THA": dict(C29=1.5, A01_02=1.5), "BRA": dict(A01_02=2, B07_08=3), "AUS": dict(B07_08=5, B05_06=2),
             "ZAF": dict(B07_08=4), "NLD": dict(C19=2, C20=2), "BEL": dict(C20=2), "CHE": dict(C20=2.5, K=2),
             "UKR": dict(C24=3, A01_02=2), "UZB": dict(A01_02=1.5, B05_06=2), "CAN": dict(B05_06=3)}
    for code, mult in extra.get(region, {}).items():
        s[_I[code]] *= mult
    return s


def _year_frame(w: _World, year: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng([seed, STREAM_ICIO, year])
    n_r, n_i, n_c = len(w.regions), len(INDUSTRIES), len(w.countries)
    gn = n_r * n_i
    oil = np.exp(price_index("energy")[year - 1995] - price_index("energy")[2005 - 1995])  # price relative to 2005
    region_country = np.array([w.countries.index(c) for c in w.region_country])
    gdp = w.gdp(year)
    capacity = w.spec * gdp[region_country][:, None] * w.active[:, None]  # (regions, products)
    # natural resources are endowments: mining capacity follows GDP only partly, oil also its price
    mining = [_I["B05_06"], _I["B07_08"]]
    capacity[:, mining] *= ((w.gdp(2005) / gdp) ** 0.5)[region_country][:, None]
    capacity[:, _I["B05_06"]] *= oil ** 0.8

    inter = np.array([INTERMEDIATE[c] for c in INDUSTRIES])
    inter[_I["B05_06"]] *= oil ** -0.3
    tls = np.array([TLS[c] for c in INDUSTRIES]) * np.exp(0.1 * rng.standard_normal((n_r, n_i)))
    recipe = np.array([[RECIPE[user].get(sup, 0.0) + GENERIC.get(sup, 0.005) for user in INDUSTRIES]
                       for sup in INDUSTRIES])  # (supplier, user)
    recipe[_I["B05_06"]] *= oil ** 0.5
    tradable = np.array([TRADABLE[c] for c in INDUSTRIES])

    A = np.zeros((gn, gn))
    Y = np.zeros((gn, n_c))
    comp = np.array([FINAL[c] for c in INDUSTRIES])
    comp /= comp.sum()
    for g in np.flatnonzero(w.active):
        R = recipe * w.recipe_noise[g] * np.exp(0.05 * rng.standard_normal((n_i, n_i)))
        R /= R.sum(axis=0, keepdims=True)
        m = _import_share(w, g, tradable, processing=w.regions[g] in ("CN2", "MX2"))
        origin = _origins(w, g, capacity)  # (products, regions): imports by origin region
        local = _domestic_split(w, g, capacity)  # (products, regions): domestic supply by region
        share = (1 - m)[:, None] * local + m[:, None] * origin  # (products, supplying regions)
        A[:, g * n_i:(g + 1) * n_i] = (share.T[:, :, None] * (R * inter[None, :])[None]).reshape(gn, n_i)
    for c, country in enumerate(w.countries):
        g = w.regions.index(SPLITS[country][0]) if country in SPLITS and SPLITS[country][0] in w.regions else \
            w.regions.index(country)
        m = _import_share(w, g, tradable, processing=False)
        origin, local = _origins(w, g, capacity), _domestic_split(w, g, capacity, final=True)
        share = (1 - m)[:, None] * local + m[:, None] * origin  # (products, regions)
        Y[:, c] = (share * comp[:, None]).T.ravel()

    # scale final demand until value added matches GDP
    va_coef = 1.0 - A.sum(axis=0) - tls.ravel() * np.repeat(w.active, n_i)
    country_of_row = np.repeat(region_country, n_i)
    fd = gdp.copy()
    lu = sla.lu_factor(np.eye(gn) - A)
    for _ in range(60):
        x = sla.lu_solve(lu, (Y * fd[None, :]).sum(axis=1))
        va = np.bincount(country_of_row, weights=va_coef * x, minlength=n_c)
        ratio = gdp / np.where(va > 0, va, 1.0)
        fd *= ratio
        if np.abs(ratio - 1).max() < 1e-9:
            break
    Yc = Y * fd[None, :]
    x = sla.lu_solve(lu, Yc.sum(axis=1))
    Z = A * x[None, :]
    return _frame(w, Z, Yc, x, tls, rng)


def _import_share(w: _World, g: int, tradable: np.ndarray, processing: bool) -> np.ndarray:
    m = tradable * w.openness[g] * (1.6 if processing else 1.0)
    country = w.region_country[g]
    if country in ENERGY_EXPORTERS or country == "ROW":
        m[_I["B05_06"]] *= 0.1
    if country in ENERGY_EXPORTERS:  # oil money buys domestic services and construction, not imports
        m *= 0.55
    if country in ("CHL", "AUS", "ZAF", "BRA", "KAZ", "ROW"):
        m[_I["B07_08"]] *= 0.2
    return np.clip(m, 0.0, 0.92)


def _origins(w: _World, g: int, capacity: np.ndarray) -> np.ndarray:
    """Import origin shares (products x regions) by gravity, excluding g's own country."""
    c = w.countries.index(w.region_country[g])
    reg_c = np.array([w.countries.index(x) for x in w.region_country])
    weight = capacity.T / w.dist[c, reg_c][None, :]
    weight[:, reg_c == c] = 0.0
    return weight / weight.sum(axis=1, keepdims=True)


def _domestic_split(w: _World, g: int, capacity: np.ndarray, final: bool = False) -> np.ndarray:
    """Which of the country's regions supplies its domestic purchases (products x regions)."""
    out = np.zeros((len(INDUSTRIES), len(w.regions)))
    members = [h for h, c in enumerate(w.region_country) if c == w.region_country[g] and w.active[h]]
    if len(members) == 1:
        out[:, members[0]] = 1.0
        return out
    weight = capacity[members].T.copy()  # (products, members)
    weight[:, 1:] *= 0.02 if final else 0.25  # export-processing regions sell little at home
    out[:, members] = weight / weight.sum(axis=1, keepdims=True)
    return out


def _frame(w: _World, Z: np.ndarray, Yc: np.ndarray, x: np.ndarray, tls_share: np.ndarray,
           rng: np.random.Generator) -> pl.DataFrame:
    """Round to 2 decimals, split final demand into categories, close rows and columns, label."""
    n_i = len(INDUSTRIES)
    labels = [f"{r}_{i}" for r in w.regions for i in INDUSTRIES]
    goods = np.tile(np.array([c in GOODS for c in INDUSTRIES]), len(w.regions))
    inv = np.where(goods[:, None], np.clip(rng.normal(0.015, 0.04, Yc.shape), -0.10, 0.15), 0.0)
    split = np.array([CATEGORY.get(c, DEFAULT_CATEGORY) for c in INDUSTRIES] * len(w.regions))  # (rows, 5)
    rest = 1.0 - inv
    parts = {"HFCE": split[:, [0]] * rest, "NPISH": split[:, [1]] * rest, "GGFC": split[:, [2]] * rest,
             "GFCF": split[:, [3]] * rest, "INVNT": inv, "DPABR": split[:, [4]] * rest}
    r2 = lambda a: np.round(a, 2) + 0.0  # noqa: E731 (+ 0.0 turns -0.0 into 0.0)
    Z = r2(Z)
    cells = {f"{country}_{cat}": r2(parts[cat][:, c] * Yc[:, c])
             for c, country in enumerate(w.countries) for cat in FD_CATEGORIES}
    out = r2(Z.sum(axis=1) + np.sum(list(cells.values()), axis=0))  # sums of 2-decimal cells, float noise off
    tls = r2(tls_share.ravel() * np.repeat(w.active, n_i) * x)
    va = r2(out - Z.sum(axis=0) - tls)
    fd_total = {k: float(v.sum()) for k, v in cells.items()}
    columns = {"": labels + ["TLS", "VA", "OUT"]}
    for j, label in enumerate(labels):
        columns[label] = np.concatenate([Z[:, j], [tls[j], va[j], out[j]]])
    for key, values in cells.items():
        tax = round(0.08 * fd_total[key], 2) + 0.0
        columns[key] = np.concatenate([values, [tax, 0.0, round(fd_total[key] + tax, 2)]])
    columns["OUT"] = r2(np.concatenate([out, [tls.sum(), va.sum(), out.sum()]]))
    return pl.DataFrame(columns)
