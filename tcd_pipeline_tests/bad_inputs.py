"""The bad-input matrix, as data: for every raw source, how to break its file and what must happen.

`test_bad_inputs.py` runs every (source, case) pair through the same test: a good world is built
and published, the source's file is replaced by the broken one, the refresh must fail with a
message naming the file and the problem, `blocks` must not be materialized, and the published
marts must be byte-for-byte unchanged. A new source joins the matrix by adding a `Source` here
(its cases and expected messages); no test code changes. `render_matrix()` writes the table of
docs/data-quality.md, and a test keeps the two equal.

`Source.world` says which good world (`WORLDS`): `icio` (the tiny world, input-output tables in the
OECD ICIO layout), `wiod2013` (the same world with the tables in the staged WIOD 2013 layout, one
family per warehouse) or `packed` (the OECD one with its BACI years and code lists gzipped or zipped,
tiny_world.PACKED). Text files are broken as text; parquet, gzip and zip files as bytes (`_parquet`
edits the frame); a case whose `breaks` returns None (`REMOVE`) deletes the file instead.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Callable

import polars as pl

#: Source.world -> the keyword arguments of tiny_world.write_tiny_world for that good world
WORLDS = {"icio": {"io_tables": "icio"}, "wiod2013": {"io_tables": "wiod2013"},
          "packed": {"io_tables": "icio", "packed": True}}
BINARY = (".parquet", ".gz", ".zip")  # files broken as bytes


@dataclass(frozen=True)
class Case:
    kind: str  # one of KINDS
    breaks: Callable  # good file text -> broken file text (bytes -> bytes for BINARY files); None: delete it
    stopped_by: str  # "reader" or the gate (asset check) name
    says: tuple[str, ...]  # words the failure message must contain
    blocks: str | None = None  # overrides Source.blocks when the gate sits further downstream


@dataclass(frozen=True)
class Source:
    name: str
    file: str  # path of the file under the input folder
    blocks: str  # an asset (key, or key[partition]) downstream that must not be materialized
    cases: tuple[Case, ...]
    world: str = "icio"  # the good world: tiny_world.write_tiny_world(io_tables=world)


KINDS = ("empty file", "truncated file", "wrong header", "wrong delimiter", "non-numeric value", "negative value",
         "NaN value", "infinite value", "implausible value", "duplicate key", "unknown code", "code too long",
         "year outside range", "ICIO not square", "singular I - A", "truncated gzip", "damaged zip", "file removed")


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


def _remove(content) -> None:
    """The file is deleted (as when a download is moved away): the run must notice, not carry on."""
    return None


def _half(data: bytes) -> bytes:
    """The first half of the bytes (an interrupted download of a compressed file)."""
    return data[: len(data) // 2]


def _damage_zip(data: bytes) -> bytes:
    """Garble the compressed bytes of the archive's first member; its directory stays readable."""
    info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    body = bytes(b ^ 0x55 for b in data[start:start + info.compress_size])
    return data[:start] + body + data[start + info.compress_size:]


EMPTY = Case("empty file", lambda t: "", "reader", ("is empty",))
REMOVED = "no longer in the input folder"  # the words of the run when an input file it loaded is gone
LINE_BREAK = "does not end with a line break (truncated?)"  # a text file cut inside its last line
REMOVE = Case("file removed", _remove, "reader", (REMOVED,))
GZIP = Case("truncated gzip", _half, "reader", ("damaged gzip stream",))
ZIP = Case("damaged zip", _damage_zip, "reader", ("damaged zip archive",))

