"""A tiny hand-made input folder in the real BACI and WDI layouts, small enough to check by hand.

Countries (BACI codes): 4 AFG, 251 FRA (BACI's own code for France), 398 KAZ, 842 USA,
490 "Other Asia, nes" (iso3 N/A in BACI's list). Products: 010110, 270900, 740311.

ICIO (OECD 2023 layout, million USD): the hand example of test_tiva.py with H = KAZ, F = FRA,
industry 1 = B05_06 (mining), 2 = C10T12 (food), taxes TLS 5 per column; 2002 is 2001 doubled.
``write_tiny_world(root, io_tables="wiod2013")`` writes the same two tables in the staged WIOD 2013
layout instead (``wiod/``: industry 1 = c2, mining, 2 = c3, food; no TLS row, so WIOD's derived
VA = x - column sums of Z = the OECD VA + TLS, and with taxes as value added every TiVA value is
the one of the OECD layout).

Three opt-in additions leave every default file and every hand-computed value as they are:
``gdp_per_capita=True`` adds a WDI bulk file of GDP per capita for the country-years clean.macro
already has (KAZ, FRA 2001-2002, ROM 2001), so PRODY and EXPY have incomes; ``packed=True`` writes
the code lists and the BACI years in compressed forms (``PACKED``: gzip and zip), as CEPII ships them;
``country_metadata=True`` adds the WDI country metadata file of two indicator zips (``METADATA_FILES``,
the same table twice, as the bulk download has it).
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import polars as pl

COUNTRIES = """country_code,country_name,country_iso2,country_iso3
4,Afghanistan,AF,AFG
251,France,FR,FRA
398,Kazakhstan,KZ,KAZ
490,"Other Asia, nes",N/A,N/A
842,USA,US,USA
"""
PRODUCTS = """code,description
010110,"Horses; live, pure-bred breeding animals"
270900,Petroleum oils and oils obtained from bituminous minerals; crude
740311,Copper; refined cathodes
"""
# (t, i, j, k, v in thousand USD, q in tonnes or None)
FLOWS = {
    2001: [(2001, 398, 251, "270900", 1500.0, 7500.0), (2001, 398, 842, "740311", 200.5, None),
           (2001, 251, 398, "010110", 3.25, 0.5), (2001, 842, 490, "270900", 10.0, 40.0)],
    2002: [(2002, 398, 251, "270900", 1800.0, 8000.0), (2002, 398, 490, "740311", 120.0, 30.0),
           (2002, 4, 398, "010110", 0.75, 0.125)],
    2003: [(2003, 398, 251, "270900", 2100.0, 8100.0), (2003, 398, 842, "010110", 5.0, 1.0)],
}
WDI_HEADER_YEARS = list(range(1960, 2025))
SERVICES = """Year,Economy,Economy Label,Flow,Flow Label,Category,Category Label,US$ at current prices in millions,US$ at current prices in millions Footnote,US$ at current prices in millions Missing value
2001,398,Kazakhstan,02,Exports,S,Services,1200.5,,
2001,398,Kazakhstan,02,Exports,SC,Transport,800.25,,
2001,398,Kazakhstan,01,Imports,S,Services,2000.0,,
2002,398,Kazakhstan,02,Exports,S,Services,1440.6,,
2002,398,Kazakhstan,02,Exports,SC,Transport,960.3,,
"""
# MFN applied tariffs of KAZ (M49 398) in the TRAINS bulk layout (WITS AVEMFN download; rates in percent):
# 2001: 010110 two lines 5 and 15 (average 10), 270900 one duty-free line, 740311 one line at 10;
# 2002: 010110 lines 10 and 20 (15), 270900 one line at 5, 740311 one line at 10 and one without an AVE
TARIFFS_FILE = "tariffs/AVEMFN_H0_KAZ_2001-2002_U2/JobID-1001_KAZ.csv"
TARIFFS = """NomenCode,Reporter_ISO_N,Year,ProductCode,Sum_Of_Rates,Min_Rate,Max_Rate,SimpleAverage,Nbr_NA_Lines,Nbr_Free_Lines,Nbr_AVE_Lines,Nbr_Dutiable_Lines,TotalNoOfValidLines,TotalNoOfLines,EstCode
H0,398,2001,010110,20,5,15,10,0,0,2,2,2,2,0
H0,398,2001,270900,0,0,0,0,0,1,1,0,1,1,0
H0,398,2001,740311,10,10,10,10,0,0,1,1,1,1,0
H0,398,2002,010110,30,10,20,15,0,0,2,2,2,2,0
H0,398,2002,270900,5,5,5,5,0,0,1,1,1,1,0
H0,398,2002,740311,10,10,10,10,1,0,1,1,1,2,0
"""
# CEPII GeoDist layout; ROM is CEPII's code for Romania (ISO ROU)
GEODIST = """iso_o,iso_d,contig,comlang_off,comlang_ethno,colony,comcol,curcol,col45,smctry,dist,distcap,distw,distwces
KAZ,FRA,0,0,0,0,0,0,0,0,5340.2,5251.9,5360.1,5300.4
KAZ,USA,0,0,0,0,0,0,0,0,10020.5,10050.3,10100.2,10000.9
FRA,KAZ,0,0,0,0,0,0,0,0,5340.2,5251.9,5360.1,5300.4
ROM,KAZ,0,0,0,0,0,0,0,0,3650.0,3600.5,3700.8,3640.1
"""

ICIO_LABELS = ["KAZ_B05_06", "KAZ_C10T12", "FRA_B05_06", "FRA_C10T12"]
ICIO_Z = [[0, 20, 0, 0], [0, 0, 30, 0], [0, 10, 0, 0], [10, 0, 0, 0]]  # rows sell to columns
ICIO_Y = [[50, 30], [40, 30], [20, 70], [10, 80]]  # final demand of KAZ, of FRA
ICIO_X, ICIO_TLS = 100, 5
ICIO_SCALE = {2001: 1, 2002: 2}


def icio_text(year: int) -> str:
    """``ICIO2023_{year}.csv``: Z, HFCE per country, OUT; rows TLS, VA (= x - column sum of Z - TLS), OUT."""
    k = ICIO_SCALE[year]
    fd = ["KAZ_HFCE", "FRA_HFCE"]
    lines = [",".join(['""', *ICIO_LABELS, *fd, "OUT"])]
    for label, z, y in zip(ICIO_LABELS, ICIO_Z, ICIO_Y):
        lines.append(",".join([label, *(str(k * c) for c in z), *(str(k * c) for c in y), str(k * ICIO_X)]))
    columns = [sum(z[j] for z in ICIO_Z) for j in range(4)]
    va = [ICIO_X - c - ICIO_TLS for c in columns]
    lines.append(",".join(["TLS", *[str(k * ICIO_TLS)] * 4, "0", "0", str(4 * k * ICIO_TLS)]))
    lines.append(",".join(["VA", *(str(k * v) for v in va), "0", "0", str(k * sum(va))]))
    lines.append(",".join(["OUT", *[str(k * ICIO_X)] * 4, "0", "0", str(4 * k * ICIO_X)]))
    return "\n".join(lines) + "\n"


WIOD_INDUSTRIES = ("c2", "c3")  # WIOD 2013: c2 Mining and Quarrying, c3 Food, Beverages and Tobacco
WIOD_USES = ("CONS_h", "CONS_np", "CONS_g", "GFCF", "INVEN")
WIOD_OUTPUT_FILE = "wiot_output_2001_2002.parquet"


def wiod_cells(year: int) -> pl.DataFrame:
    """``wiot{year}_ZF_long.parquet`` (non-zero cells only, int32 as staged): Z, and final demand of each
    destination split as CONS_h = Y - 2, GFCF = 3, INVEN = -1 (a negative inventory change)."""
    k = ICIO_SCALE[year]
    cells = [("Z", i, j, k * v) for i, row in enumerate(ICIO_Z) for j, v in enumerate(row) if v]
    for i, ys in enumerate(ICIO_Y):
        for c, y in enumerate(ys):  # columns 5c .. 5c + 4 are destination c's five final uses
            cells += [("F", i, 5 * c, k * y - 2), ("F", i, 5 * c + 3, 3), ("F", i, 5 * c + 4, -1)]
    block, row, col, value = zip(*cells)
    return pl.DataFrame({"block": block, "row": row, "col": col, "value": value},
                        schema={"block": pl.Categorical, "row": pl.Int16, "col": pl.Int16, "value": pl.Int32})


def write_tiny_wiod(folder: Path, years=(2001, 2002)) -> Path:
    """The ICIO hand example in the staged WIOD 2013 layout (KAZ, FRA x c2, c3)."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = [label.split("_", 1)[0] for label in ICIO_LABELS]
    pl.DataFrame({"row": range(4), "country": labels, "industry": list(WIOD_INDUSTRIES) * 2}).write_csv(
        folder / "labels_rows.csv")
    pl.DataFrame({"col": range(10), "country": ["KAZ"] * 5 + ["FRA"] * 5, "use": list(WIOD_USES) * 2}).write_csv(
        folder / "labels_final_cols.csv")
    years = [y for y in years if y in ICIO_SCALE]
    for year in years:
        wiod_cells(year).write_parquet(folder / f"wiot{year}_ZF_long.parquet")
    pl.DataFrame({"year": [y for y in years for _ in range(4)], "row": list(range(4)) * len(years),
                  "output": [ICIO_SCALE[y] * ICIO_X for y in years for _ in range(4)]},
                 schema={"year": pl.Int64, "row": pl.Int16, "output": pl.Int64}).write_parquet(folder / WIOD_OUTPUT_FILE)
    return folder


