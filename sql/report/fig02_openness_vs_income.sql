-- Figure 2: trade openness against GDP per capita across every country, in the latest year of the openness
-- regression (marts.trade_openness: OLS of trade % of GDP on log GDP per capita and log population, per year)
WITH latest AS (
    SELECT max(year) AS year FROM marts.trade_openness
    WHERE trade_pct_gdp IS NOT NULL AND gdp_per_capita_usd > 0 AND openness_fit_countries IS NOT NULL
)
SELECT t.country, coalesce(d.country_name, t.country) AS country_name,
       CASE WHEN t.country = $focus THEN 'focus'
            WHEN list_contains($comparators::VARCHAR[], t.country) THEN 'comparator' ELSE 'other' END AS role,
       t.year, t.gdp_per_capita_usd, t.population, t.trade_pct_gdp, t.openness_predicted_pct, t.openness_residual_pp,
       t.openness_percentile, t.openness_fit_countries
FROM marts.trade_openness t JOIN latest USING (year) LEFT JOIN dim.countries d USING (country)
WHERE t.trade_pct_gdp IS NOT NULL AND t.gdp_per_capita_usd > 0 AND t.openness_residual_pp IS NOT NULL
ORDER BY t.country
