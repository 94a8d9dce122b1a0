"""The sample world's cast: countries, products, commodity prices and the model's parameters.

Everything here is read from the package's own reference tables (``data/*.csv``, provenance in
``data/README.md``) or written down as constants; nothing reads ``../shared`` at run time.
The model that uses these parameters is documented in :mod:`tcd_pipeline.sample.flows`.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "data"

#: Simulated calendar. The entry/exit process always starts in ``SIM_START`` (a burn-in before
#: the first published year), so a year's file does not depend on which other years are written.
SIM_START, SIM_END, BASE_YEAR = 1995, 2024, 2000

#: scale="sample": 42 real economies (Kazakhstan and its trade partners and peers).
SAMPLE_COUNTRIES = (
    "KAZ", "RUS", "AZE", "CHL", "IDN", "MEX", "THA", "VNM", "CHN", "USA",
    "DEU", "FRA", "ITA", "NLD", "POL", "ESP", "BEL", "AUT", "CZE", "SWE", "ROU",
    "KGZ", "UZB", "BLR", "ARM", "TJK", "UKR", "GEO",
    "JPN", "KOR", "IND", "TUR", "BRA", "GBR", "CHE",
    "SAU", "ARE", "NOR", "CAN", "AUS", "ZAF", "MYS",
)  # fmt: skip

#: EU-27 (the composition of the World Bank's ``EUU`` aggregate).
EU27 = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
)  # fmt: skip

OIL, GAS_LNG, GAS, COPPER, COPPER_ORE, FERRO_CHROME, URANIUM, WHEAT = (
    "270900", "271111", "271121", "740311", "260300", "720241", "284420", "100190",
)  # fmt: skip

#: Resource exporters: HS6 -> share of the exporter's exports at BASE_YEAR prices, plus the
#: weight of the resource price cycle in GDP per capita ("gdp_weight") and which index drives it.
RESOURCE_PROFILES: dict[str, dict] = {
    "KAZ": {"shares": {OIL: 0.50, COPPER: 0.06, FERRO_CHROME: 0.05, WHEAT: 0.04, GAS: 0.03,
                       URANIUM: 0.03, GAS_LNG: 0.01}, "gdp_weight": 0.6, "index": "energy"},
    "RUS": {"shares": {OIL: 0.33, GAS: 0.13, GAS_LNG: 0.01, WHEAT: 0.02}, "gdp_weight": 0.5, "index": "energy"},
    "AZE": {"shares": {OIL: 0.72, GAS: 0.05}, "gdp_weight": 0.7, "index": "energy"},
    "CHL": {"shares": {COPPER: 0.30, COPPER_ORE: 0.14}, "gdp_weight": 0.3, "index": "metals"},
    "SAU": {"shares": {OIL: 0.72, GAS_LNG: 0.02}, "gdp_weight": 0.6, "index": "energy"},
    "ARE": {"shares": {OIL: 0.40, GAS_LNG: 0.04}, "gdp_weight": 0.4, "index": "energy"},
    "NOR": {"shares": {OIL: 0.40, GAS: 0.16}, "gdp_weight": 0.3, "index": "energy"},
    "KWT": {"shares": {OIL: 0.80}, "gdp_weight": 0.7, "index": "energy"},
    "QAT": {"shares": {OIL: 0.35, GAS_LNG: 0.35}, "gdp_weight": 0.7, "index": "energy"},
    "OMN": {"shares": {OIL: 0.60, GAS_LNG: 0.08}, "gdp_weight": 0.6, "index": "energy"},
    "IRN": {"shares": {OIL: 0.70}, "gdp_weight": 0.5, "index": "energy"},
    "IRQ": {"shares": {OIL: 0.90}, "gdp_weight": 0.7, "index": "energy"},
    "NGA": {"shares": {OIL: 0.80, GAS_LNG: 0.08}, "gdp_weight": 0.5, "index": "energy"},
    "AGO": {"shares": {OIL: 0.90}, "gdp_weight": 0.7, "index": "energy"},
    "DZA": {"shares": {OIL: 0.45, GAS: 0.30, GAS_LNG: 0.10}, "gdp_weight": 0.6, "index": "energy"},
    "LBY": {"shares": {OIL: 0.85}, "gdp_weight": 0.7, "index": "energy"},
    "VEN": {"shares": {OIL: 0.75}, "gdp_weight": 0.5, "index": "energy"},
    "TKM": {"shares": {GAS: 0.55, OIL: 0.10}, "gdp_weight": 0.6, "index": "energy"},
    "BRN": {"shares": {OIL: 0.45, GAS_LNG: 0.45}, "gdp_weight": 0.7, "index": "energy"},
    "GAB": {"shares": {OIL: 0.75}, "gdp_weight": 0.6, "index": "energy"},
    "COG": {"shares": {OIL: 0.80}, "gdp_weight": 0.6, "index": "energy"},
    "GNQ": {"shares": {OIL: 0.80, GAS_LNG: 0.10}, "gdp_weight": 0.7, "index": "energy"},
    "TTO": {"shares": {GAS_LNG: 0.30, OIL: 0.15}, "gdp_weight": 0.4, "index": "energy"},
    "PER": {"shares": {COPPER_ORE: 0.15, COPPER: 0.05}, "gdp_weight": 0.2, "index": "metals"},
    "ZMB": {"shares": {COPPER: 0.65}, "gdp_weight": 0.5, "index": "metals"},
    "COD": {"shares": {COPPER: 0.35, COPPER_ORE: 0.10}, "gdp_weight": 0.4, "index": "metals"},
}

#: Commodity price indices (approximate annual averages, nominal USD; stylised after the
#: World Bank commodity price data): crude oil USD/bbl, copper USD/t, wheat USD/t.
PRICES = {
    "energy": (17.2, 20.4, 19.3, 13.1, 18.0, 28.2, 24.3, 25.0, 28.9, 37.7, 53.4, 64.3, 71.1, 97.0, 61.8,
               79.0, 104.0, 105.0, 104.1, 96.2, 50.8, 42.8, 52.8, 68.3, 61.4, 41.3, 69.1, 97.1, 80.6, 79.0),
    "metals": (2936, 2295, 2276, 1654, 1573, 1813, 1578, 1560, 1779, 2866, 3679, 6722, 7118, 6956, 5150,
               7535, 8828, 7962, 7332, 6863, 5510, 4868, 6170, 6530, 6010, 6181, 9317, 8822, 8490, 9147),
    "agri": (177, 208, 160, 126, 112, 114, 127, 149, 146, 157, 152, 192, 255, 326, 224,
             224, 316, 313, 312, 285, 204, 167, 174, 210, 202, 212, 315, 430, 340, 270),
}  # fmt: skip
GROUPS = ("other", "energy", "metals", "agri")  # product price groups, index = Products.group

#: HS sections (I..XXI) as chapter ranges.
HS_SECTIONS = ((1, 5), (6, 14), (15, 15), (16, 24), (25, 27), (28, 38), (39, 40), (41, 43), (44, 46),
               (47, 49), (50, 63), (64, 67), (68, 70), (71, 71), (72, 83), (84, 85), (86, 89),
               (90, 92), (93, 93), (94, 96), (97, 97))  # fmt: skip
#: Typical ln(USD per tonne) of each section, the centre of the products' base unit values.
SECTION_LN_UV = np.log([3000, 700, 900, 1500, 120, 2500, 2500, 6000, 500, 1000, 9000, 15000, 800,
                        200000, 2500, 25000, 12000, 60000, 25000, 6000, 150000])  # fmt: skip
#: Base unit values (USD/t in BASE_YEAR) of the named resource products.
RESOURCE_UV = {OIL: 210, GAS_LNG: 160, GAS: 110, COPPER: 1800, COPPER_ORE: 600, FERRO_CHROME: 750,
               URANIUM: 60000, WHEAT: 120}  # fmt: skip


@dataclass(frozen=True)
class Scale:
    """Size of the world: which countries, how many products, how many flow rows a year."""

    name: str
    countries: tuple[str, ...] | None  # None = every country of data/countries.csv
    n_products: int | None  # None = every HS92 code
    target_rows: int  # expected flow rows per year (calibrates the extensive margin)


SCALES = {
    "sample": Scale("sample", SAMPLE_COUNTRIES, 600, 70_000),
    "full": Scale("full", None, None, 10_000_000),
}


@dataclass(frozen=True)
class Params:
    """Coefficients of the model (names follow the formulas in :mod:`tcd_pipeline.sample.flows`)."""

    # extensive margin (which exporter x destination x product relations can exist)
    a_ext: float = 1.0  # exporter size (std. ln GDP) in the relation propensity G
    b_ext: float = 0.7  # importer size
    sd_c: float = 0.8  # product tradability C_k
    theta_ext: float = 0.9  # distance elasticity of the propensity
    lang_ext: float = 0.4  # common official language
    sd_u: float = 1.2  # relation-specific propensity noise u_ijk
    resource_ext: float = 5.0  # propensity boost of a resource exporter's resource products
    new_product_share: float = 0.12  # share of exporter x product pairs that open after SIM_START
    new_market_share: float = 0.10  # share of exporter x destination pairs that open after SIM_START
    # entry / exit
    h0: float = 0.55  # exit hazard of a new, marginal relation
    kappa: float = 0.6  # duration dependence: hazard ~ duration^-kappa
    delta: float = 0.55  # size dependence: hazard ~ exp(-delta z)
    h_min: float = 0.01
    e0: float = 0.22  # entry probability of a marginal inactive relation
    eps: float = 0.35  # entry ~ exp(eps z)
    e_max: float = 0.8
    reentry: float = 2.0  # entry multiplier for relations that were active before
    # intensive margin: ln v
    sd_w: float = 2.0  # persistent flow-specific value noise (sd_w w_ijk)
    size_w: float = 0.5  # loading of w_ijk in the size index z that drives entry and exit
    sd_e: float = 0.5  # year-to-year value noise
    elast_x: float = 0.8  # exporter nominal GDP growth (x (1 - gdp_weight) for resource exporters)
    elast_m: float = 0.6  # importer nominal GDP growth
    commodity_volume_trend: float = 0.03
    ramp1: float = -0.7  # ln v adjustment in a relation's first year
    ramp2: float = -0.3  # ... second year
    goods_export_ratio: float = 0.4  # BASE_YEAR exports = ratio x trade share (% GDP)/100 x GDP
    # unit values: ln uv
    beta: float = 0.45  # exporter ln GDP per capita
    gamma: float = 0.15  # ln distance
    sd_alpha: float = 0.7  # product base unit value around its section's centre
    quality_income: float = 0.15  # loading of the exporter quality on std. ln GDP per capita
    sd_quality_exporter: float = 0.35
    sd_quality_pair: float = 0.35  # eta_ik
    sd_uv: float = 0.3  # eps of ln uv
    other_inflation: float = 0.02  # lambda_t of non-commodity products, per year
    q_missing: float = 0.02  # share of flows whose quantity is NA

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Countries:
    """The world's countries, ordered by BACI code (the order of every per-country array)."""

    baci: np.ndarray  # int BACI numeric code
    iso2: list[str]
    iso3: list[str]
    name: list[str]
    cepii_iso3: list[str]  # code in CEPII GeoDist (ROM for ROU, ZAR for COD, ...)
    table: dict[str, np.ndarray]  # the numeric columns of data/countries.csv
    lang_off: list[set[str]]
    lang_ethno: list[set[str]]
    colonizers: list[set[str]]

    def __len__(self) -> int:
        return len(self.iso3)


