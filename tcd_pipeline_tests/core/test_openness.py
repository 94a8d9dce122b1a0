"""Openness against income (core/openness.py): the per-year OLS fit, its residuals and percentiles.

References: an exact linear case whose coefficients are known by construction; a hand-solved
two-regressor case; ``numpy.linalg.lstsq`` (an SVD solver, independent of the normal equations the
module solves) on a random cross-section; the percent rank as SQL's ``percent_rank`` (DuckDB).
"""

import duckdb
import numpy as np
import polars as pl
import pytest

from tcd_pipeline.core.openness import ols, openness_vs_income, percent_rank


def _world(year: int, gdp_pc, pop, trade) -> pl.DataFrame:
    n = len(gdp_pc)
    return pl.DataFrame({"country": [f"C{i:02d}" for i in range(n)], "year": [year] * n,
                         "gdp_per_capita_usd": gdp_pc, "population": pop, "trade_pct_gdp": trade})


def test_exact_relation_is_recovered_with_zero_residuals():
    # trade = 120 + 10 ln(y) - 5 ln(N) exactly, for 10 countries: predicted = actual, residual 0
    rng = np.random.default_rng(3)
    y = np.exp(rng.uniform(6, 11, 10))
    N = np.exp(rng.uniform(13, 20, 10))
    trade = 120 + 10 * np.log(y) - 5 * np.log(N)
    out = openness_vs_income(_world(2018, y, N, trade))
    assert np.allclose(out["openness_predicted_pct"], trade, rtol=0, atol=1e-9)
    assert np.allclose(out["openness_residual_pp"], 0, atol=1e-9)
    assert out["openness_fit_countries"].to_list() == [10] * 10


def test_hand_solved_case_without_control():
    # One regressor, x = ln(y) = 0, 1, 2, 3 (y = e^0 .. e^3), openness 1, 3, 2, 6.
    # mean x = 1.5, mean t = 3; Sxy = (-1.5)(-2) + (-0.5)(0) + (0.5)(-1) + (1.5)(3) = 3 - 0.5 + 4.5 = 7;
    # Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5; b1 = 7/5 = 1.4, b0 = 3 - 1.4 x 1.5 = 0.9.
    # predicted 0.9, 2.3, 3.7, 5.1; residuals 0.1, 0.7, -1.7, 0.9 -> ranks 2, 3, 1, 4 -> percentiles
    # 100 x (rank - 1) / 3 = 33.3, 66.7, 0, 100.
    frame = _world(2000, np.exp([0.0, 1.0, 2.0, 3.0]), [1.0] * 4, [1.0, 3.0, 2.0, 6.0]).drop("population")
    out = openness_vs_income(frame, controls=(), min_countries=4)
    assert np.allclose(out["openness_predicted_pct"], [0.9, 2.3, 3.7, 5.1], atol=1e-12)
    assert np.allclose(out["openness_residual_pp"], [0.1, 0.7, -1.7, 0.9], atol=1e-12)
    assert np.allclose(out["openness_percentile"], [100 / 3, 200 / 3, 0, 100], atol=1e-12)


def test_fit_equals_numpy_lstsq_per_year():
    rng = np.random.default_rng(11)
    frames, expected = [], {}
    for year, n in ((2005, 40), (2006, 57)):
        ln_y, ln_N = rng.uniform(6, 11, n), rng.uniform(12, 21, n)
        trade = 150 + 6 * ln_y - 7 * ln_N + rng.normal(0, 15, n)
        frames.append(_world(year, np.exp(ln_y), np.exp(ln_N), trade))
        X = np.column_stack([np.ones(n), ln_y, ln_N])
        b, *_ = np.linalg.lstsq(X, trade, rcond=None)  # reference: SVD least squares
        expected[year] = (X @ b, trade - X @ b)
    out = openness_vs_income(pl.concat(frames))
    for year, (predicted, residual) in expected.items():
        got = out.filter(pl.col("year") == year)
        assert np.allclose(got["openness_predicted_pct"], predicted, rtol=1e-10, atol=1e-9)
        assert np.allclose(got["openness_residual_pp"], residual, rtol=1e-8, atol=1e-9)
        assert abs(got["openness_residual_pp"].sum()) < 1e-8  # OLS with a constant: residuals sum to 0


def test_rows_without_data_are_outside_the_fit():
    rng = np.random.default_rng(5)
    n = 13
    frame = _world(2010, np.exp(rng.uniform(6, 11, n)), np.exp(rng.uniform(12, 20, n)), rng.uniform(20, 150, n))
    frame = frame.with_columns(
        pl.when(pl.col("country") == "C00").then(None).otherwise(pl.col("trade_pct_gdp")).alias("trade_pct_gdp"),
        pl.when(pl.col("country") == "C01").then(None).otherwise(pl.col("population")).alias("population"),
        pl.when(pl.col("country") == "C02").then(0.0).otherwise(pl.col("gdp_per_capita_usd")).alias("gdp_per_capita_usd"),
    )
    out = openness_vs_income(frame).sort("country")
    assert out["openness_fit_countries"].to_list() == [10] * n
    # C00 has the regressors: a prediction but no residual; C01 and C02 (no or zero regressor): neither
    assert out["openness_predicted_pct"].is_null().to_list()[:3] == [False, True, True]
    assert out["openness_residual_pp"].is_null().to_list()[:4] == [True, True, True, False]
    fitted = out.filter(pl.col("openness_residual_pp").is_not_null())
    b = ols(np.column_stack([np.ones(10), np.log(fitted["gdp_per_capita_usd"]), np.log(fitted["population"].cast(float))]),
            fitted["trade_pct_gdp"].to_numpy())
    c00 = out.row(0, named=True)
    assert c00["openness_predicted_pct"] == pytest.approx(b[0] + b[1] * np.log(c00["gdp_per_capita_usd"])
                                                         + b[2] * np.log(c00["population"]))


def test_a_year_with_too_few_countries_is_not_fitted():
    out = openness_vs_income(_world(1999, [1e3, 2e3, 5e3, 1e4], [1e6, 2e6, 3e6, 5e6], [50.0, 60, 40, 90]))
    assert out["openness_predicted_pct"].is_null().all() and out["openness_fit_countries"].is_null().all()


def test_percent_rank_is_sqls():
    values = np.array([3.0, -1.0, 3.0, 7.5, 0.0, 3.0])
    with duckdb.connect() as con:
        ranked = con.execute("SELECT i, 100 * percent_rank() OVER (ORDER BY v) FROM "
                             "(SELECT unnest(?) AS v, unnest(range(6)) AS i) ORDER BY i", [values.tolist()]).fetchall()
    assert np.allclose(percent_rank(values), [p for _, p in ranked])
    assert np.allclose(percent_rank(values), [40, 0, 40, 100, 20, 40])  # ranks 3, 1, 3, 6, 2, 3 of 6
