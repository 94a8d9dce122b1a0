"""Published file -> the report's HTML file and Excel workbook, for one focus country (what the Dagster asset
``report/diagnostic`` and ``python -m tcd_pipeline.report`` call).

The published file is opened read-only: marts are never rebuilt for a report, so a report for another country
takes seconds. Both files are written beside their final names and renamed over them (``os.replace``): a reader
never sees a half-written report. The HTML carries a stamp (``<meta name="tcd:...">``: the published version it
was rendered from, the focus and the comparators) from which :func:`stale_reason` tells the refresh planner
whether the report must be rendered again.
"""

from __future__ import annotations

import html as html_escape
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tcd_pipeline.report.spec import Report

STAMP_KEYS = ("version", "focus", "comparators")
_STAMP = re.compile(r'<meta name="tcd:(\w+)" content="([^"]*)"')


@dataclass(frozen=True)
class ReportFiles:
    """What one rendering wrote, and what it took."""

    html: Path
    workbook: Path
    focus: str
    comparators: tuple[str, ...]
    version: str  # meta.publication.version of the published file read
    seconds: float  # the whole rendering: queries, figures, HTML, workbook
    query_seconds: float  # of which reading the report tables
    figures: int  # figures drawn (items of kind "figure" with data)
    tables: int  # tables printed (items of kind "table" with data)
    empty: tuple[str, ...] = field(default_factory=tuple)  # items without data (their section says what would fill them)


def report_paths(out_dir: Path, focus: str) -> tuple[Path, Path]:
    """``<out_dir>/tcd_<FOCUS>.html`` and ``.xlsx``."""
    return Path(out_dir) / f"tcd_{focus.upper()}.html", Path(out_dir) / f"tcd_{focus.upper()}.xlsx"


def stamp(document: str, report: Report) -> str:
    """The HTML with its stamp in ``<head>`` (the published version, focus and comparators it shows)."""
    values = {"version": report.version, "focus": report.focus, "comparators": ",".join(report.comparators)}
    tags = "".join(f'<meta name="tcd:{k}" content="{html_escape.escape(values[k])}">' for k in STAMP_KEYS)
    match = re.search(r"<head[^>]*>", document, flags=re.IGNORECASE)
    if match is None:
        return tags + document
    return document[:match.end()] + tags + document[match.end():]


def read_stamp(path: Path) -> dict[str, str]:
    """The stamp of a rendered report (read from its first 8 KB; {} when absent or unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(8192)
    except OSError:
        return {}
    return {k: html_escape.unescape(v) for k, v in _STAMP.findall(head)}


def stale_reason(out_dir: Path, focus: str, comparators: Sequence[str], version: str | None) -> str:
    """Why the focus country's report must be rendered (again), "" when it shows the published ``version``
    for these comparators. ``version``: the published file's (None when nothing is published: nothing to render)."""
    if not version:
        return ""
    html_path, xlsx_path = report_paths(out_dir, focus)
    if not html_path.exists() or not xlsx_path.exists():
        return f"the report {html_path.name if not html_path.exists() else xlsx_path.name} does not exist"
    found = read_stamp(html_path)
    if found.get("version") != version:
        return f"the published version is {version} (the report shows {found.get('version') or 'an unknown one'})"
    wanted = ",".join(c.upper() for c in comparators if c.upper() != focus.upper())
    if found.get("comparators") != wanted:
        return f"the comparators are now {wanted} (the report shows {found.get('comparators')})"
    return ""


def _atomic_write(target: Path, write) -> None:
    """``write(temp_path)`` beside ``target``, then rename it over ``target``."""
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(Path(temp))
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def build_report(published: Path, focus: str | None = None, comparators: Sequence[str] | None = None) -> Report:
    """The report's data read from the published file (read-only); focus and comparators default to the
    settings recorded in it (``meta.settings``)."""
    from tcd_pipeline.report.tables import report_tables

    published = Path(published)
    if not published.exists():
        raise FileNotFoundError(f"no published file at {published}: run `make run` first (or pass --published)")
    with duckdb.connect(str(published), read_only=True) as con:
        return report_tables(con, focus, comparators)


def render(published: Path, out_dir: Path, focus: str | None = None,
           comparators: Sequence[str] | None = None) -> ReportFiles:
    """Render ``<out_dir>/tcd_<FOCUS>.html`` and ``.xlsx`` from the published file, atomically."""
    from tcd_pipeline.report.html import render_html
    from tcd_pipeline.report.workbook import write_workbook

    started = time.perf_counter()
    report = build_report(published, focus, comparators)
    queried = time.perf_counter() - started
    document = stamp(render_html(report), report)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, xlsx_path = report_paths(out_dir, report.focus)
    # the workbook first: the HTML's stamp says the pair is complete
    _atomic_write(xlsx_path, lambda p: write_workbook(report, p))
    _atomic_write(html_path, lambda p: p.write_text(document, encoding="utf-8"))
    filled = [i for i in report.items if report.tables.get(i.name) is not None and not report.tables[i.name].is_empty()]
    return ReportFiles(
        html=html_path, workbook=xlsx_path, focus=report.focus, comparators=tuple(report.comparators),
        version=report.version, seconds=time.perf_counter() - started, query_seconds=queried,
        figures=sum(i.kind == "figure" for i in filled), tables=sum(i.kind == "table" for i in filled),
        empty=tuple(i.name for i in report.items if i not in filled),
    )
