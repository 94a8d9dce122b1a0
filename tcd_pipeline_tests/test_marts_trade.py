"""Trade-outcome marts on the tiny hand-made world; expected values computed by hand from
tiny_world.FLOWS (v in thousand USD) and its WDI files."""

import pytest

from tcd_pipeline.marts import ALL


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tcd_pipeline_tests.harness import World

    world = World(tmp_path_factory.mktemp("marts"))
    report = world.refresh()
    assert report.success, report.problems
    return world


def test_trade_openness_by_hand(built):
    rows = built.query("SELECT * FROM marts.trade_openness WHERE country = 'KAZ' ORDER BY year", published=True)
    # 2001: KAZ exports 1,500 (FRA) + 200.5 (USA) = 1,700.5 thousand USD; imports 3.25 from FRA;
    # GDP 22.15 bn -> (1,700,500 + 3,250) / 22.15e9 x 100 = 0.0076919...; WDI trade 90.5; no FDI file
    year, exports, imports, gdp, merch, trade, fdi = rows[0][1:]
    assert (year, exports, imports, gdp, trade, fdi) == (2001, 1_700_500.0, 3_250.0, 22.15e9, 90.5, None)
    assert merch == pytest.approx(1_703_750 / 22.15e9 * 100, rel=1e-12)
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
    tables = built.query("SELECT table_name, row_count FROM meta.published_tables ORDER BY 1", published=True)
    assert tables == [("marts.trade_openness", built.query("SELECT count(*) FROM marts.trade_openness")[0][0])]


def test_data_dictionary_is_generated_from_the_declarations():
    from tcd_pipeline.marts.dictionary import render
    from tcd_pipeline.paths import REPO_ROOT

    committed = (REPO_ROOT / "docs" / "marts.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/marts.md is stale: run python -m tcd_pipeline.marts.dictionary > docs/marts.md"
    for mart in ALL.values():
        assert f"## `{mart.table}`" in committed


def test_every_example_query_runs_on_the_published_file(built):
    for mart in ALL.values():
        built.query(mart.example, published=True)  # raises on a broken example
