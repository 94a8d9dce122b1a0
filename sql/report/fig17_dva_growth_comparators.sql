-- Figure 17: growth of domestic value added in exports (CAGR between the two input-output years), focus and comparators
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year_start, m.year_end, any_value(m.total_start_usd) AS dva_start_usd,
       any_value(m.total_end_usd) AS dva_end_usd, any_value(m.total_cagr_pct) AS cagr_pct
FROM who w JOIN marts.dva_growth m USING (country)
GROUP BY ALL
ORDER BY w.country_order
