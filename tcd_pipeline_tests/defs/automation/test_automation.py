"""The raw-file sensor and the stage planner on the tiny world: ordinary runs of the layer jobs, stage by stage."""

import fcntl
import os
import subprocess
import sys
import time

import dagster as dg

from tcd_pipeline.defs.automation.sensors import nightly_refresh, raw_files_sensor
from tcd_pipeline.lib.code_versions import build_digest
from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, write_year


def _resources(world: World) -> dict:
    return {k: world.defs.resources[k] for k in ("raw_inputs", "warehouse", "published_marts", "settings")}


def _tick(world: World, sensor=raw_files_sensor):
    context = dg.build_sensor_context(instance=world.instance, resources=_resources(world),
                                      repository_def=world.defs.get_repository_def())
    return sensor(context)


def _launch(world: World, result: dg.SensorResult) -> list[dg.DagsterRun]:
    """What the daemon does with a tick's result: add the partitions, then run each request (in order)."""
    for request in result.dynamic_partitions_requests:
        world.instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    runs = []
    for request in result.run_requests:
        job = world.defs.resolve_job_def(request.job_name)
        outcome = job.execute_in_process(instance=world.instance, partition_key=request.partition_key,
                                         tags=request.tags, raise_on_error=False)
        runs.append(world.instance.get_run_by_id(outcome.run_id))
    return runs


def test_the_sensor_refreshes_stage_by_stage_with_ordinary_tagged_runs(tmp_path):
    world = World(tmp_path)
    first = _tick(world)
    assert isinstance(first, dg.SensorResult)
    assert [(r.job_name, r.partition_key) for r in first.run_requests] == [
        ("ingest_reference_job", None), ("ingest_flows_job", "2001"), ("ingest_flows_job", "2002")]
    build = build_digest(world.defs.resolve_asset_graph(), world.defs.resources["settings"].resolved())
    assert first.run_requests[0].tags == {"tcd/launched_by": "raw_files_sensor", "tcd/stage": "ingest",
                                          "tcd/reason": "changed: code lists/WDI, 2001, 2002", "tcd/build": build}
    assert [r.run_key for r in _tick(world).run_requests] == [r.run_key for r in first.run_requests]  # launched once
    stages = []
    result = first
    while isinstance(result, dg.SensorResult):
        runs = _launch(world, result)
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)
        stages.append((runs[0].tags["tcd/stage"], sorted(r.job_name for r in runs)))
        result = _tick(world)
    assert stages == [("ingest", ["ingest_flows_job", "ingest_flows_job", "ingest_reference_job"]),
                      ("marts", ["survival_job", "tariffs_job", "tiva_job", "trade_outcomes_job"]),
                      ("publish", ["publish_job"]),
                      ("report", ["report_job"])]  # the focus country's report, rendered from the published file
    assert isinstance(result, dg.SkipReason) and result.skip_message.startswith("nothing changed")
    report = world.inputs.parent / "reports" / "tcd_KAZ.html"
    assert report.exists()
    report.unlink()  # the report alone is rendered again, once
    again = _tick(world)
    assert [r.job_name for r in again.run_requests] == ["report_job"]
    assert again.run_requests[0].tags["tcd/reason"] == "the report tcd_KAZ.html does not exist"
    assert [r.run_key for r in _tick(world).run_requests] == [again.run_requests[0].run_key]
    assert [r.status for r in _launch(world, again)] == [dg.DagsterRunStatus.SUCCESS] and report.exists()
    assert isinstance(_tick(world), dg.SkipReason)
    # the published file holds the marts; make run now finds nothing to do either
    assert world.query("SELECT count(*) FROM marts.trade_openness", published=True)[0][0] > 0
    assert world.refresh().runs == []

    write_year(world.inputs, 2003, FLOWS[2003])  # a new BACI year arrives
    request = _tick(world)
    assert [(r.job_name, r.partition_key) for r in request.run_requests] == [("ingest_flows_job", "2003")]
    assert request.run_requests[0].tags["tcd/reason"] == "changed: 2003"


