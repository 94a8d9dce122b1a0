"""Country-year macro series of the sample world (what the WDI files report).

For country i and year t (SIM_START..SIM_END), with anchors from ``data/countries.csv``
(GDP per capita and population in 2000 and 2018, median FDI/GDP and trade/GDP):

    ln y_it   = ln y_i,2000 + g_i (t - 2000) + w_i dev_r(t) + n_it          (GDP per capita, USD)
        g_i   = (ln y_i,2018 - ln y_i,2000) / 18
        dev_r(t) = ln(P_rt / P_r,2000) - (t - 2000)/18 ln(P_r,2018 / P_r,2000)
                   the detrended price cycle of the exporter's resource r (zero in 2000 and 2018);
                   w_i = RESOURCE_PROFILES[i]["gdp_weight"], 0 for other countries
        n_it  = AR(1), rho 0.7, innovation sd 0.02, minus its line through 2000 and 2018, plus
                N(0, 0.01): y_i,2000 and y_i,2018 are within about 2% of the anchors
    ln pop_it = ln pop_i,2000 + (t - 2000)(ln pop_i,2018 - ln pop_i,2000)/18 + AR(1) sd 0.002
    GDP_it    = y_it x pop_it                         (computed from the published, rounded values)
    FDI_it    = GDP_it (f_i exp(0.35 z) + 0.004 z')   f_i = median FDI/GDP, clipped to [0.003, 0.12]
    trade_it  = clip(s_i exp(a_it + 0.35 w_i dev_r(t)), 20, 150)   (% of GDP), a_it AR(1) sd 0.04

So Kazakhstan's GDP per capita runs from about 1,180 USD (2000) to about 9,470 USD (2018), with
the oil boom to 2008, the 2009 dip, the 2011-13 peak and the 2015-16 fall on top of the trend.
A country whose anchor was imputed (``wdi_*`` = 0 in countries.csv) is not reported for that
indicator; 2% of the other FDI cells (never Kazakhstan's) are missing, as in the real files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tcd_pipeline.sample.world import BASE_YEAR, RESOURCE_PROFILES, SIM_END, SIM_START, Countries, price_index

STREAM_MACRO = 7


@dataclass(frozen=True)
class Macro:
    """Country x year arrays over SIM_START..SIM_END; ``reported`` says which cells WDI publishes."""

    years: np.ndarray
    gdppc: np.ndarray  # USD, rounded to 15 significant digits as published
    pop: np.ndarray  # integer-valued
    fdi: np.ndarray  # USD
    trade: np.ndarray  # % of GDP
    reported: dict[str, np.ndarray]  # indicator -> bool (country x year)
    resource_weight: np.ndarray  # w_i, 0 for economies without a resource profile

    @property
    def gdp(self) -> np.ndarray:
        return self.gdppc * self.pop

    def col(self, year: int) -> int:
        return year - SIM_START


def _ar1(shocks: np.ndarray, rho: float, sd: float) -> np.ndarray:
    """Stationary AR(1) paths (one per row) from standard-normal innovations."""
    out = np.empty_like(shocks)
    out[:, 0] = shocks[:, 0] * sd / np.sqrt(1 - rho**2)
    for t in range(1, shocks.shape[1]):
        out[:, t] = rho * out[:, t - 1] + sd * shocks[:, t]
    return out


def _draws(countries: Countries, seed: int, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-country random draws (6 normal rows, 1 uniform row), seeded by the country's BACI code,
    so a country's series are the same whichever world (sample or full) it is part of."""
    normal = np.empty((6, len(countries), n_years))
    uniform = np.empty((len(countries), n_years))
    for row, code in enumerate(countries.baci):
        rng = np.random.default_rng([seed, STREAM_MACRO, int(code)])
        normal[:, row] = rng.standard_normal((6, n_years))
        uniform[row] = rng.random(n_years)
    return normal, uniform


def resource_cycle(countries: Countries) -> np.ndarray:
    """w_i dev_r(t): the detrended resource-price cycle weighted by its share in the economy."""
    years = np.arange(SIM_START, SIM_END + 1)
    span = (years - BASE_YEAR) / 18.0
    out = np.zeros((len(countries), len(years)))
    for row, iso3 in enumerate(countries.iso3):
        profile = RESOURCE_PROFILES.get(iso3)
        if profile:
            lnp = price_index(profile["index"])
            dev = lnp - span * lnp[2018 - SIM_START]
            out[row] = profile["gdp_weight"] * dev
    return out


def build_macro(countries: Countries, seed: int) -> Macro:
    tab = countries.table
    years = np.arange(SIM_START, SIM_END + 1)
    normal, uniform = _draws(countries, seed, len(years))
    span = (years - BASE_YEAR)[None, :] / 18.0
    cycle = resource_cycle(countries)

    ln_y0, ln_y18 = np.log(tab["gdppc_2000"])[:, None], np.log(tab["gdppc_2018"])[:, None]
    noise = _ar1(normal[0], 0.7, 0.02)
    a, b = BASE_YEAR - SIM_START, 2018 - SIM_START
    noise -= noise[:, [a]] * (1 - span) + noise[:, [b]] * span  # pinned to 0 in 2000 and 2018
    noise += 0.01 * normal[5]
    gdppc = np.exp(ln_y0 + span * (ln_y18 - ln_y0) + cycle + noise)
    gdppc = np.array([[float(f"{x:.15g}") for x in row] for row in gdppc])
    ln_p0, ln_p18 = np.log(tab["pop_2000"])[:, None], np.log(tab["pop_2018"])[:, None]
    pop = np.rint(np.exp(ln_p0 + span * (ln_p18 - ln_p0) + _ar1(normal[1], 0.9, 0.002)))

    f = np.clip(tab["fdi_gdp"], 0.003, 0.12)[:, None]
    fdi = gdppc * pop * (f * np.exp(0.35 * normal[2]) + 0.004 * normal[3])

    s = np.clip(tab["trade_gdp"], 22.0, 140.0)[:, None]
    trade = np.clip(s * np.exp(_ar1(normal[4], 0.7, 0.04) + 0.35 * cycle), 20.0, 150.0)

    flag = lambda col: np.repeat(tab[col][:, None] > 0, len(years), axis=1)  # noqa: E731
    fdi_cells = flag("wdi_fdi") & (uniform >= 0.02)
    if "KAZ" in countries.iso3:
        fdi_cells[countries.iso3.index("KAZ")] = True
    reported = {
        "NY.GDP.PCAP.CD": flag("wdi_gdp") & flag("wdi_pop"),
        "SP.POP.TOTL": flag("wdi_pop"),
        "NY.GDP.MKTP.CD": flag("wdi_gdp") & flag("wdi_pop"),
        "BX.KLT.DINV.CD.WD": fdi_cells & flag("wdi_gdp"),
        "NE.TRD.GNFS.ZS": flag("wdi_trade") & flag("wdi_gdp"),
    }
    weight = np.array([RESOURCE_PROFILES.get(iso, {}).get("gdp_weight", 0.0) for iso in countries.iso3])
    return Macro(years=years, gdppc=gdppc, pop=pop, fdi=fdi, trade=trade, reported=reported,
                 resource_weight=weight)
