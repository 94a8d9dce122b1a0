"""Export spells (METHODS.md section 4; Besedes and Prusa 2006): hand-built cases with the expected
spells written out, the concordance case, and the DuckDB statements (sql/survival/spells/) against
the polars reference construction (tcd_pipeline_tests/reference/spells_polars.py) on the sample world.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from tcd_pipeline.defs.survival.spells import (
    GROUP_TYPES,
    bilateral_covers,
    build_spells,
    build_survival_counts,
    exporter_ranges,
    spells_table,
    survival_counts,
)
from tcd_pipeline.sample import generate_sample
from tcd_pipeline_tests.reference.spell_counts import read_spells, spell_counts, with_period
from tcd_pipeline_tests.reference.spells_polars import (
    apply_concordance,
    assert_same_spells,
    export_spells,
    product_spells,
)

PANEL = (2000, 2009)
COLS = ["exporter", "hs6", "importer", "first_year", "last_year", "duration", "event", "left_censored", "initial_value"]


def flows(rows: list[tuple]) -> pl.DataFrame:
    """(exporter, hs6, importer, year, value_usd) rows -> a clean.flows-like frame."""
    return pl.DataFrame(rows, schema={"exporter": pl.String, "hs6": pl.String, "importer": pl.String,
                                      "year": pl.Int16, "value_usd": pl.Float64}, orient="row")


def pair_years(exporter, hs6, importer, years_values: dict[int, float]) -> list[tuple]:
    return [(exporter, hs6, importer, y, v) for y, v in years_values.items()]


def rows(frame: pl.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.select(COLS).iter_rows()]


# One panel 2000-2009. Pair 1 (KAZ 270900 CHN): 2000-2001 | 2003-2005 | 2009 -> a left-censored
# spell, an observed 3-year spell, a right-censored 1-year spell. Pair 2 (KAZ 720241 RUS): one
# year only (2004), a zero in 2005 and 2006 (zeros are not exports), again 2007. Pair 3
# (UZB 520100 RUS): 2002-2003, gap 2004, 2005, gaps 2006-2007, 2008 (the gap-rule case).
# Pair 4 (UZB 080810 KAZ): every year 2000-2009 (left- and right-censored).
CASE = flows(
    pair_years("KAZ", "270900", "CHN", {2000: 5e6, 2001: 6e6, 2003: 1e6, 2004: 2e6, 2005: 3e6, 2009: 4e5})
    + pair_years("KAZ", "720241", "RUS", {2004: 2e3, 2005: 0.0, 2006: 0.0, 2007: 9e3})
    + pair_years("UZB", "520100", "RUS", {2002: 7e3, 2003: 8e3, 2005: 1e4, 2008: 2e4})
    + pair_years("UZB", "080810", "KAZ", {y: 1e5 for y in range(2000, 2010)})
)


def test_spells_default_rule_excludes_but_flags_left_censored():
    got = export_spells(CASE)
    assert rows(got) == [
        ("KAZ", "270900", "CHN", 2003, 2005, 3, 1, False, 1e6),
        ("KAZ", "270900", "CHN", 2009, 2009, 1, 0, False, 4e5),   # active in the last year: censored
        ("KAZ", "720241", "RUS", 2004, 2004, 1, 1, False, 2e3),   # one-year spell; zeros end it
        ("KAZ", "720241", "RUS", 2007, 2007, 1, 1, False, 9e3),   # re-entry after a two-year gap
        ("UZB", "520100", "RUS", 2002, 2003, 2, 1, False, 7e3),
        ("UZB", "520100", "RUS", 2005, 2005, 1, 1, False, 1e4),
        ("UZB", "520100", "RUS", 2008, 2008, 1, 1, False, 2e4),
    ]
    assert got.schema["duration"] == pl.Int16 and got.schema["event"] == pl.Int8
    with_left = export_spells(CASE, include_left_censored=True)
    assert rows(with_left.filter(pl.col("left_censored"))) == [
        ("KAZ", "270900", "CHN", 2000, 2001, 2, 1, True, 5e6),
        ("UZB", "080810", "KAZ", 2000, 2009, 10, 0, True, 1e5),  # censored at both ends
    ]
    assert with_left.height == got.height + 2


def test_spells_merge_one_year_gaps_counts_the_gap_year_and_widens_censoring():
    got = export_spells(CASE, gap="merge_one_year_gaps", include_left_censored=True)
    assert rows(got) == [
        # 2000-2001 and 2003-2005 are one year apart: one spell of 6 years (gap year 2002 counts)
        ("KAZ", "270900", "CHN", 2000, 2005, 6, 1, True, 5e6),
        ("KAZ", "270900", "CHN", 2009, 2009, 1, 0, False, 4e5),
        ("KAZ", "720241", "RUS", 2004, 2004, 1, 1, False, 2e3),   # two missing years: not merged
        ("KAZ", "720241", "RUS", 2007, 2007, 1, 1, False, 9e3),
        ("UZB", "080810", "KAZ", 2000, 2009, 10, 0, True, 1e5),
        ("UZB", "520100", "RUS", 2002, 2005, 4, 1, False, 7e3),   # 2002-2003 + 2005, first value 2002
        # ends in 2008 = last year - 1: exports in 2010 would merge with it, so the exit is unknown
        ("UZB", "520100", "RUS", 2008, 2008, 1, 0, False, 2e4),
    ]
    # a spell starting in the panel's second year may continue unseen exports of the year before it
    second = flows(pair_years("KAZ", "100190", "CHN", {2001: 1.0, 2002: 1.0, 2006: 1.0}))
    merged = export_spells(second, gap="merge_one_year_gaps", first_year=2000, last_year=2009,
                           include_left_censored=True)
    assert merged["left_censored"].to_list() == [True, False]


def test_min_initial_value_drops_spells_by_their_first_year_value():
    got = export_spells(CASE, min_initial_value=9e3)
    assert [(r[1], r[3]) for r in rows(got)] == [
        ("270900", 2003), ("270900", 2009), ("720241", 2007), ("520100", 2005), ("520100", 2008),
    ]
    # with the gap merge the merged spell starts in 2002 at 7,000 USD: dropped as a whole
    merged = export_spells(CASE, gap="merge_one_year_gaps", min_initial_value=9e3)
    assert ("UZB", "520100", "RUS", 2002, 2005, 4, 1, False, 7e3) not in rows(merged)
    assert [(r[1], r[3]) for r in rows(merged)] == [("270900", 2009), ("720241", 2007), ("520100", 2008)]


def test_panel_years_are_parameters_for_countries_absent_in_some_years():
    # only KAZ's rows, which end in 2007 for pair 2: by default the panel ends in KAZ's last
    # year (2009 here, from pair 1); a panel that ends in 2007 censors the 2007 spell instead
    kaz = CASE.filter(pl.col("exporter") == "KAZ")
    assert export_spells(kaz).filter(pl.col("first_year") == 2007)["event"].to_list() == [1]
    cut = export_spells(kaz, last_year=2007)
    assert rows(cut) == [
        ("KAZ", "270900", "CHN", 2003, 2005, 3, 1, False, 1e6),
        ("KAZ", "720241", "RUS", 2004, 2004, 1, 1, False, 2e3),
        ("KAZ", "720241", "RUS", 2007, 2007, 1, 0, False, 9e3),
    ]
    # a later first year makes 2003-2005 left-censored (rows before the panel are ignored)
    late = export_spells(kaz, first_year=2003, include_left_censored=True)
    assert rows(late)[0] == ("KAZ", "270900", "CHN", 2003, 2005, 3, 1, True, 1e6)
    with pytest.raises(ValueError, match="empty panel"):
        export_spells(kaz, first_year=2008, last_year=2005)
    with pytest.raises(ValueError, match="gap rule"):
        export_spells(kaz, gap="merge_two_year_gaps")


def test_product_level_spells_sum_destinations_first():
    # KAZ 740311 goes to CHN in 2001-2002 and 2005, to RUS in 2003-2004 and 2007: bilateral
    # spells all end, but to the world the product is exported 2001-2005 without a break
    world = flows(
        pair_years("KAZ", "740311", "CHN", {2001: 3e6, 2002: 1e6, 2005: 2e6})
        + pair_years("KAZ", "740311", "RUS", {2001: 1e6, 2003: 5e5, 2004: 5e5, 2007: 1e5})
        + pair_years("KAZ", "270900", "CHN", {2000: 1.0, 2009: 1.0})  # sets the panel to 2000-2009
    )
    assert export_spells(world).filter(pl.col("hs6") == "740311").height == 5
    got = product_spells(world)
    assert got.columns == ["exporter", "hs6", *COLS[3:]]
    assert [tuple(r) for r in got.iter_rows()] == [
        ("KAZ", "270900", 2009, 2009, 1, 0, False, 1.0),
        ("KAZ", "740311", 2001, 2005, 5, 1, False, 4e6),  # initial value: 3e6 + 1e6 in 2001
        ("KAZ", "740311", 2007, 2007, 1, 1, False, 1e5),
    ]
    # data without destinations: exporter x HS6 rows go in as they are
    no_dest = world.group_by("exporter", "hs6", "year").agg(pl.col("value_usd").sum())
    assert_same_spells(product_spells(no_dest), got)


def test_concordance_removes_the_false_exit_and_entry_of_a_renamed_code():
    # HS6 847180 of the old vintage is 847150 in the panel's vintage from 2003 on; 847190 and
    # 847180 were merged into it. Old codes are used in 2001-2002, the new code in 2003-2005.
    old_new = flows(
        pair_years("KAZ", "847180", "DEU", {2001: 4e5, 2002: 5e5})
        + pair_years("KAZ", "847190", "DEU", {2002: 1e5})
        + pair_years("KAZ", "847150", "DEU", {2003: 7e5, 2004: 8e5, 2005: 9e5})
    )
    concordance = pl.DataFrame({"old_code": ["847180", "847190"], "new_code": ["847150", "847150"]})
    panel = {"first_year": 2000, "last_year": 2009}
    without = export_spells(old_new, **panel)
    assert rows(without) == [
        ("KAZ", "847150", "DEU", 2003, 2005, 3, 1, False, 7e5),   # false entry in 2003
        ("KAZ", "847180", "DEU", 2001, 2002, 2, 1, False, 4e5),   # false exit after 2002
        ("KAZ", "847190", "DEU", 2002, 2002, 1, 1, False, 1e5),   # false one-year spell
    ]
    mapped = apply_concordance(old_new, concordance)
    assert mapped.filter(pl.col("year") == 2002)["value_usd"].to_list() == [6e5]  # 5e5 + 1e5 summed
    assert rows(export_spells(mapped, **panel)) == [("KAZ", "847150", "DEU", 2001, 2005, 5, 1, False, 4e5)]


def test_concordance_refuses_one_to_many_and_keeps_nulls_honest():
    with pytest.raises(ValueError, match="several new codes"):
        apply_concordance(CASE, pl.DataFrame({"old_code": ["270900", "270900"], "new_code": ["270910", "270920"]}))
    two = pl.DataFrame({"exporter": ["KAZ", "KAZ"], "hs6": ["270900", "270990"], "importer": ["CHN", "CHN"],
                        "year": [2000, 2000], "value_usd": [5e6, 6e6], "quantity_t": [1.0, None]})
    out = apply_concordance(two, pl.DataFrame({"old_code": ["270990"], "new_code": ["270900"]}))
    # one row; the quantity of the merged code is unknown, not 1 tonne
    assert out.rows() == [("KAZ", "270900", "CHN", 2000, 11e6, None)]


# ---------------------------------------------------------------- DuckDB vs polars, sample world

def load_flows(con: duckdb.DuckDBPyConnection, baci_dir: Path, years) -> None:
    """clean.flows from the sample's BACI files: ISO3 codes, value in USD (v x 1,000)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS clean")
    con.execute(
        "CREATE TABLE clean.flows AS SELECT CAST(f.t AS SMALLINT) AS year, e.country_iso3 AS exporter, "
        "m.country_iso3 AS importer, f.k AS hs6, f.v * 1000 AS value_usd, TRY_CAST(trim(f.q) AS DOUBLE) AS quantity_t "
        "FROM read_csv($files, header = true, columns = {'t': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', "
        "'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}) AS f "
        "JOIN read_csv($codes, header = true, all_varchar = true) AS e ON CAST(e.country_code AS INTEGER) = f.i "
        "JOIN read_csv($codes, header = true, all_varchar = true) AS m ON CAST(m.country_code AS INTEGER) = f.j",
        {"files": [str(baci_dir / f"BACI_HS92_Y{y}_V202401b.csv") for y in years],
         "codes": str(baci_dir / "country_codes_V202401b.csv")},
    )


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_world")
    generate_sample(out, years=range(2000, 2019))
    con = duckdb.connect(str(out / "warehouse.duckdb"))
    load_flows(con, out / "baci", range(2000, 2019))
    yield con
    con.close()