SOURCES: tuple[Source, ...] = (
    Source("BACI flows", "baci/BACI_HS92_Y2002_V202401b.csv", "clean/flows[2002]", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("does not end with a line break (truncated?)",)),
        Case("wrong header", _sub("t,i,j,k,v,q", "year,i,j,k,v,q"), "reader",
             ("wrong header: found 'year,i,j,k,v,q', expected 't,i,j,k,v,q'",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong header (wrong delimiter?)",)),
        Case("non-numeric value", _sub("1800.000", "1.8e3x"), "reader", ("Could not convert", "1.8e3x", "Line: 2")),
        Case("negative value", _sub("1800.000", "-1800.000"), "raw_baci_flows_gate",
             ("v: 1 of 3 rows not in (0, 10000000000.0]; values -1800.0",)),
        Case("NaN value", _sub("1800.000", "nan"), "raw_baci_flows_gate",
             ("v: 1 of 3 rows not in (0, 10000000000.0]; values nan (1 row)",)),
        Case("infinite value", _sub("1800.000", "inf"), "raw_baci_flows_gate",
             ("v: 1 of 3 rows not in (0, 10000000000.0]; values inf (1 row)",)),
        Case("implausible value", _sub("1800.000", "1e300"), "raw_baci_flows_gate",
             ("v: 1 of 3 rows not in (0, 10000000000.0]; values 1e+300 (1 row)",)),
        Case("duplicate key", _dup_last, "raw_baci_flows_gate", ("(t, i, j, k): 2 of 4 rows have duplicated keys",)),
        Case("unknown code", _sub("2002,4,398", "2002,999,398"), "raw_baci_flows_gate",
             ("i: 1 of 3 rows not in $baci_country_codes; values 999",)),
        Case("code too long", _sub("2002,398,251,270900", "2002,398,251,2709001"), "raw_baci_flows_gate",
             ("k: 1 of 3 rows not matching '^[0-9]{4}[0-9A-Z]{2}$'; values '2709001'",
              "k: 1 of 3 rows not in $hs_product_codes; values '2709001'")),
        Case("year outside range", _sub("2002,398,251", "1850,398,251"), "raw_baci_flows_gate",
             ("t: 1 of 3 rows not in [1988, 2100]; values 1850", "baci_year_matches_file")),
        REMOVE,
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
        Case("code too long", _sub("398,Kazakhstan", "3980,Kazakhstan"), "raw_country_codes_gate",
             ("country_code: 1 of 5 rows not in [0, 999]; values 3980",)),
        REMOVE,
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
        Case("code too long", _sub("270900,Petroleum", "2709001,Petroleum"), "raw_product_codes_gate",
             ("code: 1 of 3 rows not matching '^[0-9]{4}[0-9A-Z]{2}$'; values '2709001'",)),
        REMOVE,
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
        Case("NaN value", _sub('"22150000000.0"', '"nan"'), "raw_wdi_gate",
             ("ingest/checks/wdi_values_plausible", "'indicator_code': 'NY.GDP.MKTP.CD'", "'value': 'nan'",
              "not a finite number")),
        Case("infinite value", _sub('"22150000000.0"', '"inf"'), "raw_wdi_gate",
             ("ingest/checks/wdi_values_plausible", "'value': 'inf'", "not a finite number")),
        Case("implausible value", _sub('"22150000000.0"', '"2.215e+25"'), "raw_wdi_gate",
             ("ingest/checks/wdi_values_plausible", "'value': '2.215e+25'", "above the plausibility bound 1e+15")),
        Case("duplicate key", _dup_last, "raw_wdi_gate", ("(country_code, indicator_code, year): 2 of 12 rows have duplicated keys",)),
        Case("unknown code", _sub('"KAZ"', '"K4Z"'), "clean_macro_gate", ("iso3: 2 of 7 rows not matching '^[A-Z]{3}$'; values 'K4Z'",), "marts/trade_openness"),
        Case("code too long", _sub('"KAZ"', '"KAZZ"'), "raw_wdi_gate",
             ("country_code: ", "not matching '^[A-Z0-9]{3}$'; values 'KAZZ'")),
        Case("year outside range", _sub('"2001"', '"1850"'), "raw_wdi_gate", ("year: 4 of 11 rows not in [1960, 2100]; values 1850",)),
        REMOVE,
    )),
    Source("WDI long file", "wdi/wdi_long_trade.csv", "clean/macro", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("line 3 has 3 fields, the header 6",)),
        Case("wrong header", _sub("indicator_code", "indicator"), "reader", ("missing columns ['indicator_code']",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub("90.5", "ninety"), "reader", ("value 'ninety' is not a number",)),
        Case("negative value", _sub("90.5", "-90.5"), "clean_macro_gate", ("trade_pct_gdp: 1 of 5 rows not >= 0; values -90.5",), "marts/trade_openness"),
        Case("NaN value", _sub("90.5", "nan"), "raw_wdi_gate",
             ("ingest/checks/wdi_values_plausible", "'indicator_code': 'NE.TRD.GNFS.ZS'", "'value': 'nan'", "not a finite number")),
        Case("infinite value", _sub("90.5", "-inf"), "raw_wdi_gate",
             ("ingest/checks/wdi_values_plausible", "'value': '-inf'", "not a finite number")),
        Case("implausible value", _sub("90.5", "2500"), "raw_wdi_gate",
             ("ingest/checks/wdi_values_plausible", "'indicator_code': 'NE.TRD.GNFS.ZS'", "'value': '2500.0'",
              "above the plausibility bound 2000")),
        Case("duplicate key", _dup_last, "raw_wdi_gate", ("(country_code, indicator_code, year): 2 of 12 rows have duplicated keys",)),
        Case("code too long", _sub("Kazakhstan,KAZ,", "Kazakhstan,KAZZ,"), "raw_wdi_gate",
             ("country_code: ", "not matching '^[A-Z0-9]{3}$'; values 'KAZZ'")),
        Case("year outside range", _sub("NE.TRD.GNFS.ZS,2001,90.5", "NE.TRD.GNFS.ZS,1850,90.5"), "raw_wdi_gate",
             ("year: 1 of 11 rows not in [1960, 2100]; values 1850",)),
        REMOVE,
    )),
)

