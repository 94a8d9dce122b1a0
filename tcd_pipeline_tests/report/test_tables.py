"""The report tables against the marts they read, on the published sample (``published_sample``).

Tables 1, 2 and 4 are recomputed here from the level marts with direct queries (values of the years, shares,
CAGR = (v_end / v_start)^(1 / years) - 1), independently of the growth marts the report reads; Table 3 from
``marts.services_exports`` the same way.
"""

import shutil

import duckdb
import polars as pl
import pytest

from tcd_pipeline.report.spec import ITEMS
from tcd_pipeline.report.tables import materialize, report_tables

COMPARATORS = ["RUS", "AZE", "CHL", "IDN", "MEX", "THA", "VNM"]


@pytest.fixture(scope="module")
def con(published_sample):
    con = duckdb.connect(str(published_sample), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def kaz(con):
    return report_tables(con, "KAZ", COMPARATORS)


def _cagr(v0: float, v1: float, years: int) -> float:
    return ((v1 / v0) ** (1 / years) - 1) * 100


def test_every_item_has_rows_on_the_sample(kaz):
    assert set(kaz.tables) == {i.name for i in ITEMS}
    empty = [name for name, frame in kaz.tables.items() if frame.is_empty()]
    assert empty == [], kaz.notes
    assert kaz.names["KAZ"] and kaz.version


@pytest.mark.parametrize(("item", "key", "level"), [
    ("table1_exports_by_sector", "sector", "exports_by_sector"),
    ("table2_exports_by_region", "region", "exports_by_region"),
])
def test_tables_1_2_equal_the_level_marts(con, kaz, item, key, level):
    table = kaz.tables[item]
    y1, y2, y3 = table.row(0, named=True)["year_1"], table.row(0, named=True)["year_2"], table.row(0, named=True)["year_3"]
    levels = con.execute(f"SELECT {key}, year, value_usd, share_pct FROM marts.{level} WHERE country = 'KAZ'"
                         " AND year IN (?, ?, ?)", [y1, y2, y3]).pl()
    by = {(r[key], r["year"]): r for r in levels.iter_rows(named=True)}
    totals = levels.group_by("year").agg(pl.col("value_usd").sum())
    total = dict(zip(totals["year"].to_list(), totals["value_usd"].to_list(), strict=True))
    checked = 0
    for row in table.iter_rows(named=True):
        for k, year in ((1, y1), (2, y2), (3, y3)):
            if row[key] == "Total":
                want_value, want_share = total[year], 100.0
            elif (row[key], year) in by:
                want_value, want_share = by[(row[key], year)]["value_usd"], by[(row[key], year)]["share_pct"]
            else:
                assert row[f"value_{k}_usd"] is None
                continue
            assert row[f"value_{k}_usd"] == pytest.approx(want_value, rel=1e-12)
            assert row[f"share_{k}_pct"] == pytest.approx(want_share, rel=1e-12)
            checked += 1
        if row["value_1_usd"] and row["value_2_usd"]:
            assert row["cagr_1_pct"] == pytest.approx(_cagr(row["value_1_usd"], row["value_2_usd"], y2 - y1), rel=1e-9)
        if row["value_2_usd"] and row["value_3_usd"]:
            assert row["cagr_2_pct"] == pytest.approx(_cagr(row["value_2_usd"], row["value_3_usd"], y3 - y2), rel=1e-9)
    assert checked >= 3 * (table.height - 1)
    assert table["display_order"].to_list() == sorted(table["display_order"].to_list())
    assert table[key][-1] == "Total"


def test_table3_equals_services_exports(con, kaz):
    table = kaz.tables["table3_services_exports"]
    first = table.row(0, named=True)
    years = (first["year_1"], first["year_2"], first["year_3"])
    level = con.execute("SELECT category, year, value_usd, share_pct FROM marts.services_exports"
                        " WHERE country = 'KAZ' AND year IN (?, ?, ?)", list(years)).pl()
    by = {(r["category"], r["year"]): r for r in level.iter_rows(named=True)}
    for row in table.iter_rows(named=True):
        for k, year in enumerate(years, start=1):
            if (row["category"], year) in by:
                assert row[f"value_{k}_usd"] == pytest.approx(by[(row["category"], year)]["value_usd"], rel=1e-12)
                assert row[f"share_{k}_pct"] == pytest.approx(by[(row["category"], year)]["share_pct"], rel=1e-12)
    # the last row is all services (EBOPS 'S') at 100% and 'Total' (S plus its own components) is left out
    assert table["category"][-1] == "S" and table["share_3_pct"][-1] == 100.0
    assert "Total" not in table["category"].to_list()


def test_table4_equals_dva_growth_and_adds_up(con, kaz):
    table = kaz.tables["table4_dva_growth"]
    mart = con.execute("SELECT * FROM marts.dva_growth WHERE country = 'KAZ'").pl()
    sectors = table.filter(pl.col("sector") != "Total")
    assert sorted(sectors["sector"].to_list()) == sorted(mart["sector"].to_list())
    joined = sectors.join(mart, on="sector", suffix="_mart")
    for col in ("value_start_usd", "value_end_usd", "share_start_pct", "share_end_pct", "cagr_pct", "contribution_pct"):
        assert joined[col].to_list() == pytest.approx(joined[f"{col}_mart"].to_list(), rel=1e-12)
    total = table.filter(pl.col("sector") == "Total").row(0, named=True)
    # identities: the sectors sum to the total, shares to 100, the total CAGR from the two totals
    assert sectors["value_start_usd"].sum() == pytest.approx(total["value_start_usd"], rel=1e-9)
    assert sectors["value_end_usd"].sum() == pytest.approx(total["value_end_usd"], rel=1e-9)
    assert sectors["share_end_pct"].sum() == pytest.approx(100.0, rel=1e-9)
    assert sectors["contribution_pct"].sum() == pytest.approx(100.0, rel=1e-9)
    growth = (total["value_end_usd"] / total["value_start_usd"] - 1) * 100
    assert sectors["contribution_pp"].sum() == pytest.approx(growth, rel=1e-9) == total["contribution_pp"]
    years = total["year_end"] - total["year_start"]
    assert total["cagr_pct"] == pytest.approx(_cagr(total["value_start_usd"], total["value_end_usd"], years), rel=1e-9)


def test_figures_read_the_marts(con, kaz):
    fig = kaz.tables["fig01_trade_openness"]
    assert fig["country"].unique(maintain_order=True).to_list()[0] == "KAZ"
    assert fig.filter(pl.col("role") == "focus")["country"].unique().to_list() == ["KAZ"]
    mart = con.execute("SELECT year, trade_pct_gdp FROM marts.trade_openness WHERE country = 'KAZ' "
                       "AND trade_pct_gdp IS NOT NULL ORDER BY year").pl()
    mine = fig.filter(pl.col("country") == "KAZ").sort("year")
    assert mine["trade_pct_gdp"].to_list() == mart["trade_pct_gdp"].to_list()
    # the margins of the widest period sum to 100% of the change for every country
    margins = kaz.tables["fig06_export_margins"].group_by("country").agg(pl.col("share_of_growth_pct").sum())
    assert margins["share_of_growth_pct"].to_list() == pytest.approx([100.0] * margins.height, rel=1e-9)
    # partners' shares: top eight plus the rest make 100% in each year
    for name in ("fig20_dva_by_destination", "fig21_fva_by_source"):
        sums = kaz.tables[name].group_by("year").agg(pl.col("share_pct").sum())
        assert sums["share_pct"].to_list() == pytest.approx([100.0] * sums.height, rel=1e-9)


def test_another_focus_with_no_code_change(con):
    chl = report_tables(con, "CHL", ["KAZ", "MEX"])
    assert chl.focus == "CHL" and chl.comparators == ("KAZ", "MEX")
    assert not chl.tables["table1_exports_by_sector"].is_empty()
    assert chl.tables["fig01_trade_openness"].filter(pl.col("role") == "focus")["country"].unique().to_list() == ["CHL"]
    assert chl.findings["orientation"] and "Chile" in chl.findings["orientation"][0]


def test_materialize_into_a_copy_with_comments(published_sample, tmp_path, kaz):
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(published_sample, copy)
    with duckdb.connect(str(copy)) as con:
        rows = materialize(con, "KAZ", COMPARATORS)
        assert rows == {name: frame.height for name, frame in kaz.tables.items()}
        stored = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'report'").fetchall())
        assert set(stored) == set(rows)
        assert "Table 1: Exports by sector (KAZ against RUS" in stored["table1_exports_by_sector"]
        assert "marts.growth_by_sector" in stored["table1_exports_by_sector"]
        blank = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'report' "
                            "AND (comment IS NULL OR comment = '')").fetchall()
        assert blank == []  # every column of every report table says what it holds
        got = con.execute("SELECT * FROM report.table4_dva_growth").pl()
        assert got.equals(kaz.tables["table4_dva_growth"])


