"""Trade in value added (report chapter 3): the Leontief decomposition of each input-output year and the TiVA marts.

One input-output family per warehouse (``raw_inputs.io_tables`` / ``$TCD_IO_TABLES``, see
:mod:`tcd_pipeline.sources.io_tables`): OECD ICIO (``ICIO*_{year}.csv[.gz]``, zip members too),
the WIOD 2013 release (``wiot{year}_ZF_long.parquet`` with its label and output files) or the
long-run WIOD (``WIODlr_WIOT_{year}.parquet``). The asset keys keep the name ``icio``
(inter-country input-output), whatever the family.

Assets:

- ``raw/icio`` (group raw, ingested with the reference job): reads every year of the selected
  family with :func:`tcd_pipeline.sources.io_tables.read_io_table`, whose readers refuse malformed
  files (non-square or inconsistently labelled intermediate block, non-numeric cells, negative
  output, output that is not the row sum within the release's rounding) naming the file and the
  row. It stores one row per table (``raw.icio_tables``: family, files, classification, output
  convention, the reader's balance tolerance) and one summary row per industry row of each table
  (``raw.icio_rows``: output, row and column totals, diagonal) and records the fingerprints of
  every file read (WIOD label and output files too). Its gate (``expectations/raw_icio.json``)
  re-checks on those summaries that the block is square, the labels consistent, output equals row
  sums within the table's tolerance, no output is negative, and that no column buys inputs worth
  its whole output beyond that tolerance (A's column sum >= 1 makes I - A singular or
  unproductive). Several families under ``auto``, or a WIOD 2013 folder missing a label or output
  file, fail this asset with a message naming the files and the setting.
- ``tiva/decomposition`` (group tiva): reads the same files again, one year at a time, and runs
  :func:`tcd_pipeline.core.tiva.tiva_indicators` (one LU factorisation of I - A; a singular
  I - A fails the asset with a message naming the file, year and rows). The four tidy frames go
  to ``tiva.indicators``, ``tiva.fva_by_source``, ``tiva.dva_by_destination`` and
  ``tiva.participation``, one row per table to ``tiva.tables`` (family, source, classification,
  conventions); its gate checks the accounting identities. From the same table in memory,
  :func:`tcd_pipeline.core.upstreamness.gvc_position_frame` (one more LU factorisation, of I - Delta)
  writes ``tiva.upstreamness``: Antràs and Chor's upstreamness, downstreamness, FUGO and VAGO with
  the net-inventory correction, by country x industry.
- ``marts/tiva_indicators``, ``tiva_fva_by_source``, ``tiva_dva_by_destination``,
  ``gvc_participation`` (SQL over ``tiva.*``) and ``dva_growth`` (by report sector, with the
  sector map of the tables' classification in ``tcd_pipeline/reference/icio_sectors.csv``;
  configured growth periods), ``tiva_upstreamness`` and ``tiva_export_upstreamness`` (SQL over
  ``tiva.upstreamness``: by country x industry, and export- and output-weighted by country), each
  with its gate.

Why the matrices are not stored in DuckDB: an ICIO year has 3,645 x 4,100 cells (15 million;
about 120 MB in float64); a long table (year, row, column, value) over 20 years would be
hundreds of millions of rows for data that is only ever used whole, by one LU factorisation.
The published files are the storage: the raw asset keeps what the gates and plan need (about
3,600 small rows a year plus the fingerprints) and the decomposition re-reads the file, which
costs a second parse (a few seconds a year at ICIO size) but no second copy of the data. Memory
is one year at a time: the parsed grid, Z and I - A (factored in place) are each about 110 MB at
ICIO size, well under 1 GB in total. The decomposition refuses to run when the files changed
since ``raw/icio`` last passed its gate (so marts are never built from unchecked files).

No input-output file (e.g. a real-data folder with only BACI): every table and mart is empty,
with a warning, not a failure (like ``raw/services``).

Conventions (``settings``, METHODS.md section 5; stated in the mart column comments,
``tcd_pipeline/defs/tiva/marts.py``, and recorded in ``tiva.tables`` and the metadata):
``tiva_taxes`` (``$TCD_TIVA_TAXES``): ``value_added`` (default; taxes less subsidies, OECD TLS,
count as value added of the paying industry, so EXGR_DVA + EXGR_FVA = EXGR) or ``separate``
(their content is EXGR_TLS, so EXGR_DVA + EXGR_FVA + EXGR_TLS = EXGR); ``tiva_output``
(``$TCD_TIVA_OUTPUT``): gross output = the published column (default) or the row sums of Z and
final demand. Changing a convention changes no file: rebuild with ``--force``.
"""


import time

import dagster as dg
import polars as pl

