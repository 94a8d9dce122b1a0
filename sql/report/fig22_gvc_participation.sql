-- Figure 22: backward and forward participation, GVC participation index and position, focus and comparators by year
WITH sel AS (
    SELECT unnest(c) AS country, generate_subscripts(c, 1) AS country_order
    FROM (SELECT list_prepend($focus::VARCHAR, $comparators::VARCHAR[]) AS c)
), who AS (
    SELECT s.country, coalesce(d.country_name, s.country) AS country_name,
           CASE WHEN s.country_order = 1 THEN 'focus' ELSE 'comparator' END AS role, s.country_order
    FROM sel s LEFT JOIN dim.countries d USING (country)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.backward_pct, m.forward_pct, m.participation_pct, m.position
FROM who w JOIN marts.gvc_participation m USING (country)
ORDER BY w.country_order, m.year
