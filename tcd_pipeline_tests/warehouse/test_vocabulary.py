"""The published marts speak one vocabulary (issue 12), enforced on their declarations so it stays true.

- the country a row is about is ``country``: no mart column is named ``exporter``, and none is a
  reserved word of DuckDB's SQL (``group`` was one: survival's column is ``group_name``);
- money is current USD in columns ending ``_usd``; shares and rates are percent in columns ending
  ``_pct``, with the exceptions listed below by name; no column is a fraction any more;
- counts are integer types.

A new column that breaks a rule fails here with its mart and name; an exception is added to the
lists below on purpose, with its reason.
"""

import duckdb

from tcd_pipeline.defs.catalog import ALL

PERCENT_UNITS = {"percent", "percent per year"}
MONEY_MARK = "USD"  # "current USD", "current USD per capita"
COUNT_UNITS = {"count", "spells", "persons"}
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}

# percent columns whose names do not end _pct, each for a reason
PERCENT_EXCEPTIONS = {
    # OECD TiVA codes, kept as OECD publishes them (already percent)
    ("tiva_indicators", "exgr_dvash"), ("tiva_indicators", "dexfvapsh"), ("tiva_indicators", "ffd_dvash"),
    # percent of GDP: the unit is in the name as _pct_gdp (WDI's own NE.TRD.GNFS.ZS naming)
    ("trade_openness", "merch_trade_pct_gdp"), ("trade_openness", "trade_pct_gdp"),
    ("trade_openness", "fdi_net_inflows_pct_gdp"),
}


def _columns():
    return [(mart.name, column) for mart in ALL.values() for column in mart.columns]


def _reserved() -> set[str]:
    rows = duckdb.sql("SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category = 'reserved'").fetchall()
    return {k.lower() for (k,) in rows}


def test_duckdb_lists_the_reserved_words_the_rule_relies_on():
    reserved = _reserved()
    assert {"group", "select", "order", "table"} <= reserved  # the list is DuckDB's, not empty
    assert not {"country", "year", "value_usd", "group_name", "position"} & reserved


def test_no_mart_column_is_exporter_or_a_reserved_word():
    reserved = _reserved()
    bad = [(m, c.name) for m, c in _columns() if c.name in ({"exporter", "group"} | reserved)]
    assert bad == []
    # the country a row is about is `country` in every mart that has one
    for mart in ALL.values():
        iso3 = [c.name for c in mart.columns if c.unit == "ISO3"]
        if iso3:
            assert iso3[0] == "country", (mart.name, iso3)


def test_money_columns_are_usd_and_named_so():
    for mart, column in _columns():
        money = MONEY_MARK in column.unit
        assert money == column.name.endswith("_usd"), (mart, column.name, column.unit)
        if money:
            assert column.unit.startswith("current USD"), (mart, column.name, column.unit)  # never million USD


def test_percent_columns_end_pct_with_the_listed_exceptions():
    found_exceptions = set()
    for mart, column in _columns():
        percent = column.unit in PERCENT_UNITS
        if (mart, column.name) in PERCENT_EXCEPTIONS:
            assert percent, (mart, column.name, column.unit)
            found_exceptions.add((mart, column.name))
            continue
        assert percent == column.name.endswith("_pct"), (mart, column.name, column.unit)
        assert column.unit != "fraction", (mart, column.name)
        if column.unit == "percentage points":
            assert column.name.endswith("_pp"), (mart, column.name)
    assert found_exceptions == PERCENT_EXCEPTIONS  # no stale exception
    # a share in percent is bounded by 100 where it is declared with a range, never by 1
    for mart, column in _columns():
        if column.unit == "percent" and column.range is not None and column.range.max is not None:
            assert column.range.max == 100, (mart, column.name, column.range)


def test_counts_are_integers():
    counts = [(m, c.name, c.type) for m, c in _columns() if c.unit in COUNT_UNITS]
    assert {(m, n) for m, n, _ in counts} >= {("survival_curves", "n_at_risk"), ("survival_curves", "n_events"),
                                               ("survival_summary", "n_spells"), ("survival_summary", "n_events"),
                                               ("trade_openness", "population")}
    assert [(m, n, t) for m, n, t in counts if t not in INTEGER_TYPES] == []
