-- Figure 8: exports by Lall technology class in the latest year, focus and comparators (% of exports)
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
), latest AS (
    SELECT max(year) AS year FROM marts.lall_shares WHERE country = $focus
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.lall_class, m.value_usd, m.share_pct
FROM who w JOIN marts.lall_shares m USING (country) JOIN latest USING (year)
ORDER BY w.country_order, m.lall_class
