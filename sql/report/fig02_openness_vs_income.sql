-- Figure 2: trade openness against GDP per capita across every country, in the latest year with both
WITH latest AS (
    SELECT max(year) AS year FROM marts.trade_openness
    WHERE trade_pct_gdp IS NOT NULL AND gdp_per_capita_usd > 0
)
SELECT t.country, coalesce(d.country_name, t.country) AS country_name,
       CASE WHEN t.country = $focus THEN 'focus'
            WHEN list_contains($comparators::VARCHAR[], t.country) THEN 'comparator' ELSE 'other' END AS role,
       t.year, t.gdp_per_capita_usd, t.trade_pct_gdp
FROM marts.trade_openness t JOIN latest USING (year) LEFT JOIN dim.countries d USING (country)
WHERE t.trade_pct_gdp IS NOT NULL AND t.gdp_per_capita_usd > 0
ORDER BY t.country
