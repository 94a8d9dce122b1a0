"""Rendering the report from the published sample: the workbook, the files' stamp and atomic writes, the CLI,
another focus country (CHL) with no code change, the Dagster asset's run config, and make run's report stage."""

import math
import subprocess
import sys

import dagster as dg
import duckdb
import openpyxl
import pytest

from tcd_pipeline.definitions import build_definitions
from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts
from tcd_pipeline.report.render import build_report, read_stamp, render, report_paths, stale_reason
from tcd_pipeline.report.workbook import HEADER_ROW, sheet_names


def _same(a, b) -> bool:
    """Equal cell values: NaN and NULL are an empty cell; floats unrounded (openpyxl writes 16 significant
    digits, Excel keeps 15: equal to 1e-15 relative)."""
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None
    if isinstance(a, float):
        return isinstance(b, (int, float)) and math.isclose(float(b), a, rel_tol=1e-15, abs_tol=1e-300)
    return a == b


def test_the_workbook_has_a_sheet_per_figure_and_table_with_the_report_numbers(published_sample, rendered_sample):
    report = build_report(published_sample, "KAZ")
    names = sheet_names(report.items)
    book = openpyxl.load_workbook(rendered_sample.workbook, read_only=True)
    assert book.sheetnames == ["Contents"] + [names[i.name] for i in report.items]
    assert len(set(names.values())) == len(report.items) and all(len(n) <= 31 for n in names.values())
    contents = list(book["Contents"].iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(report.items),
                                               values_only=True))
    assert [(r[0], r[1], r[6]) for r in contents] == [(names[i.name], i.number, report.tables[i.name].height)
                                                     for i in report.items]
    for item in report.items:
        sheet = book[names[item.name]]
        frame = report.tables[item.name]
        assert sheet["A1"].value.endswith(item.title) and ", ".join(item.marts) in sheet["A2"].value
        if not frame.columns:  # no data: the note says what would fill it
            assert sheet["A3"].value == report.notes[item.name]
            continue
        rows = list(sheet.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW + frame.height,
                                    max_col=frame.width, values_only=True))
        assert rows[0] == tuple(frame.columns), item.name
        for got, want in zip(rows[1:], frame.iter_rows()):
            assert all(_same(w, g) for w, g in zip(want, got)), (item.name, got, want)


def test_table_1_in_the_workbook_is_the_marts(published_sample, rendered_sample):
    """Table 1's sheet against a direct query of marts.growth_by_sector (values, CAGR) and exports_by_sector (shares)."""
    book = openpyxl.load_workbook(rendered_sample.workbook, read_only=True)
    item = next(i for i in build_report(published_sample, "KAZ").items if i.number == "Table 1")
    rows = list(book[sheet_names((item,))[item.name]].iter_rows(min_row=HEADER_ROW, values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r)) for r in rows[1:] if r[0] is not None]
    assert {"sector", "value_1_usd", "cagr_1_pct", "share_3_pct"} <= set(header)
    with duckdb.connect(str(published_sample), read_only=True) as con:
        first, last = con.execute("SELECT min(year_start), max(year_end) FROM marts.growth_by_sector "
                                  "WHERE country = 'KAZ'").fetchone()
        start = dict(con.execute("SELECT sector, value_start_usd FROM marts.growth_by_sector WHERE country = 'KAZ' "
                                 "AND year_start = ?", [first]).fetchall())
        cagr = dict(con.execute("SELECT sector, cagr_pct FROM marts.growth_by_sector WHERE country = 'KAZ' "
                                "AND year_end = ?", [last]).fetchall())
        share = dict(con.execute("SELECT sector, share_pct FROM marts.exports_by_sector WHERE country = 'KAZ' "
                                 "AND year = ?", [last]).fetchall())
    assert len(body) == len(start) >= 5
    for row in body:
        assert _same(start[row["sector"]], row["value_1_usd"])
        assert _same(cagr[row["sector"]], row["cagr_2_pct"])
        assert _same(share.get(row["sector"], 100.0 if row["sector"] == "Total" else None), row["share_3_pct"])


