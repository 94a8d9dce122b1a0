-- Figure 25: average applied MFN tariff (simple average over HS6 lines), all products and by BEC end use,
-- focus and comparators by year (report section 3.2)
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
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
