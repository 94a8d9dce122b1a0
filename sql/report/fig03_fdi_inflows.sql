-- Figure 3: FDI net inflows (% of GDP) of the focus country and its comparators, by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, t.year, t.fdi_net_inflows_pct_gdp
FROM who w JOIN marts.trade_openness t USING (country)
WHERE t.fdi_net_inflows_pct_gdp IS NOT NULL
ORDER BY w.country_order, t.year
