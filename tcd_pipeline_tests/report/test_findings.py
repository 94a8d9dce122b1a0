"""Key findings on hand-built frames: every number in a sentence is worked out here by hand."""

import polars as pl

from tcd_pipeline.report import findings as f


def _series(rows):
    return pl.DataFrame(rows, schema=["country", "year", "v"], orient="row")


def test_ordinal():
    assert [f.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"]


def test_rank_in_year_uses_the_focus_latest_year_and_ranks_from_the_top():
    frame = _series([("A", 2000, 1.0), ("A", 2001, 5.0), ("B", 2001, 7.0), ("C", 2001, 2.0), ("B", 2002, 9.0)])
    # A's latest year is 2001: values 7 (B), 5 (A), 2 (C) -> A is 2nd of 3
    assert f.rank_in_year(frame, "v", "A") == (2, 3, 2001)
    assert f.rank_in_year(frame, "v", "B") == (1, 1, 2002)  # B alone in 2002
    assert f.rank_in_year(frame, "v", "Z") is None


def test_trend_sentence_states_direction_values_and_place():
    frame = _series([("A", 2000, 10.0), ("A", 2010, 12.5), ("B", 2010, 20.0), ("C", 2010, 3.0)])
    (text,) = f.trend_sentence(frame, "v", "A", "Aland", "openness", digits=1)
    # 10.0 -> 12.5 rose; 2010: 20 (B) > 12.5 (A) > 3 (C): 2nd of 3
    assert text == "Aland: openness rose from 10.0 in 2000 to 12.5 in 2010, the 2nd highest of the 3 countries compared in 2010."
    (low,) = f.trend_sentence(frame.with_columns(pl.col("v") * -1), "v", "A", "Aland", "x", digits=0)
    # negated: -10 -> -12.5 fell (printed -12, Python rounds half to even); -3 > -12.5 > -20: 2nd of 3
    assert "fell from -10 in 2000 to -12 in 2010, the 2nd highest" in low
    top = _series([("A", 2000, 1.0), ("A", 2001, 30.0), ("B", 2001, 2.0)])
    assert "the highest of the 2 countries" in f.trend_sentence(top, "v", "A", "A", "x")[0]
    assert "the lowest of the 2 countries" in f.trend_sentence(top.with_columns(pl.col("v") * -1), "v", "A", "A", "x")[0]
    assert f.trend_sentence(_series([("A", 2000, 1.0)]), "v", "A", "A", "x") == []  # one year: no trend


def test_growth_table_sentences():
    cols = ["sector", "year_1", "year_3", "share_1_pct", "share_3_pct", "period_1", "cagr_1_pct", "period_2",
            "cagr_2_pct"]
    frame = pl.DataFrame([
        ("Oil", 2000, 2018, 50.0, 60.0, "2000-2012", 20.0, "2012-2018", 1.0),
        ("Metals", 2000, 2018, 30.0, 25.0, "2000-2012", 10.0, "2012-2018", -3.0),
        ("Other", 2000, 2018, 20.0, 15.0, "2000-2012", 5.0, "2012-2018", 4.5),
        ("Total", 2000, 2018, 100.0, 100.0, "2000-2012", 14.2, "2012-2018", 0.75),
    ], schema=cols, orient="row")
    assert f.growth_table_sentences(frame, "sector", "Goods exports") == [
        "Goods exports grew 14.2% a year in 2000-2012 and 0.8% a year in 2012-2018.",
        "Oil was the largest sector, 60.0% of the total in 2018 (50.0% in 2000).",
        "In 2012-2018 Other grew fastest (4.5% a year) and Metals slowest (-3.0%).",
    ]
    assert f.growth_table_sentences(frame.head(0), "sector", "x") == []


def test_margins_sentence_adds_the_new_product_margins():
    frame = pl.DataFrame({
        "country": ["A"] * 4, "year_start": [2000] * 4, "year_end": [2018] * 4,
        "component": ["intensive", "new_product_old_market", "new_product_new_market", "extinction"],
        "share_of_growth_pct": [90.0, 8.0, 4.5, -2.5],
    })
    # new products: 8.0 + 4.5 = 12.5; extinction subtracts 2.5
    assert f.margins_sentences(frame, "A", "Aland") == [
        "Of the change in Aland's exports over 2000-2018, 90.0% came from existing products in existing markets, "
        "12.5% from new products, and extinction of relationships subtracted 2.5%."]
    assert f.margins_sentences(frame, "B", "B") == []


def test_survival_sentences_compare_with_the_comparators_median():
    frame = pl.DataFrame({
        "country": ["A", "B", "C", "D", "A", "A"],
        "group_type": ["exporter"] * 4 + ["exporter_sector"] * 2,
        "group_label": ["A", "B", "C", "D", "Oil", "Metals"],
        "survival_1": [0.60, 0.50, 0.55, 0.70, 0.7, 0.5], "survival_5": [0.3, 0.2, 0.2, 0.4, 0.35, 0.12],
        "survival_10": [0.17, 0.1, 0.1, 0.2, 0.2, 0.05], "median_duration": [2.0, 2.0, 2.0, 3.0, 3.0, 1.0],
    })
    out = f.survival_sentences(frame, "A", "Aland")
    # comparators' first-year survival 0.50, 0.55, 0.70: median 0.55 < 0.60
    assert out == [
        "60% of Aland's export relationships survive their first year and 17% reach ten years "
        "(median duration 2 years).",
        "First-year survival is above the comparators' median (55%).",
        "By sector, five-year survival is highest in Oil (35%) and lowest in Metals (12%).",
    ]


def test_logrank_sentence_uses_the_five_percent_level():
    frame = pl.DataFrame({"test": ["before_after"], "p_value": [0.0123]})
    assert f.logrank_sentences(frame) == [
        "Survival of relationships started before and after the event year differs significantly "
        "(log-rank p = 0.012)."]
    assert "does not differ" in f.logrank_sentences(frame.with_columns(p_value=pl.lit(0.2)))[0]


def test_dva_sentences():
    table4 = pl.DataFrame({
        "sector": ["Mining", "Services", "Total"], "year_start": [2012] * 3, "year_end": [2018] * 3,
        "cagr_pct": [6.0, 9.0, 7.04], "contribution_pct": [70.0, 30.0, 100.0],
    })
    comps = pl.DataFrame({"country": ["A", "B", "C"], "cagr_pct": [7.04, 8.0, 2.0]})
    assert f.dva_sentences(table4, comps, "A", "Aland") == [
        "Domestic value added in Aland's exports grew 7.0% a year in 2012-2018; Mining contributed the most "
        "(70.0% of the change).",
        "That growth ranks 2nd of the 3 countries compared.",  # 8.0 (B) > 7.04 (A) > 2.0 (C)
    ]


def test_openness_sentence_reads_the_regression_residual():
    frame = pl.DataFrame({"country": ["KAZ", "RUS"], "year": [2018, 2018], "trade_pct_gdp": [79.97, 55.3],
                          "openness_residual_pp": [-6.87, 2.0], "openness_percentile": [46.34, 60.0],
                          "openness_fit_countries": [42, 42]})
    # KAZ: 79.97 -> "80%", residual -6.87 -> "7 percentage points less", percentile 46.34 -> "46th"
    assert f.openness_sentence(frame, "KAZ", "Kazakhstan") == [
        "In 2018, Kazakhstan traded 80% of GDP, 7 percentage points less than expected given its GDP per capita "
        "and population (the 46th percentile of the 42 countries of the regression)."]
    assert f.openness_sentence(frame, "RUS", "Russia")[0].startswith("In 2018, Russia traded 55% of GDP, 2 percentage "
                                                                    "points more than expected")
    assert f.openness_sentence(frame, "CHL", "Chile") == []  # not in the regression: no sentence
    assert f.openness_sentence(pl.DataFrame(), "KAZ", "Kazakhstan") == []
