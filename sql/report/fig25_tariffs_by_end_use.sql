-- Figure 25: average applied MFN tariff (simple average over HS6 lines), all products and by BEC end use,
-- focus and comparators by year (report section 3.2)
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year,
       max(m.simple_average_pct) FILTER (WHERE m.end_use = 'all') AS tariff_all_pct,
       max(m.simple_average_pct) FILTER (WHERE m.end_use = 'capital') AS tariff_capital_pct,
       max(m.simple_average_pct) FILTER (WHERE m.end_use = 'intermediate') AS tariff_intermediate_pct,
       max(m.simple_average_pct) FILTER (WHERE m.end_use = 'consumption') AS tariff_consumption_pct
FROM who w JOIN marts.tariff_averages m USING (country)
WHERE m.duty_type = 'MFN'
GROUP BY ALL
ORDER BY w.country_order, m.year
