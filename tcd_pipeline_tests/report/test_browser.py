"""The rendered report opened in headless Chromium (Debian's ``chromium``), as a reader's browser shows it.

How: Chromium's DevTools protocol over ``--remote-debugging-pipe`` (file descriptors 3 and 4, JSON messages
ended by a NUL byte): no extra package, no port, works offline. The test records every network request the page
makes (``Network.requestWillBeSent``), every console message and uncaught exception (``Runtime``) and every
browser log entry (``Log``, e.g. a blocked or failed load); then it reads the laid-out page with
``Runtime.evaluate``: each section and each figure and table is present and non-empty, and the numbers printed
in Tables 1-4 equal the marts' (queried directly from the published file here) to the printed precision.
"""

import fcntl
import json
import os
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tcd_pipeline.report.spec import SECTIONS

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (.ci/run installs Debian's "
                                                               "chromium: apt-get install -y chromium)")


class Browser:
    """A headless Chromium driven through the DevTools protocol on a pipe."""

    def __init__(self):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def fds():  # the browser reads commands on fd 3 and writes replies and events on fd 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", "--no-first-run", "--window-size=1280,1000", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict] = []
        self.session = ""

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: bool = True, timeout: float = 60) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False, timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._to_browser)
        os.close(self._from_browser)


# what the laid-out page holds: sections, figures and tables with their size and content, Tables 1-4's cells
PAGE = """(() => {
  const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const sections = [...document.querySelectorAll('section[id]')].map(s => ({id: s.id, size: box(s),
      text: s.innerText.trim().length}));
  const items = [...document.querySelectorAll('figure[id]')].map(f => ({id: f.id, cls: f.className,
      size: box(f), caption: (f.querySelector('figcaption') || {innerText: ''}).innerText,
      svg: [...f.querySelectorAll('svg')].map(s => [box(s), s.querySelectorAll('path,line,rect,polyline,polygon,circle,text,use').length]),
      img: [...f.querySelectorAll('img')].map(i => [i.naturalWidth, i.naturalHeight]),
      rows: f.querySelectorAll('table tbody tr').length,
      missing: (f.querySelector('.missing') || {innerText: ''}).innerText}));
  const tables = {};
  for (const f of document.querySelectorAll('figure.table[id]')) {
    tables[f.id] = [...f.querySelectorAll('tbody tr')].map(tr => ({key: tr.dataset.key,
        cells: [...tr.querySelectorAll('td.num')].map(td => td.innerText)}));
  }
  return {sections, items, tables, title: document.title};
})()"""


@pytest.fixture(scope="module")
def page(rendered_sample):
    browser = Browser()
    try:
        url = rendered_sample.html.resolve().as_uri()
        browser.open(url)
        content = browser.evaluate(PAGE)
        time.sleep(0.5)  # late events (a lazy image, a timer) would arrive now
        browser.evaluate("1")
        return {"url": url, "content": content, "events": list(browser.events)}
    finally:
        browser.close()


def test_no_console_error_and_no_network_request(page):
    requests = [e["params"]["request"]["url"] for e in page["events"] if e.get("method") == "Network.requestWillBeSent"]
    # the file itself, and the figures' images embedded in it (data: URLs, read from the page, not fetched)
    assert requests[0] == page["url"] and [u for u in requests[1:] if not u.startswith("data:")] == []
    console = [e["params"] for e in page["events"] if e.get("method") == "Runtime.consoleAPICalled"]
    assert console == []  # the report has no scripts: nothing may log
    assert [e for e in page["events"] if e.get("method") == "Runtime.exceptionThrown"] == []
    logged = [e["params"]["entry"] for e in page["events"] if e.get("method") == "Log.entryAdded"]
    assert [entry for entry in logged if entry["level"] in ("error", "warning")] == []


def test_every_section_figure_and_table_is_there_and_drawn(page, published_sample):
    from tcd_pipeline.report.render import build_report

    report = build_report(published_sample, "KAZ")
    content = page["content"]
    assert "Kazakhstan" in content["title"]
    sections = {s["id"]: s for s in content["sections"]}
    assert list(sections) == [sid for sid, _ in SECTIONS]
    for sid, section in sections.items():
        assert section["size"][1] > 100 and section["text"] > 200, sid
    items = {f["id"]: f for f in content["items"] if "gap" not in f["cls"].split()}
    assert set(items) == {i.name for i in report.items}
    gaps = [f for f in content["items"] if "gap" in f["cls"].split()]  # stated data gaps (e.g. FDI by sector)
    assert all(len(f["missing"]) > 20 and f["caption"] for f in gaps), gaps
    for item in report.items:
        shown = items[item.name]
        assert item.number in shown["caption"] and item.title in shown["caption"], item.name
        assert shown["size"][0] > 300 and shown["size"][1] > 60, item.name
        frame = report.tables[item.name]
        if frame.is_empty():  # says what data would fill it
            assert "empty" in shown["cls"] and len(shown["missing"]) > 20, item.name
            continue
        if item.kind == "figure":  # an image with marks in it, laid out at a readable size
            assert shown["svg"] or shown["img"], item.name
            for (width, height), marks in shown["svg"]:
                assert width > 300 and height > 150 and marks > 20, (item.name, width, height, marks)
            for width, height in shown["img"]:
                assert width > 300 and height > 150, item.name
        else:
            assert shown["rows"] > 0, item.name
    # the sample is complete: every figure and table of the report has data for KAZ
    assert [i.name for i in report.items if report.tables[i.name].is_empty()] == []