@dataclass(frozen=True)
class Products:
    """The world's HS92 6-digit products, ordered by code."""

    code: list[str]
    description: list[str]
    section: np.ndarray  # 1..21
    group: np.ndarray  # index into GROUPS

    def __len__(self) -> int:
        return len(self.code)


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_countries(scale: Scale) -> Countries:
    rows = _read("countries.csv")
    if scale.countries is not None:
        wanted = set(scale.countries)
        rows = [r for r in rows if r["iso3"] in wanted]
        missing = wanted - {r["iso3"] for r in rows}
        if missing:
            raise ValueError(f"sample countries absent from data/countries.csv: {sorted(missing)}")
    rows.sort(key=lambda r: int(r["baci_code"]))
    numeric = ["cap_lat", "cap_lon", "main_lat", "main_lon", "dis_int", "gdppc_2000", "gdppc_2018",
               "pop_2000", "pop_2018", "fdi_gdp", "trade_gdp", "wdi_gdp", "wdi_pop", "wdi_fdi", "wdi_trade"]
    sets = lambda col: [set(filter(None, r[col].split(";"))) for r in rows]  # noqa: E731
    return Countries(
        baci=np.array([int(r["baci_code"]) for r in rows]),
        iso2=[r["iso2"] for r in rows], iso3=[r["iso3"] for r in rows], name=[r["name"] for r in rows],
        cepii_iso3=[r["cepii_iso3"] for r in rows],
        table={c: np.array([float(r[c]) for r in rows]) for c in numeric},
        lang_off=sets("lang_off"), lang_ethno=sets("lang_ethno"), colonizers=sets("colonizers"),
    )