@pytest.fixture(scope="module")
def sample_flows(sample_con) -> pl.DataFrame:
    return sample_con.table("clean.flows").pl()


OPTIONS = [
    {},
    {"gap": "merge_one_year_gaps"},
    {"include_left_censored": True, "min_initial_value": 50_000.0},
    {"gap": "merge_one_year_gaps", "include_left_censored": True, "first_year": 2003, "last_year": 2015},
]


@pytest.mark.parametrize("level", ["bilateral", "product"])
@pytest.mark.parametrize("options", OPTIONS, ids=["default", "merge", "left+min", "merge+window"])
def test_sql_and_polars_give_identical_spells_on_the_sample_world(sample_con, sample_flows, level, options):
    n = build_spells(sample_con, level=level, **options)
    in_sql = read_spells(sample_con, level)
    in_polars = (export_spells if level == "bilateral" else product_spells)(sample_flows, **options)
    assert n == in_sql.height == in_polars.height > 1000
    assert in_sql.equals(in_polars)


def test_sample_world_spells_cover_every_active_year_exactly_once(sample_flows):
    """With left-censored spells kept and no gap rule, spells partition the positive flows."""
    spells = export_spells(sample_flows, include_left_censored=True)
    assert spells["duration"].cast(pl.Int64).sum() == sample_flows.filter(pl.col("value_usd") > 0).height
    assert (spells["duration"] == spells["last_year"] - spells["first_year"] + 1).all()
    # consecutive spells of a pair are separated by at least one missing year
    gaps = spells.with_columns(pl.col("first_year").cast(pl.Int32) - pl.col("last_year").cast(pl.Int32)
                               .shift(1).over("exporter", "hs6", "importer")).drop_nulls("first_year")
    assert gaps["first_year"].min() >= 2
    # the sample has every kind of spell the rules distinguish
    assert spells.filter(pl.col("left_censored") & (pl.col("event") == 0)).height > 0
    assert spells.filter(~pl.col("left_censored") & (pl.col("event") == 1) & (pl.col("duration") == 1)).height > 0
    assert spells.group_by("exporter", "hs6", "importer").len()["len"].max() >= 3  # re-entries
    assert spells["duration"].n_unique() == 19


