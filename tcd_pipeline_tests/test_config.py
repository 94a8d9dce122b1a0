"""One Dagster instance per warehouse; run.py passes resources, never edits the environment; lock waits
are said while they last and a conflict past the wait names the holder and what to do."""

import os
import subprocess
import sys
import time

import dagster as dg
import duckdb
import pytest

from tcd_pipeline import config
from tcd_pipeline.lib import resources
from tcd_pipeline.lib.resources import Warehouse, WarehouseLocked, connect_with_retry, refresh_lock
from tcd_pipeline_tests.tiny_world import write_tiny_world

HOLD = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); open(sys.argv[2], 'w').close(); "
        "time.sleep(60)")


@pytest.fixture
def holder(tmp_path):
    """A second process holding the write lock of ``tmp_path / 'locked.duckdb'`` (as a BI tool or another run would)."""
    path, ready = tmp_path / "locked.duckdb", tmp_path / "holding"
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(ready)])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert time.monotonic() < deadline and proc.poll() is None, "the holder did not start"
            time.sleep(0.05)
        yield path, proc.pid
    finally:
        proc.kill()
        proc.wait()


# -- the instance of a warehouse ------------------------------------------------------------------

def test_instance_dir_is_beside_the_warehouse(tmp_path):
    assert config.instance_dir(tmp_path / "data" / "warehouse.duckdb") == tmp_path / "data" / "warehouse.dagster"
    assert config.instance_dir(tmp_path / "wh") == tmp_path / "wh.dagster"
    relative = config.instance_dir("data/warehouse.duckdb")
    assert relative.is_absolute() and relative == config.instance_dir(os.path.abspath("data/warehouse.duckdb"))