def continents() -> dict[str, str]:
    """ISO3 -> continent of ``data/countries.csv`` (Africa, America, Asia, Europe, Pacific)."""
    return {r["iso3"]: r["continent"] for r in _read("countries.csv")}


def section_of(chapter: int) -> int:
    for number, (first, last) in enumerate(HS_SECTIONS, start=1):
        if first <= chapter <= last:
            return number
    raise ValueError(f"HS chapter {chapter} is in no section")


def price_group(code: str) -> int:
    chapter = int(code[:2])
    if chapter == 27:
        return GROUPS.index("energy")
    if chapter in (26, 72, 74, 75, 76, 78, 79, 80, 81):
        return GROUPS.index("metals")
    if chapter in (10, 11, 12):
        return GROUPS.index("agri")
    return GROUPS.index("other")


def load_products(scale: Scale) -> Products:
    """All HS92 codes, or a deterministic spread over the 21 sections (seed-independent).

    The sample keeps, in every section, evenly spaced codes in proportion to the section's size
    (at least three), plus every resource product named in RESOURCE_PROFILES.
    """
    rows = _read("hs92_products.csv")
    if scale.n_products is not None and scale.n_products < len(rows):
        required = {code for p in RESOURCE_PROFILES.values() for code in p["shares"]}
        by_section: dict[int, list[int]] = {}
        for pos, r in enumerate(rows):
            by_section.setdefault(section_of(int(r["code"][:2])), []).append(pos)
        keep = {pos for pos, r in enumerate(rows) if r["code"] in required}
        budget = scale.n_products - len(keep)
        for members in by_section.values():
            n = min(len(members), max(3, round(budget * len(members) / len(rows))))
            keep.update(members[int(x)] for x in np.linspace(0, len(members) - 1, n).round())
        rows = [rows[pos] for pos in sorted(keep)]
    codes = [r["code"] for r in rows]
    return Products(
        code=codes, description=[r["description"] for r in rows],
        section=np.array([section_of(int(c[:2])) for c in codes]),
        group=np.array([price_group(c) for c in codes]),
    )


def price_index(group: str) -> np.ndarray:
    """ln(P_t / P_BASE_YEAR) for SIM_START..SIM_END (zeros-based trend for non-commodities)."""
    prices = np.log(np.asarray(PRICES[group], dtype=float))
    return prices - prices[BASE_YEAR - SIM_START]