def test_spell_counts_collapse_in_duckdb_equals_polars_collapse(sample_con, sample_flows):
    build_spells(sample_con)
    relation = sample_con.table(spells_table())
    counts = spell_counts(with_period(relation, 2009), ["exporter", "period"])
    spells = export_spells(sample_flows).with_columns(
        pl.when(pl.col("first_year") < 2009).then(pl.lit("before")).otherwise(pl.lit("after")).alias("period"))
    expected = (spells.group_by("exporter", "period", "duration", "event").agg(pl.len().cast(pl.Float64).alias("weight"))
                .sort("exporter", "period", "duration", "event"))
    assert counts.equals(expected)
    assert counts["weight"].sum() == spells.height
    with pytest.raises(ValueError, match="no column"):
        spell_counts(relation, ["continent"])


@pytest.mark.parametrize("keep", [False, True], ids=["left-censored excluded", "kept"])
def test_survival_counts_table_equals_collapsing_each_group_type(sample_con, keep):
    """spells.survival_counts (one GROUPING SETS scan) gives, for every group type, exactly the
    counts of collapsing the labelled spells with that grouping alone; weights sum to the spells."""
    first, last = sample_con.execute("SELECT min(hs6), max(hs6) FROM clean.flows").fetchone()
    sectors = pl.DataFrame({"hs6": [first, last], "sector": ["Agriculture", "Mining"]})
    regions = pl.DataFrame({"importer": ["RUS", "CHN"], "year": [2005, 2005], "region": ["EEU", "Asia"]})
    n = build_spells(sample_con, include_left_censored=True, sectors=sectors, regions=regions)
    build_survival_counts(sample_con, 2009)
    relation = with_period(sample_con.table(spells_table()), 2009)
    labelled = relation.pl()
    # the joins label exactly the mapped codes (regions by the spell's first year), the rest get defaults
    assert set(labelled["sector"].unique()) == {"Agriculture", "Mining", "Other"}
    assert labelled.filter(pl.col("hs6") == last)["sector"].unique().to_list() == ["Mining"]
    rus = labelled.filter(pl.col("importer") == "RUS")
    assert rus.filter(pl.col("first_year") == 2005)["region"].unique().to_list() == ["EEU"]
    assert rus.filter(pl.col("first_year") != 2005)["region"].unique().to_list() == ["Rest of world"]
    for kind, by in GROUP_TYPES.items():
        table = survival_counts(sample_con, kind, include_left_censored=keep)
        assert table.equals(spell_counts(relation, by, include_left_censored=keep)), kind
        expected = n if keep else labelled.filter(~pl.col("left_censored")).height
        assert table["weight"].sum() == expected, kind
    with pytest.raises(ValueError, match="group_type must be one of"):
        survival_counts(sample_con, "sector")


