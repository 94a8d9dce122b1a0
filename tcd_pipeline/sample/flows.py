"""The trade-flow model of the sample world: which relations exist, when they trade, for how much.

Notation: exporter i, importer j (i != j), HS6 product k, year t; d_ij distance between capitals
(km), s_i the standardised ln GDP of 2000, 1[lang_ij] a common official language.

1. Relations that can exist (extensive margin, drawn once)::

       G_ijk = a_ext s_i + b_ext s_j + C_k - theta_ext (ln d_ij - mean) + lang_ext 1[lang_ij]
               + R_ik + u_ijk,           C_k ~ N(0, sd_c), u_ijk ~ N(0, sd_u)
       relation (i, j, k) exists  <=>  G_ijk > tau
       size index  z_ijk = (G_ijk - tau) / sd_u + size_w w_ijk      (w_ijk ~ N(0, 1), the value
                   noise of 3.: large flows are persistent, so exporters' totals are stable)

   R_ik = resource_ext for a resource exporter's resource products (RESOURCE_PROFILES), so those
   reach many markets and are large and persistent. tau is set so that the expected number of
   flows per year is the scale's ``target_rows`` (bisection on a random subsample of cells).
   An exporter x product pair opens in a year drawn after SIM_START with probability
   ``new_product_share`` (a new product for that exporter; never a resource exporter's resource
   products), an exporter x destination pair with
   probability ``new_market_share`` (a new market); before it opens a relation cannot trade.

2. Entry and exit (a duration- and size-dependent Markov chain on each relation, 1995 on)::

       P(exit in t | active, spell duration d)  h = clip(h0 d^-kappa exp(-delta z), h_min, 1)
       P(entry in t | inactive, open)           e = min(e_max, e0 exp(eps z)) x reentry^1[was active before]

   Started from each relation's stationary activity e / (e + h(d=2)) in 1995, so by 2000 there
   are left-censored spells; one-year spells are common (h close to h0 for marginal relations),
   spells of every length up to the panel's exist, and relations re-enter after gaps.

3. Values, thousands of current USD (intensive margin)::

       ln v_ijkt = G_ijk + sd_w w_ijk + o_i + B_ik + growth_ijkt + ramp(d) + e_ijkt
       growth    = elast_x (1 - w_i) ln(GDP_it / GDP_i,2000) + elast_m ln(GDP_jt / GDP_j,2000)
                                                                                       (other goods)
                 = ln(P_gt / P_g,2000) + trend (t - 2000) + elast_m/2 ln(GDP_jt / GDP_j,2000)
                                                                         (energy, metals, agri goods)
       e_ijkt ~ N(0, sd_e), ramp(1) = ramp1, ramp(2) = ramp2

   w_i is the resource weight of the exporter's GDP (macro.py): a resource economy's GDP growth
   comes from its resource prices, not from its other exports.
   o_i scales exporter i's expected 2000 exports to goods_export_ratio x (trade % GDP) x GDP,
   and B_ik makes resource product k's expected share of i's 2000 exports its profile share,
   so Kazakhstan's exports are dominated by crude oil and move with the oil price cycle.

4. Unit values, USD per tonne, and quantities::

       ln uv_ijkt = alpha_k + lambda_gt + quality_ik + beta (ln y_it - 8.5) + gamma (ln d_ij - 8) + eps_ijkt
       quality_ik = quality_i + eta_ik,   quality_i = quality_income std(ln y_i,2000) + N(0, sd_quality_exporter)
       eta_ik ~ N(0, sd_quality_pair),    eps ~ N(0, sd_uv),   lambda_gt = ln price index (commodities)
                                                               or other_inflation (t - 2000)
       q_ijkt = v_ijkt x 1000 / uv_ijkt  tonnes (at least 0.001); missing with probability q_missing

   quality_ik is the planted truth (``truth/planted_quality.csv``); it is mostly independent of
   income, so netting out income and distance recovers it, raw unit values do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tcd_pipeline.sample.macro import Macro
from tcd_pipeline.sample.world import (
    BASE_YEAR,
    GROUPS,
    RESOURCE_PROFILES,
    RESOURCE_UV,
    SECTION_LN_UV,
    SIM_END,
    SIM_START,
    Countries,
    Params,
    Products,
    Scale,
    price_index,
)

STREAM_TAU, STREAM_EXPORTER, STREAM_QUALITY, STREAM_INIT, STREAM_STEP, STREAM_FLOW = range(1, 7)
MAX_DUR = 64


@dataclass(frozen=True)
class Relations:
    """Every relation that can exist, ordered by (i, j, k); arrays of equal length."""

    i: np.ndarray  # int16 country index
    j: np.ndarray  # int16 country index
    k: np.ndarray  # int16 product index
    z: np.ndarray  # float32 size index
    lnv: np.ndarray  # float32 ln v in BASE_YEAR before growth, ramp and noise
    exit_f: np.ndarray  # float32 h0 exp(-delta z)
    entry: np.ndarray  # float32 min(e_max, e0 exp(eps z))
    open_year: np.ndarray  # int16 first year the relation may trade

    def __len__(self) -> int:
        return len(self.i)


def stationary(z: np.ndarray, p: Params) -> np.ndarray:
    """Long-run share of years a relation of size z trades: E[spell] / (E[spell] + E[gap]).

    E[spell] = 1 + sum_n prod_{d<=n} (1 - h(d)) with the duration-dependent hazard; a gap ends
    with the re-entry probability (relations that traded once), so E[gap] = 1 / (e x reentry).
    """
    grid = np.linspace(float(np.min(z, initial=0.0)), float(np.max(z, initial=0.0)) + 1e-9, 257)
    d = np.minimum(np.arange(1, 400), MAX_DUR).astype(float)
    hazard = np.clip(p.h0 * np.exp(-p.delta * grid)[:, None] * d[None, :] ** -p.kappa, p.h_min, 1.0)
    spell = 1.0 + np.cumprod(1.0 - hazard, axis=1).sum(axis=1)
    gap = 1.0 / np.minimum(0.95, np.minimum(p.e_max, p.e0 * np.exp(p.eps * grid)) * p.reentry)
    return np.interp(z, grid, spell / (spell + gap))


def _calibrate_tau(rows: np.ndarray, c_k: np.ndarray, p: Params, target: float, seed: int) -> float:
    """tau such that the expected active relations per year are ``target`` (subsample of cells)."""
    rng = np.random.default_rng([seed, STREAM_TAU])
    n_c, n_p, m = rows.shape[0], len(c_k), 400_000
    i = rng.integers(0, n_c, m)
    j = (i + rng.integers(1, n_c, m)) % n_c
    k = rng.integers(0, n_p, m)
    g = rows[i, j] + c_k[k] + p.sd_u * rng.standard_normal(m)
    w = rng.standard_normal(m)
    opened = (1 - p.new_product_share * 0.7) * (1 - p.new_market_share * 0.7)
    scale = n_c * (n_c - 1) * n_p / m * opened
    lo, hi = float(g.min()), float(g.max())
    for _ in range(60):
        tau = (lo + hi) / 2
        keep = g > tau
        expected = scale * stationary((g[keep] - tau) / p.sd_u + p.size_w * w[keep], p).sum()
        lo, hi = (tau, hi) if expected > target else (lo, tau)
    return (lo + hi) / 2


def _births(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    born = np.full(n, SIM_START, dtype=np.int16)
    late = rng.random(n) < share
    born[late] = rng.integers(SIM_START + 1, SIM_END + 1, late.sum())
    return born


def build_relations(countries: Countries, products: Products, macro: Macro, lnd: np.ndarray,
                    comlang: np.ndarray, p: Params, scale: Scale, seed: int) -> Relations:
    """Draw the relations exporter by exporter (bounded memory: one exporter's grid at a time)."""
    n_c, n_p = len(countries), len(products)
    gdp0 = np.log(macro.gdp[:, macro.col(BASE_YEAR)])
    s = (gdp0 - gdp0.mean()) / gdp0.std()
    c_k = np.random.default_rng([seed, STREAM_EXPORTER]).normal(0.0, p.sd_c, n_p)
    off_diag = ~np.eye(n_c, dtype=bool)
    rows = (p.a_ext * s[:, None] + p.b_ext * s[None, :] - p.theta_ext * (lnd - lnd[off_diag].mean())
            + p.lang_ext * comlang)
    tau = _calibrate_tau(rows, c_k, p, scale.target_rows, seed)
    code_pos = {code: pos for pos, code in enumerate(products.code)}
    tab = countries.table
    target = p.goods_export_ratio * np.clip(tab["trade_gdp"], 22, 140) / 100 * np.exp(gdp0) / 1000
    half_var = p.sd_e**2 / 2
    parts: list[tuple[np.ndarray, ...]] = []
    for i in range(n_c):
        rng = np.random.default_rng([seed, STREAM_EXPORTER, int(countries.baci[i])])
        grid = rng.standard_normal((n_c, n_p), dtype=np.float32)
        grid *= np.float32(p.sd_u)
        grid += rows[i].astype(np.float32)[:, None]
        grid += c_k.astype(np.float32)[None, :]
        shares = {code_pos[c]: sh for c, sh in RESOURCE_PROFILES.get(countries.iso3[i], {"shares": {}})
                  ["shares"].items() if c in code_pos}
        for pos in shares:
            grid[:, pos] += np.float32(p.resource_ext)
        grid[i, :] = -np.inf
        jj, kk = np.nonzero(grid > tau)
        g = grid[jj, kk]
        del grid
        w = rng.standard_normal(len(g), dtype=np.float32)
        z = ((g - tau) / p.sd_u + p.size_w * w).astype(np.float32)
        base = g + p.sd_w * w
        weight = stationary(z, p) * np.exp(base.astype(np.float64))
        resource = np.isin(kk, list(shares))
        e_other = weight[~resource].sum()
        share_sum = sum(shares.values())
        lnv = base.astype(np.float64)
        for pos, share in shares.items():
            mask = kk == pos
            if mask.any() and e_other > 0:
                lnv[mask] += np.log(share / (1 - share_sum) * e_other / weight[mask].sum())
        lnv += np.log(target[i]) - np.log(max(e_other, 1e-300) / (1 - share_sum)) - half_var
        product_born = _births(rng, n_p, p.new_product_share)
        product_born[list(shares)] = SIM_START  # a resource exporter always had its resources
        open_year = np.maximum(product_born[kk], _births(rng, n_c, p.new_market_share)[jj])
        parts.append((np.full(len(g), i, np.int16), jj.astype(np.int16), kk.astype(np.int16), z,
                      lnv.astype(np.float32), open_year))
    i_, j_, k_, z, lnv, open_year = (np.concatenate(col) for col in zip(*parts))
    del parts
    return Relations(
        i=i_, j=j_, k=k_, z=z, lnv=lnv, open_year=open_year,
        exit_f=(p.h0 * np.exp(-p.delta * z)).astype(np.float32),
        entry=np.minimum(p.e_max, p.e0 * np.exp(p.eps * z)).astype(np.float32),
    )


class Survival:
    """The entry/exit chain: ``dur`` is the current spell's length (0 = not trading)."""

    def __init__(self, rel: Relations, p: Params, seed: int):
        self.rel, self.p, self.seed = rel, p, seed
        self.durfac = (np.arange(MAX_DUR + 1, dtype=np.float64).clip(1) ** -p.kappa).astype(np.float32)
        rng = np.random.default_rng([seed, STREAM_INIT])
        pi = stationary(rel.z, p)
        active = (rel.open_year <= SIM_START) & (rng.random(len(rel)) < pi)
        hazard = np.clip(rel.exit_f * np.float32(3.0**-p.kappa), p.h_min, 1.0)
        dur = np.minimum(rng.geometric(hazard), 30).astype(np.int16)
        self.dur = np.where(active, dur, 0).astype(np.int16)
        self.ever = active | ((rel.open_year <= SIM_START) & (rng.random(len(rel)) < 0.3))
        self.year = SIM_START

    def advance(self, year: int) -> None:
        while self.year < year:
            self.year += 1
            self._step(self.year)

    def _step(self, year: int) -> None:
        rel, p = self.rel, self.p
        u = np.random.default_rng([self.seed, STREAM_STEP, year]).random(len(rel), dtype=np.float32)
        active = self.dur > 0
        hazard = np.maximum(np.float32(p.h_min), rel.exit_f * self.durfac[np.minimum(self.dur, MAX_DUR)])  # > 1: exits
        stay = active & (u >= hazard)
        entry = np.where(self.ever, np.minimum(0.95, rel.entry * np.float32(p.reentry)), rel.entry)
        enter = ~active & (rel.open_year <= year) & (u < entry)
        self.dur = np.where(stay, self.dur + 1, 0).astype(np.int16)
        self.dur[enter] = 1
        self.ever |= enter


@dataclass(frozen=True)
class UnitValueModel:
    alpha: np.ndarray  # ln USD/t of each product in BASE_YEAR
    quality_exporter: np.ndarray  # quality_i
    quality: np.ndarray  # quality_ik = quality_i + eta_ik (country x product), float32


def build_unit_values(countries: Countries, products: Products, macro: Macro, p: Params,
                      seed: int) -> UnitValueModel:
    rng = np.random.default_rng([seed, STREAM_QUALITY])
    alpha = SECTION_LN_UV[products.section - 1] + rng.normal(0.0, p.sd_alpha, len(products))
    for pos, code in enumerate(products.code):
        if code in RESOURCE_UV:
            alpha[pos] = np.log(RESOURCE_UV[code])
    ln_y = np.log(macro.gdppc[:, macro.col(BASE_YEAR)])
    q_i = p.quality_income * (ln_y - ln_y.mean()) / ln_y.std() + rng.normal(0, p.sd_quality_exporter, len(countries))
    eta = rng.normal(0.0, p.sd_quality_pair, (len(countries), len(products)))
    return UnitValueModel(alpha=alpha, quality_exporter=q_i, quality=(q_i[:, None] + eta).astype(np.float32))


def flows_of_year(rel: Relations, surv: Survival, uvm: UnitValueModel, products: Products, macro: Macro,
                  lnd: np.ndarray, p: Params, year: int, seed: int) -> dict[str, np.ndarray]:
    """The year's trading relations with v (USD, integer) and q (kg, integer; -1 = missing)."""
    surv.advance(year)
    idx = np.flatnonzero(surv.dur > 0)
    i, j, k, dur = rel.i[idx], rel.j[idx], rel.k[idx], surv.dur[idx]
    rng = np.random.default_rng([seed, STREAM_FLOW, year])
    col, dt = macro.col(year), year - BASE_YEAR
    growth_gdp = np.log(macro.gdp[:, col] / macro.gdp[:, macro.col(BASE_YEAR)])
    group = products.group[k]
    lam = np.array([p.other_inflation * dt] + [price_index(g)[col] for g in GROUPS[1:]])
    commodity = group > 0
    elast_x = p.elast_x * (1 - macro.resource_weight)
    growth = np.where(commodity, lam[group] + p.commodity_volume_trend * dt + p.elast_m / 2 * growth_gdp[j],
                      elast_x[i] * growth_gdp[i] + p.elast_m * growth_gdp[j])
    ramp = np.where(dur == 1, p.ramp1, np.where(dur == 2, p.ramp2, 0.0))
    lnv = rel.lnv[idx] + growth + ramp + p.sd_e * rng.standard_normal(len(idx))
    v_usd = np.maximum(1, np.rint(np.exp(lnv) * 1000)).astype(np.int64)
    ln_uv = (uvm.alpha[k] + lam[group] + uvm.quality[i, k] + p.beta * (np.log(macro.gdppc[i, col]) - 8.5)
             + p.gamma * (lnd[i, j] - 8.0) + p.sd_uv * rng.standard_normal(len(idx)))
    q_kg = np.maximum(1, np.rint(v_usd / np.exp(ln_uv) * 1000)).astype(np.int64)
    q_kg[rng.random(len(idx)) < p.q_missing] = -1
    return {"i": i, "j": j, "k": k, "v_usd": v_usd, "q_kg": q_kg}
