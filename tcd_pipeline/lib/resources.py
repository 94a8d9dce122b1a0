"""Typed Dagster resources: the DuckDB warehouse and the raw-input folder.

Both default to the embedded sample set-up and read their environment variables
(``TCD_WAREHOUSE``, ``TCD_INPUT_DIR``, ``TCD_HS_VINTAGE``, ``TCD_IO_TABLES``) when used, never at
import time.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from tcd_pipeline import paths
from tcd_pipeline.sources import Inventory, scan_inputs
from tcd_pipeline.sources.io_tables import IO_TABLES

SCHEMAS = ("raw", "clean", "meta")


class WarehouseLocked(RuntimeError):
    """Another process holds a DuckDB file's lock beyond the wait: names it and what to change."""


def lock_holder(message: str) -> str:
    """The process DuckDB names in a lock conflict ("PID 1234: python -m ..."), or ""."""
    match = re.search(r"PID (\d+)", message)
    if not match:
        return ""
    pid = match.group(1)
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        command = ""
    return f"PID {pid}" + (f": {command[:200]}" if command else "")


def connect_with_retry(path: Path, read_only: bool = False, wait_seconds: float = 60.0,
                       log=None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file, waiting while another process holds its lock (one writer per file).

    Only lock conflicts are retried (a sensor reading the manifest, a run finishing); any
    other error is raised at once. Waiting is logged once (``log``); past ``wait_seconds`` a
    :class:`WarehouseLocked` names the process holding the lock and the settings to change.
    """
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    waiting = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            holder = lock_holder(str(exc)) or "another process"
            if time.monotonic() > deadline:
                raise WarehouseLocked(
                    f"{path} is locked by {holder}; DuckDB allows one writing process per file. Stop that process "
                    f"(a BI tool must open the warehouse read-only, or read the published file instead), or point "
                    f"TCD_WAREHOUSE (warehouse.path) at another file; waited {wait_seconds:.0f} s "
                    f"(warehouse.lock_wait_seconds)") from None
            if not waiting and log is not None:
                log(f"waiting for the lock on {path}, held by {holder} (up to {wait_seconds:.0f} s)")
                waiting = True
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


@contextmanager
def refresh_lock(warehouse: Path, log=print, wait_seconds: float = 60.0) -> Iterator[None]:
    """One refresh at a time per warehouse: an exclusive lock on ``<warehouse>.refresh.lock``.

    DuckDB's own lock is taken and released by every step, so two refreshes on one warehouse
    would interleave their steps (and one would refuse to publish the other's clean layer).
    The second waits for the first, saying so, and gives up after ``wait_seconds`` naming it.
    """
    lock_path = Path(f"{warehouse}.refresh.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait_seconds
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if time.monotonic() > deadline:
                    raise WarehouseLocked(f"another refresh ({holder}) is running on {warehouse}; waited "
                                          f"{wait_seconds:.0f} s (warehouse.lock_wait_seconds)") from None
                if not announced:
                    log(f"waiting for the refresh running on {warehouse} ({holder}) to finish")
                    announced = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"PID {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file (default ``$TCD_WAREHOUSE`` or ``data/warehouse.duckdb``)."""

    path: str = ""
    lock_wait_seconds: float = 60.0
    memory_limit: str = ""  # "" -> $TCD_DUCKDB_MEMORY_LIMIT or 6GB; DuckDB spills to disk beyond it

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else paths.warehouse_path()

    def memory_limit_setting(self) -> str:
        return self.memory_limit or os.environ.get("TCD_DUCKDB_MEMORY_LIMIT") or "6GB"

    @contextmanager
    def connect(self, log=None) -> Iterator[duckdb.DuckDBPyConnection]:
        target = self.resolved_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        con = connect_with_retry(target, wait_seconds=self.lock_wait_seconds, log=log)
        try:
            # DuckDB otherwise takes 80 % of RAM; one sort of 190 million flows peaked at 17.8 GB
            # without a limit, 6.1 GB with 6 GB (spilling). The spell build sorts 25 million flows
            # at a time and peaks near 2.9 GB at full scale (docs/benchmarks.md)
            con.execute("SET memory_limit = ?", [self.memory_limit_setting()])
            for schema in SCHEMAS:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            yield con
        finally:
            con.close()


class RawInputs(dg.ConfigurableResource):
    """The folder of raw files in their published layouts (default ``$TCD_INPUT_DIR`` or the sample)."""

    directory: str = ""
    hs_vintage: str = ""  # "" -> $TCD_HS_VINTAGE or "92" (one HS vintage per panel)
    # "" -> $TCD_IO_TABLES or "auto": the one input-output family per warehouse (auto | icio | wiod2013 | wiod_long_run)
    io_tables: str = ""

    def resolved_dir(self) -> Path:
        return Path(self.directory) if self.directory else paths.input_dir()

    def resolved_hs(self) -> str:
        return self.hs_vintage or os.environ.get("TCD_HS_VINTAGE") or "92"

    def resolved_io_tables(self) -> str:
        """``auto`` (the one family found), ``icio``, ``wiod2013`` or ``wiod_long_run``; anything else is named."""
        value = (self.io_tables or os.environ.get("TCD_IO_TABLES") or "auto").strip()
        if value not in IO_TABLES:
            raise ValueError(f"setting raw_inputs.io_tables ($TCD_IO_TABLES): one of {', '.join(IO_TABLES)}; "
                             f"got {value!r}")
        return value

    def inventory(self) -> Inventory:
        return scan_inputs(self.resolved_dir(), hs=self.resolved_hs(), io_tables=self.resolved_io_tables())


class PublishedMarts(dg.ConfigurableResource):
    """The published marts file BI tools read (default ``$TCD_PUBLISHED`` or ``data/published/tcd.duckdb``)."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else paths.published_path()