def baci_text(rows) -> str:
    lines = ["t,i,j,k,v,q"]
    for t, i, j, k, v, q in rows:
        qtext = f"{q:13.3f}" if q is not None else f"{'NA':>13}"
        lines.append(f"{t},{i},{j},{k},{v:.3f},{qtext}")
    return "\n".join(lines) + "\n"


def wdi_bulk(indicator: str, name: str, values: dict[str, dict[int, float]]) -> str:
    head = ['"Data Source","World Development Indicators",', "", '"Last Updated Date","2025-04-15",', ""]
    cols = ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, WDI_HEADER_YEARS)]
    lines = head + [",".join(f'"{c}"' for c in cols) + ","]
    names = {"KAZ": "Kazakhstan", "FRA": "France", "USA": "United States", "WLD": "World", "ROM": "Romania"}
    for code, series in values.items():
        cells = [names[code], code, name, indicator] + [
            repr(series[y]) if y in series else "" for y in WDI_HEADER_YEARS]
        lines.append(",".join(f'"{c}"' for c in cells) + ",")
    return "\ufeff" + "\n".join(lines) + "\n"


# GDP per capita, current USD: WDI NY.GDP.PCAP.CD (../shared/data/wdi_worldbank, release 2025-06),
# rounded to 0.01; only country-years that clean.macro already has (no new row there)
GDP_PER_CAPITA = {"KAZ": {2001: 1422.27, 2002: 1573.55}, "FRA": {2001: 22331.79, 2002: 24144.57},
                  "ROM": {2001: 1825.19}}
