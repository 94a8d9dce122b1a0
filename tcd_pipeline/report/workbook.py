"""The report as an Excel workbook: a contents sheet, then one sheet per table and per figure's data.

Each sheet says what it is (number, title, unit, source marts) above a styled, frozen header row; the values are
the report tables' own (not rounded: the number format rounds the display only), so an analyst can recompute or
redraw anything. A figure or table without data keeps its sheet, with the note saying what data would fill it.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tcd_pipeline.report.spec import SECTIONS, Item, Report

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=13)
NOTE_FONT = Font(italic=True, color="595959")
HEADER_ROW = 4  # title, unit and source, blank, then the header
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_names(items: tuple[Item, ...]) -> dict[str, str]:
    """Item name -> sheet name: its printed number ("Table 1", "Figure 12"), at most 31 characters, unique."""
    names: dict[str, str] = {}
    used = {"contents"}
    for item in items:
        base = _BAD.sub("-", (item.number or item.name).strip())[:31] or item.name[:31]
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[:31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[item.name] = name
    return names


def _number_format(column: str, dtype: pl.DataType) -> str | None:
    if dtype.is_integer():
        return "0" if column in ("year", "year_start", "year_end", "t") else "#,##0"
    if dtype.is_float():
        if column.endswith("_usd"):
            return "#,##0"
        if column.endswith(("_pct", "_pp")) or column in ("survival", "ci_lower", "ci_upper") \
                or column.startswith("survival_"):
            return "0.00"
        return "0.000"
    return None


def _cell_value(value):
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return None
    return value


def _write_item(ws, item: Item, frame: pl.DataFrame, note: str) -> None:
    ws["A1"] = f"{item.number}. {item.title}" if item.number else item.title
    ws["A1"].font = TITLE_FONT
    ws["A2"] = "; ".join(p for p in (f"Unit: {item.unit}" if item.unit else "",
                                     f"Source: {', '.join(item.marts)}") if p)
    ws["A2"].font = NOTE_FONT
    if note:
        ws["A3"] = note
        ws["A3"].font = NOTE_FONT
    if frame.is_empty() and not frame.columns:
        return
    widths = []
    for j, column in enumerate(frame.columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        widths.append(len(column))
    formats = [_number_format(c, t) for c, t in zip(frame.columns, frame.dtypes)]
    for i, row in enumerate(frame.iter_rows(), start=HEADER_ROW + 1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=_cell_value(value))
            if formats[j - 1] and value is not None:
                cell.number_format = formats[j - 1]
            if isinstance(value, str):
                widths[j - 1] = max(widths[j - 1], min(len(value), 40))
            elif value is not None:
                widths[j - 1] = max(widths[j - 1], 12)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width + 2
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(frame.columns))}{HEADER_ROW + frame.height}"


def _write_contents(ws, report: Report, names: dict[str, str]) -> None:
    who = report.names.get(report.focus, report.focus)
    ws["A1"] = f"Trade Competitiveness Diagnostic: {who} ({report.focus})"
    ws["A1"].font = TITLE_FONT
    comparators = ", ".join(f"{report.names.get(c, c)} ({c})" for c in report.comparators)
    ws["A2"] = f"Comparators: {comparators or 'none'}; published version {report.version or 'unknown'}"
    ws["A2"].font = NOTE_FONT
    header = ("sheet", "number", "title", "section", "unit", "source", "rows", "note")
    for j, column in enumerate(header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=column)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    sections = dict(SECTIONS)
    for i, item in enumerate(report.items, start=HEADER_ROW + 1):
        frame = report.tables.get(item.name, pl.DataFrame())
        row = (names[item.name], item.number, item.title, sections.get(item.section, item.section), item.unit,
               ", ".join(item.marts), frame.height, report.notes.get(item.name, ""))
        for j, value in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=value)
        ws.cell(row=i, column=1).hyperlink = f"#'{names[item.name]}'!A1"
        ws.cell(row=i, column=1).font = Font(color="0563C1", underline="single")
    for j, width in enumerate((12, 11, 60, 26, 18, 40, 8, 60), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    row = HEADER_ROW + len(report.items) + 2
    if report.findings:
        ws.cell(row=row, column=1, value="Key findings").font = TITLE_FONT
        for section, sentences in report.findings.items():
            for sentence in sentences:
                row += 1
                ws.cell(row=row, column=1, value=sections.get(section, section))
                ws.cell(row=row, column=3, value=sentence)
        row += 2
    if report.settings:
        ws.cell(row=row, column=1, value="Settings of the published file (meta.settings)").font = TITLE_FONT
        for setting, value in report.settings.items():
            row += 1
            ws.cell(row=row, column=1, value=setting)
            ws.cell(row=row, column=3, value=value)


def write_workbook(report: Report, path: Path) -> Path:
    """Write the report's workbook to ``path`` (the caller renames it into place)."""
    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    names = sheet_names(report.items)
    _write_contents(contents, report, names)
    for item in report.items:
        frame = report.tables.get(item.name, pl.DataFrame())
        _write_item(book.create_sheet(names[item.name]), item, frame, report.notes.get(item.name, ""))
    book.save(path)
    return Path(path)
