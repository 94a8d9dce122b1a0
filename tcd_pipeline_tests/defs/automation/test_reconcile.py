"""Staged, verified, committed; the warehouse reconciles with the input folder; the published file is checked.

Each test runs the real definitions on the tiny world (tiny_world.py: BACI years 2001 and 2002) in
tmp_path. "Same warehouse" is compared table by table on the raw, clean and marts schemas and on
what the manifest counts as verified.
"""

import os
import shutil

import duckdb
import pytest

from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import FLOWS, baci_text, write_tiny_world

TABLES = ("raw.baci_flows", "clean.flows", "raw.country_codes", "clean.countries", "marts.trade_openness",
          "marts.diversification")


def snapshot(world: World) -> dict[str, list]:
    """Every row of the compared tables, sorted, plus the verified manifest records."""
    with duckdb.connect(str(world.warehouse), read_only=True) as con:
        out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}
        out["verified"] = sorted(con.execute(
            "SELECT asset, partition, fingerprint FROM meta.loaded_partitions WHERE asset LIKE 'verified/%' "
            "AND asset <> 'verified/publish/marts_file'").fetchall())
    return out


def published_marts(world: World) -> dict[str, list]:
    with duckdb.connect(str(world.published), read_only=True) as con:
        names = [n for (n,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' "
                                           "ORDER BY 1").fetchall()]
        return {n: sorted(con.execute(f"SELECT * FROM marts.{n}").fetchall(), key=repr) for n in names}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    root = tmp_path_factory.mktemp("good")
    world = World(root)
    assert world.refresh().success
    return root


@pytest.fixture
def world(good, tmp_path):
    shutil.copytree(good, tmp_path / "w")
    world = World(tmp_path / "w", inputs=tmp_path / "w" / "inputs")
    # the copy's published file is not the one the warehouse recorded (another path): published again
    assert world.refresh().success and any("republishing" in m for m in world.messages), world.messages
    return world


