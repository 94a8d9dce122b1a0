"""Shared fixtures. Tests that need ../shared/data skip with the reason where it is absent."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tcd_pipeline import config
from tcd_pipeline.config import REPO_ROOT

if TYPE_CHECKING:
    from tcd_pipeline.refresh import RefreshReport

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# tests never record runs in the user's Dagster instance: each uses a temporary instance or the one
# beside its own temporary warehouse (python -m tcd_pipeline.run derives it when DAGSTER_HOME is unset)
os.environ.pop("DAGSTER_HOME", None)

# tests never write the user's warehouse, published file or reports: whatever a test leaves to the
# defaults (a subprocess of python -m tcd_pipeline.run, a resource built without a path) lands in a
# folder of this session; the fixture `users_files_untouched` checks the user's files at the end
_SESSION_DATA = Path(tempfile.mkdtemp(prefix="tcd_test_session_"))
USER_FILES = {name: config.resolve(name) for name in ("warehouse.database", "published_marts.path",
                                                      "published_marts.reports")}
for _name, _variable, _default in (("warehouse.database", "TCD_WAREHOUSE", "warehouse.duckdb"),
                                   ("published_marts.path", "TCD_PUBLISHED", "published/tcd.duckdb"),
                                   ("published_marts.reports", "TCD_REPORTS", "reports")):
    os.environ[_variable] = str(_SESSION_DATA / _default)


def file_states(paths) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every file at or under ``paths`` (absent paths hold nothing)."""
    states: dict[str, tuple[int, int]] = {}
    for path in map(Path, paths):
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
        for file in files:
            stat = file.stat()
            states[str(file)] = (stat.st_size, stat.st_mtime_ns)
    return states


USER_STATES_AT_START = file_states(USER_FILES.values())


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The staged real public data (``../shared/data``), or skip."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data test: {SHARED_DATA} is absent (it is present in CI)")
    return SHARED_DATA


@pytest.fixture(scope="session", autouse=True)
def users_files_untouched():
    """After the whole session: the user's warehouse, published file and reports folder (the defaults, or
    $TCD_* as set when the session started) are as they were: no file added, replaced or removed."""
    yield
    after = file_states(USER_FILES.values())
    changed = sorted(set(after.items()) ^ set(USER_STATES_AT_START.items()))
    assert not changed, f"the test session wrote the user's files: {sorted({path for path, _ in changed})}"


# --- the sample world built and published once per session ----------------------------------------------
# ``published_sample``: the published file of a refresh of the embedded sample world in a temporary folder (the
# refresh also renders the focus country's report: ``make run``'s path). ``TCD_TEST_PUBLISHED=<file>`` uses a copy
# of an existing published file instead (quicker when iterating on the report; the copy is what is read).


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
