"""Openness against income: how much a country trades given its level of development.

The report's first finding ("trades less than expected given its level of economic development")
reads a country's trade openness against the cross-country relation between openness and income.
The relation is the usual one of the openness literature (e.g. Frankel and Romer 1999; the World
Bank's Trade Competitiveness Diagnostic toolkit, "openness benchmarking"), fitted by ordinary least
squares each year on every country with data:

    trade_pct_gdp_c = b0 + b1 ln(GDP per capita_c) + b2 ln(population_c) + e_c

Log population is the standard control: large countries trade less with the rest of the world
because more of their trade is internal. The predicted openness is ``b0 + b1 ln y_c + b2 ln N_c``,
the residual ``e_c`` is actual minus predicted (negative: trades less than expected), and the
percentile places the residual among the year's fitted countries
(``100 x (rank - 1) / (n - 1)``, rank 1 the lowest residual; ties share the lowest rank, as SQL's
``percent_rank``).

The coefficients solve the normal equations ``(X'X) b = X'y`` (``X`` = [1, ln y, ln N]); a year
with fewer than :data:`MIN_COUNTRIES` countries, or whose regressors are collinear, is not fitted
(its predictions are null).
"""

from collections.abc import Sequence

import numpy as np
import polars as pl

MIN_COUNTRIES = 10  # below this a three-parameter cross-section says little; the year stays unfitted

OPENNESS_FIT_COLUMNS = ("openness_predicted_pct", "openness_residual_pp", "openness_percentile",
                        "openness_fit_countries")


def ols(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares coefficients ``b`` of ``y = X b + e`` from the normal equations ``(X'X) b = X'y``.

    Raises ``numpy.linalg.LinAlgError`` when ``X'X`` is singular (collinear regressors).
    """
    XtX = X.T @ X
    if np.linalg.cond(XtX) > 1e12:
        raise np.linalg.LinAlgError("collinear regressors: X'X is (numerically) singular")
    return np.linalg.solve(XtX, X.T @ y)


def percent_rank(values: np.ndarray) -> np.ndarray:
    """``100 x (rank - 1) / (n - 1)`` with rank 1 the smallest and ties sharing their lowest rank; 0 when n = 1."""
    n = len(values)
    if n == 1:
        return np.zeros(1)
    below = np.searchsorted(np.sort(values), values, side="left")  # how many are strictly smaller
    return 100.0 * below / (n - 1)


def _floats(series: pl.Series) -> np.ndarray:
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy()


def _log_positive(series: pl.Series) -> np.ndarray:
    """ln of the values; NaN where a value is null or not positive (such a row is not fitted)."""
    values = _floats(series)
    out = np.full(values.shape, np.nan)
    positive = values > 0
    out[positive] = np.log(values[positive])
    return out


def openness_vs_income(
    frame: pl.DataFrame,
    *,
    openness: str = "trade_pct_gdp",
    income: str = "gdp_per_capita_usd",
    controls: Sequence[str] = ("population",),
    by: str = "year",
    min_countries: int = MIN_COUNTRIES,
) -> pl.DataFrame:
    """``frame`` with :data:`OPENNESS_FIT_COLUMNS` added: per ``by`` (year), the OLS fit of ``openness``
    on ``ln(income)`` and ``ln(control)`` for each control, over the rows where all of them are
    present and income and controls are positive.

    ``openness_predicted_pct`` is the fitted value (also for rows outside the fit that have the
    regressors but no openness), ``openness_residual_pp`` actual minus predicted, and
    ``openness_percentile`` the residual's percent rank among the fitted rows of the
    year; ``openness_fit_countries`` the number of rows the year's fit used (null when unfitted).
    """
    regressors = [income, *controls]
    parts = []
    for _, group in frame.group_by([by], maintain_order=True):
        X = np.column_stack([np.ones(group.height)] + [_log_positive(group[c]) for c in regressors])
        y = _floats(group[openness])
        has_x = np.isfinite(X).all(axis=1)
        fit = has_x & np.isfinite(y)
        n = int(fit.sum())
        predicted, residual, percentile = (np.full(group.height, np.nan) for _ in range(3))
        b = None
        if n >= max(min_countries, len(regressors) + 2):
            try:
                b = ols(X[fit], y[fit])
            except np.linalg.LinAlgError:
                b = None
        if b is not None:
            predicted[has_x] = X[has_x] @ b
            residual[fit] = y[fit] - predicted[fit]
            percentile[fit] = percent_rank(residual[fit])
        parts.append(group.with_columns(
            pl.Series("openness_predicted_pct", predicted).fill_nan(None),
            pl.Series("openness_residual_pp", residual).fill_nan(None),
            pl.Series("openness_percentile", percentile).fill_nan(None),
            pl.lit(n if b is not None else None, dtype=pl.Int64).alias("openness_fit_countries"),
        ))
    if not parts:
        return frame.with_columns(*(pl.lit(None, dtype=pl.Float64).alias(c) for c in OPENNESS_FIT_COLUMNS[:3]),
                                  pl.lit(None, dtype=pl.Int64).alias(OPENNESS_FIT_COLUMNS[3]))
    return pl.concat(parts)
