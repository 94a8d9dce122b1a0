"""Bad input, systematically: every (source, case) of tcd_pipeline_tests/bad_inputs.py.

For each: a good world is built and published once (module fixture) and copied; the source's
file is broken; the refresh must fail, name the file and the problem, not materialize the
blocked downstream asset nor the published marts, and leave the published file byte-for-byte
as it was.
"""

import hashlib
import shutil

import pytest

from tcd_pipeline.paths import REPO_ROOT
from tcd_pipeline_tests.bad_inputs import MATRIX, render_matrix
from tcd_pipeline_tests.harness import World


@pytest.fixture(scope="module")
def good_world(tmp_path_factory):
    root = tmp_path_factory.mktemp("good")
    world = World(root)
    report = world.refresh()
    assert report.success, report.problems
    return root


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("source", "case"), MATRIX, ids=[f"{s.name}: {c.kind}" for s, c in MATRIX])
def test_bad_input_is_stopped_and_loses_nothing(good_world, tmp_path, source, case):
    root = tmp_path / "world"
    shutil.copytree(good_world, root)
    world = World(root, inputs=root / "inputs")
    published_before = _digest(world.published)
    target = world.inputs / source.file
    target.write_text(case.breaks(target.read_text()))

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
