"""Kaplan-Meier survival of export spells and log-rank tests, vectorised over many groups.

METHODS.md section 4; lifelines 0.30 (``KaplanMeierFitter``, ``logrank_test``,
``multivariate_logrank_test``) is the reference and the tests match it to 1e-10.

Life table of one group, at each distinct duration t (weights w: identical spells collapsed)::

    n_t = sum of w over spells with duration >= t        (at risk)
    d_t = sum of w over spells ending with event at t   (exits)

Kaplan and Meier (1958): ``S(t) = prod_{t_i <= t} (1 - d_i / n_i)``, a right-continuous step
function (S at t is the value after the exits at t), computed as ``exp(sum log(1 - d_i/n_i))``.
Greenwood (1926): ``Var[S(t)] = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i))`` (terms with
n_i = d_i count 0, as in lifelines). Confidence interval: lifelines' default, the exponential
Greenwood (log(-log)) interval of Kalbfleisch and Prentice (1980)::

    v = log S(t),  s = sqrt(sum d_i / (n_i (n_i - d_i))),  z = Phi^-1(1 - alpha/2)
    lower = exp(-exp(log(-v) - z s / v)),  upper = exp(-exp(log(-v) + z s / v))

with [1, 1] where S = 1 (the formula gives 0/0) and [0, 0] where S = 0, as lifelines
(``KaplanMeierFitter._bounds``, alpha = 0.05 by default). Rows include t = 0 (S = 1), as
lifelines' timeline does.

Log-rank test (Mantel 1966; Peto and Peto 1972) of equal survival across K groups: at each
distinct time, expected exits ``E_jt = n_jt d_t / n_t``; ``Z_j = sum_t (d_jt - E_jt)``;
``V_jl = sum_t d_t (n_t - d_t) / (n_t - 1) n_jt (delta_jl n_t - n_lt) / n_t^2`` (the factor
(n_t - d_t)/(n_t - 1) is 1 where n_t = 1); statistic ``Z' V^+ Z`` over the first K - 1 groups
(pseudo-inverse, as lifelines), chi-square with K - 1 degrees of freedom.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from scipy import stats

HORIZONS = (1, 3, 5, 10)


def _weight(weight: str | None) -> pl.Expr:
    return pl.lit(1.0) if weight is None else pl.col(weight).cast(pl.Float64)


def collapse_spells(
    spells: pl.DataFrame, by: Sequence[str] = (), *, duration: str = "duration", event: str = "event",
    weight: str | None = None,
) -> pl.DataFrame:
    """Identical spells collapsed into weights: ``by``, duration, event, weight (sum of weights)."""
    return (
        spells.with_columns(_weight(weight).alias("_w"))
        .group_by(*by, duration, event)
        .agg(pl.col("_w").sum().alias("weight"))
        .sort(*by, duration, event)
    )


def life_table(
    spells: pl.DataFrame, by: Sequence[str] = (), *, duration: str = "duration", event: str = "event",
    weight: str | None = None,
) -> pl.DataFrame:
    """``by``, t, n_at_risk, n_events, n_censored at t = 0 and every distinct duration, sorted."""
    by = list(by)
    if spells.height and spells[duration].min() < 0:
        raise ValueError("negative duration")
    w = _weight(weight)
    rows = spells.lazy().select(
        *by, pl.col(duration).cast(pl.Float64).alias("t"),
        w.alias("removed"), (w * (pl.col(event).cast(pl.Float64) != 0)).alias("observed"),
    )
    zero = {"t": pl.lit(0.0), "removed": pl.lit(0.0), "observed": pl.lit(0.0)}
    origin = rows.select(*by).unique().with_columns(**zero) if by else pl.LazyFrame().select(**zero)
    table = (
        pl.concat([rows, origin])
        .group_by(*by, "t")
        .agg(pl.col("removed").sum(), pl.col("observed").sum())
        .sort(*by, "t")
    )
    at_risk = pl.col("removed").cum_sum(reverse=True)
    return table.select(
        *by, "t",
        (at_risk.over(by) if by else at_risk).alias("n_at_risk"),
        pl.col("observed").alias("n_events"),
        (pl.col("removed") - pl.col("observed")).alias("n_censored"),
    ).collect()


def kaplan_meier(
    spells: pl.DataFrame, by: Sequence[str] = (), *, duration: str = "duration", event: str = "event",
    weight: str | None = None, alpha: float = 0.05,
) -> pl.DataFrame:
    """Kaplan-Meier curves of every group of ``by`` at once (one curve if ``by`` is empty).

    ``spells`` has ``duration`` (years), ``event`` (1 exit, 0 right-censored) and optionally a
    ``weight`` column (e.g. from :func:`collapse_spells`; integer weights give lifelines' numbers;
    lifelines truncates non-integer at-risk counts to integers in the variance, we do not). Returns ``by``, t, n_at_risk, n_events, n_censored, survival, greenwood_var,
    ci_lower, ci_upper: one row per group at t = 0 and at each distinct duration of the group.
    """
    by = list(by)
    table = life_table(spells, by, duration=duration, event=event, weight=weight)
    n, d = pl.col("n_at_risk"), pl.col("n_events")
    log_term = (n - d).log() - n.log()
    var_term = pl.when(n == d).then(0.0).otherwise(d / (n * (n - d)))
    cum = [log_term.cum_sum(), var_term.cum_sum()]
    if by:
        cum = [c.over(by) for c in cum]
    sums = table.select(cum[0].alias("log_s"), cum[1].alias("var_log_s"))
    s = np.exp(sums["log_s"].to_numpy())
    var_log_s = sums["var_log_s"].to_numpy()
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.log(s)
        lower = np.exp(-np.exp(np.log(-v) - z * np.sqrt(var_log_s) / v))
        upper = np.exp(-np.exp(np.log(-v) + z * np.sqrt(var_log_s) / v))
    return table.with_columns(
        pl.Series("survival", s),
        pl.Series("greenwood_var", s * s * var_log_s),
        pl.Series("ci_lower", np.where(np.isnan(lower), 1.0, lower)),
        pl.Series("ci_upper", np.where(np.isnan(upper), 1.0, upper)),
    )


def survival_summary(curves: pl.DataFrame, by: Sequence[str] = (), horizons: Iterable[int] = HORIZONS) -> pl.DataFrame:
    """Per group: n_spells, n_events, ``survival_<h>`` for each horizon h, t_max, survival_t_max,
    median_duration.

    S(h) is the curve's value at the largest t <= h (after the exits at that t); it is null when
    h exceeds the group's longest observed duration t_max (the estimate is undefined beyond it).
    median_duration is the smallest t with S(t) <= 0.5, infinite if S stays above 0.5 (lifelines'
    ``median_survival_time_``).
    """
    by = list(by)
    t, s = pl.col("t"), pl.col("survival")
    per_group = [
        pl.col("n_at_risk").first().alias("n_spells"),
        pl.col("n_events").sum(),
        *[pl.when(t.max() >= h).then(s.filter(t <= h).last()).alias(f"survival_{h}") for h in horizons],
        t.last().alias("t_max"),
        s.last().alias("survival_t_max"),
        t.filter(s <= 0.5).first().fill_null(float("inf")).alias("median_duration"),
    ]
    curves = curves.sort(*by, "t")
    return curves.group_by(by, maintain_order=True).agg(per_group) if by else curves.select(per_group)


def _logrank_arrays(removed: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batched log-rank on (C comparisons, T times, K groups) weights; returns statistic, O, E."""
    n = np.flip(np.cumsum(np.flip(removed, 1), 1), 1)  # at risk n_jt
    n_t, d_t = n.sum(2), observed.sum(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(n_t > 0, d_t / n_t, 0.0)
        factor = np.where(n_t > 1, (n_t - d_t) / (n_t - 1), 1.0) * np.where(n_t > 0, d_t / n_t**2, 0.0)
    obs, exp_ = observed.sum(1), (n * share[..., None]).sum(1)
    z = obs - exp_
    v = -np.einsum("ctk,ctl,ct->ckl", n, n, factor)
    k = np.arange(n.shape[2])
    v[:, k, k] += np.einsum("ctk,ct->ck", n, n_t * factor)
    zr, vr = z[:, :-1], v[:, :-1, :-1]
    statistic = np.einsum("ck,ckl,cl->c", zr, np.linalg.pinv(vr), zr)
    return statistic, obs, exp_


def _logrank_table(table: pl.DataFrame, comparison: list[str], group: str) -> pl.DataFrame:
    """Tests on a life table with columns ``comparison``, ``group`` (0..K-1), t, removed, observed.

    Comparisons with the same number of groups K are computed together on arrays of shape
    (comparisons, distinct times, K): meant for annual durations (a few dozen distinct times).
    """
    if not table.height:
        raise ValueError("log-rank: no spells")
    n_groups = (pl.col(group).max() + 1).alias("n_groups")
    sizes = (table.group_by(comparison).agg(n_groups).sort(comparison) if comparison else table.select(n_groups))
    sizes = sizes.with_row_index("_c")
    table = table.join(sizes, on=comparison) if comparison else table.join(sizes, how="cross")
    table = table.with_columns(pl.col("t").rank("dense").cast(pl.Int64).sub(1).alias("_t"))
    results = []
    n_times = int(table["_t"].max()) + 1
    for (n_groups,), part in table.group_by("n_groups"):
        n_groups = int(n_groups)
        ids = part["_c"].unique().sort()
        pos = np.searchsorted(ids.to_numpy(), part["_c"].to_numpy())
        removed = np.zeros((len(ids), n_times, n_groups))
        observed = np.zeros_like(removed)
        idx = (pos, part["_t"].to_numpy(), part[group].to_numpy())
        removed[idx], observed[idx] = part["removed"].to_numpy(), part["observed"].to_numpy()
        statistic, obs, exp_ = _logrank_arrays(removed, observed)
        if n_groups < 2:
            statistic = np.full(len(ids), np.nan)
        results.append(pl.DataFrame({
            "_c": ids.cast(pl.UInt32), "statistic": statistic, "df": np.full(len(ids), n_groups - 1),
            "p_value": stats.chi2.sf(statistic, max(n_groups - 1, 1)),
            "observed_0": obs[:, 0], "expected_0": exp_[:, 0],
        }))
    out = sizes.join(pl.concat(results), on="_c").sort("_c").drop("_c")
    return out.with_columns(pl.col("statistic", "p_value").fill_nan(None))


def _counts_by_time(spells, keys, duration, event, weight) -> pl.DataFrame:
    """Weights removed (``removed``) and exits (``observed``) by ``keys`` and time t."""
    nulls = [k for k in keys if spells[k].null_count()]
    if nulls:
        raise ValueError(f"log-rank: null group labels in {nulls}; label them (e.g. 'unknown') or drop them")
    w = pl.col("_w")
    return spells.with_columns(_weight(weight).alias("_w")).group_by(
        *keys, pl.col(duration).cast(pl.Float64).alias("t")
    ).agg(w.sum().alias("removed"), (w * (pl.col(event).cast(pl.Float64) != 0)).sum().alias("observed"))


def logrank(
    spells: pl.DataFrame, by: str, within: Sequence[str] = (), *, duration: str = "duration",
    event: str = "event", weight: str | None = None,
) -> pl.DataFrame:
    """Log-rank test of equal survival across the values of ``by``, one test per value of ``within``.

    K = 2 values is the two-sample test (lifelines ``logrank_test``), K > 2 the K-sample test
    (``multivariate_logrank_test``); groups enter in sorted order of ``by``. Returns ``within``,
    n_groups, statistic, df, p_value (null where n_groups < 2).
    """
    within = list(within)
    table = _counts_by_time(spells, [*within, by], duration, event, weight)
    rank = pl.col(by).rank("dense")
    table = table.with_columns((rank.over(within) if within else rank).cast(pl.Int64).sub(1).alias("_g"))
    out = _logrank_table(table, within, "_g")
    return out.select(*within, "n_groups", "statistic", "df", "p_value")


def logrank_pairwise(
    spells: pl.DataFrame, by: str, pairs: Iterable[tuple] | None = None, within: Sequence[str] = (), *,
    duration: str = "duration", event: str = "event", weight: str | None = None,
) -> pl.DataFrame:
    """Two-sample log-rank tests of ``group_a`` against ``group_b`` (values of ``by``), all at once.

    ``pairs`` lists (a, b) tuples, e.g. an exporter against each comparator; None means every
    unordered pair of values present (within each value of ``within``). Returns ``within``,
    group_a, group_b, statistic, p_value, observed_a and expected_a (exits of group a and their
    expectation under equal survival: observed_a > expected_a means a's spells end sooner).
    Pairs with a group absent (within a ``within`` value) are left out.
    """
    within = list(within)
    table = _counts_by_time(spells, [*within, by], duration, event, weight)
    present = table.select(*within, by).unique()
    if pairs is None:
        a, b = present.rename({by: "group_a"}), present.rename({by: "group_b"})
        pair_frame = a.join(b, on=within) if within else a.join(b, how="cross")
        pair_frame = pair_frame.filter(pl.col("group_a") < pl.col("group_b"))
    else:
        schema = {"group_a": table[by].dtype, "group_b": table[by].dtype}
        pair_frame = pl.DataFrame(list(pairs), schema=schema, orient="row")
        pair_frame = present.select(within).unique().join(pair_frame, how="cross") if within else pair_frame
    sides = [
        pair_frame.join(table, left_on=[*within, f"group_{s}"], right_on=[*within, by]).with_columns(_g=pl.lit(i))
        for i, s in enumerate("ab")
    ]
    both = pl.concat(sides, how="diagonal").filter(
        pl.col("_g").n_unique().over([*within, "group_a", "group_b"]) == 2
    )
    out = _logrank_table(both, [*within, "group_a", "group_b"], "_g")
    return out.select(
        *within, "group_a", "group_b", "statistic", "p_value",
        pl.col("observed_0").alias("observed_a"), pl.col("expected_0").alias("expected_a"),
    )
