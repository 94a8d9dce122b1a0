"""The report's sector and destination-group mappings, registered in DuckDB for SQL statements.

``hs6_sector`` (hs6, sector) from the package's HS rules; ``importer_region`` (importer, year,
region) from membership by year (tcd_pipeline.core.classifications).
"""

from contextlib import contextmanager
from typing import Iterator

import duckdb

from tcd_pipeline.core.classifications import destination_regions, report_sectors
from tcd_pipeline.sources import reference_tables as ref


def sector_of_products(con: duckdb.DuckDBPyConnection):
    return report_sectors(con.execute("SELECT hs6 FROM clean.products").pl(), ref.read_report_sectors())


def importer_regions(con: duckdb.DuckDBPyConnection):
    """(importer, year, region) for every importer and year of clean.flows."""
    pairs = con.execute("SELECT DISTINCT importer, year FROM clean.flows").pl()
    return destination_regions(pairs, ref.read_regions())


@contextmanager
def report_mappings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.register("hs6_sector", sector_of_products(con))
    con.register("importer_region", importer_regions(con))
    try:
        yield
    finally:
        con.unregister("hs6_sector")
        con.unregister("importer_region")