from tcd_pipeline.config import Settings
from tcd_pipeline.core.leontief import SingularLeontiefError
from tcd_pipeline.core.tiva import tiva_indicators
from tcd_pipeline.core.tiva_sectors import dva_growth
from tcd_pipeline.core.upstreamness import gvc_position_frame
from tcd_pipeline.defs.ingest.io_tables import family_label, selected_tables
from tcd_pipeline.defs.tiva import marts as M
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.gated import GateSettings, Staged, check_specs, gated_build
from tcd_pipeline.lib.keys import RAW_ICIO
from tcd_pipeline.lib.mart_assets import mart_asset, sql_mart
from tcd_pipeline.lib.metadata import table_metadata
from tcd_pipeline.lib.resources import DiagnosticSettings, RawInputs, Warehouse
from tcd_pipeline.sources import InputFileError
from tcd_pipeline.sources.icio import read_sector_map
from tcd_pipeline.sources.io_tables import read_io_table
from tcd_pipeline.warehouse import manifest
from tcd_pipeline.warehouse.contracts import build_mart_from_frames
from tcd_pipeline.warehouse.plan import files_fingerprint

CHAPTER = "tiva"  # the Dagster asset group and the folder of its SQL (sql/tiva)


DECOMPOSED_SCHEMA = {"year": pl.Int16, "family": pl.Utf8, "source": pl.Utf8, "files": pl.Utf8,
                     "classification": pl.Utf8, "taxes": pl.Utf8, "output_convention": pl.Utf8, "notes": pl.Utf8}
_TEXT, _YEAR = "VARCHAR", "SMALLINT"
# tiva.<frame> -> its columns and types: those of core.tiva.TivaResult, in the tables' unit (million USD) and with
# participation as fractions; the marts (sql/tiva/marts) rename them to the published vocabulary and scale them
FRAMES: dict[str, dict[str, str]] = {
    "indicators": {"country": _TEXT, "industry": _TEXT, "year": _YEAR,
                   **dict.fromkeys(("output", "va", "exgr", "exgr_dva", "exgr_ddc", "exgr_idc", "exgr_rim", "exgr_fva",
                                    "exgr_tls", "iv", "dfd_dva", "ffd_dva", "exgr_dvash", "dexfvapsh", "ffd_dvash"),
                                   "DOUBLE")},
    "fva_by_source": {"exporter": _TEXT, "source": _TEXT, "year": _YEAR,
                      **dict.fromkeys(("value", "share", "share_of_exgr"), "DOUBLE")},
    "dva_by_destination": {"exporter": _TEXT, "destination": _TEXT, "year": _YEAR,
                           **dict.fromkeys(("exgr", "value", "share"), "DOUBLE")},
    "participation": {"country": _TEXT, "year": _YEAR,
                      **dict.fromkeys(("exgr", "exgr_fva", "iv", "backward", "forward", "participation", "position"),
                                      "DOUBLE")},
    # core.upstreamness.gvc_position_frame (not a TivaResult frame): U, D, FUGO and VAGO (fractions)
    "upstreamness": {"country": _TEXT, "industry": _TEXT, "year": _YEAR,
                     **dict.fromkeys(("output", "inventories", "final_use", "exgr", "upstreamness", "downstreamness",
                                      "fugo", "vago", "exgr_upstreamness", "exgr_downstreamness"), "DOUBLE")},
}


def _fail(exc: Exception) -> dg.Failure:
    return dg.Failure(description=str(exc), metadata={"problem": str(exc)})


def _create_frames(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS tiva")
    for name, columns in FRAMES.items():
        declared = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        con.execute(f"CREATE OR REPLACE TABLE tiva.{name} ({declared})")


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="tiva", group_name=CHAPTER, kinds={"duckdb", "numpy"}, deps=[RAW_ICIO],
          check_specs=check_specs("tiva/decomposition"))
def decomposition(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
                  settings: DiagnosticSettings, gate_settings: GateSettings):
    """Leontief decomposition of every input-output year (core.tiva; conventions settings.tiva_taxes and
    tiva_output) into tiva.indicators, tiva.fva_by_source, tiva.dva_by_destination and tiva.participation."""
    io = selected_tables(raw_inputs)
    conventions = settings.resolved()
    taxes, output = conventions.tiva_taxes, conventions.tiva_output
    fingerprint = files_fingerprint(list(io.files))

    def build(con) -> list[Staged]:
        verified = manifest.verified(con, "raw/icio").get("")
        if verified != fingerprint:
            raise dg.Failure(f"tiva/decomposition: the input-output files changed since raw/icio last passed its gate "
                             f"({', '.join(s.name for s in io.files) or 'none now'}); run ingest_reference_job")
        if not io.years:
            context.log.warning("no input-output table: the TiVA tables are empty")
        _create_frames(con)
        decomposed = []
        for year, src in io.years.items():
            started = time.perf_counter()
            try:
                table = read_io_table(src, output=output)
                result = tiva_indicators(table, taxes=taxes)
                frames = {name: getattr(result, name) for name in FRAMES if name != "upstreamness"}
                frames["upstreamness"] = gvc_position_frame(table)
            except (InputFileError, SingularLeontiefError) as exc:
                raise _fail(exc) from exc
            for name, columns in FRAMES.items():
                part = frames[name].select(list(columns))  # noqa: F841
                con.execute(f"INSERT INTO tiva.{name} SELECT * FROM part")
            decomposed.append({"year": year, "family": src.family, "source": table.source,
                               "files": ", ".join(map(str, src.files)), "classification": table.classification,
                               "taxes": taxes, "output_convention": output, "notes": "; ".join(table.notes)})
            context.log.info(f"{src.name}: decomposed in {time.perf_counter() - started:.1f} s")
        frame = pl.DataFrame(decomposed, schema=DECOMPOSED_SCHEMA)  # noqa: F841
        con.execute("CREATE OR REPLACE TABLE tiva.tables AS SELECT * FROM frame")
        rows = con.execute("SELECT count(*) FROM tiva.indicators").fetchone()[0]
        return [Staged("tiva/decomposition", "", ", ".join(map(str, io.files)), fingerprint, rows, {
            **table_metadata(con, "tiva.indicators"), "family": family_label(io), "taxes": taxes, "output": output,
            "sources": ", ".join(sorted({d["source"] for d in decomposed})) or "none",
            "classification": ", ".join(sorted({d["classification"] for d in decomposed})) or "none",
            "years": ", ".join(map(str, io.years)) or "none"})]

    yield from gated_build(context, warehouse, gate_settings, build)


