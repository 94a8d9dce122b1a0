-- Figure 1: trade openness (exports + imports, % of GDP) of the focus country and its comparators, by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, t.year, t.trade_pct_gdp
FROM who w JOIN marts.trade_openness t USING (country)
WHERE t.trade_pct_gdp IS NOT NULL
ORDER BY w.country_order, t.year