def test_spells_built_by_ranges_of_exporters_equal_one_range(sample_con, sample_flows):
    """build_spells sorts one range of exporters at a time; pairs never straddle ranges, so any
    split gives the same spells (here about 40 ranges against one)."""
    ranges = exporter_ranges(sample_con, chunk_flows=40_000)
    sizes = sample_flows.group_by("exporter").len().sort("exporter")
    exporters = sizes["exporter"].to_list()
    assert ranges[0][0] == exporters[0] and ranges[-1][1] == exporters[-1] and len(ranges) > 20
    for (_, last), (first, _) in zip(ranges, ranges[1:]):  # consecutive, no exporter left out
        assert exporters.index(first) == exporters.index(last) + 1
    for first, last in ranges:  # bounded, unless one exporter alone is over the bound
        in_range = sizes.filter(pl.col("exporter").is_between(pl.lit(first), pl.lit(last)))
        assert in_range["len"].sum() <= 40_000 or in_range.height == 1
    options = {"gap": "merge_one_year_gaps", "include_left_censored": True}
    build_spells(sample_con, chunk_flows=40_000, **options)
    by_ranges = read_spells(sample_con)
    build_spells(sample_con, chunk_flows=10**12, **options)
    assert by_ranges.equals(read_spells(sample_con))
    assert by_ranges.equals(export_spells(sample_flows, **options))