def _close(printed: str, value: float | None, scale: float = 1.0, digits: int = 1) -> bool:
    """The printed number is the mart's value (divided by ``scale``) to ``digits`` decimals ("–": no value)."""
    if value is None:
        return printed.strip() in ("–", "-", "")
    return abs(float(printed.replace(",", "")) - value / scale) <= 0.5 * 10 ** -digits + 1e-9


def _growth_rows(con, growth: str, shares: str, key: str) -> dict[str, list]:
    """Tables 1-3 recomputed from the marts: per key, values in the three years (first growth period's start and
    end, last period's end), shares in those years, CAGR of the first and last periods."""
    periods = con.execute(f"SELECT DISTINCT year_start, year_end FROM marts.{growth} WHERE country = 'KAZ'").fetchall()
    p1s, p1e = min(periods)
    p2s, p2e = max(periods, key=lambda p: (p[1], p[0]))
    rows: dict[str, list] = {}
    for k, s, e, v0, v1, cagr in con.execute(f"SELECT {key}, year_start, year_end, value_start_usd, value_end_usd, "
                                             f"cagr_pct FROM marts.{growth} WHERE country = 'KAZ'").fetchall():
        row = rows.setdefault(k, [None] * 8)
        if (s, e) == (p1s, p1e):
            row[0], row[1], row[6] = v0, v1, cagr
        if (s, e) == (p2s, p2e):
            row[2], row[7] = v1, cagr
    share = {(k, y): v for k, y, v in con.execute(f"SELECT {key}, year, share_pct FROM marts.{shares} "
                                                  "WHERE country = 'KAZ'").fetchall()}
    for k, row in rows.items():
        for j, year in enumerate((p1s, p1e, p2e)):
            row[3 + j] = share.get((k, year), 100.0 if k == "Total" and row[j] is not None else None)
    return rows


def test_tables_1_to_4_print_the_marts_numbers(page, published_sample):
    tables = page["content"]["tables"]
    scales = [1e6] * 3 + [1.0] * 5  # USD million, then shares and CAGR in percent
    with duckdb.connect(str(published_sample), read_only=True) as con:
        expected = {
            "table1_exports_by_sector": _growth_rows(con, "growth_by_sector", "exports_by_sector", "sector"),
            "table2_exports_by_region": _growth_rows(con, "growth_by_region", "exports_by_region", "region"),
            "table3_services_exports": _growth_rows(con, "services_growth", "services_exports", "category"),
        }
        # services: the category 'S' is all services, the table's total; the mart's 'Total' row adds 'S' to its own
        # components (twice the total), and the report leaves it out
        expected["table3_services_exports"].pop("Total", None)
        dva = {s: [v0, v1, sh0, sh1, c, cp] for s, v0, v1, sh0, sh1, c, cp in con.execute(
            "SELECT sector, value_start_usd, value_end_usd, share_start_pct, share_end_pct, cagr_pct, contribution_pct "
            "FROM marts.dva_growth WHERE country = 'KAZ'").fetchall()}
        total = con.execute("SELECT any_value(total_start_usd), any_value(total_end_usd), any_value(total_cagr_pct) "
                            "FROM marts.dva_growth WHERE country = 'KAZ'").fetchone()
        dva["Total"] = [total[0], total[1], 100.0, 100.0, total[2], 100.0]
    for name, want in expected.items():
        shown = {row["key"]: row["cells"] for row in tables[name]}
        assert set(shown) == set(want) and len(shown) >= 3, name
        for key, cells in shown.items():
            assert len(cells) == 8, (name, key)
            for printed, value, scale in zip(cells, want[key], scales):
                assert _close(printed, value, scale), (name, key, printed, value)
    shown = {row["key"]: row["cells"] for row in tables["table4_dva_growth"]}
    assert set(shown) == set(dva) and len(shown) >= 3
    for key, cells in shown.items():
        for printed, value, scale in zip(cells, dva[key], [1e6, 1e6, 1, 1, 1, 1]):
            assert _close(printed, value, scale), ("table4_dva_growth", key, printed, value)


def test_the_check_sees_requests_and_console_errors(tmp_path):
    """The instrument itself: a page with an external image, a script that logs an error and fetches, is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<html><head><title>t</title></head><body><img src="https://example.invalid/x.png">'
                   '<script>console.error("boom"); fetch("http://example.invalid/y")</script></body></html>')
    browser = Browser()
    try:
        browser.open(bad.as_uri())
        browser.evaluate("1")
        events = list(browser.events)
    finally:
        browser.close()
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert requests[0] == bad.as_uri() and {"https://example.invalid/x.png", "http://example.invalid/y"} <= set(requests)
    console = [e["params"] for e in events if e.get("method") == "Runtime.consoleAPICalled"]
    assert [(c["type"], c["args"][0]["value"]) for c in console] == [("error", "boom")]
