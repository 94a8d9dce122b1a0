"""The build (code and settings of the marts) decides like the files do: a changed formula or setting
rebuilds the marts and republishes; the same build on the same files runs nothing.

Before, ``make run`` compared the input files only: after an upgrade that added a column or fixed a
formula, or with another focus country, it said "nothing changed" and left the previous build's
marts published.
"""

import dagster as dg

from tcd_pipeline.lib.code_versions import BUILD_TAG, build_digest, map_assets
from tcd_pipeline.refresh import refresh
from tcd_pipeline_tests.harness import World


def _with_code_version(defs: dg.Definitions, key: str, version: str) -> dg.Definitions:
    """``defs`` as if the code of asset ``key`` had changed (what an upgrade of its formula does)."""
    target = dg.AssetKey(key.split("/"))

    def changed(assets_def):
        if isinstance(assets_def, dg.AssetsDefinition) and target in assets_def.keys:
            return assets_def.map_asset_specs(lambda spec: spec.replace_attributes(code_version=version)
                                              if spec.key == target else spec)
        return assets_def

    return map_assets(defs, changed)


def _jobs(report) -> list[str]:
    return [r.job for r in report.runs]


def test_digest_counts_what_is_built_from_the_clean_layer_and_the_settings(tmp_path):
    world = World(tmp_path)
    settings = world.defs.resources["settings"].resolved()
    digest = build_digest(world.defs.resolve_asset_graph(), settings)
    assert len(digest) == 12
    assert build_digest(world.defs.resolve_asset_graph(), settings) == digest  # deterministic
    for key in ("marts/trade_openness", "spells/export_spells", "tiva/decomposition", "dim/products", "publish/marts_file"):
        assert build_digest(_with_code_version(world.defs, key, "changed").resolve_asset_graph(), settings) != digest, key
    # the ingest has its own fingerprints (the files'), the report its own stamp: neither is part of the build
    for key in ("clean/flows", "raw/wdi", "report/diagnostic"):
        assert build_digest(_with_code_version(world.defs, key, "changed").resolve_asset_graph(), settings) == digest, key
    other = World(tmp_path / "other", inputs=world.inputs, comparators="RUS")
    assert build_digest(other.defs.resolve_asset_graph(), other.defs.resources["settings"].resolved()) != digest


def test_a_changed_formula_rebuilds_the_marts_and_republishes(tmp_path):
    world = World(tmp_path)
    first = world.refresh()
    assert first.success and "publish_job" in _jobs(first)
    version = world.query("SELECT version FROM meta.publication", published=True)
    assert world.refresh().runs == []  # same files, same build: nothing

    upgraded = _with_code_version(world.defs, "marts/trade_openness", "a fixed formula")
    second = refresh(upgraded, world.instance, log=world.messages.append, log_level="WARNING")
    assert second.success
    assert _jobs(second) == ["trade_outcomes_job", "survival_job", "tiva_job", "tariffs_job", "publish_job"]
    assert second.report_run is not None and second.report_run.success  # and the report of the new file
    assert any(m.startswith("republishing: the code or the settings of the marts changed") for m in world.messages)
    assert world.query("SELECT version FROM meta.publication", published=True) != version
    # every run carried the build it was launched for; the published file records it with its inputs
    build = build_digest(upgraded.resolve_asset_graph(), upgraded.resources["settings"].resolved())
    latest = world.instance.get_runs(limit=5)
    assert {r.tags[BUILD_TAG] for r in latest} == {build}
    (fingerprint,), = world.query("SELECT input_fingerprint FROM meta.publication", published=True)
    assert fingerprint.endswith(f";build={build}")
    assert refresh(upgraded, world.instance, log=world.messages.append, log_level="WARNING").runs == []
    # back to the previous code: that is another build again (the published file is of the upgraded one)
    assert _jobs(world.refresh())[:1] == ["trade_outcomes_job"]


def test_a_changed_setting_rebuilds_the_marts_with_it(tmp_path):
    world = World(tmp_path)
    assert world.refresh().success
    assert world.query("SELECT value FROM meta.settings WHERE setting = 'settings.comparators'", published=True) != [("RUS",)]
    same_files = World(tmp_path, inputs=world.inputs, comparators="RUS")  # same warehouse and files, one setting changed
    same_files.instance = world.instance
    again = same_files.refresh()
    assert again.success and "publish_job" in _jobs(again) and "trade_outcomes_job" in _jobs(again)
    assert world.query("SELECT value FROM meta.settings WHERE setting = 'settings.comparators'", published=True) == [("RUS",)]
    assert same_files.refresh().runs == []