SOURCES += (
    Source("UNCTAD services", "services/US_TradeServCatTotal.csv", "marts/services_exports", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("fields, the header 10 (truncated or malformed)",)),
        Case("wrong header", _sub("US$ at current prices in millions,", "Value,"), "reader", ("missing columns",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub("800.25", "eight hundred"), "reader", ("'eight hundred'",)),
        Case("negative value", _sub("800.25", "-800.25"), "raw_services_gate",
             ("value_usd: 1 of 5 rows not in [0, 100000000000000.0]",)),
        Case("NaN value", _sub("800.25", "nan"), "raw_services_gate",
             ("value_usd: 1 of 5 rows not in [0, 100000000000000.0]; values nan (1 row)",)),
        Case("infinite value", _sub("800.25", "inf"), "raw_services_gate",
             ("value_usd: 1 of 5 rows not in [0, 100000000000000.0]; values inf (1 row)",)),
        Case("implausible value", _sub("800.25", "8e300"), "raw_services_gate",
             ("value_usd: 1 of 5 rows not in [0, 100000000000000.0]; values 8e+306 (1 row)",)),
        Case("duplicate key", _dup_last, "reader", ("line 6: 2002 398 exports SC appears more than once",)),
        Case("year outside range", _sub("2001,398,Kazakhstan,02,Exports,SC", "1850,398,Kazakhstan,02,Exports,SC"), "raw_services_gate",
             ("year: 1 of 5 rows not in [1960, 2100]; values 1850",)),
    )),
    Source("WITS/TRAINS tariffs", "tariffs/AVEMFN_H0_KAZ_2001-2002_U2/JobID-1001_KAZ.csv", "marts/tariff_averages", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("fields, the header 15 (truncated or malformed)",)),
        Case("wrong header", _sub("SimpleAverage", "Simple_Avg"), "reader", ("missing columns ['SimpleAverage']",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("non-numeric value", _sub("H0,398,2001,740311,10,10,10,10", "H0,398,2001,740311,10,10,10,ten"), "reader",
             ("line 4: SimpleAverage 'ten' is not a number",)),
        Case("negative value", _sub("H0,398,2001,740311,10,10,10,10", "H0,398,2001,740311,-10,-10,-10,-10"),
             "raw_tariffs_gate", ("simple_average_pct: 1 of 6 rows not in [0, 1000]; values -10.0",)),
        Case("NaN value", _sub("H0,398,2001,740311,10,10,10,10", "H0,398,2001,740311,10,10,10,nan"), "raw_tariffs_gate",
             ("simple_average_pct: 1 of 6 rows not in [0, 1000]; values nan (1 row)",)),
        Case("infinite value", _sub("H0,398,2001,740311,10,10,10,10", "H0,398,2001,740311,10,10,10,inf"),
             "raw_tariffs_gate", ("simple_average_pct: 1 of 6 rows not in [0, 1000]; values inf (1 row)",)),
        Case("implausible value", _sub("H0,398,2001,740311,10,10,10,10", "H0,398,2001,740311,5000,5000,5000,5000"),
             "raw_tariffs_gate", ("simple_average_pct: 1 of 6 rows not in [0, 1000]; values 5000.0",)),
        Case("duplicate key", _dup_last, "reader", ("line 8: KAZ 2002 MFN product 740311 appears more than once (also line 7)",)),
        Case("unknown code", _sub("H0,398,2001,740311", "H0,398,2001,740319"), "raw_tariffs_gate",
             ("hs6: 1 of 6 rows not in $hs_product_codes; values '740319'",)),
        Case("code too long", _sub("H0,398,2001,010110", "H0,3980,2001,010110"), "reader",
             ("line 2: reporter '3980' is neither an M49 code nor an ISO3 code",)),
        Case("year outside range", _sub("H0,398,2001,270900", "H0,398,1850,270900"), "raw_tariffs_gate",
             ("year: 1 of 6 rows not in [1988, 2100]; values 1850",)),
        REMOVE,
    )),
    Source("CEPII distances", "geo/dist_cepii.csv", "marts/export_quality", (
        EMPTY,
        Case("truncated file", _cut, "reader", ("fields, the header 14 (truncated or malformed)",)),
        Case("wrong header", _sub("distcap", "dist_cap"), "reader", ("wrong header",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong header (wrong delimiter?)",)),
        Case("non-numeric value", _sub("5340.2", "far"), "reader", ("dist 'far' is not a number",)),
        Case("negative value", _sub("10020.5", "-10020.5"), "raw_geodist_gate", ("dist: 1 of 4 rows not in (0, 25000]; values -10020.5",)),
        Case("NaN value", _sub("10020.5", "nan"), "raw_geodist_gate", ("dist: 1 of 4 rows not in (0, 25000]; values nan (1 row)",)),
        Case("infinite value", _sub("10020.5", "inf"), "raw_geodist_gate", ("dist: 1 of 4 rows not in (0, 25000]; values inf (1 row)",)),
        Case("implausible value", _sub("10020.5", "40075.0"), "raw_geodist_gate",
             ("dist: 1 of 4 rows not in (0, 25000]; values 40075.0 (1 row)",)),
        Case("duplicate key", _dup_last, "reader", ("appears twice",)),
        Case("unknown code", _sub("KAZ,USA", "KAZ,U5A"), "raw_geodist_gate", ("importer: 1 of 4 rows not matching '^[A-Z]{3}$'; values 'U5A'",)),
        Case("code too long", _sub("KAZ,USA", "KAZZ,USA"), "raw_geodist_gate",
             ("exporter: 1 of 4 rows not matching '^[A-Z]{3}$'; values 'KAZZ'",)),
    )),
)


def _drop_field(k: int) -> Callable[[str], str]:
    def breaks(text: str) -> str:
        return "\n".join(",".join(f for j, f in enumerate(line.split(",")) if j != k)
                         for line in text.rstrip("\n").split("\n")) + "\n"
    return breaks


def _scaled(factor: float) -> Callable[[str], str]:
    """Every number of an ICIO table times ``factor`` (a table in the wrong unit: it still balances)."""
    def number(field: str) -> str:
        try:
            return repr(float(field) * factor)
        except ValueError:
            return field

    def breaks(text: str) -> str:
        head, *rows = text.rstrip("\n").split("\n")
        return "\n".join([head] + [",".join([r.split(",")[0], *map(number, r.split(",")[1:])]) for r in rows]) + "\n"
    return breaks


def _self_supplied(text: str) -> str:
    """KAZ_C10T12 sells its whole output to itself (A_jj = 1, a zero row of I - A); the file still balances:
    FRA_B05_06 no longer buys 30 from it (VA 65 -> 95) and it buys 130 of inputs (VA 100 - 130 - 5 = -35)."""
    text = _sub("KAZ_C10T12,0,0,30,0,40,30,100", "KAZ_C10T12,0,100,0,0,0,0,100")(text)
    return _sub("VA,85,65,65,95,0,0,310", "VA,85,-35,95,95,0,0,240")(text)


SOURCES += (
    Source("OECD ICIO table", "icio/ICIO2023_2001.csv", "marts/tiva_indicators", (
        EMPTY,
        Case("truncated file", _cut, "reader", (LINE_BREAK,)),
        Case("wrong header", _sub(",OUT\n", ",Output total\n"), "reader", ("unknown column label 'Output total' (column 8)",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("the header has 1 column(s) (wrong delimiter?)",)),
        Case("non-numeric value", _sub("KAZ_B05_06,0,20", "KAZ_B05_06,0,2O"), "reader",
             ("non-numeric cell '2O' in row 'KAZ_B05_06' (line 2), column 'KAZ_C10T12'",)),
        Case("negative value", _sub("FRA_C10T12,10,0,0,0,10,80,100", "FRA_C10T12,10,0,0,0,10,80,-100"), "reader",
             ("negative output in rows FRA_C10T12 (-100)",)),
        Case("NaN value", _sub("KAZ_B05_06,0,20", "KAZ_B05_06,0,nan"), "reader",
             ("non-finite cell in row 'KAZ_B05_06' (line 2), column 'KAZ_C10T12'",)),
        Case("infinite value", _sub("KAZ_B05_06,0,20", "KAZ_B05_06,0,inf"), "reader",
             ("non-finite cell in row 'KAZ_B05_06' (line 2), column 'KAZ_C10T12'",)),
        Case("implausible value", _scaled(1e10), "raw_icio_gate",
             ("output: 4 of 8 rows not in [0, 1000000000.0]; values 1000000000000.0 (4 rows)", "'year': 2001")),
        Case("ICIO not square", _drop_field(4), "reader",
             ("intermediate block is not square: 4 rows x 3 columns (labels on one side only: FRA_C10T12)",)),
        Case("singular I - A", _self_supplied, "raw_icio_gate",
             ("ingest/checks/icio_leontief_productive", "'year': 2001", "'label': 'KAZ_C10T12'", "I - A singular")),
    )),
)


def _parquet(change: Callable[[pl.DataFrame], pl.DataFrame]) -> Callable[[bytes], bytes]:
    """Break a parquet file by editing its frame (block read as text, so new cells can be added)."""
    def breaks(data: bytes) -> bytes:
        frame = pl.read_parquet(io.BytesIO(data))
        if "block" in frame.columns:
            frame = frame.with_columns(pl.col("block").cast(pl.Utf8))
        out = io.BytesIO()
        change(frame).write_parquet(out)
        return out.getvalue()
    return breaks


def _cell(frame: pl.DataFrame, block: str, row: int, col: int, value) -> pl.DataFrame:
    """``frame`` (cells of tiny_world.wiod_cells) with one more cell."""
    return pl.concat([frame, pl.DataFrame({"block": [block], "row": [row], "col": [col], "value": [value]},
                                          schema=frame.schema)])


def _set_cell(frame: pl.DataFrame, block: str, row: int, col: int, value: float) -> pl.DataFrame:
    """``frame`` (cells of tiny_world.wiod_cells) with one cell's value replaced (values become floats)."""
    hit = (pl.col("block") == block) & (pl.col("row") == row) & (pl.col("col") == col)
    return frame.with_columns(pl.when(hit).then(value).otherwise(pl.col("value").cast(pl.Float64)).alias("value"))


def _set_output(frame: pl.DataFrame, year: int, row: int, value: float) -> pl.DataFrame:
    """The gross output frame with one row's output replaced (outputs become floats)."""
    hit = (pl.col("year") == year) & (pl.col("row") == row)
    return frame.with_columns(pl.when(hit).then(value).otherwise(pl.col("output").cast(pl.Float64)).alias("output"))


def _wiod_self_supplied(frame: pl.DataFrame) -> pl.DataFrame:
    """KAZ_c3 (row 1) sells its whole output of 100 to itself (A_jj = 1): its sales of 30 to FRA_c2 and its
    final demand go, so its row still sums to its output and the reader passes it to the gate."""
    keep = frame.filter(~((pl.col("row") == 1) & ((pl.col("block") == "F") | (pl.col("col") == 2))))
    return _cell(keep, "Z", 1, 1, 100)


WIOD_CELLS = "wiod/wiot2001_ZF_long.parquet"
WIOD_OUTPUT = "wiod/wiot_output_2001_2002.parquet"  # tiny_world.WIOD_OUTPUT_FILE
SOURCES += (
    Source("WIOD 2013 cells", WIOD_CELLS, "marts/tiva_indicators", world="wiod2013", cases=(
        Case("empty file", lambda b: b"", "reader", ("is empty",)),
        Case("truncated file", lambda b: b[: len(b) // 2], "reader", ("cannot be read as parquet",)),
        Case("wrong header", _parquet(lambda f: f.rename({"value": "v"})), "reader", ("missing columns ['value']",)),
        Case("non-numeric value", _parquet(lambda f: f.with_columns(pl.col("value").cast(pl.Utf8))), "reader",
             ("block Z: values are String, not numbers",)),
        Case("NaN value", _parquet(lambda f: _set_cell(f, "Z", 0, 1, float("nan"))), "reader",
             ("block Z: non-finite value nan at row 0, col 1",)),
        Case("infinite value", _parquet(lambda f: _set_cell(f, "Z", 0, 1, float("inf"))), "reader",
             ("block Z: non-finite value inf at row 0, col 1",)),
        Case("duplicate key", _parquet(lambda f: _cell(f, "Z", 0, 1, 5)), "reader",
             ("block Z: cell (row 0, col 1) stored twice",)),
        Case("unknown code", _parquet(lambda f: _cell(f, "X", 0, 0, 5)), "reader", ("unknown block 'X' (row 0)",)),
        Case("ICIO not square", _parquet(lambda f: _cell(f, "Z", 0, 4, 5)), "reader",
             ("block Z: cell (row 0, col 4) is outside 4 x 4",)),
        Case("singular I - A", _parquet(_wiod_self_supplied), "raw_icio_gate",
             ("ingest/checks/icio_leontief_productive", "'year': 2001", "'label': 'KAZ_c3'", "I - A singular")),
    )),
    Source("WIOD 2013 row labels", "wiod/labels_rows.csv", "marts/tiva_indicators", world="wiod2013", cases=(
        EMPTY,
        Case("truncated file", _cut, "reader", ("line 5 has 2 fields, the header 3",)),
        Case("wrong header", _sub("row,country,industry", "row,economy,industry"), "reader",
             ("missing columns ['country']",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("duplicate key", _dup_last, "reader", ("column row must number the rows 0, 1, 2, ... in order",)),
        Case("unknown code", _sub("3,FRA,c3", "3,FRA,c9"), "reader",
             ("inconsistent labels: FRA does not list the industries of KAZ in the same order (row 2)",)),
    )),
    Source("WIOD 2013 final-use labels", "wiod/labels_final_cols.csv", "marts/tiva_indicators", world="wiod2013",
           cases=(
        EMPTY,
        Case("truncated file", _cut, "reader", (LINE_BREAK,)),  # cut after "9,FRA,": 3 fields, but no final line break
        Case("wrong header", _sub("col,country,use", "col,country,category"), "reader", ("missing columns ['use']",)),
        Case("wrong delimiter", lambda t: t.replace(",", ";"), "reader", ("wrong delimiter?",)),
        Case("duplicate key", _dup_last, "reader", ("column col must number the final-use columns 0, 1, 2, ... in order",)),
        Case("unknown code", _sub("4,KAZ,INVEN", "4,KAZ,INVENTORY"), "reader", ("unknown final use 'INVENTORY' (col 4)",)),
    )),
    Source("WIOD 2013 gross output", WIOD_OUTPUT, "marts/tiva_indicators", world="wiod2013", cases=(
        Case("empty file", lambda b: b"", "reader", ("is empty",)),
        Case("truncated file", lambda b: b[: len(b) // 2], "reader", ("cannot be read as parquet",)),
        Case("wrong header", _parquet(lambda f: f.rename({"output": "go"})), "reader", ("missing columns ['output']",)),
        Case("non-numeric value", _parquet(lambda f: f.with_columns(pl.col("output").cast(pl.Utf8))), "reader",
             ("column output must hold numbers, without gaps (found String)",)),
        Case("negative value", _parquet(lambda f: f.with_columns(
            output=pl.when((pl.col("year") == 2001) & (pl.col("row") == 3)).then(-100).otherwise(pl.col("output")))),
            "reader", ("year 2001: negative output in rows FRA_c3 (-100)",)),
        Case("NaN value", _parquet(lambda f: _set_output(f, 2001, 3, float("nan"))), "reader",
             ("year 2001", "FRA_c3")),
        Case("infinite value", _parquet(lambda f: _set_output(f, 2001, 3, float("inf"))), "reader",
             ("year 2001", "FRA_c3 (output inf, row sum 100)")),
        Case("implausible value", _parquet(lambda f: _set_output(f, 2001, 3, 1e12)), "reader",
             ("year 2001", "FRA_c3 (output 1e+12, row sum 100)")),
        Case("duplicate key", _parquet(lambda f: pl.concat([f, f.head(1)])), "reader",
             ("year 2001: output for 5 rows, expected 4",)),
        Case("year outside range", _parquet(lambda f: f.with_columns(
            year=pl.when(pl.col("year") == 2001).then(1850).otherwise(pl.col("year")))), "reader",
            ("year 2001: output for 0 rows, expected 4",)),
    )),
)

# the compressed forms CEPII ships (tiny_world.PACKED): a cut gzip stream and a garbled zip member are
# refused by the reader, not read in part
SOURCES += (
    Source("BACI flows, zipped", "baci/BACI_HS92_Y2001_V202401b.zip", "clean/flows[2001]", (ZIP, REMOVE), world="packed"),
    Source("BACI flows, gzipped", "baci/BACI_HS92_Y2002_V202401b.csv.gz", "clean/flows[2002]", (GZIP, REMOVE),
           world="packed"),
    Source("BACI country list, gzipped", "baci/country_codes_V202401b.csv.gz", "clean/flows[2001]", (GZIP, REMOVE),
           world="packed"),
    Source("BACI product list, zipped", "baci/product_codes_HS92_V202401b.zip", "clean/products", (ZIP, REMOVE),
           world="packed"),
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
