"""The raw-file sensor, the nightly schedule and the refresh job, on the tiny world."""

import subprocess
import sys
import time

import dagster as dg

from tcd_pipeline.defs.automation.sensors import nightly_refresh, raw_files_sensor
from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, write_year


def _resources(world: World) -> dict:
    return {k: world.defs.resources[k] for k in ("raw_inputs", "warehouse", "published_marts")}


def _tick(world: World, sensor=True):
    if sensor:
        context = dg.build_sensor_context(instance=world.instance, resources=_resources(world))
        return raw_files_sensor(context)
    context = dg.build_schedule_context(instance=world.instance, resources=_resources(world))
    return nightly_refresh(context)


def test_sensor_and_schedule_launch_only_when_inputs_change(tmp_path):
    world = World(tmp_path)
    first = _tick(world)
    assert isinstance(first, dg.RunRequest)  # nothing built yet
    assert first.tags["tcd/reason"] == "changed: code lists/WDI, 2001, 2002"
    assert _tick(world).run_key == first.run_key  # same state, same key: launched once
    assert world.refresh().success

    started = time.perf_counter()
    idle = _tick(world)
    assert isinstance(idle, dg.SkipReason) and idle.skip_message.startswith("nothing changed")
    assert time.perf_counter() - started < 5  # an idle tick reads a few rows; it is measured in docs
    assert isinstance(_tick(world, sensor=False), dg.SkipReason)

    write_year(world.inputs, 2003, FLOWS[2003])  # a new BACI year arrives
    for sensor in (True, False):
        request = _tick(world, sensor)
        assert isinstance(request, dg.RunRequest) and request.tags["tcd/reason"] == "changed: 2003"
    assert world.refresh().success
    assert isinstance(_tick(world), dg.SkipReason)


HOLD = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); open(sys.argv[2], 'w').close(); time.sleep(30)"


def test_tick_during_a_run_is_skipped_not_blocking(tmp_path):
    world = World(tmp_path)
    assert world.refresh().success
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


def test_refresh_job_runs_the_layer_jobs_as_runs(tmp_path, monkeypatch):
    world = World(tmp_path)
    monkeypatch.setenv("TCD_INPUT_DIR", str(world.inputs))
    monkeypatch.setenv("TCD_WAREHOUSE", str(world.warehouse))
    monkeypatch.setenv("TCD_PUBLISHED", str(world.published))
    from tcd_pipeline.definitions import defs

    result = defs.resolve_job_def("refresh_job").execute_in_process(instance=world.instance)
    assert result.success
    jobs = sorted(r.job_name for r in world.instance.get_runs())
    assert jobs == sorted(["refresh_job", "ingest_reference_job", "ingest_flows_job", "ingest_flows_job",
                           "trade_outcomes_job", "survival_job", "tiva_job", "publish_job"])
    assert world.query("SELECT count(*) FROM marts.trade_openness", published=True)[0][0] > 0