@pytest.mark.parametrize("options", [{}, {"include_left_censored": True, "min_initial_value": 50_000.0},
                                     {"first_year": 2003, "last_year": 2015},
                                     {"gap": "merge_one_year_gaps", "min_initial_value": 50_000.0}],
                         ids=["default", "left+min", "window", "merge+min"])
def test_product_spells_derived_from_bilateral_spells_equal_those_from_flows(sample_con, sample_flows, options):
    """With every bilateral spell of the panel at hand (gap rule none, no minimum, left-censored
    kept), product spells are the union of their years and the world value in a product spell's
    first year is the sum of the bilateral spells starting then (see the statement's comments);
    the product's own options (gap rule, minimum, left-censored) apply on top."""
    panel = {k: options[k] for k in ("first_year", "last_year") if k in options}
    build_spells(sample_con, include_left_censored=True, flows_version="v1", **panel)
    assert bilateral_covers(sample_con, options.get("first_year", 2000), options.get("last_year", 2018), "v1")
    n = build_spells(sample_con, level="product", flows_version="v1", **options)
    derived = read_spells(sample_con, "product")
    build_spells(sample_con, level="product", **options)  # no version: from the flows
    assert n == derived.height > 1000
    assert_same_spells(derived, read_spells(sample_con, "product"))
    assert_same_spells(derived, product_spells(sample_flows, **options))
    # anything else: the bilateral table does not cover the product spells
    assert not bilateral_covers(sample_con, 2000, 2018, "v2")  # other flows
    assert not bilateral_covers(sample_con, 2001, 2018, "v1")  # other panel
    build_spells(sample_con, include_left_censored=False, flows_version="v1", **panel)
    assert not bilateral_covers(sample_con, options.get("first_year", 2000), options.get("last_year", 2018), "v1")
    build_spells(sample_con, gap="merge_one_year_gaps", include_left_censored=True, flows_version="v1", **panel)
    assert not bilateral_covers(sample_con, options.get("first_year", 2000), options.get("last_year", 2018), "v1")
