"""Shared fixtures. Tests that need ../shared/data skip with the reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tcd_pipeline.config import REPO_ROOT

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# tests never record runs in the user's Dagster instance: each uses a temporary instance or the one
# beside its own temporary warehouse (python -m tcd_pipeline.run derives it when DAGSTER_HOME is unset)
os.environ.pop("DAGSTER_HOME", None)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The staged real public data (``../shared/data``), or skip."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data test: {SHARED_DATA} is absent (it is present in CI)")
    return SHARED_DATA
