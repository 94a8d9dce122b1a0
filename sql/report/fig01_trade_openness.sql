-- Figure 1: trade openness (exports + imports, % of GDP) of the focus country and its comparators, by year
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
)
SELECT w.country, w.country_name, w.role, w.country_order, t.year, t.trade_pct_gdp
FROM who w JOIN marts.trade_openness t USING (country)
WHERE t.trade_pct_gdp IS NOT NULL
ORDER BY w.country_order, t.year
