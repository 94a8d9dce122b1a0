"""Typed Dagster resources: the DuckDB warehouse, the raw-input folder, the published file, the analysis settings.

Every field is declared in :mod:`tcd_pipeline.config` (its variable, default, allowed values and
meaning) and resolved through it when used, never at import: config, else ``$TCD_*``, else the
default; ``None`` (or "") means unset. The gate engine's resource is ``GateSettings`` in
:mod:`tcd_pipeline.lib.gated`.

:class:`Warehouse` is dagster-duckdb's ``DuckDBResource`` (field ``database``) whose
``get_connection()`` (alias ``connect()``, what the assets call) is the project's connection: it
waits for another process's lock saying who holds it, sets DuckDB's memory limit and creates the
schemas. One writer per DuckDB file: every connection to the warehouse goes through
:func:`connect_with_retry`, which never passes on DuckDB's "open in read-only mode" advice.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import Field, PrivateAttr

from tcd_pipeline import config
from tcd_pipeline.config import Settings
from tcd_pipeline.sources import Inventory, scan_inputs

SCHEMAS = ("raw", "clean", "meta")
REPORT_EVERY_SECONDS = 10.0  # a wait for a lock is logged when it starts, then this often
# where lock waits are said when no logger is given: Dagster captures it into the log of the run
# that is executing (refresh_job's op, planning), and ``python -m tcd_pipeline.run`` prints it
LOGGER = dg.get_dagster_logger("tcd_pipeline.warehouse")

Log = Callable[[str], None]


class WarehouseLocked(RuntimeError):
    """Another process holds a DuckDB file's lock beyond the wait: names it and what to change."""


def lock_holder(message: str) -> str:
    """The process DuckDB names in a lock conflict ("PID 1234: python -m ..."), or ""."""
    match = re.search(r"PID (\d+)", message)
    if not match:
        return ""
    return f"PID {match.group(1)}" + (f": {command}" if (command := _command(match.group(1))) else "")