GDP_PER_CAPITA_FILE = "wdi/API_NY.GDP.PCAP.CD_DS2_en_csv_v2_3.csv"
# WDI country metadata (layout and values of the World Bank's release of 2025-06: region, income group of
# fiscal year 2025; TableName), rows of the tiny world's economies and the World aggregate, BOM and CRLF
COUNTRY_METADATA = "\ufeff" + "".join(line + ",\r\n" for line in (
    '"Country Code","Region","IncomeGroup","SpecialNotes","TableName"',
    '"AFG","South Asia","Low income","","Afghanistan"',
    '"FRA","Europe & Central Asia","High income","","France"',
    '"KAZ","Europe & Central Asia","Upper middle income","","Kazakhstan"',
    '"USA","North America","High income","","United States"',
    '"WLD","","","World aggregate.","World"',
))
METADATA_FILES = ("wdi/Metadata_Country_API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv",
                  "wdi/Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_2.csv")
# packed=True: plain file -> the compressed file that replaces it ("gz": file.csv.gz; "zip": an archive
# holding the plain file as its one member, named like the per-year zips of the sample generator)
PACKED = {
    "baci/BACI_HS92_Y2001_V202401b.csv": "baci/BACI_HS92_Y2001_V202401b.zip",
    "baci/BACI_HS92_Y2002_V202401b.csv": "baci/BACI_HS92_Y2002_V202401b.csv.gz",
    "baci/country_codes_V202401b.csv": "baci/country_codes_V202401b.csv.gz",
    "baci/product_codes_HS92_V202401b.csv": "baci/product_codes_HS92_V202401b.zip",
}


