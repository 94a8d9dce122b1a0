"""Where things live: repository folders and the defaults that environment variables override.

Nothing here reads the environment at import time; call the functions at run time.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = REPO_ROOT / "sql"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

DEFAULT_WAREHOUSE = REPO_ROOT / "data" / "warehouse.duckdb"
DEFAULT_INPUT_DIR = REPO_ROOT / "data" / "sample"
DEFAULT_PUBLISHED = REPO_ROOT / "data" / "published" / "tcd.duckdb"


def warehouse_path() -> Path:
    """The DuckDB warehouse: ``$TCD_WAREHOUSE`` or ``data/warehouse.duckdb``."""
    return Path(os.environ.get("TCD_WAREHOUSE") or DEFAULT_WAREHOUSE)


def input_dir() -> Path:
    """The raw-input folder: ``$TCD_INPUT_DIR`` or the generated sample ``data/sample``."""
    return Path(os.environ.get("TCD_INPUT_DIR") or DEFAULT_INPUT_DIR)


def published_path() -> Path:
    """The file BI tools read: ``$TCD_PUBLISHED`` or ``data/published/tcd.duckdb``.

    Not ``marts.duckdb``: DuckDB names a file's catalog after it, and a catalog ``marts`` would
    make ``marts.<table>`` ambiguous with the schema ``marts``.
    """
    return Path(os.environ.get("TCD_PUBLISHED") or DEFAULT_PUBLISHED)