def _command(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()[:200]
    except OSError:
        return ""


def _say(log: Log | None, message: str) -> None:
    (log or LOGGER.warning)(message)


def _wait_seconds(wait_seconds: float | None) -> float:
    return config.resolve("warehouse.lock_wait_seconds", wait_seconds)


def connect_with_retry(path: Path, read_only: bool = False, wait_seconds: float | None = None,
                       log: Log | None = None, connection_config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file, waiting while another process holds its lock (one writer per file).

    Only lock conflicts are retried (a sensor reading the manifest, a run finishing); any other
    error is raised at once. The wait is logged through ``log`` (a run's ``context.log``; else
    :data:`LOGGER`) when it starts and every 10 s while it lasts, naming the
    process holding the lock. Past ``wait_seconds`` (None: ``warehouse.lock_wait_seconds``) a
    :class:`WarehouseLocked` names that process and what to do.
    """
    wait_seconds = _wait_seconds(wait_seconds)
    started = time.monotonic()
    next_report = started
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=connection_config or {})
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            holder = lock_holder(str(exc)) or "another process"
            waited = time.monotonic() - started
            if waited >= wait_seconds:
                raise WarehouseLocked(
                    f"{path} is locked by {holder}; DuckDB allows one writer per file, and that process has it "
                    f"open for writing. Stop that process (BI tools should read the published file, not the "
                    f"warehouse), or wait until its run finishes and start again, or point TCD_WAREHOUSE "
                    f"(warehouse.database) at another file; waited {waited:.0f} s (warehouse.lock_wait_seconds, "
                    f"$TCD_LOCK_WAIT_SECONDS)") from None
            if time.monotonic() >= next_report:
                if waited < REPORT_EVERY_SECONDS / 2:
                    _say(log, f"waiting for the lock on {path}, held by {holder} (DuckDB allows one writer per "
                              f"file; waiting up to {wait_seconds:.0f} s)")
                else:
                    _say(log, f"still waiting for the lock on {path}, held by {holder}: {waited:.0f} s of "
                              f"{wait_seconds:.0f} s")
                next_report += REPORT_EVERY_SECONDS
            time.sleep(min(delay, max(0.0, started + wait_seconds - time.monotonic()) + 0.01))
            delay = min(delay * 2, 1.0)


def _lock_file(warehouse: Path) -> Path:
    return Path(f"{warehouse}.refresh.lock")


def _holder(handle) -> str:
    """What the refresh lock file says of the process holding it ("PID 1234")."""
    handle.seek(0)
    return handle.read().strip() or "another process"


def refresh_lock_holder(warehouse: Path) -> str:
    """Who holds :func:`refresh_lock` on ``warehouse`` (a ``make run`` refreshing it), or "" when nobody
    does: a non-blocking probe, so the sensors skip a tick instead of launching runs beside it."""
    lock_path = _lock_file(warehouse)
    if not lock_path.exists():
        return ""
    with open(lock_path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(handle)
        fcntl.flock(handle, fcntl.LOCK_UN)
        return ""


@contextmanager
def refresh_lock(warehouse: Path, log: Log | None = print, wait_seconds: float | None = None) -> Iterator[None]:
    """One refresh at a time per warehouse: an exclusive lock on ``<warehouse>.refresh.lock``.

    DuckDB's own lock is taken and released by every step, so two refreshes on one warehouse
    would interleave their steps (and one would refuse to publish the other's clean layer).
    The second waits for the first, saying so when it starts and every 10 s, and gives up after
    ``wait_seconds`` (None: ``warehouse.lock_wait_seconds``) naming it.
    """
    wait_seconds = _wait_seconds(wait_seconds)
    lock_path = _lock_file(warehouse)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+", encoding="utf-8") as handle:
        started = time.monotonic()
        next_report = started
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(handle)
                command = _command(holder.removeprefix("PID ")) if holder.startswith("PID ") else ""
                about = f"{holder}" + (f": {command}" if command else "")
                waited = time.monotonic() - started
                if waited >= wait_seconds:
                    raise WarehouseLocked(
                        f"another refresh ({holder}) is running on {warehouse}" + (f" ({command})" if command else "")
                        + f"; waited {waited:.0f} s (warehouse.lock_wait_seconds, $TCD_LOCK_WAIT_SECONDS). Wait "
                        f"for it to finish and start again, stop it, or point TCD_WAREHOUSE at another file") from None
                if time.monotonic() >= next_report:
                    if waited < REPORT_EVERY_SECONDS / 2:
                        _say(log, f"waiting for the refresh running on {warehouse} ({about}) to finish "
                                  f"(up to {wait_seconds:.0f} s)")
                    else:
                        _say(log, f"still waiting for the refresh running on {warehouse} ({about}): "
                                  f"{waited:.0f} s of {wait_seconds:.0f} s")
                    next_report += REPORT_EVERY_SECONDS
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


def _declared(name: str):
    """A config field declared in :mod:`tcd_pipeline.config`: unset (None) by default, described as there."""
    s = config.BY_NAME[name]
    return Field(default=None, description=f"{s.doc} (unset: ${s.env}, else {s.default})")


class Warehouse(DuckDBResource):
    """The DuckDB warehouse file (``database``: config, else ``$TCD_WAREHOUSE``, else ``data/warehouse.duckdb``)."""

    database: str | None = _declared("warehouse.database")
    memory_limit: str | None = _declared("warehouse.memory_limit")
    lock_wait_seconds: float | None = _declared("warehouse.lock_wait_seconds")
    _run_log = PrivateAttr(default=None)

    @classmethod
    def _is_dagster_maintained(cls) -> bool:
        return False

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # inside a run, lock waits are logged through the run's logger: the UI shows them as they happen
        self._run_log = context.log

    def resolved_path(self) -> Path:
        return config.resolve("warehouse.database", self.database)

    def memory_limit_setting(self) -> str:
        return config.resolve("warehouse.memory_limit", self.memory_limit)

    def lock_wait(self) -> float:
        return config.resolve("warehouse.lock_wait_seconds", self.lock_wait_seconds)

    def _log(self, log: Log | None) -> Log | None:
        """Where lock waits are said: ``log``, else inside a run the run's logger (the UI shows them as they
        happen), else None (:data:`LOGGER`)."""
        return log or (self._run_log.warning if self._run_log is not None else None)

    @contextmanager
    def get_connection(self, log: Log | None = None, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the warehouse (waiting for another process's lock), its memory limit set and,
        unless ``read_only``, its schemas created."""
        target = self.resolved_path()
        if not read_only:
            target.parent.mkdir(parents=True, exist_ok=True)
        con = connect_with_retry(target, read_only=read_only, wait_seconds=self.lock_wait(), log=self._log(log),
                                 connection_config=self.connection_config)
        try:
            # DuckDB otherwise takes 80 % of RAM; one sort of 190 million flows peaked at 17.8 GB
            # without a limit, 6.1 GB with 6 GB (spilling). The spell build sorts 25 million flows
            # at a time and peaks near 2.9 GB at full scale (docs/benchmarks.md)
            con.execute("SET memory_limit = ?", [self.memory_limit_setting()])
            if not read_only:
                for schema in SCHEMAS:
                    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            yield con
        finally:
            con.close()

    def connect(self, log: Log | None = None, read_only: bool = False):
        """What the assets call: :meth:`get_connection`."""
        return self.get_connection(log=log, read_only=read_only)


class RawInputs(dg.ConfigurableResource):
    """The folder of raw files in their published layouts (``directory``: config, else ``$TCD_INPUT_DIR``, else the sample)."""

    directory: str | None = _declared("raw_inputs.directory")
    hs_vintage: str | None = _declared("raw_inputs.hs_vintage")
    io_tables: str | None = _declared("raw_inputs.io_tables")

    def resolved_dir(self) -> Path:
        return config.resolve("raw_inputs.directory", self.directory)

    def resolved_hs(self) -> str:
        return config.resolve("raw_inputs.hs_vintage", self.hs_vintage)

    def resolved_io_tables(self) -> str:
        """``auto`` (the one family found), ``icio``, ``wiod2013`` or ``wiod_long_run``; anything else is named."""
        return config.resolve("raw_inputs.io_tables", self.io_tables)

    def inventory(self) -> Inventory:
        return scan_inputs(self.resolved_dir(), hs=self.resolved_hs(), io_tables=self.resolved_io_tables())


class PublishedMarts(dg.ConfigurableResource):
    """The published marts file BI tools read (``path``: config, else ``$TCD_PUBLISHED``, else ``data/published/tcd.duckdb``).

    Not ``marts.duckdb``: DuckDB names a file's catalog after it, and a catalog ``marts`` would
    make ``marts.<table>`` ambiguous with the schema ``marts``.
    """

    path: str | None = _declared("published_marts.path")
    reports: str | None = _declared("published_marts.reports")

    def resolved_path(self) -> Path:
        return config.resolve("published_marts.path", self.path)

    def reports_dir(self) -> Path:
        return config.resolve("published_marts.reports", self.reports)


class DiagnosticSettings(dg.ConfigurableResource):
    """Comparators, growth periods, event year, survival options and TiVA conventions (config, else $TCD_*, else defaults)."""

    focus: str | None = _declared("settings.focus")
    comparators: str | None = _declared("settings.comparators")  # "RUS,AZE,CHL"
    growth_periods: str | None = _declared("settings.growth_periods")  # "2000-2012,2012-2018"
    margin_periods: str | None = _declared("settings.margin_periods")  # "auto" or "2000-2018,2000-2012"
    event_year: int | None = _declared("settings.event_year")
    spell_gap_rule: str | None = _declared("settings.spell_gap_rule")
    left_censored: str | None = _declared("settings.left_censored")
    min_initial_value_usd: float | None = _declared("settings.min_initial_value_usd")
    tiva_taxes: str | None = _declared("settings.tiva_taxes")
    tiva_output: str | None = _declared("settings.tiva_output")

    def resolved(self) -> Settings:
        return Settings(**{name: config.resolve(f"settings.{name}", getattr(self, name))
                           for name in config.fields_of("settings")})