def pack(root: Path, plain: str, packed: str) -> Path:
    """Replace ``root/plain`` by its gzip file or one-member zip archive ``root/packed``."""
    source, target = root / plain, root / packed
    data = source.read_bytes()
    if packed.endswith(".gz"):
        target.write_bytes(gzip.compress(data, mtime=0))
    else:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(source.name, data)
    source.unlink()
    return target


def write_tiny_world(root: Path, years=(2001, 2002), io_tables: str = "icio", gdp_per_capita: bool = False,
                     packed: bool = False, country_metadata: bool = False) -> Path:
    """The tiny world under ``root``; its input-output tables in the OECD ICIO (``icio``) or WIOD 2013 layout.

    ``gdp_per_capita``: add ``GDP_PER_CAPITA_FILE``; ``packed``: compress the files of ``PACKED``;
    ``country_metadata``: add ``METADATA_FILES`` (``COUNTRY_METADATA`` twice).
    """
    _write_world(root, years, io_tables)
    if country_metadata:
        for name in METADATA_FILES:
            (root / name).write_bytes(COUNTRY_METADATA.encode("utf-8"))
    if gdp_per_capita:
        (root / GDP_PER_CAPITA_FILE).write_text(
            wdi_bulk("NY.GDP.PCAP.CD", "GDP per capita (current US$)", GDP_PER_CAPITA))
    if packed:
        for plain, target in PACKED.items():
            if (root / plain).exists():
                pack(root, plain, target)
    return root


def _write_world(root: Path, years, io_tables: str) -> Path:
    baci = root / "baci"
    baci.mkdir(parents=True, exist_ok=True)
    (baci / "country_codes_V202401b.csv").write_text(COUNTRIES)
    (baci / "product_codes_HS92_V202401b.csv").write_text(PRODUCTS)
    for year in years:
        write_year(root, year, FLOWS[year])
    wdi = root / "wdi"
    wdi.mkdir(exist_ok=True)
    gdp = {"KAZ": {2001: 22.15e9, 2002: 24.64e9}, "FRA": {2001: 1.38e12, 2002: 1.5e12},
           "WLD": {2001: 33.4e12}, "ROM": {2001: 40.6e9}}
    (wdi / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv").write_text(wdi_bulk("NY.GDP.MKTP.CD", "GDP (current US$)", gdp))
    pop = {"KAZ": {2001: 14.86e6, 2002: 14.85e6}, "FRA": {2001: 61.4e6}}
    (wdi / "API_SP.POP.TOTL_DS2_en_csv_v2_2.csv").write_text(wdi_bulk("SP.POP.TOTL", "Population, total", pop))
    (wdi / "wdi_long_trade.csv").write_text(
        "country_name,iso3,indicator_name,indicator_code,year,value\n"
        "Kazakhstan,KAZ,Trade (% of GDP),NE.TRD.GNFS.ZS,2001,90.5\n"
        "World,WLD,Trade (% of GDP),NE.TRD.GNFS.ZS,2001,50.1\n"
    )
    (root / "services").mkdir(exist_ok=True)
    (root / "services" / "US_TradeServCatTotal.csv").write_text(SERVICES)
    (root / TARIFFS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / TARIFFS_FILE).write_text(TARIFFS)
    (root / "geo").mkdir(exist_ok=True)
    (root / "geo" / "dist_cepii.csv").write_text(GEODIST)
    if io_tables == "wiod2013":
        write_tiny_wiod(root / "wiod", years)
        return root
    (root / "icio").mkdir(exist_ok=True)
    for year in years:
        if year in ICIO_SCALE:
            (root / "icio" / f"ICIO2023_{year}.csv").write_text(icio_text(year))
    return root


def write_year(root: Path, year: int, rows) -> Path:
    path = root / "baci" / f"BACI_HS92_Y{year}_V202401b.csv"
    path.write_text(baci_text(rows))
    return path
