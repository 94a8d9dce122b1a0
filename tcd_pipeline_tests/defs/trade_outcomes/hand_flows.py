"""A warehouse of hand-made flows: ``clean.flows`` with each year's flows verified in the manifest, as an
ingest leaves them (for the tests of year reuse and of the shared exporter x HS6 totals)."""

import duckdb

from tcd_pipeline.warehouse import manifest


def hand_flows(flows: list[tuple]) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding ``flows`` (year, exporter, importer, hs6, value_usd), each year verified."""
    db = duckdb.connect()
    db.execute("CREATE SCHEMA clean")
    db.execute("CREATE TABLE clean.flows (year SMALLINT, exporter VARCHAR, importer VARCHAR, hs6 VARCHAR, "
               "value_usd DOUBLE, quantity_t DOUBLE)")
    db.executemany("INSERT INTO clean.flows VALUES (?, ?, ?, ?, ?, NULL)", flows)
    for year in sorted({row[0] for row in flows}):
        rows = sum(row[0] == year for row in flows)
        manifest.record(db, "clean/flows", str(year), f"BACI_{year}.csv", f"fingerprint-{year}", rows)
        manifest.verify(db, "clean/flows", str(year))
    return db
