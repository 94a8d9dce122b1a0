-- marts.trade_openness: goods exports and imports per country-year from clean.flows, with WDI GDP,
-- trade % of GDP, FDI net inflows, GDP per capita and population (clean.macro). Countries without WDI rows keep NULL ratios.
-- The builder (defs/trade_outcomes/assets.py::_build_openness) adds openness against income (core/openness.py).
WITH exports AS (
    SELECT exporter AS country, year, sum(value_usd) AS exports_usd FROM clean.flows GROUP BY ALL
),
imports AS (
    SELECT importer AS country, year, sum(value_usd) AS imports_usd FROM clean.flows GROUP BY ALL
),
trade AS (
    SELECT country, year, coalesce(e.exports_usd, 0) AS exports_usd, coalesce(i.imports_usd, 0) AS imports_usd
    FROM exports AS e FULL JOIN imports AS i USING (country, year)
)
SELECT
    t.country,
    t.year,
    t.exports_usd,
    t.imports_usd,
    m.gdp_usd,
    (t.exports_usd + t.imports_usd) / m.gdp_usd * 100 AS merch_trade_pct_gdp,
    m.trade_pct_gdp,
    m.fdi_net_inflows_usd / m.gdp_usd * 100 AS fdi_net_inflows_pct_gdp,
    m.gdp_pc_usd AS gdp_per_capita_usd,
    m.population
FROM trade AS t
LEFT JOIN clean.macro AS m ON m.iso3 = t.country AND m.year = t.year
ORDER BY t.country, t.year
