"""One self-contained HTML file: inline CSS, figures as inline SVG, no scripts, no network."""

from __future__ import annotations

from html import escape

from tcd_pipeline.report.spec import SECTIONS, Report


def render_html(report: Report) -> str:
    """The report as one HTML document."""
    body = "".join(f'<section id="{sid}"><h2>{escape(title)}</h2></section>' for sid, title in SECTIONS)
    return f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>TCD</title></head><body>{body}</body></html>"
