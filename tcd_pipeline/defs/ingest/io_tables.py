"""Ingest: the input-output tables of the TiVA chapter (``raw/icio``), read and validated, one summary row per
table and per industry row; the matrices stay in the files (see tcd_pipeline/defs/tiva/assets.py for why).

One input-output family per warehouse (``raw_inputs.io_tables`` / ``$TCD_IO_TABLES``, see
:mod:`tcd_pipeline.sources.io_tables`): OECD ICIO (``ICIO*_{year}.csv[.gz]``, zip members too),
the WIOD 2013 release (``wiot{year}_ZF_long.parquet`` with its label and output files) or the
long-run WIOD (``WIODlr_WIOT_{year}.parquet``). The asset key keeps the name ``icio``
(inter-country input-output), whatever the family.

``raw/icio`` reads every year of the selected family with
:func:`tcd_pipeline.sources.io_tables.read_io_table`, whose readers refuse malformed files
(non-square or inconsistently labelled intermediate block, non-numeric cells, negative output,
output that is not the row sum within the release's rounding) naming the file and the row. It
stores one row per table (``raw.icio_tables``) and one summary row per industry row of each table
(``raw.icio_rows``) and records the fingerprints of every file read (WIOD label and output files
too). Its gate (``expectations/ingest/raw_icio.json``) re-checks on those summaries that the block
is square, the labels consistent, output equals row sums within the table's tolerance, no output
is negative, and that no column buys inputs worth its whole output beyond that tolerance. Several
families under ``auto``, or a WIOD 2013 folder missing a label or output file, fail this asset
with a message naming the files and the setting.
"""

import time

import dagster as dg
import numpy as np
import polars as pl

from tcd_pipeline.defs.ingest.files import file_key
from tcd_pipeline.lib.concurrency import WAREHOUSE_POOL
from tcd_pipeline.lib.gated import GateSettings, Staged, check_specs, gated_build
from tcd_pipeline.lib.metadata import table_metadata
from tcd_pipeline.lib.resources import DiagnosticSettings, RawInputs, Warehouse
from tcd_pipeline.sources import InputFileError
from tcd_pipeline.sources.io_tables import FAMILIES, IOTables, read_io_table
from tcd_pipeline.warehouse.plan import files_fingerprint

TABLES_SCHEMA = {"year": pl.Int16, "family": pl.Utf8, "source_file": pl.Utf8, "files": pl.Utf8, "source": pl.Utf8,
                 "classification": pl.Utf8, "output_convention": pl.Utf8, "regions": pl.Int32,
                 "countries": pl.Int32, "industries": pl.Int32, "block_rows": pl.Int32, "block_columns": pl.Int32,
                 "balance_atol": pl.Float64, "balance_rtol": pl.Float64, "notes": pl.Utf8}
ROWS_SCHEMA = {"year": pl.Int16, "label": pl.Utf8, "region": pl.Utf8, "country": pl.Utf8, "industry": pl.Utf8,
               "output": pl.Float64, "row_total": pl.Float64, "z_row": pl.Float64, "z_column": pl.Float64,
               "z_diagonal": pl.Float64, "va": pl.Float64, "tls": pl.Float64, "final_demand": pl.Float64}


# tiva.tables: one row per decomposed table (dva_growth takes the sector map of its classification)
def _fail(exc: Exception) -> dg.Failure:
    return dg.Failure(description=str(exc), metadata={"problem": str(exc)})


def selected_tables(raw_inputs: RawInputs) -> IOTables:
    """The selected family's tables, or the failure that names why they cannot be used."""
    io = raw_inputs.inventory().io_tables
    if io.problem:
        raise dg.Failure(description=io.problem, metadata={"problem": io.problem})
    return io


def family_label(io: IOTables) -> str:
    return f"{io.family} ({FAMILIES[io.family]})" if io.family else "none"