def test_prepare_instance_writes_the_settings_and_whose_it_is(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    home = config.prepare_instance(warehouse)
    assert home == tmp_path / "wh.dagster"
    assert config.instance_warehouse(home) == warehouse
    instance = dg.DagsterInstance.from_config(str(home))  # Dagster 1.13 accepts the settings
    try:
        assert instance.get_settings("telemetry") == {"enabled": False}
        concurrency = instance.get_concurrency_config()  # what the run queue daemon reads
        assert concurrency.run_queue_config.max_concurrent_runs == 1
        assert concurrency.pool_config.default_pool_limit == 1
    finally:
        instance.dispose()
    assert config.prepare_instance(warehouse, home) == home  # the same warehouse: fine, unchanged
    assert config.check_instance(None, warehouse) is None  # a temporary instance mixes nothing


def test_an_instance_of_another_warehouse_is_refused(tmp_path):
    main, scratch = tmp_path / "main.duckdb", tmp_path / "scratch" / "wh.duckdb"
    home = config.prepare_instance(main)
    reason = config.check_instance(home, scratch)
    assert reason and str(main) in reason and str(scratch) in reason
    assert "Unset DAGSTER_HOME" in reason and str(config.instance_dir(scratch)) in reason
    with pytest.raises(config.InstanceMismatch):
        config.prepare_instance(scratch, home)
    legacy = tmp_path / ".dagster_home"  # run history of unknown warehouses (the old shared folder)
    (legacy / "history").mkdir(parents=True)
    assert "does not say which warehouse" in config.check_instance(legacy, main)
    fresh = tmp_path / "fresh_home"  # an empty folder is claimed for the warehouse
    assert config.prepare_instance(main, fresh) == fresh and config.instance_warehouse(fresh) == main


# -- run.py ------------------------------------------------------------------------------------------

def test_run_with_warehouse_flag_uses_its_instance_and_leaves_the_environment(tmp_path, monkeypatch, capsys):
    from tcd_pipeline import run

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    for s in config.SETTINGS:
        monkeypatch.delenv(s.env, raising=False)
    inputs = write_tiny_world(tmp_path / "inputs")
    warehouse, published = tmp_path / "scratch" / "wh.duckdb", tmp_path / "pub" / "tcd.duckdb"
    monkeypatch.setenv("TCD_GROWTH_PERIODS", "2001-2002")  # the tiny world's years
    before = dict(os.environ)
    code = run.main(["--input", str(inputs), "--warehouse", str(warehouse), "--published", str(published),
                     "--reports", str(tmp_path / "reports")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert dict(os.environ) == before
    home = tmp_path / "scratch" / "wh.dagster"
    assert config.instance_warehouse(home) == warehouse
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert {r.job_name for r in instance.get_runs()} >= {"ingest_reference_job", "publish_job"}
    finally:
        instance.dispose()
    assert published.exists() and f"warehouse: {warehouse}" in out and f"published for BI tools: {published}" in out
    assert (tmp_path / "reports" / "tcd_KAZ.html").exists()  # --reports: the report beside, not the user's


def test_run_with_the_instance_of_another_warehouse_stops_before_running(tmp_path, monkeypatch, capsys):
    from tcd_pipeline import run

    main = tmp_path / "main" / "warehouse.duckdb"
    monkeypatch.setenv("DAGSTER_HOME", str(config.prepare_instance(main)))
    scratch = tmp_path / "scratch.duckdb"
    code = run.main(["--input", str(tmp_path / "no_inputs"), "--warehouse", str(scratch),
                     "--published", str(tmp_path / "pub.duckdb")])
    out = capsys.readouterr().out
    assert code == 2
    assert f"is the Dagster instance of the warehouse {main}, but this run is on {scratch}" in out
    assert "Unset DAGSTER_HOME" in out and "nothing was run" in out
    assert not scratch.exists() and not config.instance_dir(scratch).exists()


# -- lock waits ---------------------------------------------------------------------------------------

def test_lock_wait_is_said_while_it_lasts_then_names_the_holder(holder, monkeypatch):
    path, pid = holder
    monkeypatch.setattr(resources, "REPORT_EVERY_SECONDS", 0.5)
    messages = []
    started = time.monotonic()
    with pytest.raises(WarehouseLocked) as raised:
        connect_with_retry(path, wait_seconds=1.8, log=messages.append)
    assert 1.8 <= time.monotonic() - started < 10
    assert messages[0].startswith(f"waiting for the lock on {path}, held by PID {pid}: ")
    assert "python" in messages[0] and "one writer per file" in messages[0]
    assert len(messages) >= 3 and all(f"held by PID {pid}" in m and "still waiting" in m for m in messages[1:])
    message = str(raised.value)
    assert f"locked by PID {pid}: " in message and "DuckDB allows one writer per file" in message
    assert "Stop that process" in message and "wait until its run finishes" in message and "TCD_WAREHOUSE" in message
    assert "read-only" not in message
    # a reader is refused the same way (DuckDB would advise a read-only connection, which it already is)
    with pytest.raises(WarehouseLocked, match=f"locked by PID {pid}"):
        connect_with_retry(path, read_only=True, wait_seconds=0.2, log=messages.append)


def test_lock_wait_inside_a_run_goes_to_the_runs_log(holder, monkeypatch):
    path, pid = holder
    monkeypatch.setattr(resources, "REPORT_EVERY_SECONDS", 0.5)

    @dg.asset
    def touches_the_warehouse(warehouse: Warehouse):
        with warehouse.get_connection() as con:
            con.execute("SELECT 1")

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([touches_the_warehouse], instance=instance, raise_on_error=False,
                            resources={"warehouse": Warehouse(database=str(path), lock_wait_seconds=1.2)})
    assert not result.success
    logs = [e.user_message for e in instance.all_logs(result.run_id) if not e.is_dagster_event]
    waits = [m for m in logs if f"held by PID {pid}" in m]
    assert waits and waits[0].startswith("waiting for the lock") and any("still waiting" in m for m in waits)
    failure = result.get_step_failure_events()[0].step_failure_data.error
    while failure.cause is not None and failure.cls_name != "WarehouseLocked":
        failure = failure.cause
    assert failure.cls_name == "WarehouseLocked" and f"locked by PID {pid}" in failure.message
    assert "read-only" not in failure.message


def test_run_py_says_who_holds_the_warehouse_and_never_advises_read_only(holder, tmp_path):
    path, pid = holder
    inputs = write_tiny_world(tmp_path / "inputs")
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(TCD_LOCK_WAIT_SECONDS="1.5", TCD_GROWTH_PERIODS="2001-2002")
    proc = subprocess.run([sys.executable, "-m", "tcd_pipeline.run", "--input", str(inputs), "--warehouse", str(path),
                           "--published", str(tmp_path / "pub.duckdb")], env=env, capture_output=True, text=True,
                          timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert f"waiting for the lock on {path}, held by PID {pid}" in out
    assert f"FAILED: {path} is locked by PID {pid}" in out and "read-only" not in out


def test_refresh_lock_wait_is_said_while_it_lasts(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "REPORT_EVERY_SECONDS", 0.4)
    messages = []
    with refresh_lock(tmp_path / "wh.duckdb", log=None):
        with pytest.raises(WarehouseLocked, match=rf"another refresh \(PID {os.getpid()}\) is running"):
            with refresh_lock(tmp_path / "wh.duckdb", log=messages.append, wait_seconds=1.0):
                pass
    assert messages[0].startswith("waiting for the refresh running on") and "still waiting" in messages[-1]
    assert len(messages) >= 2


def test_warehouse_is_a_duckdb_resource(tmp_path):
    from dagster_duckdb import DuckDBResource

    warehouse = Warehouse(database=str(tmp_path / "wh.duckdb"), memory_limit="1GB")
    assert isinstance(warehouse, DuckDBResource)
    with warehouse.get_connection() as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("1.0 GiB", "953.6 MiB")
        schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert {"raw", "clean", "meta"} <= schemas
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True):
        pass


def test_a_warehouse_of_its_own_needs_a_published_file_and_reports_of_their_own(tmp_path):
    """Benchmarks and tests build definitions on their own warehouse: left to the defaults, the published
    file and the report would be the user's (a benchmark once replaced data/published/tcd.duckdb so)."""
    from tcd_pipeline.definitions import build_definitions
    from tcd_pipeline.lib.resources import PublishedMarts, Warehouse

    own = Warehouse(database=str(tmp_path / "wh.duckdb"))
    with pytest.raises(ValueError, match="needs its own published file and reports folder"):
        build_definitions(own)
    with pytest.raises(ValueError, match="needs its own published file"):
        build_definitions(own, published_marts=PublishedMarts(path=str(tmp_path / "pub.duckdb")))
    defs = build_definitions(own, published_marts=PublishedMarts(path=str(tmp_path / "pub.duckdb"),
                                                                reports=str(tmp_path / "reports")))
    assert defs.resources["published_marts"].reports_dir() == tmp_path / "reports"
