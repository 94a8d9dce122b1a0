"""Trade-outcome marts on the tiny hand-made world; expected values computed by hand from
tiny_world.FLOWS (v in thousand USD) and its WDI files."""

import dagster as dg
import pytest

from tcd_pipeline.defs.catalog import ALL, DECLARED


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tcd_pipeline_tests.harness import World

    world = World(tmp_path_factory.mktemp("marts"))
    report = world.refresh()
    assert report.success, report.problems
    return world


def test_trade_openness_by_hand(built):
    rows = built.query("SELECT country, year, exports_usd, imports_usd, gdp_usd, merch_trade_pct_gdp, trade_pct_gdp, "
                       "fdi_net_inflows_pct_gdp, gdp_per_capita_usd, population, openness_predicted_pct "
                       "FROM marts.trade_openness WHERE country = 'KAZ' ORDER BY year", published=True)
    # 2001: KAZ exports 1,500 (FRA) + 200.5 (USA) = 1,700.5 thousand USD; imports 3.25 from FRA;
    # GDP 22.15 bn -> (1,700,500 + 3,250) / 22.15e9 x 100 = 0.0076919...; WDI trade 90.5; no FDI file
    year, exports, imports, gdp, merch, trade, fdi, gdp_pc, population, predicted = rows[0][1:]
    assert (year, exports, imports, gdp, trade, fdi) == (2001, 1_700_500.0, 3_250.0, 22.15e9, 90.5, None)
    assert merch == pytest.approx(1_703_750 / 22.15e9 * 100, rel=1e-12)
    # WDI SP.POP.TOTL 14.86e6 for KAZ 2001, a BIGINT; this world has no GDP per capita file (NULL)
    assert (gdp_pc, population) == (None, 14_860_000) and isinstance(population, int)
    # ... so openness against income is not fitted (no regressor; and a year needs 10 countries with data)
    assert predicted is None
    # 2002: exports 1,800 (FRA) + 120 (XOA) = 1,920 thousand; imports 0.75 from AFG
    assert rows[1][1:5] == (2002, 1_920_000.0, 750.0, 24.64e9)
    # identity: world exports = world imports = clean total, every year
    assert built.query("SELECT year, sum(exports_usd) - sum(imports_usd) FROM marts.trade_openness GROUP BY 1 ORDER BY 1",
                       published=True) == [(2001, 0.0), (2002, 0.0)]
    # a country without WDI (XOA, 'Other Asia, nes') has no ratios
    assert built.query("SELECT gdp_usd, merch_trade_pct_gdp FROM marts.trade_openness WHERE country = 'XOA'",
                       published=True) == [(None, None), (None, None)]


def test_every_published_column_carries_its_definition(built):
    comments = dict(((t, c), comment) for t, c, comment in built.query(
        "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE schema_name = 'marts'", published=True))
    for mart in ALL.values():
        for column in mart.columns:
            assert comments[(mart.name, column.name)] == column.comment()
    table_comment = built.query("SELECT comment FROM duckdb_tables() WHERE table_name = 'trade_openness'", published=True)
    assert table_comment == [(ALL["trade_openness"].comment(),)]


def test_publication_stamp(built):
    (version, fingerprint), = built.query("SELECT version, input_fingerprint FROM meta.publication", published=True)
    assert version and "2001" in fingerprint and "2002" in fingerprint
    tables = dict(built.query("SELECT table_name, row_count FROM meta.published_tables", published=True))
    declared = {m.table: built.query(f"SELECT count(*) FROM {m.table}")[0][0] for m in DECLARED.values()}
    # besides the declared marts and dimensions: the report's tables, built in the publication from them
    report = {f"report.{t}": built.query(f"SELECT count(*) FROM report.{t}", published=True)[0][0]
              for (t,) in built.query("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'report'", published=True)}
    assert report and tables == {**declared, **report}


