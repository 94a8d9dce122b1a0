"""Safe publication: BI readers during a refresh, SIGKILL at any point, idempotent reruns.

The published file is built beside the old one and renamed over it (tcd_pipeline/defs/publication/bi_file.py);
these tests hold the promises of that design with real processes.
"""

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tcd_pipeline.defs.publication.bi_file import published_version
from tcd_pipeline.sample import generate_sample

READER = r"""
import json, sys, time, duckdb
path, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
seen, errors, checks = [], [], 0
import os
while not os.path.exists(stop):
    try:
        con = duckdb.connect(path, read_only=True)
        version = con.execute("SELECT version FROM meta.publication").fetchone()[0]
        for _ in range(3):  # the same connection, before and (likely) after a swap
            for table, rows, stamp in con.execute("SELECT * FROM meta.published_tables").fetchall():
                found = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                checks += 1
                if found != rows or stamp != version:
                    errors.append(f"{table}: {found} rows, published {rows}; stamp {stamp} != {version}")
            time.sleep(0.02)
        con.close()
        if not seen or seen[-1] != version:
            seen.append(version)
    except Exception as exc:
        errors.append(repr(exc))
json.dump({"seen": seen, "errors": errors, "checks": checks}, open(out, "w"))
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    generate_sample(root, years=range(2000, 2004))
    return root


def _run(inputs, root, *extra, env_extra=None, wait=True):
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", "tcd_pipeline.run", "--input", str(inputs), "--warehouse", str(root / "wh.duckdb"),
           "--published", str(root / "pub" / "tcd.duckdb"), *extra]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if wait:
        out, _ = proc.communicate(timeout=600)
        return proc.returncode, out
    return proc


def _same_rows(a: dict, b: dict) -> bool:
    """Row for row: the same tables, keys and texts exactly; floats to 1e-12 relative. Parallel
    sums (DuckDB, polars) add in a varying order, so the last bit of a float can differ between
    two runs on the same inputs; nothing larger may."""
    if a.keys() != b.keys():
        return False
    for table in a:
        if len(a[table]) != len(b[table]):
            return False
        for row_a, row_b in zip(a[table], b[table]):
            for x, y in zip(row_a, row_b):
                if isinstance(x, float) and isinstance(y, float):
                    if x != pytest.approx(y, rel=1e-12, abs=1e-300):
                        return False
                elif x != y:
                    return False
    return True


def _published_rows(path):
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM meta.published_tables ORDER BY 1").fetchall()]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def test_reader_is_never_blocked_and_never_sees_a_mixed_version(inputs, tmp_path):
    code, out = _run(inputs, tmp_path)
    assert code == 0, out
    published = tmp_path / "pub" / "tcd.duckdb"
    first = published_version(published)
    stop, report = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(published), str(stop), str(report)])
    try:
        time.sleep(1.0)  # the reader holds connections from here on
        for _ in range(2):  # two full refreshes while it reads
            code, out = _run(inputs, tmp_path, "--force")
            assert code == 0, out  # the reader did not block the refresh
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = json.loads(report.read_text())
    assert seen["errors"] == []
    assert seen["checks"] > 10
    assert seen["seen"][0] == first and len(seen["seen"]) >= 2  # old version, then the new ones
    # after the refresh, a new connection sees the newest version
    assert seen["seen"][-1] == published_version(published) != first


@pytest.mark.parametrize("point", ["ingest.before_commit", "marts.before_commit",
                                   "publish.copying", "publish.before_replace"])
def test_sigkill_leaves_published_marts_intact_and_the_rerun_is_idempotent(inputs, tmp_path, point):
    code, out = _run(inputs, tmp_path)
    assert code == 0, out
    published = tmp_path / "pub" / "tcd.duckdb"
    version, rows = published_version(published), _published_rows(published)

    marker = tmp_path / "paused"
    proc = _run(inputs, tmp_path, "--force", wait=False,
                env_extra={"TCD_FAULT_PAUSE": point, "TCD_FAULT_PAUSE_FILE": str(marker)})
    deadline = time.time() + 300
    while not marker.exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.time() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert published_version(published) == version  # untouched and readable
    assert _published_rows(published) == rows  # the very same file: exactly equal
    code, out = _run(inputs, tmp_path)  # the next run completes (and cleans any staging file)
    assert code == 0, out
    assert not list(published.parent.glob(".*staging*"))
    code, out = _run(inputs, tmp_path, "--force")  # rebuilding everything again ...
    assert code == 0, out
    assert published_version(published) != version
    assert _same_rows(_published_rows(published), rows)  # ... gives the same marts, row for row