def test_failed_gate_commits_nothing_and_restoring_the_file_is_a_no_op(world):
    before = snapshot(world)
    year_file = world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv"
    saved = year_file.read_bytes()
    stat = year_file.stat()
    year_file.write_text(year_file.read_text().replace("1800.000", "-1800.000"))  # v > 0 fails in raw_baci_flows

    report = world.refresh()

    assert not report.success
    assert any("raw_baci_flows_gate" in p and "-1800.0" in p for p in report.problems), report.problems
    assert snapshot(world) == before  # rows, manifest and verified marks rolled back
    # the good file back with its old size and mtime: the warehouse never saw the bad one, so nothing to do
    year_file.write_bytes(saved)
    os.utime(year_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = world.refresh()
    assert again.success and again.runs == [], world.messages
    assert "nothing changed" in world.messages[-1]


def test_failed_clean_gate_keeps_the_clean_layer_and_restoring_gives_the_same_warehouse(world):
    """A code list whose new code has no ISO3 passes raw_country_codes but fails clean_countries.
    Each layer commits only what its own gate passed: raw.country_codes holds the new list (its gate
    passed), clean.countries and everything downstream stay as they were, and what counts as verified
    for clean/countries is unchanged. Restoring the good file gives back the warehouse that never saw
    the bad one (the raw list is reloaded: its verified fingerprint is the bad file's)."""
    before = snapshot(world)
    codes = world.inputs / "baci" / "country_codes_V202401b.csv"
    saved, stat = codes.read_bytes(), codes.stat()
    codes.write_text(codes.read_text() + "577,Other Africa nes,N/A,N/A\n")

    report = world.refresh()

    assert not report.success
    assert any("clean_countries_gate" in p and "'country_code': 577" in p for p in report.problems), report.problems
    after = snapshot(world)
    assert {k: v for k, v in after.items() if k not in ("raw.country_codes", "verified")} == \
        {k: v for k, v in before.items() if k not in ("raw.country_codes", "verified")}
    assert (577, "Other Africa nes", "N/A", "N/A", "country_codes_V202401b.csv") in after["raw.country_codes"]
    assert [v for v in after["verified"] if v[0] == "verified/clean/countries"] == \
        [v for v in before["verified"] if v[0] == "verified/clean/countries"]

    codes.write_bytes(saved)
    os.utime(codes, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = world.refresh()
    assert again.success, again.problems
    assert [r.job for r in again.runs] == ["ingest_reference_job"]  # years and marts did not change
    assert snapshot(world) == before


def test_removed_year_stops_the_refresh_and_prune_removes_it(world, tmp_path):
    published_before = world.published.read_bytes()
    (world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv").unlink()

    report = world.refresh()

    assert not report.success and report.runs == []
    message = " ".join(report.problems)
    assert "BACI year 2002" in message and "BACI_HS92_Y2002_V202401b.csv" in message
    assert "no longer in the input folder" in message and "--prune" in message
    assert world.published.read_bytes() == published_before

    pruned = world.refresh(prune=True)
    assert pruned.success, pruned.problems
    assert world.query("SELECT DISTINCT year FROM clean.flows") == [(2001,)]
    assert world.query("SELECT DISTINCT year FROM raw.baci_flows") == [(2001,)]
    # equal to a clean build of the folder without that year
    inputs = write_tiny_world(tmp_path / "alone" / "inputs")
    (inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv").unlink()
    alone = World(tmp_path / "alone", inputs=inputs)
    assert alone.refresh().success
    assert published_marts(world) == published_marts(alone)


def test_removed_optional_source_stops_too(world):
    shutil.rmtree(world.inputs / "icio")

    report = world.refresh()

    assert not report.success
    assert "raw/icio" in " ".join(report.problems) and "ICIO2023_2001.csv" in " ".join(report.problems)


def test_published_file_replaced_by_another_tool_is_published_again(world):
    with duckdb.connect(str(world.published)) as con:  # e.g. a BI tool writing to it, or a restore from backup
        con.execute("DELETE FROM marts.trade_openness")
    report = world.refresh()
    assert report.success and report.published, world.messages
    assert any("republishing" in m for m in world.messages)
    assert world.query("SELECT count(*) FROM marts.trade_openness", published=True)[0][0] > 0
    assert world.refresh().runs == []  # and then it is in sync again


def test_no_baci_file_at_all_is_a_clear_stop(tmp_path):
    inputs = write_tiny_world(tmp_path / "inputs")
    for path in (inputs / "baci").glob("BACI_*"):
        path.unlink()
    world = World(tmp_path, inputs=inputs)

    report = world.refresh()

    assert not report.success and not world.published.exists()
    assert "no BACI flow file" in " ".join(report.problems)


def test_new_year_is_gated_before_it_is_visible(world):
    """A new year whose raw gate fails leaves no row of that year anywhere."""
    rows = [(2003, 398, 251, "270900", float("nan"), 1.0)] + FLOWS[2003][1:]
    (world.inputs / "baci" / "BACI_HS92_Y2003_V202401b.csv").write_text(baci_text(rows))

    report = world.refresh()

    assert not report.success
    assert world.query("SELECT count(*) FROM raw.baci_flows WHERE year = 2003") == [(0,)]
    assert world.query("SELECT count(*) FROM clean.flows WHERE year = 2003") == [(0,)]


def test_bi_tool_holding_the_published_file_for_writing_does_not_fail_the_refresh(world):
    """A BI tool with a read-write connection on the published file: the refresh publishes (rename)
    and reports the version without opening the file; the tool keeps the version it opened."""
    import subprocess
    import sys
    import time

    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
         "print(con.execute('SELECT version FROM meta.publication').fetchone()[0], flush=True); time.sleep(120)",
         str(world.published)], stdout=subprocess.PIPE, text=True)
    try:
        old_version = holder.stdout.readline().strip()
        year_file = world.inputs / "baci" / "BACI_HS92_Y2002_V202401b.csv"
        year_file.write_text(year_file.read_text().replace("1800.000", "1900.000"))
        time.sleep(0.01)
        report = world.refresh()
        assert report.success, report.problems
        assert report.published_version and report.published_version != old_version
        assert world.query("SELECT version FROM meta.publication", published=True) == [(report.published_version,)]
    finally:
        holder.kill()
        holder.wait()


def test_second_refresh_on_the_same_warehouse_waits_for_the_first(world):
    from tcd_pipeline.lib.resources import WarehouseLocked, refresh_lock

    messages = []
    with refresh_lock(world.warehouse):
        with pytest.raises(WarehouseLocked, match=r"another refresh \(PID \d+\) is running"):
            with refresh_lock(world.warehouse, log=messages.append, wait_seconds=0.5):
                pass
    assert messages and "waiting for the refresh" in messages[0]