def test_sectors_regions_growth_by_hand(built):
    q = lambda sql: built.query(sql, published=True)  # noqa: E731
    # KAZ 2001: crude oil 270900 to FRA (EU) 1,500,000 USD; copper 740311 to USA 200,500 USD
    assert q("SELECT sector, value_usd, share_pct FROM marts.exports_by_sector WHERE country = 'KAZ' AND year = 2001 "
             "ORDER BY sector") == [("Metals", 200_500.0, pytest.approx(200_500 / 1_700_500 * 100)),
                                     ("Oil and gas", 1_500_000.0, pytest.approx(1_500_000 / 1_700_500 * 100))]
    # 2002: oil 1,800,000 to FRA (EU); copper 120,000 to 490 "Other Asia, nes" (XOA: rest of world)
    assert q("SELECT region, value_usd FROM marts.exports_by_region WHERE country = 'KAZ' AND year = 2002 "
             "ORDER BY region") == [("EU", 1_800_000.0), ("Rest of world", 120_000.0)]
    growth = {r[0]: r[1:] for r in q("SELECT sector, value_start_usd, value_end_usd, cagr_pct FROM marts.growth_by_sector "
                                       "WHERE country = 'KAZ' AND year_start = 2001 AND year_end = 2002")}
    assert growth["Oil and gas"] == (1_500_000.0, 1_800_000.0, pytest.approx(20.0))
    assert growth["Metals"] == (200_500.0, 120_000.0, pytest.approx((120_000 / 200_500 - 1) * 100))
    assert growth["Total"] == (1_700_500.0, 1_920_000.0, pytest.approx((1_920_000 / 1_700_500 - 1) * 100))


def test_margins_and_diversification_by_hand(built):
    q = lambda sql: built.query(sql, published=True)  # noqa: E731
    # KAZ 2001 -> 2002: oil to FRA 1,500,000 -> 1,800,000 (intensive +300,000); copper, an old product,
    # goes to XOA, a market KAZ did not serve in 2001 (+120,000); copper to USA stops (-200,500).
    margins = dict(q("SELECT component, value_usd FROM marts.export_margins WHERE country = 'KAZ'"))
    assert margins == {"intensive": 300_000.0, "new_product_old_market": 0.0, "new_product_new_market": 0.0,
                       "old_product_served_market": 0.0, "old_product_new_market": 120_000.0, "extinction": -200_500.0}
    assert sum(margins.values()) == 1_920_000.0 - 1_700_500.0
    # two products and two markets with the same shares in 2001: HHI = s1^2 + s2^2
    s1, s2 = 1_500_000 / 1_700_500, 200_500 / 1_700_500
    row = q("SELECT n_products, n_markets, hhi_products, hhi_markets, hhi_products_norm FROM marts.diversification "
            "WHERE country = 'KAZ' AND year = 2001")[0]
    assert row[:2] == (2, 2)
    assert row[2] == pytest.approx(s1**2 + s2**2) and row[3] == pytest.approx(s1**2 + s2**2)
    assert row[4] == pytest.approx((s1**2 + s2**2 - 0.5) / 0.5)
    # RCA of KAZ in crude oil, 2001: (1,500/1,700.5) / (1,510/1,713.75); world = KAZ, FRA, USA
    (rca,), = q("SELECT rca FROM marts.rca WHERE country = 'KAZ' AND year = 2001 AND hs6 = '270900'")
    assert rca == pytest.approx((1500 / 1700.5) / (1510 / 1713.75), rel=1e-12)


