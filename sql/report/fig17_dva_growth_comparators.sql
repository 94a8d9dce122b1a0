-- Figure 17: growth of domestic value added in exports (CAGR between the two input-output years), focus and comparators
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year_start, m.year_end, any_value(m.total_start_usd) AS dva_start_usd,
       any_value(m.total_end_usd) AS dva_end_usd, any_value(m.total_cagr_pct) AS cagr_pct
FROM who w JOIN marts.dva_growth m USING (country)
GROUP BY ALL
ORDER BY w.country_order
