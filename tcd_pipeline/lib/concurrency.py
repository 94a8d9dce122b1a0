"""Concurrency: DuckDB allows one writing process per file.

Every asset that writes the warehouse declares the pool ``duckdb_warehouse``; the instance's
``dagster.yaml`` (created next to the warehouse) limits it to one slot, so runs the sensors queue
never write at the same time, and the UI shows which run holds the warehouse. ``make run``
executes its runs in process under its refresh lock instead (the sensors wait while it holds it).
"""

WAREHOUSE_POOL = "duckdb_warehouse"