def test_data_dictionary_is_generated_from_the_declarations():
    from tcd_pipeline.config import REPO_ROOT
    from tcd_pipeline.defs.dictionary import render

    committed = (REPO_ROOT / "docs" / "marts.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/marts.md is stale: run python -m tcd_pipeline.defs.dictionary > docs/marts.md"
    for mart in ALL.values():
        assert f"## `{mart.table}`" in committed


def test_every_example_query_runs_on_the_published_file(built):
    for mart in ALL.values():
        built.query(mart.example, published=True)  # raises on a broken example


def test_the_materialized_column_schema_carries_the_contract(built):
    import dagster as dg

    record, = built.instance.fetch_materializations(dg.AssetKey(["marts", "diversification"]), limit=1).records
    schema = record.asset_materialization.metadata["dagster/column_schema"].value
    assert schema.constraints.other == ["unique key (country, year)", "at least 1 row(s)"]
    columns = {c.name: c.constraints for c in schema.columns}
    assert columns["hhi_products"].other == ["allowed: [0, 1]"] and columns["hhi_products"].nullable
    assert columns["n_products"].other == ["allowed: [1, inf)"]
    record, = built.instance.fetch_materializations(dg.AssetKey(["marts", "trade_openness"]), limit=1).records
    country = record.asset_materialization.metadata["dagster/column_schema"].value.columns[0]
    assert (country.name, country.constraints.nullable, country.constraints.other) == (
        "country", False, ["allowed: matches ^[A-Z]{3}$"])


def test_core_functions_return_the_declared_columns():
    # the builders hand these frames to build_mart_from_frames in the marts' vocabulary (as_mart: the core's
    # exporter is the marts' country, plus the mart's own renames), so the declared columns must all be there
    import polars as pl

    from tcd_pipeline.core.classifications import lall_shares
    from tcd_pipeline.core.complexity import eci_pci
    from tcd_pipeline.core.diversification import diversification
    from tcd_pipeline.defs.trade_outcomes.assets import DIVERSIFICATION_NAMES, as_mart
    from tcd_pipeline.sources.reference_tables import read_hs92_sitc2, read_lall2000

    flows = pl.DataFrame({"year": [2000] * 4, "exporter": ["A", "A", "B", "C"], "importer": ["M", "N", "M", "M"],
                          "hs6": ["270900", "870323", "270900", "300490"], "value_usd": [6.0, 4.0, 5.0, 1.0]})
    declared = {name: [c.name for c in ALL[name].columns] for name in ("diversification", "lall_shares", "eci")}
    assert set(declared["diversification"]) <= set(as_mart(diversification(flows), DIVERSIFICATION_NAMES).columns)
    assert as_mart(lall_shares(flows, read_hs92_sitc2(), read_lall2000())).columns == declared["lall_shares"]
    assert sorted(as_mart(eci_pci(flows)[0]).columns) == sorted(declared["eci"])


def test_the_preview_in_the_ui_shows_the_focus_country_first(built):
    record = built.instance.fetch_materializations(dg.AssetKey(["marts", "diversification"]), limit=1).records[0]
    preview = record.asset_materialization.metadata["preview"].value.splitlines()
    header = [c.strip() for c in preview[0].strip("|").split("|")]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in preview[2:]]
    # the focus (settings.focus, KAZ) first, latest year first, although other countries sort before it
    assert [(r[header.index("country")], r[header.index("year")]) for r in rows[:2]] == [("KAZ", "2002"), ("KAZ", "2001")]
    assert built.query("SELECT min(country) FROM marts.diversification")[0][0] < "KAZ"


def test_services_growth_by_hand_has_no_double_counted_total(built):
    # tiny_world.SERVICES: KAZ exports S (all services) 1,200.5 -> 1,440.6 million USD, SC (transport)
    # 800.25 -> 960.3 from 2001 to 2002; 'S' is the total itself, so no 'Total' row may add S to SC
    # (it would say 2,000.75 -> 2,400.9 million: services counted twice)
    rows = built.query("SELECT category, value_start_usd, value_end_usd, cagr_pct FROM marts.services_growth "
                       "WHERE country = 'KAZ' AND year_start = 2001 AND year_end = 2002 ORDER BY category",
                       published=True)
    assert rows == [("S", pytest.approx(1_200.5e6), pytest.approx(1_440.6e6), pytest.approx((1_440.6 / 1_200.5 - 1) * 100)),
                    ("SC", pytest.approx(800.25e6), pytest.approx(960.3e6), pytest.approx((960.3 / 800.25 - 1) * 100))]


def test_openness_against_income_on_the_sample_equals_lstsq(published_sample):
    """marts.trade_openness's fit, recomputed from the mart's own columns with numpy.linalg.lstsq (SVD, not
    the normal equations core/openness.py solves) for every year: same predictions, residuals summing to 0."""
    import duckdb
    import numpy as np

    with duckdb.connect(str(published_sample), read_only=True) as con:
        frame = con.execute("SELECT * FROM marts.trade_openness ORDER BY year, country").pl()
    assert frame["openness_fit_countries"].null_count() == 0  # every sample year has >= 10 countries with data
    for (year,), rows in frame.group_by(["year"]):
        fit = rows.filter(rows["trade_pct_gdp"].is_not_null() & (rows["gdp_per_capita_usd"] > 0) & (rows["population"] > 0))
        X = np.column_stack([np.ones(fit.height), np.log(fit["gdp_per_capita_usd"]), np.log(fit["population"].cast(float))])
        b, *_ = np.linalg.lstsq(X, fit["trade_pct_gdp"].to_numpy(), rcond=None)
        assert fit.height == rows["openness_fit_countries"][0] >= 10, year
        assert np.allclose(fit["openness_predicted_pct"], X @ b, rtol=1e-9, atol=1e-7), year
        assert abs(fit["openness_residual_pp"].sum()) < 1e-6, year
        assert fit["openness_percentile"].min() == 0 and fit["openness_percentile"].max() == 100
