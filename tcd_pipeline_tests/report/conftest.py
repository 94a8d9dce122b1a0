"""The sample world built and published once per session, and its focus country's report.

``published_sample``: the published file of a refresh of the embedded sample world in a temporary folder (the
refresh also renders the focus country's report: ``make run``'s path). ``TCD_TEST_PUBLISHED=<file>`` uses a copy
of an existing published file instead (quicker when iterating on the report; the copy is what is read).
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tcd_pipeline.refresh import RefreshReport
from tcd_pipeline.report.render import ReportFiles, render


@dataclass
class BuiltSample:
    published: Path
    reports: Path  # the folder the refresh rendered the focus country's report into
    refresh: RefreshReport | None  # None when TCD_TEST_PUBLISHED gave the file
    world: object = None  # the harness World (None when TCD_TEST_PUBLISHED gave the file)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> BuiltSample:
    root = tmp_path_factory.mktemp("report_sample")
    given = os.environ.get("TCD_TEST_PUBLISHED")
    if given:
        target = root / "published" / "tcd.duckdb"
        target.parent.mkdir(parents=True)
        shutil.copyfile(given, target)
        return BuiltSample(target, root / "reports", None)
    from tcd_pipeline.sample import generate_sample
    from tcd_pipeline_tests.harness import World

    inputs = root / "sample"
    generate_sample(inputs)
    world = World(root, inputs=inputs, periods=None)
    report = world.refresh()
    assert report.success, report.problems
    return BuiltSample(world.published, root / "reports", report, world)


@pytest.fixture(scope="session")
def published_sample(built_sample) -> Path:
    return built_sample.published


@pytest.fixture(scope="session")
def rendered_sample(built_sample, tmp_path_factory) -> ReportFiles:
    """The focus country's (KAZ) report of the sample, rendered into a folder of its own."""
    return render(built_sample.published, tmp_path_factory.mktemp("report_kaz"), "KAZ")
