"""Writers for the World Bank WDI layouts: bulk ``API_*_DS2_en_csv_v2_*.csv`` files and a long file.

The bulk layout, as downloaded from the World Bank: UTF-8 with a BOM, CRLF line ends, four
preamble lines, a header ``"Country Name","Country Code","Indicator Name","Indicator Code",
"1960",...,"2024",`` and one row per economy; every field quoted and every line ending in a
comma; numbers with up to 15 significant digits, empty strings where missing. Rows are sorted
by code and include two aggregates, World (WLD) and European Union (EUU), as the real files do.
The long layout: ``country_name,iso3,indicator_name,indicator_code,year,value``, missing cells
dropped, sorted by year then code.

Beside each bulk file, as in every indicator zip of the bulk download, the country metadata file
``Metadata_Country_API_<indicator>_DS2_en_csv_v2_<n>.csv`` (same BOM, quoting, trailing commas and
CRLF; header ``"Country Code","Region","IncomeGroup","SpecialNotes","TableName",``; the aggregates
with empty region and income group). All of them hold the same table, as the real ones do. Region
and income group: for the 42 economies of the ``sample`` scale, the World Bank's classification
of June 2025 (``SAMPLE_CLASSIFICATION``). For the other economies of larger scales they are
*derived*, not the World Bank's: the region from the continent of ``data/countries.csv`` (with
the North American, North African, Middle Eastern, South and Central Asian exceptions of
``REGION_EXCEPTIONS``), the income group from the generated GDP per capita of the last written year
against the World Bank's thresholds for fiscal year 2025 (``INCOME_THRESHOLDS``, defined on GNI per
capita, Atlas method, 2023; GDP per capita stands in for it here).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from tcd_pipeline.sample.macro import Macro
from tcd_pipeline.sample.world import EU27, Countries

FIRST_COLUMN_YEAR, LAST_COLUMN_YEAR = 1960, 2024
LAST_UPDATED = "2025-04-15"
#: indicator code -> (name, the download number in the real file's name)
WIDE_INDICATORS = {
    "NY.GDP.MKTP.CD": ("GDP (current US$)", 391573),
    "NY.GDP.PCAP.CD": ("GDP per capita (current US$)", 391545),
    "SP.POP.TOTL": ("Population, total", 391465),
    "BX.KLT.DINV.CD.WD": ("Foreign direct investment, net inflows (BoP, current US$)", 390497),
}
LONG_INDICATOR = ("NE.TRD.GNFS.ZS", "Trade (% of GDP)")
LONG_HEADER = ["country_name", "iso3", "indicator_name", "indicator_code", "year", "value"]
AGGREGATES = (("World", "WLD"), ("European Union", "EUU"))


#: World Bank classification (CLASS.xlsx / WDI country metadata, June 2025) of the sample scale's economies
SAMPLE_CLASSIFICATION: dict[str, tuple[str, str]] = {
    **{iso: ("Europe & Central Asia", "High income") for iso in (
        "RUS", "DEU", "FRA", "ITA", "NLD", "POL", "ESP", "BEL", "AUT", "CZE", "SWE", "ROU", "GBR", "CHE", "NOR")},
    **{iso: ("Europe & Central Asia", "Upper middle income") for iso in (
        "KAZ", "AZE", "BLR", "ARM", "UKR", "GEO", "TUR")},
    **{iso: ("Europe & Central Asia", "Lower middle income") for iso in ("KGZ", "UZB", "TJK")},
    **{iso: ("East Asia & Pacific", "High income") for iso in ("JPN", "KOR", "AUS")},
    **{iso: ("East Asia & Pacific", "Upper middle income") for iso in ("IDN", "THA", "CHN", "MYS")},
    "VNM": ("East Asia & Pacific", "Lower middle income"),
    "CHL": ("Latin America & Caribbean", "High income"),
    "MEX": ("Latin America & Caribbean", "Upper middle income"),
    "BRA": ("Latin America & Caribbean", "Upper middle income"),
    "USA": ("North America", "High income"), "CAN": ("North America", "High income"),
    "IND": ("South Asia", "Lower middle income"),
    "SAU": ("Middle East & North Africa", "High income"), "ARE": ("Middle East & North Africa", "High income"),
    "ZAF": ("Sub-Saharan Africa", "Upper middle income"),
}
#: the region of a continent of data/countries.csv, and the economies that are in another one
CONTINENT_REGION = {"Africa": "Sub-Saharan Africa", "America": "Latin America & Caribbean",
                    "Asia": "East Asia & Pacific", "Europe": "Europe & Central Asia", "Pacific": "East Asia & Pacific"}
REGION_EXCEPTIONS = {
    **{iso: "North America" for iso in ("USA", "CAN", "BMU")},
    **{iso: "Middle East & North Africa" for iso in (
        "DZA", "EGY", "LBY", "MAR", "TUN", "DJI", "BHR", "IRN", "IRQ", "ISR", "JOR", "KWT", "LBN", "OMN", "QAT",
        "SAU", "SYR", "ARE", "YEM", "PSE", "MLT")},
    **{iso: "South Asia" for iso in ("AFG", "BGD", "BTN", "IND", "MDV", "NPL", "PAK", "LKA")},
    **{iso: "Europe & Central Asia" for iso in (
        "KAZ", "KGZ", "TJK", "TKM", "UZB", "ARM", "AZE", "GEO", "TUR", "CYP", "RUS")},
}
#: upper bounds (USD per capita) of low, lower middle and upper middle income, fiscal year 2025
INCOME_THRESHOLDS = ((1145.0, "Low income"), (4515.0, "Lower middle income"), (14005.0, "Upper middle income"))
METADATA_HEADER = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]
AGGREGATE_NOTES = {"WLD": "World aggregate of every economy.", "EUU": "European Union, 27 member states."}


def income_group(gdp_per_capita: float) -> str:
    """The World Bank income group of a GDP per capita, by ``INCOME_THRESHOLDS`` (NaN: "")."""
    if np.isnan(gdp_per_capita):
        return ""
    return next((group for bound, group in INCOME_THRESHOLDS if gdp_per_capita <= bound), "High income")


def classification(iso3: str, continent: str, gdp_per_capita: float) -> tuple[str, str]:
    """(region, income group): the World Bank's for the sample's economies, else derived (module docstring)."""
    if iso3 in SAMPLE_CLASSIFICATION:
        return SAMPLE_CLASSIFICATION[iso3]
    return REGION_EXCEPTIONS.get(iso3, CONTINENT_REGION.get(continent, "")), income_group(gdp_per_capita)


def metadata_name(code: str) -> str:
    return f"Metadata_Country_{wide_name(code)}"


def write_country_metadata(out_dir: Path, countries: Countries, continents: dict[str, str], macro: Macro,
                           years: list[int]) -> list[Path]:
    """One country metadata file per bulk file, all with the same rows (sorted by code)."""
    gdppc = series(macro, "NY.GDP.PCAP.CD")[:, macro.col(max(years))]
    rows = [[iso3, *classification(iso3, continents.get(iso3, ""), gdppc[r]), "", countries.name[r]]
            for r, iso3 in enumerate(countries.iso3)]
    rows += [[iso3, "", "", AGGREGATE_NOTES[iso3], name] for name, iso3 in AGGREGATES]
    text = _quoted(METADATA_HEADER) + "".join(_quoted(row) for row in sorted(rows))
    paths = []
    for code in WIDE_INDICATORS:
        path = out_dir / metadata_name(code)
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        paths.append(path)
    return paths


def wide_name(code: str) -> str:
    return f"API_{code}_DS2_en_csv_v2_{WIDE_INDICATORS[code][1]}.csv"


def series(macro: Macro, code: str) -> np.ndarray:
    """Country x year values of one indicator (NaN where not reported)."""
    values = {"NY.GDP.MKTP.CD": macro.gdp, "NY.GDP.PCAP.CD": macro.gdppc, "SP.POP.TOTL": macro.pop,
              "BX.KLT.DINV.CD.WD": macro.fdi, "NE.TRD.GNFS.ZS": macro.trade}[code]
    return np.where(macro.reported[code], values, np.nan)


def aggregate(macro: Macro, code: str, members: np.ndarray) -> np.ndarray:
    """Year values of an aggregate over ``members`` (bool per country): sums, per-capita ratios."""
    if not members.any():
        return np.full(len(macro.years), np.nan)
    gdp, pop = macro.gdp[members].sum(0), macro.pop[members].sum(0)
    if code == "NY.GDP.MKTP.CD":
        return gdp
    if code == "SP.POP.TOTL":
        return pop
    if code == "NY.GDP.PCAP.CD":
        return gdp / pop
    if code == "BX.KLT.DINV.CD.WD":
        return macro.fdi[members].sum(0)
    return (macro.trade[members] * macro.gdp[members]).sum(0) / gdp  # GDP-weighted trade share


def _rows(countries: Countries, macro: Macro, code: str) -> list[tuple[str, str, np.ndarray]]:
    """(name, code, values over macro.years) for every country and aggregate, sorted by code."""
    values = series(macro, code)
    rows = [(countries.name[r], countries.iso3[r], values[r]) for r in range(len(countries))]
    eu = np.array([iso in EU27 for iso in countries.iso3])
    members = {"WLD": np.ones(len(countries), dtype=bool), "EUU": eu}
    rows += [(name, iso, aggregate(macro, code, members[iso])) for name, iso in AGGREGATES]
    return sorted(rows, key=lambda row: row[1])


def _number(x: float) -> str:
    return "" if np.isnan(x) else f"{x:.15g}"


def _quoted(fields: list[str]) -> str:
    return "".join('"' + f.replace('"', '""') + '",' for f in fields) + "\r\n"


def write_wide(out_dir: Path, countries: Countries, macro: Macro, years: list[int]) -> list[Path]:
    """One bulk file per indicator of WIDE_INDICATORS; only ``years`` are filled."""
    out_dir.mkdir(parents=True, exist_ok=True)
    columns = list(range(FIRST_COLUMN_YEAR, LAST_COLUMN_YEAR + 1))
    filled = {y: macro.col(y) for y in years}
    paths = []
    for code, (name, _) in WIDE_INDICATORS.items():
        lines = [_quoted(["Data Source", "World Development Indicators"]), "\r\n",
                 _quoted(["Last Updated Date", LAST_UPDATED]), "\r\n",
                 _quoted(["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
                         + [str(y) for y in columns])]
        for country, iso3, values in _rows(countries, macro, code):
            cells = [_number(values[filled[y]]) if y in filled else "" for y in columns]
            lines.append(_quoted([country, iso3, name, code] + cells))
        path = out_dir / wide_name(code)
        path.write_bytes(b"\xef\xbb\xbf" + "".join(lines).encode("utf-8"))
        paths.append(path)
    return paths


def write_long(path: Path, countries: Countries, macro: Macro, years: list[int]) -> int:
    """The long file of trade (% of GDP); returns rows written."""
    code, name = LONG_INDICATOR
    rows = _rows(countries, macro, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(LONG_HEADER)
        for year in years:
            for country, iso3, values in rows:
                value = values[macro.col(year)]
                if not np.isnan(value):
                    out.writerow([country, iso3, name, code, year, repr(round(float(value), 5))])
                    written += 1
    return written
