"""files/*: the raw files as observable assets whose data version is their fingerprint.

What the UI shows as stale is what Dagster's stale-status resolver computes (the same class the
webserver uses); a changed file must make exactly its own raw asset (and year) stale.
"""

import os
import time

import dagster as dg
from dagster._core.definitions.data_version import CachingStaleStatusResolver, StaleStatus
from dagster._core.loader import LoadingContextForTest

from tcd_pipeline.defs.ingest.files import observations
from tcd_pipeline.warehouse.plan import current_fingerprints
from tcd_pipeline_tests.harness import World


def _status(world: World, key: str, partition: str | None = None) -> StaleStatus:
    resolver = CachingStaleStatusResolver(world.instance, world.defs.resolve_asset_graph(),
                                          LoadingContextForTest(world.instance))
    return resolver.get_status(dg.AssetKey(key.split("/")), partition)


def _observe(world: World) -> None:
    for observation in observations(*current_fingerprints(world.defs.resources["raw_inputs"].inventory())):
        world.instance.report_runless_asset_event(observation)


def test_a_changed_file_makes_its_raw_asset_stale_and_nothing_else(tmp_path):
    world = World(tmp_path)
    assert world.refresh().success  # records the files' data versions, then materializes
    assert {_status(world, k) for k in ("raw/wdi", "raw/geodist", "raw/country_codes")} == {StaleStatus.FRESH}
    assert {_status(world, "raw/baci_flows", y) for y in ("2001", "2002")} == {StaleStatus.FRESH}

    later = time.time() + 10  # a new release of one WDI file and of the 2002 BACI file (same names)
    os.utime(sorted((world.inputs / "wdi").iterdir())[0], (later, later))
    os.utime(next(p for p in (world.inputs / "baci").iterdir() if "Y2002" in p.name), (later, later))
    _observe(world)
    assert _status(world, "raw/wdi") == StaleStatus.STALE
    assert _status(world, "raw/geodist") == StaleStatus.FRESH
    assert _status(world, "raw/baci_flows", "2002") == StaleStatus.STALE
    assert _status(world, "raw/baci_flows", "2001") == StaleStatus.FRESH

    assert world.refresh().success  # the refresh reloads them: fresh again
    assert _status(world, "raw/wdi") == StaleStatus.FRESH
    assert _status(world, "raw/baci_flows", "2002") == StaleStatus.FRESH


def test_observing_from_the_ui_records_the_same_data_versions(tmp_path):
    world = World(tmp_path)
    world.instance.add_dynamic_partitions("baci_year", ["2001", "2002"])
    job = world.defs.resolve_implicit_global_asset_job_def()
    result = job.get_subset(asset_selection={dg.AssetKey(["files", "wdi"])}).execute_in_process(instance=world.instance)
    assert result.success
    recorded = world.instance.fetch_observations(dg.AssetKey(["files", "wdi"]), limit=1).records[0]
    expected = next(o for o in observations(*current_fingerprints(world.defs.resources["raw_inputs"].inventory()))
                    if o.asset_key == dg.AssetKey(["files", "wdi"]))
    assert recorded.asset_observation.data_version == expected.data_version
    assert expected.data_version.count(".csv:") == 3  # the tiny world's three WDI files, by name:size:mtime
