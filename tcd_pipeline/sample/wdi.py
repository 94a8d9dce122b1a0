"""Writers for the World Bank WDI layouts: bulk ``API_*_DS2_en_csv_v2_*.csv`` files and a long file.

The bulk layout, as downloaded from the World Bank: UTF-8 with a BOM, CRLF line ends, four
preamble lines, a header ``"Country Name","Country Code","Indicator Name","Indicator Code",
"1960",...,"2024",`` and one row per economy; every field quoted and every line ending in a
comma; numbers with up to 15 significant digits, empty strings where missing. Rows are sorted
by code and include two aggregates, World (WLD) and European Union (EUU), as the real files do.
The long layout: ``country_name,iso3,indicator_name,indicator_code,year,value``, missing cells
dropped, sorted by year then code.
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
