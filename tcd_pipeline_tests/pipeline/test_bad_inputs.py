"""Bad input, systematically: every (source, case) of tcd_pipeline_tests/bad_inputs.py.

For each: a good world is built and published once per kind (module fixture: the tiny world
with OECD ICIO or with WIOD 2013 tables, or with packed BACI files, ``Source.world``) and copied; the
source's file is broken (text, or bytes for parquet, gzip and zip files) or deleted; the refresh must
fail, name the file and the problem, not materialize the blocked downstream asset nor the published
marts, and leave the published file byte-for-byte as it was.
"""

import hashlib
import shutil

import pytest

from tcd_pipeline.config import REPO_ROOT
from tcd_pipeline_tests.bad_inputs import BINARY, MATRIX, WORLDS, render_matrix
from tcd_pipeline_tests.harness import World
from tcd_pipeline_tests.tiny_world import write_tiny_world


@pytest.fixture(scope="module")
def good_worlds(tmp_path_factory):
    """``kind -> root`` of a good world, built and published on first use."""
    built: dict[str, object] = {}

    def get(kind: str):
        if kind not in built:
            root = tmp_path_factory.mktemp(f"good_{kind}")
            world = World(root, inputs=write_tiny_world(root / "inputs", **WORLDS[kind]))
            report = world.refresh()
            assert report.success, report.problems
            built[kind] = root
        return built[kind]
    return get


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("source", "case"), MATRIX, ids=[f"{s.name}: {c.kind}" for s, c in MATRIX])
def test_bad_input_is_stopped_and_loses_nothing(good_worlds, tmp_path, source, case):
    root = tmp_path / "world"
    shutil.copytree(good_worlds(source.world), root)
    world = World(root, inputs=root / "inputs")
    published_before = _digest(world.published)
    target = world.inputs / source.file
    binary = target.name.endswith(BINARY)
    broken = case.breaks(target.read_bytes() if binary else target.read_text())
    if broken is None:
        target.unlink()
    elif binary:
        target.write_bytes(broken)
    else:
        target.write_text(broken)

    report = world.refresh()

    assert not report.success
    message = " ".join(report.problems)
    assert target.name in message, message
    for words in case.says:
        assert words in message, message
    if case.stopped_by != "reader":
        assert case.stopped_by in message, message
    assert (case.blocks or source.blocks) not in report.materialized
    assert "publish/marts_file" not in report.materialized
    assert _digest(world.published) == published_before


def test_documented_matrix_is_the_tested_one():
    doc = (REPO_ROOT / "docs" / "data-quality.md").read_text(encoding="utf-8")
    begin, end = "<!-- matrix:begin -->", "<!-- matrix:end -->"
    assert doc[doc.index(begin) + len(begin):doc.index(end)].strip() == render_matrix()