def _summaries(table, src, output: str) -> tuple[dict, pl.DataFrame]:
    Z, Y, x = table.Z, table.Y, table.x
    atol, rtol = table.balance_tolerance
    info = {"year": table.year, "family": src.family, "source_file": str(src), "files": ", ".join(map(str, src.files)),
            "source": table.source, "classification": table.classification, "output_convention": output,
            "regions": len(table.regions), "countries": len(table.countries), "industries": len(table.industries),
            "block_rows": Z.shape[0], "block_columns": Z.shape[1], "balance_atol": atol, "balance_rtol": rtol,
            "notes": "; ".join(table.notes)}
    labels = table.row_labels
    regions = np.repeat(np.array(table.regions), len(table.industries))
    rows = pl.DataFrame({
        "year": np.full(len(labels), table.year), "label": labels, "region": regions,
        "country": np.array(table.countries)[table.row_country], "industry": np.array(table.industries)[table.row_industry],
        "output": x, "row_total": Z.sum(axis=1) + Y.sum(axis=1), "z_row": Z.sum(axis=1), "z_column": Z.sum(axis=0),
        "z_diagonal": np.diag(Z).copy(), "va": table.va, "tls": table.tls, "final_demand": Y.sum(axis=1),
    }).cast(ROWS_SCHEMA)  # type: ignore[arg-type]
    return info, rows


@dg.asset(pool=WAREHOUSE_POOL, key_prefix="raw", group_name="ingest", kinds={"duckdb"}, deps=[file_key("io_tables")],
          check_specs=check_specs("raw/icio"))
def icio(context: dg.AssetExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse,
         settings: DiagnosticSettings, gate_settings: GateSettings):
    """Inter-country input-output tables, OECD ICIO or WIOD (one family: raw_inputs.io_tables): validated by the
    reader, one summary row per table (raw.icio_tables) and per industry row (raw.icio_rows); the matrices stay
    in the files."""
    io = selected_tables(raw_inputs)
    output = settings.resolved().tiva_output
    if not io.years:
        context.log.warning(f"no input-output table (family {family_label(io)}; OECD ICIO*_{{year}}.csv, WIOD "
                            f"wiot{{year}}_ZF_long.parquet or WIODlr_WIOT_{{year}}.parquet): raw.icio_rows is empty, "
                            f"so are the TiVA marts")
    infos, frames = [], []
    for year, src in io.years.items():
        started = time.perf_counter()
        try:
            table = read_io_table(src, output=output)
        except InputFileError as exc:
            raise _fail(exc) from exc
        info, rows = _summaries(table, src, output)
        infos.append(info)
        frames.append(rows)
        context.log.info(f"{src.name}: {table.size} rows, {len(table.countries)} countries in "
                         f"{time.perf_counter() - started:.1f} s")
        del table
    tables = pl.DataFrame(infos, schema=TABLES_SCHEMA) if infos else pl.DataFrame(schema=TABLES_SCHEMA)
    rows = pl.concat(frames) if frames else pl.DataFrame(schema=ROWS_SCHEMA)

    def build(con) -> list[Staged]:
        con.register("icio_tables_frame", tables)
        con.register("icio_rows_frame", rows)
        con.execute("CREATE OR REPLACE TABLE raw.icio_tables AS SELECT * FROM icio_tables_frame")
        con.execute("CREATE OR REPLACE TABLE raw.icio_rows AS SELECT * FROM icio_rows_frame")
        con.unregister("icio_tables_frame")
        con.unregister("icio_rows_frame")
        return [Staged("raw/icio", "", ", ".join(map(str, io.files)), files_fingerprint(list(io.files)), len(infos), {
            **table_metadata(con, "raw.icio_rows"), "family": family_label(io), "io_tables": raw_inputs.resolved_io_tables(),
            "output": output, "sources": ", ".join(sorted({i["source"] for i in infos})) or "none",
            "years": ", ".join(map(str, io.years)) or "none",
            "source_files": ", ".join(s.name for s in io.files) or "none"})]

    yield from gated_build(context, warehouse, gate_settings, build)