def test_a_failed_stage_is_not_launched_again_and_holds_back_the_marts(tmp_path):
    world = World(tmp_path)
    (world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv").write_text("t,i,j,k,v,q\n2002,398,251,270900,oops,1\n")
    runs = _launch(world, _tick(world))
    assert {r.job_name: r.status for r in runs if r.tags} == {
        "ingest_reference_job": dg.DagsterRunStatus.SUCCESS, "ingest_flows_job": dg.DagsterRunStatus.FAILURE}
    again = _tick(world)  # 2002 still pending: the same ingest stage, the same run key, no mart run
    assert [r.job_name for r in again.run_requests] == ["ingest_flows_job"]
    assert again.run_requests[0].partition_key == "2002"


def test_the_sensor_waits_for_runs_in_flight_and_for_make_run(tmp_path):
    world = World(tmp_path)
    queued = world.instance.create_run_for_job(world.defs.resolve_job_def("publish_job"), status=dg.DagsterRunStatus.NOT_STARTED)
    result = _tick(world)
    assert isinstance(result, dg.SkipReason) and f"run {queued.run_id[:8]} (publish_job, not_started)" in result.skip_message
    world.instance.report_run_canceled(queued)

    lock = open(f"{world.warehouse}.refresh.lock", "a+")  # what make run holds while it refreshes
    fcntl.flock(lock, fcntl.LOCK_EX)
    lock.write(f"PID {os.getpid()}")
    lock.flush()
    try:
        result = _tick(world)
        assert isinstance(result, dg.SkipReason)
        assert result.skip_message == f"make run is refreshing this warehouse (PID {os.getpid()})"
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    assert isinstance(_tick(world), dg.SensorResult)


def test_runs_of_an_interrupted_make_run_are_closed_not_waited_for(tmp_path):
    world = World(tmp_path)
    job = world.defs.resolve_job_def("trade_outcomes_job")
    orphan = world.instance.create_run_for_job(job, status=dg.DagsterRunStatus.STARTED,
                                               tags={"tcd/launched_by": "make run", "tcd/stage": "marts"})
    assert isinstance(_tick(world), dg.SensorResult)  # the sensor does not wait for it: its process is gone
    assert world.refresh().success
    assert world.instance.get_run_by_id(orphan.run_id).status == dg.DagsterRunStatus.FAILURE
    assert f"run {orphan.run_id[:8]} (trade_outcomes_job) of an interrupted make run marked failed" in world.messages


def test_the_nightly_sensor_acts_only_at_night(tmp_path, monkeypatch):
    world = World(tmp_path)
    from tcd_pipeline.defs.automation import sensors

    class Clock:
        hour = 14

        @classmethod
        def now(cls):
            import datetime
            return datetime.datetime(2026, 12, 6, cls.hour, 30)

    monkeypatch.setattr(sensors, "datetime", Clock)
    result = _tick(world, nightly_refresh)
    assert isinstance(result, dg.SkipReason) and "outside the night window 02:00-06:00 (now 14:30)" in result.skip_message
    Clock.hour = 2
    result = _tick(world, nightly_refresh)
    assert isinstance(result, dg.SensorResult) and result.run_requests[0].tags["tcd/launched_by"] == "nightly_refresh"


HOLD = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); open(sys.argv[2], 'w').close(); time.sleep(30)"


def test_tick_during_a_run_is_skipped_not_blocking(tmp_path):
    world = World(tmp_path)
    assert world.refresh().success
    write_year(world.inputs, 2003, FLOWS[2003])
    ready = tmp_path / "holding"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(world.warehouse), str(ready)])  # a "run" writing
    try:
        while not ready.exists():
            time.sleep(0.05)
        started = time.perf_counter()
        result = _tick(world)
        assert isinstance(result, dg.SkipReason) and "a run is writing the warehouse" in result.skip_message
        assert time.perf_counter() - started < 5  # skipped at once, not waiting for the lock
    finally:
        holder.kill()
        holder.wait()


def test_prune_job_removes_a_year_that_left_the_folder(tmp_path):
    world = World(tmp_path)
    assert world.refresh().success
    (world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv").unlink()
    result = _tick(world)
    assert isinstance(result, dg.SkipReason) and "BACI year 2002" in result.skip_message
    assert "launch prune_job" in result.skip_message
    assert world.defs.resolve_job_def("prune_job").execute_in_process(instance=world.instance).success
    assert world.query("SELECT DISTINCT year FROM clean.flows ORDER BY 1") == [(2001,)]
    assert [r.job_name for r in _tick(world).run_requests] == ["trade_outcomes_job", "survival_job", "tiva_job", "tariffs_job"]
