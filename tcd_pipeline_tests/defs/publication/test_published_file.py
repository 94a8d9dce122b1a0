"""The published file as a BI tool sees it: dimensions, meta.settings, meta.inputs, read through SQLAlchemy.

Built from the tiny world (tiny_world.py) with its WDI country metadata files; expected values by hand
from its files and the reference tables they are mapped with (cited at each assertion).
"""

import pytest
import sqlalchemy as sa

from tcd_pipeline.defs.catalog import ALL, DECLARED
from tcd_pipeline.defs.publication.dimensions import coded_columns
from tcd_pipeline.defs.publication.meta import META
from tcd_pipeline.sources import SourceFile
from tcd_pipeline_tests.tiny_world import METADATA_FILES, write_tiny_world

SCHEMAS = ("marts", "dim", "meta")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tcd_pipeline_tests.harness import World

    root = tmp_path_factory.mktemp("published")
    world = World(root, inputs=write_tiny_world(root / "inputs", gdp_per_capita=True, country_metadata=True))
    report = world.refresh()
    assert report.success, report.problems
    return world


@pytest.fixture
def engine(built):
    """A read-only engine, disposed after each test (DuckDB refuses a second connection to the same file with
    another configuration while one is open)."""
    engine = sa.create_engine(f"duckdb:///{built.published}", connect_args={"read_only": True})
    yield engine
    engine.dispose()


def test_sqlalchemy_lists_every_table_column_and_comment_as_declared(engine):
    """What a BI tool's schema browser shows: schemas, tables, columns, comments, through SQLAlchemy's
    inspector (duckdb_engine 0.17 reflects columns with SQLAlchemy 2.0; 2.1's PostgreSQL column query reads
    pg_catalog.pg_collation, which DuckDB does not have, hence the pin sqlalchemy<2.1 in pyproject.toml)."""
    inspector = sa.inspect(engine)
    schemas = inspector.get_schema_names()  # duckdb_engine names them catalog.schema
    assert {f"tcd.{s}" for s in (*SCHEMAS, "report")} <= set(schemas)
    listing = {}
    for schema in (*SCHEMAS, "report"):
        for table in inspector.get_table_names(schema=schema):
            comment = inspector.get_table_comment(table, schema=schema)["text"]
            columns = [(c["name"], c["comment"]) for c in inspector.get_columns(table, schema=schema)]
            listing[f"{schema}.{table}"] = (comment, columns)
    for table, (comment, columns) in sorted(listing.items()):
        print(table, "|", comment)
        for name, text in columns:
            print("   ", name, "|", text)
    declared = {**{t: m for t, m in DECLARED.items()}, **{m.table: m for m in META}}
    assert sorted(t for t in listing if not t.startswith("report.")) == sorted(declared)
    for table, (comment, columns) in listing.items():
        assert comment, f"{table}: no table comment"
        assert all(text for _, text in columns), f"{table}: a column without comment"
        if table in declared:
            assert comment == declared[table].comment(), table
            assert columns == [(c.name, c.comment()) for c in declared[table].columns], table
    assert len([t for t in listing if t.startswith("dim.")]) == 6 and len(declared) == len(ALL) + 6 + 4
    # the report's tables: each names its figure or table and the marts it reads
    report = {t: c for t, (c, _) in listing.items() if t.startswith("report.")}
    assert report and all(" source: " in c and "marts." in c for c in report.values())


def test_every_country_code_of_the_marts_is_a_named_row_of_dim_countries(built):
    """Columns found by their declared unit ISO3 (whatever they are called)."""
    codes = set()
    for table, column in coded_columns("ISO3"):
        codes |= {c for (c,) in built.query(f'SELECT DISTINCT "{column}" FROM {table} WHERE "{column}" IS NOT NULL',
                                            published=True)}
    assert {"KAZ", "FRA", "USA", "XOA"} <= codes
    countries = dict(built.query("SELECT country, country_name FROM dim.countries", published=True))
    assert codes <= set(countries) and all(countries[c] for c in codes)


def test_dim_countries_by_hand(built):
    # the BACI list (tiny_world.COUNTRIES, 490 -> XOA by country_iso3_overrides.csv) with the metadata's region
    # and income group (tiny_world.COUNTRY_METADATA: the World Bank's of June 2025); XOA is no WDI economy
    assert built.query("SELECT * FROM dim.countries ORDER BY country", published=True) == [
        ("AFG", "Afghanistan", "South Asia", "Low income"),
        ("FRA", "France", "Europe & Central Asia", "High income"),
        ("KAZ", "Kazakhstan", "Europe & Central Asia", "Upper middle income"),
        ("USA", "USA", "North America", "High income"),  # BACI's name wins over the metadata's "United States"
        ("XOA", "Other Asia, nes", None, None),
    ]


def test_dim_country_groups_by_hand(built):
    # regions_by_year.csv: FRA EU since 1958; KAZ CIS since 1991, EEU only from 2010 (customs union); USA; others RoW
    rows = built.query("SELECT country, year, destination_group FROM dim.country_groups ORDER BY ALL", published=True)
    assert rows == [(c, y, g) for c, g in (("AFG", "Rest of world"), ("FRA", "EU"), ("KAZ", "CIS"),
                                           ("USA", "USA"), ("XOA", "Rest of world")) for y in (2001, 2002)]