def test_the_files_are_stamped_and_replaced_atomically(published_sample, tmp_path):
    files = render(published_sample, tmp_path, "KAZ", ["RUS", "CHL"])
    assert (files.html, files.workbook) == report_paths(tmp_path, "KAZ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tcd_KAZ.html", "tcd_KAZ.xlsx"]  # no temporary left
    stamp = read_stamp(files.html)
    assert stamp == {"version": files.version, "focus": "KAZ", "comparators": "RUS,CHL"}
    with duckdb.connect(str(published_sample), read_only=True) as con:
        assert files.version == con.execute("SELECT version FROM meta.publication").fetchone()[0]
    # up to date for this version and comparators; stale for another version, other comparators, a missing file
    assert stale_reason(tmp_path, "KAZ", ["RUS", "CHL"], files.version) == ""
    assert "published version is v2" in stale_reason(tmp_path, "KAZ", ["RUS", "CHL"], "v2")
    assert "comparators are now RUS" in stale_reason(tmp_path, "KAZ", ["RUS"], files.version)
    assert "tcd_CHL.html does not exist" in stale_reason(tmp_path, "CHL", ["RUS"], files.version)
    assert stale_reason(tmp_path, "KAZ", ["RUS"], None) == ""  # nothing published: nothing to render
    inode = files.html.stat().st_ino
    render(published_sample, tmp_path, "KAZ", ["RUS"])  # a new file renamed over the old one
    assert files.html.stat().st_ino != inode and read_stamp(files.html)["comparators"] == "RUS"


def test_the_cli_renders_chile_with_no_code_change(published_sample, tmp_path):
    done = subprocess.run([sys.executable, "-m", "tcd_pipeline.report", "--focus", "CHL", "--published",
                           str(published_sample), "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    html, xlsx = report_paths(tmp_path, "CHL")
    assert str(html) in done.stdout and str(xlsx) in done.stdout
    stamp = read_stamp(html)
    # the default comparators (RUS,AZE,CHL,IDN,MEX,THA,VNM) without the focus itself
    assert stamp["focus"] == "CHL" and stamp["comparators"] == "RUS,AZE,IDN,MEX,THA,VNM"
    text = html.read_text(encoding="utf-8")
    assert "Chile" in text
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert "Chile (CHL)" in book["Contents"]["A1"].value
    report = build_report(published_sample, "CHL")
    assert sum(not f.is_empty() for f in report.tables.values()) >= len(report.items) // 2  # mostly filled


def test_the_cli_says_when_there_is_no_published_file(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tcd_pipeline.report", "--published", str(tmp_path / "none.duckdb"),
                           "--out", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1 and "no published file" in done.stderr and "make run" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_asset_renders_the_run_configs_country_and_records_its_files(published_sample, tmp_path):
    defs = build_definitions(published_marts=PublishedMarts(path=str(published_sample), reports=str(tmp_path)),
                             settings=DiagnosticSettings(focus="KAZ"))
    result = defs.resolve_job_def("report_job").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        run_config={"ops": {"report__diagnostic": {"config": {"focus": "CHL", "comparators": ["MEX", "RUS"]}}}})
    assert result.success
    [event] = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    html, xlsx = report_paths(tmp_path, "CHL")
    assert metadata["html"] == dg.MetadataValue.path(str(html))
    assert metadata["workbook"] == dg.MetadataValue.path(str(xlsx))
    assert metadata["url"].value == html.resolve().as_uri()
    assert metadata["focus"].value == "CHL" and metadata["comparators"].value == "MEX, RUS"
    assert metadata["figures"].value + metadata["tables"].value + len(metadata["empty"].value) == \
        len(build_report(published_sample, "CHL").items)
    assert read_stamp(html)["comparators"] == "MEX,RUS"
    assert not report_paths(tmp_path, "KAZ")[0].exists()  # only the configured country


def test_make_run_renders_the_report_last_and_again_only_when_needed(built_sample):
    if built_sample.refresh is None:
        pytest.skip("TCD_TEST_PUBLISHED gave the published file: no refresh to look at")
    first, world = built_sample.refresh, built_sample.world
    html, xlsx = report_paths(built_sample.reports, "KAZ")
    assert first.runs[-1].job == "publish_job" and first.report_run.job == "report_job" and first.report_ok
    assert first.report_path == str(html)
    assert read_stamp(html)["version"] == first.published_version
    again = world.refresh()  # nothing changed, the report shows the published version
    assert again.runs == [] and again.report_run is None
    xlsx.unlink()  # a report file missing: the report alone is rendered again
    third = world.refresh()
    assert third.runs == [] and third.report_run.success and xlsx.exists()
    assert any("rendering the report: the report tcd_KAZ.xlsx does not exist" in m for m in world.messages)