def test_missing_inputs_give_empty_items_with_a_note(published_sample, tmp_path):
    copy = tmp_path / "no_tiva.duckdb"
    shutil.copyfile(published_sample, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DROP TABLE marts.dva_growth")
        con.execute("DELETE FROM marts.services_growth WHERE country = 'KAZ'")
        report = report_tables(con, "KAZ", ["RUS"])
    assert report.tables["table4_dva_growth"].is_empty()
    assert "marts.dva_growth" in report.notes["table4_dva_growth"]
    assert "ICIO" in report.notes["table4_dva_growth"]
    assert report.tables["table3_services_exports"].is_empty()  # no rows for the focus
    assert "services" in report.notes["table3_services_exports"].lower()
    assert not report.tables["table1_exports_by_sector"].is_empty()


def test_a_file_without_dimensions_reads_through_stand_ins(published_sample, tmp_path):
    copy = tmp_path / "no_dim.duckdb"
    shutil.copyfile(published_sample, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DROP SCHEMA IF EXISTS dim CASCADE")
    with duckdb.connect(str(copy), read_only=True) as con:
        report = report_tables(con, "KAZ", ["RUS", "XXX"])
        assert [d for (d,) in con.execute("SELECT database_name FROM duckdb_databases() WHERE NOT internal").fetchall()] == ["no_dim"]
    assert "dim.countries" in report.notes["_dimensions"]
    assert report.notes["_countries"] == "No trade data in this published file for: XXX."
    fig = report.tables["fig01_trade_openness"]
    assert fig.filter(pl.col("country") == "KAZ")["country_name"].unique().to_list() == ["KAZ"]  # code for name
    assert not report.tables["table1_exports_by_sector"].is_empty()


def test_a_file_with_other_column_names_gives_notes_not_a_failure(published_sample, tmp_path):
    copy = tmp_path / "old_names.duckdb"
    shutil.copyfile(published_sample, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("ALTER TABLE marts.expy RENAME COLUMN expy_usd TO expy")
    with duckdb.connect(str(copy), read_only=True) as con:
        report = report_tables(con, "KAZ", ["RUS"])
    assert report.tables["fig09_expy"].is_empty()
    assert "expy_usd" in report.notes["fig09_expy"] and "republish" in report.notes["fig09_expy"]
    assert not report.tables["fig10_eci"].is_empty()


def test_materialize_stops_naming_the_statement_that_does_not_run(published_sample, tmp_path):
    """The publication builds the report's tables strictly: a statement that no longer matches the marts
    (here a renamed column) is a named error, never a missing report table with exit code 0."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(published_sample, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("ALTER TABLE marts.expy RENAME COLUMN expy_usd TO expy")
        with pytest.raises(RuntimeError, match=r"report table fig09_expy \(Figure 9\), sql/report/fig09_expy.sql"):
            materialize(con, "KAZ", COMPARATORS)
        # reading such a file for a report (not publishing it) still renders, with a note
        report = report_tables(con, "KAZ", COMPARATORS)
        assert report.tables["fig09_expy"].is_empty() and "republish" in report.notes["fig09_expy"]
