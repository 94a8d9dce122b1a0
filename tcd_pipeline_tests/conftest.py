"""Shared fixtures. Tests that need ../shared/data skip with the reason where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tcd_pipeline.config import REPO_ROOT

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The staged real public data (``../shared/data``), or skip."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data test: {SHARED_DATA} is absent (it is present in CI)")
    return SHARED_DATA