def test_dim_products_by_hand(built):
    # sections: hs_sections.csv (I: 01-05, V: 25-27, XV: 72-83); sectors: report_sectors_hs.csv chapters 01, 27, 74;
    # Lall: hs92_sitc2.csv 270900 -> 33300 (group 333, PP), 740311 -> 68212 (682, PP); 010110 is not an HS92
    # code of the concordance (HS92 splits it into 010111/010119), so UNC as in marts.lall_shares
    assert built.query("SELECT hs6, hs2, hs4, hs_section, sector, lall_class FROM dim.products ORDER BY hs6",
                       published=True) == [
        ("010110", "01", "0101", "I", "Foodstuffs", "UNC"),
        ("270900", "27", "2709", "V", "Oil and gas", "PP"),
        ("740311", "74", "7403", "XV", "Metals", "PP"),
    ]
    assert built.query("SELECT hs_section_name FROM dim.products WHERE hs6 = '740311'", published=True) == [
        ("Base metals and articles of base metal",)]


def test_display_orders(built):
    assert built.query("SELECT sector FROM dim.sectors WHERE classification = 'goods' ORDER BY display_order",
                       published=True) == [(s,) for s in (
                           "Foodstuffs", "Vegetable", "Cereals", "Minerals", "Oil and gas", "Metals", "Other")]
    assert built.query("SELECT sector FROM dim.sectors WHERE classification = 'tiva' ORDER BY display_order",
                       published=True) == [(s,) for s in (
                           "Agriculture", "Mining", "Manufacturing", "Utilities and construction", "Services")]
    assert built.query("SELECT region FROM dim.regions ORDER BY display_order", published=True) == [
        (r,) for r in ("EU", "China", "EEU", "CIS", "ASEAN", "USA", "Rest of world")]
    # every region label of the marts has its place
    labels = {r for (r,) in built.query("SELECT DISTINCT region FROM marts.exports_by_region", published=True)}
    assert labels and labels <= {r for (r,) in built.query("SELECT region FROM dim.regions", published=True)}


def test_dim_tiva_industries_are_the_tables_classification(built):
    # the tiny ICIO uses B05_06 (mining) and C10T12 (food); the dimension lists the whole OECD ICIO classification
    rows = dict(built.query("SELECT industry, sector FROM dim.tiva_industries", published=True))
    assert rows["B05_06"] == "Mining" and rows["C10T12"] == "Manufacturing"
    assert built.query("SELECT DISTINCT classification FROM dim.tiva_industries", published=True) == [("oecd_icio",)]
    used = {i for (i,) in built.query("SELECT DISTINCT industry FROM marts.tiva_indicators", published=True)}
    assert used and used <= set(rows)


def test_meta_settings_hold_the_values_the_marts_were_built_with(built):
    rows = {r[0]: r[1:] for r in built.query("SELECT * FROM meta.settings", published=True)}
    # the harness sets growth_periods 2001-2002; the rest are defaults
    assert rows["settings.growth_periods"][:3] == ("TCD_GROWTH_PERIODS", "2001-2002", "2000-2012,2012-2018")
    assert rows["settings.focus"][:3] == ("TCD_FOCUS", "KAZ", "KAZ")
    assert rows["settings.margin_periods"][1] == "auto"
    assert rows["settings.min_initial_value_usd"][1] == "0"
    assert rows["raw_inputs.hs_vintage"][1] == "92" and rows["raw_inputs.io_tables"][1] == "auto"
    # conventions recorded by the builds (spells.builds, tiva.tables)
    assert rows["spells.bilateral.first_year"][1] == "2001" and rows["spells.bilateral.last_year"][1] == "2002"
    assert rows["tiva.output_convention"][1] == "published" and rows["tiva.years"][1] == "2001, 2002"
    assert rows["tiva.family"][1] == "icio" and rows["tiva.output_convention"][0] is None
    assert all(r[3] for r in rows.values())  # every row is described


def test_meta_inputs_list_every_file_with_its_fingerprint(built):
    rows = built.query("SELECT asset, partition, source_file, fingerprint FROM meta.inputs", published=True)
    by_file = {r[2]: r for r in rows}
    inputs = built.inputs
    for year in (2001, 2002):
        path = inputs / "baci" / f"BACI_HS92_Y{year}_V202401b.csv"
        assert by_file[str(path)] == ("raw/baci_flows", str(year), str(path), SourceFile(path).fingerprint())
    for name in METADATA_FILES:  # both were read (one used, one found identical)
        assert by_file[str(inputs / name)][:2] == ("raw/wdi", "")
        assert by_file[str(inputs / name)][3] == SourceFile(inputs / name).fingerprint()
    assert len(rows) == len(by_file)  # one row per file


def test_without_metadata_the_columns_are_null_and_the_file_is_named(tmp_path):
    from tcd_pipeline_tests.harness import World

    world = World(tmp_path)
    report = world.refresh()
    assert report.success, report.problems
    assert world.query("SELECT count(*), count(wb_region), count(income_group) FROM dim.countries",
                       published=True) == [(5, 0, 0)]
    assert any("Metadata_Country_API_" in m and "dim.countries" in m for m in world.messages)


def test_the_coverage_check_names_a_mart_code_missing_from_dim_countries(built):
    """The gate's SQL check on the warehouse: empty as built; a code the marts hold and dim.countries does not
    (added here to the codes collected from the marts) comes back with its table and column."""
    import duckdb

    from tcd_pipeline.defs.publication.dimensions import _codes_in_marts
    from tcd_pipeline.warehouse.sql import load_sql

    check = load_sql("publication/checks/dim_countries_cover_marts")
    with duckdb.connect(str(built.warehouse), read_only=True) as con:
        assert _codes_in_marts(con, "mart_country_codes", "ISO3") == 5  # AFG FRA KAZ USA XOA
        assert con.execute(check).fetchall() == []
        con.execute("INSERT INTO mart_country_codes VALUES ('marts.rca', 'exporter', 'ZZZ')")
        assert con.execute(check).fetchall() == [("marts.rca", "exporter", "ZZZ")]
