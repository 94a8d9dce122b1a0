"""One self-contained HTML file: inline CSS, figures as inline SVG, no scripts, no network.

Each section is a ``<section id="<section id>">``; each figure a ``<figure id="<item name>" class="figure">`` and
each table a ``<figure id="<item name>" class="table">`` holding a ``<table>``; every number cell carries its
unrounded value in ``data-value`` (what tests compare with the marts). A figure or table whose data is absent
is a ``<div class="missing">`` saying what data would fill it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

import polars as pl

from tcd_pipeline.report import figures
from tcd_pipeline.report.spec import SECTIONS, Item, Report

CSS = """
:root { --focus: #c0392b; --ink: #222; --muted: #666; --rule: #d9d9d9; --band: #f5f7fa; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0; line-height: 1.45;
       font-size: 15px; background: #fff; }
main { max-width: 1060px; margin: 0 auto; padding: 24px 32px 64px; }
header.cover { border-bottom: 4px solid var(--focus); padding-bottom: 12px; margin-bottom: 20px; }
header.cover h1 { margin: 0 0 4px; font-size: 28px; }
header.cover p { margin: 2px 0; color: var(--muted); }
nav.toc { background: var(--band); padding: 12px 20px; border-radius: 4px; columns: 2; font-size: 14px; }
nav.toc ol { margin: 0; padding-left: 18px; } nav.toc ul { padding-left: 16px; margin: 2px 0 6px; }
nav.toc a { color: #1f4e79; text-decoration: none; }
section { margin-top: 36px; }
h2 { font-size: 22px; border-bottom: 2px solid var(--rule); padding-bottom: 4px; }
h3.margin { font-size: 16px; margin: 14px 0 4px; }
ul.findings li { margin: 3px 0; }
figure { margin: 26px 0; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 6px; }
figcaption .unit { font-weight: 400; color: var(--muted); }
p.source, p.note { font-size: 12.5px; color: var(--muted); margin: 4px 0 0; }
figure.figure svg { display: block; margin: 0 auto; }
div.missing { border: 1px dashed #c9a227; background: #fffbea; padding: 10px 14px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); }
th { background: var(--band); text-align: center; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 700; border-top: 2px solid #999; }
tr.focus td { color: var(--focus); font-weight: 600; }
.focus-name { color: var(--focus); font-weight: 700; }
@media print {
  body { font-size: 11pt; } main { max-width: none; padding: 0; } nav.toc { display: none; }
  section { page-break-before: always; } section#findings { page-break-before: avoid; }
  a { color: inherit; text-decoration: none; }
}
@page { size: A4; margin: 16mm 14mm; }
"""


def _fmt(value: object, digits: int = 1, scale: float = 1.0) -> tuple[str, str]:
    """(printed text, data-value) of one cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–", ""
    if isinstance(value, (int, float)):
        return f"{value / scale:,.{digits}f}", repr(value)
    return escape(str(value)), escape(str(value))


def _td(value: object, digits: int = 1, scale: float = 1.0) -> str:
    text, data = _fmt(value, digits, scale)
    return f'<td class="num" data-value="{data}">{text}</td>'


def _label(value: object) -> str:
    return f"<td>{escape('' if value is None else str(value))}</td>"


def _growth_table(frame: pl.DataFrame, key: str, label: str | None = None, heading: str = "") -> str:
    """Tables 1-3: values in three years (USD million), shares (%), CAGR of two periods (%)."""
    first = frame.row(0, named=True)
    years = [first["year_1"], first["year_2"], first["year_3"]]
    periods = [first["period_1"], first["period_2"]]
    head = ('<tr><th rowspan="2"></th><th colspan="3">Value, USD million</th><th colspan="3">Share, %</th>'
            '<th colspan="2">CAGR, %</th></tr><tr>'
            + "".join(f"<th>{y}</th>" for y in years) * 2 + "".join(f"<th>{escape(str(p))}</th>" for p in periods)
            + "</tr>")
    body = []
    for row in frame.iter_rows(named=True):
        total = row["display_order"] >= 1000
        cells = [_label(row[label or key])]
        cells += [_td(row[f"value_{k}_usd"], 1, 1e6) for k in (1, 2, 3)]
        cells += [_td(row[f"share_{k}_pct"]) for k in (1, 2, 3)]
        cells += [_td(row[f"cagr_{k}_pct"]) for k in (1, 2)]
        cls = ' class="total"' if total else ""
        body.append(f'<tr{cls} data-key="{escape(str(row[key]))}">{"".join(cells)}</tr>')
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _dva_table(frame: pl.DataFrame) -> str:
    first = frame.row(0, named=True)
    y0, y1 = first["year_start"], first["year_end"]
    head = (f'<tr><th rowspan="2">Sector</th><th colspan="2">DVA in exports, USD million</th>'
            f'<th colspan="2">Share, %</th><th rowspan="2">CAGR {y0}-{y1}, %</th>'
            f'<th rowspan="2">Contribution to growth, %</th></tr><tr><th>{y0}</th><th>{y1}</th><th>{y0}</th>'
            f"<th>{y1}</th></tr>")
    body = []
    for row in frame.iter_rows(named=True):
        cells = [_label(row["sector"]), _td(row["value_start_usd"], 1, 1e6), _td(row["value_end_usd"], 1, 1e6),
                 _td(row["share_start_pct"]), _td(row["share_end_pct"]), _td(row["cagr_pct"]),
                 _td(row["contribution_pct"])]
        cls = ' class="total"' if row["display_order"] >= 1000 else ""
        body.append(f'<tr{cls} data-key="{escape(row["sector"])}">{"".join(cells)}</tr>')
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


_TESTS = {"focus_vs_comparator": "Focus against one comparator", "focus_and_comparators": "Focus and all comparators",
          "before_after": "Before against after the event year", "regions": "All destination groups",
          "region_pair": "Pair of destination groups", "sectors": "All sectors", "sector_pair": "Pair of sectors"}


def _logrank_table(frame: pl.DataFrame, report: Report) -> str:
    head = ("<tr><th>Test</th><th>Group A</th><th>Group B</th><th>Groups</th><th>Chi-squared</th><th>df</th>"
            "<th>p-value</th></tr>")
    body = []
    for row in frame.iter_rows(named=True):
        a, b = (report.names.get(g, g) if g else "" for g in (row["group_a"], row["group_b"]))
        p = _td(row["p_value"], 4)
        if row["p_value"] is not None and row["p_value"] < 1e-4:
            p = p.replace(">0.0000<", ">&lt; 0.0001<")
        cells = [_label(_TESTS.get(row["test"], row["test"])), _label(a or "all groups"), _label(b),
                 _td(row["n_groups"], 0), _td(row["statistic"], 2), _td(row["df"], 0), p]
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


_GROUPS = {"exporter": "Country", "exporter_sector": "Sector", "exporter_region": "Destination group",
           "exporter_period": "Start of the relationship"}


def _summary_table(frame: pl.DataFrame) -> str:
    head = ("<tr><th>Grouping</th><th>Group</th><th>Spells</th><th>Failures</th><th>S(1)</th><th>S(3)</th>"
            "<th>S(5)</th><th>S(10)</th><th>Median duration, years</th></tr>")
    body = []
    for row in frame.iter_rows(named=True):
        cells = [_label(_GROUPS.get(row["group_type"], row["group_type"])), _label(row["group_label"]),
                 _td(row["n_spells"], 0), _td(row["n_events"], 0)]
        cells += [_td(row[f"survival_{t}"], 3) for t in (1, 3, 5, 10)] + [_td(row["median_duration"], 0)]
        cls = ' class="focus"' if row["role"] == "focus" and row["group_type"] == "exporter" else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


TABLES: dict[str, Callable[[pl.DataFrame, Report], str]] = {
    "table1_exports_by_sector": lambda f, r: _growth_table(f, "sector", heading="Sector"),
    "table2_exports_by_region": lambda f, r: _growth_table(f, "region", heading="Destination"),
    "table3_services_exports": lambda f, r: _growth_table(f, "category", "category_label", "Category"),
    "table4_dva_growth": lambda f, r: _dva_table(f),
    "tableS1_survival_logrank": _logrank_table,
    "tableS2_survival_summary": lambda f, r: _summary_table(f),
}

_CAPTION_NOTES = {
    "fig02_openness_vs_income": "The dashed line is the openness expected at each GDP per capita for a country of "
                                "the mean (log) population, from the year's least-squares fit of trade % of GDP on "
                                "log GDP per capita and log population across the countries shown "
                                "(marts.trade_openness: openness_predicted_pct, openness_residual_pp).",
    "fig06_export_margins": "Components sum to 100% of the change in exports over the period; extinction is "
                            "negative.",
    "fig20_dva_by_destination": "First and last input-output years present; the eight largest destinations of the "
                                "last year, the rest summed.",
    "fig21_fva_by_source": "First and last input-output years present; the eight largest sources of the last "
                           "year, the rest summed.",
    "fig23_foreign_content": "The ten industries with the largest gross exports in the last input-output year.",
    "fig24_dva_in_foreign_demand": "The fifteen industries with the largest value added in the last "
                                   "input-output year.",
    "table1_exports_by_sector": "Years: start and end of the first growth period, end of the last.",
    "table4_dva_growth": "Contribution: the sector's share of the change in total DVA in exports. The period is the "
                         "one marts.dva_growth is built for; Figures 19-21 show the first and last input-output "
                         "years present.",
    "fig19_direct_indirect_dva": "First and last input-output years present. Direct: value added by the exporting "
                                 "industry itself; indirect: by domestic suppliers embodied in its exports.",
    "fig18_dva_contributions": "Each bar: 100 x (the sector's change) / (total DVA at the start); the bars sum to the "
                               "total's % change over the period.",
}


# What the diagnostic shows that no public input of the pipeline covers: said where it would stand.
GAPS = {
    "orientation": ("gap_fdi_by_sector", "FDI inflows by sector",
                    "Not in the published data: FDI by sector needs a proprietary source (for example fDi Markets "
                    "greenfield projects, or a central bank's FDI statistics by activity)."),
}


def _gap(sid: str) -> str:
    if sid not in GAPS:
        return ""
    gid, title, text = GAPS[sid]
    return (f'<figure id="{gid}" class="gap"><figcaption>{escape(title)}</figcaption>'
            f'<div class="missing">{escape(text)}</div></figure>')


def _period_note(item: Item, frame: pl.DataFrame) -> str:
    if "year_start" in frame.columns and "year_end" in frame.columns and not frame.is_empty():
        return f"Period: {frame['year_start'].min()}-{frame['year_end'].max()}. "
    if "year" in frame.columns and not frame.is_empty() and item.name not in {"fig02_openness_vs_income"}:
        years = sorted(set(frame["year"].drop_nulls().to_list()))
        if 0 < len(years) <= 3:
            return f"Years: {', '.join(map(str, years))}. "
    if item.name == "fig02_openness_vs_income" and not frame.is_empty():
        return f"Year: {frame['year'].max()}. "
    return ""


def _item(report: Report, item: Item) -> str:
    frame = report.tables.get(item.name, pl.DataFrame())
    kind = "figure" if item.kind == "figure" else "table"
    caption = (f'<figcaption>{escape(item.number)}. {escape(item.title)}'
               f'{f" <span class=unit>({escape(item.unit)})</span>" if item.unit else ""}</figcaption>')
    source = f'<p class="source">Source: {escape(", ".join(m for m in item.marts if m.startswith("marts.")))}.</p>'
    if frame.is_empty():
        note = report.notes.get(item.name, f"No data. Would be filled by {item.missing}.")
        return (f'<figure id="{item.name}" class="{kind} empty">{caption}<div class="missing">{escape(note)}</div>'
                f"{source}</figure>")
    if kind == "figure":
        label = escape(f"{item.number}. {item.title}", quote=True)
        content = figures.draw(report, item, frame).replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    else:
        content = TABLES[item.name](frame, report)
    extra = _period_note(item, frame) + _CAPTION_NOTES.get(item.name, "")
    note = f'<p class="note">{escape(extra)}</p>' if extra else ""
    caveat = f'<p class="note">{escape(report.notes[item.name])}</p>' if item.name in report.notes else ""
    return f'<figure id="{item.name}" class="{kind}">{caption}{content}{note}{caveat}{source}</figure>'


def _findings(report: Report) -> str:
    titles = dict(SECTIONS)
    parts = []
    for sid, sentences in report.findings.items():
        if not sentences:
            continue
        items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
        parts.append(f'<h3 class="margin">{escape(titles.get(sid, sid))}</h3><ul class="findings">{items}</ul>')
    return "".join(parts) or '<p class="note">No findings: the published file holds no data for this country.</p>'


def render_html(report: Report) -> str:
    """The report as one self-contained HTML document."""
    name = report.names.get(report.focus, report.focus)
    comps = ", ".join(report.names.get(c, c) for c in report.comparators) or "none"
    toc, body = [], []
    for sid, title in SECTIONS:
        items = [i for i in report.items if i.section == sid]
        sub = "".join(f'<li><a href="#{i.name}">{escape(i.number)}. {escape(i.title)}</a></li>' for i in items)
        toc.append(f'<li><a href="#{sid}">{escape(title)}</a>{f"<ul>{sub}</ul>" if sub else ""}</li>')
        inner = _findings(report) if sid == "findings" else "".join(_item(report, i) for i in items) + _gap(sid)
        body.append(f'<section id="{sid}"><h2>{escape(title)}</h2>{inner}</section>')
    settings = "; ".join(f"{escape(k.removeprefix('settings.'))} = {escape(v)}" for k, v in report.settings.items()
                         if k.removeprefix("settings.") in {"growth_periods", "event_year", "margin_periods"})
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Trade Competitiveness Diagnostic: {escape(name)}</title><style>{CSS}</style></head><body><main>"
        f'<header class="cover"><h1>Trade Competitiveness Diagnostic: <span class="focus-name">{escape(name)}'
        f"</span></h1><p>Compared with: {escape(comps)}</p>"
        f"<p>Published data version {escape(report.version or 'unknown')}"
        f"{f'; {settings}' if settings else ''}. Every number is read from the published marts.</p>"
        + "".join(f'<p class="note">{escape(v)}</p>' for k, v in report.notes.items() if k.startswith("_"))
        + "</header>"
        f'<nav class="toc"><ol>{"".join(toc)}</ol></nav>{"".join(body)}</main></body></html>\n'
    )
