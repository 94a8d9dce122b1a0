"""Load SQL statements kept in the repository's ``sql/`` folder (one statement per file)."""

from __future__ import annotations

from functools import cache

from tcd_pipeline.paths import SQL_DIR


@cache
def load_sql(name: str) -> str:
    """Text of ``sql/<name>.sql``, e.g. ``load_sql("clean/flows")``.

    Statements take bound parameters (``$year``, ``$path``); values are never formatted in.
    """
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL statement {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")
