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


@contextmanager
def report_mappings(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    pairs = con.execute("SELECT DISTINCT importer, year FROM clean.flows").pl()
    con.register("hs6_sector", sector_of_products(con))
    con.register("importer_region", destination_regions(pairs, ref.read_regions()))
    try:
        yield
    finally:
        con.unregister("hs6_sector")
        con.unregister("importer_region")
