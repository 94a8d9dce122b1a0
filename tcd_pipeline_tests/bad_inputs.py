"""The bad-input matrix, as data: for every raw source, how to break its file and what must happen.

`test_bad_inputs.py` runs every (source, case) pair through the same test: a good world is built
and published, the source's file is replaced by the broken one, the refresh must fail with a
message naming the file and the problem, `blocks` must not be materialized, and the published
marts must be byte-for-byte unchanged. A new source joins the matrix by adding a `Source` here
(its cases and expected messages); no test code changes. `render_matrix()` writes the table of
docs/data-quality.md, and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Case:
    kind: str  # one of KINDS
    breaks: Callable[[str], str]  # good file text -> broken file text
    stopped_by: str  # "reader" or the gate (asset check) name
    says: tuple[str, ...]  # words the failure message must contain
    blocks: str | None = None  # overrides Source.blocks when the gate sits further downstream


@dataclass(frozen=True)
class Source:
    name: str
    file: str  # path of the file under the input folder
    blocks: str  # an asset (key, or key[partition]) downstream that must not be materialized
    cases: tuple[Case, ...]


KINDS = ("empty file", "truncated file", "wrong header", "wrong delimiter", "non-numeric value", "negative value",
         "duplicate key", "unknown code", "year outside range", "ICIO not square", "singular I - A")


def _cut(text: str) -> str:
    """Truncate in the middle of the last line (as an interrupted download does)."""
    body = text.rstrip("\n")
    return body[: body.rfind("\n") + 1 + (len(body) - body.rfind("\n")) // 2]


def _dup_last(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    return "\n".join(lines + [lines[-1]]) + "\n"


def _sub(old: str, new: str) -> Callable[[str], str]:
    def breaks(text: str) -> str:
        assert old in text, f"{old!r} not in the good file"
        return text.replace(old, new, 1)
    return breaks


EMPTY = Case("empty file", lambda t: "", "reader", ("is empty",))

SOURCES: tuple[Source, ...] = (
    Source("BACI flows", "baci/BACI_HS92_Y2002_V202401b.csv", "clean/flows[2002]", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("Expected Number of Columns",)),
        Case("wrong header", _sub("t,i,j,k,v,q", "year,i,j,k,v,q"), "reader",
             ("wrong header: found 'year,i,j,k,v,q', expected 't,i,j,k,v,q'",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong header (wrong delimiter?)",)),
        Case("non-numeric value", _sub("1800.000", "1.8e3x"), "reader", ("Could not convert", "1.8e3x", "Line: 2")),
        Case("negative value", _sub("1800.000", "-1800.000"), "raw_baci_flows_gate", ("v: 1 of 3 rows not > 0; values -1800.0",)),
        Case("duplicate key", _dup_last, "raw_baci_flows_gate", ("(t, i, j, k): 2 of 4 rows have duplicated keys",)),
        Case("unknown code", _sub("2002,4,398", "2002,999,398"), "raw_baci_flows_gate",
             ("i: 1 of 3 rows not in $baci_country_codes; values 999",)),
        Case("year outside range", _sub("2002,398,251", "1850,398,251"), "raw_baci_flows_gate",
             ("t: 1 of 3 rows not in [1988, 2100]; values 1850", "baci_year_matches_file")),
    )),
    Source("BACI country list", "baci/country_codes_V202401b.csv", "clean/flows[2001]", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("line 6 has 2 fields, the header 4",)),
        Case("wrong header", _sub("country_iso3", "code_iso"), "reader", ("no column for 'iso3'",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub("398,Kazakhstan", "39B,Kazakhstan"), "reader", ("non-integer country_code ['39B']",)),
        Case("negative value", _sub("398,Kazakhstan", "-398,Kazakhstan"), "raw_country_codes_gate",
             ("country_code: 1 of 5 rows not in [0, 999]; values -398",)),
        Case("duplicate key", lambda t: t + "398,Kazakhstan again,KZ,KAZ\n", "raw_country_codes_gate",
             ("country_code: 2 of 6 rows have duplicated values",)),
        Case("unknown code", lambda t: t + "577,Other Africa nes,N/A,N/A\n", "clean_countries_gate",
             ("iso3: 1 of 6 rows are null", "'country_code': 577")),
    )),
    Source("BACI product list", "baci/product_codes_HS92_V202401b.csv", "clean/products", (
        EMPTY,
        Case("truncated file", lambda t: t.rstrip("\n") + '\n"7403', "reader", ("line 5 has 1 fields, the header 2",)),
        Case("wrong header", _sub("code,description", "hs,description"), "reader", ("no column for 'code'",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("duplicate key", lambda t: t + "270900,Crude oil again\n", "raw_product_codes_gate",
             ("code: 2 of 4 rows have duplicated values",)),
        Case("unknown code", lambda t: t + "27A900,Not an HS code\n", "raw_product_codes_gate",
             ("code: 1 of 4 rows not matching '^[0-9]{4}[0-9A-Z]{2}$'; values '27A900'",)),
    )),
    Source("WDI bulk file", "wdi/API_NY.GDP.MKTP.CD_DS2_en_csv_v2_1.csv", "clean/macro", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("fields, the header 70 (truncated or malformed)",)),
        Case("wrong header", _sub('"Country Code"', '"Code"'), "reader", ("missing columns ['country_code']",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub('"22150000000.0"', '"22.15 bn"'), "reader",
             ("value '22.15 bn' is not a number (country KAZ, indicator NY.GDP.MKTP.CD)",)),
        Case("negative value", _sub('"22150000000.0"', '"-22150000000.0"'), "clean_macro_gate",
             ("gdp_usd: 1 of 5 rows not > 0; values -22150000000.0",), "marts/trade_openness"),
        Case("duplicate key", _dup_last, "raw_wdi_gate", ("(country_code, indicator_code, year): 2 of 12 rows have duplicated keys",)),
        Case("unknown code", _sub('"KAZ"', '"K4Z"'), "clean_macro_gate", ("iso3: 2 of 7 rows not matching '^[A-Z]{3}$'; values 'K4Z'",), "marts/trade_openness"),
        Case("year outside range", _sub('"2001"', '"1850"'), "raw_wdi_gate", ("year: 4 of 11 rows not in [1960, 2100]; values 1850",)),
    )),
    Source("WDI long file", "wdi/wdi_long_trade.csv", "clean/macro", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("line 3 has 3 fields, the header 6",)),
        Case("wrong header", _sub("indicator_code", "indicator"), "reader", ("missing columns ['indicator_code']",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub("90.5", "ninety"), "reader", ("value 'ninety' is not a number",)),
        Case("negative value", _sub("90.5", "-90.5"), "clean_macro_gate", ("trade_pct_gdp: 1 of 5 rows not >= 0; values -90.5",), "marts/trade_openness"),
        Case("duplicate key", _dup_last, "raw_wdi_gate", ("(country_code, indicator_code, year): 2 of 12 rows have duplicated keys",)),
        Case("year outside range", _sub("NE.TRD.GNFS.ZS,2001,90.5", "NE.TRD.GNFS.ZS,1850,90.5"), "raw_wdi_gate",
             ("year: 1 of 11 rows not in [1960, 2100]; values 1850",)),
    )),
)

SOURCES += (
    Source("UNCTAD services", "services/US_TradeServCatTotal.csv", "marts/services_exports", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("fields, the header 10 (truncated or malformed)",)),
        Case("wrong header", _sub("US$ at current prices in millions,", "Value,"), "reader", ("missing columns",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub("800.25", "eight hundred"), "reader", ("'eight hundred'",)),
        Case("negative value", _sub("800.25", "-800.25"), "raw_services_gate", ("value_usd: 1 of 5 rows not >= 0",)),
        Case("duplicate key", _dup_last, "reader", ("line 6: 2002 398 exports SC appears more than once",)),
        Case("year outside range", _sub("2001,398,Kazakhstan,02,Exports,SC", "1850,398,Kazakhstan,02,Exports,SC"), "raw_services_gate",
             ("year: 1 of 5 rows not in [1960, 2100]; values 1850",)),
    )),
    Source("CEPII distances", "geo/dist_cepii.csv", "marts/export_quality", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("fields, the header 14 (truncated or malformed)",)),
        Case("wrong header", _sub("distcap", "dist_cap"), "reader", ("wrong header",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong header (wrong delimiter?)",)),
        Case("non-numeric value", _sub("5340.2", "far"), "reader", ("dist 'far' is not a number",)),
        Case("negative value", _sub("10020.5", "-10020.5"), "raw_geodist_gate", ("dist: 1 of 4 rows not in (0, 25000]; values -10020.5",)),
        Case("duplicate key", _dup_last, "reader", ("appears twice",)),
        Case("unknown code", _sub("KAZ,USA", "KAZ,U5A"), "raw_geodist_gate", ("importer: 1 of 4 rows not matching '^[A-Z]{3}$'; values 'U5A'",)),
    )),
)



def _drop_field(k: int) -> Callable[[str], str]:
    def breaks(text: str) -> str:
        return "\n".join(",".join(f for j, f in enumerate(line.split(",")) if j != k)
                         for line in text.rstrip("\n").split("\n")) + "\n"
    return breaks


def _self_supplied(text: str) -> str:
    """KAZ_C10T12 sells its whole output to itself (A_jj = 1, a zero row of I - A); the file still balances:
    FRA_B05_06 no longer buys 30 from it (VA 65 -> 95) and it buys 130 of inputs (VA 100 - 130 - 5 = -35)."""
    text = _sub("KAZ_C10T12,0,0,30,0,40,30,100", "KAZ_C10T12,0,100,0,0,0,0,100")(text)
    return _sub("VA,85,65,65,95,0,0,310", "VA,85,-35,95,95,0,0,240")(text)


SOURCES += (
    Source("OECD ICIO table", "icio/ICIO2023_2001.csv", "marts/tiva_indicators", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("output row differs from the column sums of Z, TLS and VA",)),
        Case("wrong header", _sub(",OUT\n", ",Output total\n"), "reader", ("unknown column label 'Output total' (column 8)",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("the header has 1 column(s) (wrong delimiter?)",)),
        Case("non-numeric value", _sub("KAZ_B05_06,0,20", "KAZ_B05_06,0,2O"), "reader",
             ("non-numeric cell '2O' in row 'KAZ_B05_06' (line 2), column 'KAZ_C10T12'",)),
        Case("negative value", _sub("FRA_C10T12,10,0,0,0,10,80,100", "FRA_C10T12,10,0,0,0,10,80,-100"), "reader",
             ("negative output in rows FRA_C10T12 (-100)",)),
        Case("ICIO not square", _drop_field(4), "reader",
             ("intermediate block is not square: 4 rows x 3 columns (labels on one side only: FRA_C10T12)",)),
        Case("singular I - A", _self_supplied, "raw_icio_gate",
             ("checks/icio_leontief_productive", "'year': 2001", "'label': 'KAZ_C10T12'", "I - A singular")),
    )),
)

MATRIX = [(source, case) for source in SOURCES for case in source.cases]


def render_matrix() -> str:
    """The markdown table of docs/data-quality.md (between its matrix markers)."""
    kinds = [k for k in KINDS if any(c.kind == k for s in SOURCES for c in s.cases)]
    lines = ["| source (file) | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for source in SOURCES:
        by_kind = {c.kind: c for c in source.cases}
        cells = [f"`{by_kind[k].stopped_by}`" if k in by_kind else "n/a" for k in kinds]
        lines.append(f"| {source.name} (`{source.file}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines)