tiva_indicators_mart = sql_mart(M.TIVA_INDICATORS, deps=[decomposition], group=CHAPTER)
# their gates compare with marts.tiva_indicators, so they are built after it
tiva_fva_by_source = sql_mart(M.TIVA_FVA_BY_SOURCE, deps=[decomposition, tiva_indicators_mart], group=CHAPTER)
tiva_dva_by_destination = sql_mart(M.TIVA_DVA_BY_DESTINATION, deps=[decomposition, tiva_indicators_mart], group=CHAPTER)
gvc_participation = sql_mart(M.GVC_PARTICIPATION, deps=[decomposition, tiva_indicators_mart], group=CHAPTER)
tiva_upstreamness = sql_mart(M.TIVA_UPSTREAMNESS, deps=[decomposition], group=CHAPTER)
tiva_export_upstreamness = sql_mart(M.TIVA_EXPORT_UPSTREAMNESS,
                                    deps=[decomposition, tiva_indicators_mart, tiva_upstreamness], group=CHAPTER)


# core.tiva_sectors.dva_growth's columns -> marts.dva_growth's (values million USD -> USD; rates and shares percent)
DVA_GROWTH_NAMES = {"value_start": "value_start_usd", "value_end": "value_end_usd", "share_start": "share_start_pct",
                    "share_end": "share_end_pct", "cagr": "cagr_pct", "contribution": "contribution_pct",
                    "total_start": "total_start_usd", "total_end": "total_end_usd", "total_cagr": "total_cagr_pct"}
MILLION = 1e6


def _published(frame: pl.DataFrame) -> pl.DataFrame:
    money = ("value_start", "value_end", "total_start", "total_end")
    return frame.with_columns(pl.col(*money) * MILLION).rename(DVA_GROWTH_NAMES)


def _build_dva_growth(con, settings: Settings, log) -> int:
    # the decomposition's own frame (million USD, the names of core.tiva), whose marts.tiva_indicators was just built
    indicators = con.execute("SELECT * FROM tiva.indicators").pl()
    years = set(indicators["year"].unique().to_list())
    if not years:
        log.warning(f"{M.DVA_GROWTH.table}: no input-output table, no DVA growth")
        return build_mart_from_frames(con, M.DVA_GROWTH, [])
    # one family per warehouse, so one classification (OECD ICIO releases share oecd_icio)
    classifications = [c for (c,) in con.execute("SELECT DISTINCT classification FROM tiva.tables ORDER BY 1").fetchall()]
    if len(classifications) != 1:
        raise ValueError(f"{M.DVA_GROWTH.table}: expected the tables of one industry classification, found "
                         f"{classifications} in tiva.tables")
    sectors = read_sector_map(classifications[0])

    def frames():
        for t0, t1 in settings.growth_periods:
            if not {t0, t1} <= years:
                log.warning(f"{M.DVA_GROWTH.table}: growth period {t0}-{t1} skipped: no input-output table for "
                            f"{sorted({t0, t1} - years)} (years: {sorted(years)}; settings.growth_periods / "
                            f"$TCD_GROWTH_PERIODS)")
                continue
            yield _published(dva_growth(indicators, sectors, t0, t1))
    return build_mart_from_frames(con, M.DVA_GROWTH, frames())


dva_growth_mart = mart_asset(M.DVA_GROWTH, [tiva_indicators_mart], _build_dva_growth, group=CHAPTER)

ASSETS: list = [decomposition, tiva_indicators_mart, tiva_fva_by_source, tiva_dva_by_destination, gvc_participation,
                dva_growth_mart, tiva_upstreamness, tiva_export_upstreamness]
