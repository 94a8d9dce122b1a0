"""Static checks of the HTML report of the sample (no browser: ``test_browser.py`` opens it in Chromium).

Every section and every figure and table of :data:`ITEMS` is present and non-empty; nothing points outside the
file (no http(s) ``src``/``href``, no scripts); the numbers printed in Tables 1-4 are the marts' rounded as
printed (USD millions to 0.1, percentages to 0.1), read back by parsing the HTML.
"""

import re
from html.parser import HTMLParser

import duckdb
import pytest

from tcd_pipeline.report.html import render_html
from tcd_pipeline.report.spec import ITEMS, SECTIONS
from tcd_pipeline.report.tables import report_tables


class _Cells(HTMLParser):
    """Rows of every ``<figure id=...>`` table: figure id -> [(data-key, [(text, data-value)...])]."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list] = {}
        self.ids: list[str] = []
        self._figure = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "figure":
            self._figure = a.get("id")
            self.tables.setdefault(self._figure, [])
        elif tag == "tr" and self._figure:
            self._row = (a.get("data-key"), [])
            self.tables[self._figure].append(self._row)
        elif tag == "td" and self._row is not None:
            self._cell = ["", a.get("data-value")]

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self._row[1].append(tuple(self._cell))
            self._cell = None
        elif tag == "figure":
            self._figure = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[0] += data


@pytest.fixture(scope="module")
def page(published_sample):
    with duckdb.connect(str(published_sample), read_only=True) as con:
        report = report_tables(con, "KAZ", ["RUS", "AZE", "CHL", "IDN", "MEX", "THA", "VNM"])
    return render_html(report)


@pytest.fixture(scope="module")
def cells(page):
    parser = _Cells()
    parser.feed(page)
    return parser


def test_every_section_figure_and_table_present_and_non_empty(page, cells):
    for sid, _ in SECTIONS:
        assert sid in cells.ids
    figures = dict(re.findall(r'<figure id="([^"]+)" class="([^"]+)">', page))
    for item in ITEMS:
        assert figures.get(item.name) == item.kind, item.name  # not "figure empty"
    for item in ITEMS:
        start = page.index(f'<figure id="{item.name}"')
        block = page[start:page.index("</figure>", start)]
        assert f"{item.number}. {item.title}" in block
        assert "Source: marts." in block
        if item.kind == "figure":
            svg = block[block.index("<svg"):]
            # drawn marks beyond the axes: paths (lines, bars, patches) or an embedded raster (the heatmap)
            assert svg.count("<path") > 10 or "data:image/png;base64," in svg, item.name
        else:
            assert block.count("<td") > 5, item.name
    assert page.count('<li>') >= 10  # the key findings and the table of contents


def test_self_contained(page):
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only SVG-internal url(#id)
    assert not re.search(r'href="(?!#|data:)', page)  # links within the page and data: images only
    assert page.count("<!DOCTYPE") == 1 and "<head>" in page
    # one page of many inline SVGs: ids are unique and every internal reference resolves
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'(?:url\(#|href="#)([^)"]+)', page)) <= set(ids)


def test_a_gap_says_what_data_would_fill_it(page):
    start = page.index('id="gap_fdi_by_sector"')
    assert "proprietary source" in page[start:page.index("</figure>", start)]


def _printed(value: float, scale: float = 1.0) -> str:
    return f"{value / scale:,.1f}"


@pytest.mark.parametrize(("item", "key", "mart"), [
    ("table1_exports_by_sector", "sector", "exports_by_sector"),
    ("table2_exports_by_region", "region", "exports_by_region"),
    ("table3_services_exports", "category", "services_exports"),
])
def test_tables_1_to_3_print_the_marts_numbers(published_sample, cells, item, key, mart):
    rows = [r for r in cells.tables[item] if r[0]]
    assert rows
    with duckdb.connect(str(published_sample), read_only=True) as con:
        growth = "services_growth" if mart == "services_exports" else f"growth_by_{key}"
        first, last = con.execute(f"SELECT min(year_start), max(year_end) FROM marts.{growth} WHERE country = 'KAZ'").fetchone()
        level = {(k, y): (v, s) for k, y, v, s in con.execute(
            f"SELECT {key}, year, value_usd, share_pct FROM marts.{mart} WHERE country = 'KAZ' AND year IN (?, ?)",
            [first, last]).fetchall()}
    checked = 0
    for k, row in rows:
        texts = [t for t, _ in row[1:]]  # first cell is the label
        for idx, year in ((0, first), (2, last)):
            if (k, year) in level:
                value, share = level[(k, year)]
                assert texts[idx] == _printed(value, 1e6), (k, year)
                assert texts[3 + idx] == _printed(share), (k, year)
                checked += 1
    assert checked >= len(rows)  # every row checked in at least one year (EEU has no 2000 exports)


def test_table4_prints_the_marts_numbers(published_sample, cells):
    rows = {k: [t for t, _ in r[1:]] for k, r in cells.tables["table4_dva_growth"] if k}
    with duckdb.connect(str(published_sample), read_only=True) as con:
        mart = con.execute("SELECT sector, value_start_usd, value_end_usd, share_start_pct, share_end_pct, cagr_pct, "
                           "contribution_pct, total_start_usd, total_end_usd, total_cagr_pct "
                           "FROM marts.dva_growth WHERE country = 'KAZ'").fetchall()
    for sector, v0, v1, s0, s1, cagr, contrib, t0, t1, tcagr in mart:
        assert rows[sector] == [_printed(v0, 1e6), _printed(v1, 1e6), _printed(s0), _printed(s1), _printed(cagr),
                                _printed(contrib)]
    assert rows["Total"][:2] == [_printed(t0, 1e6), _printed(t1, 1e6)]
    assert rows["Total"][4] == _printed(tcagr)


def test_data_values_are_unrounded(cells):
    """Each number cell keeps the report table's value (what the Chromium test compares with the marts)."""
    values = [float(v) for _, row in cells.tables["table1_exports_by_sector"] for t, v in row[1:] if v]
    assert any(v != round(v, 1) for v in values)


def test_a_country_absent_from_the_data_renders_with_notes(published_sample):
    with duckdb.connect(str(published_sample), read_only=True) as con:
        report = report_tables(con, "XXX", [])
    page = render_html(report)
    assert "No trade data in this published file for: XXX." in page
    # every item but the cross-country scatter (all countries) is a note of what data would fill it
    missing = re.findall(r'<figure id="([^"]+)" class="(?:figure|table) empty">', page)
    assert set(missing) == {i.name for i in ITEMS} - {"fig02_openness_vs_income"}
    assert "Would be filled by BACI bilateral trade flows" in page
