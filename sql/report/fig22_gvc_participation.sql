-- Figure 22: backward and forward participation, GVC participation index and position, focus and comparators by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.backward_pct, m.forward_pct, m.participation_pct, m.position
FROM who w JOIN marts.gvc_participation m USING (country)
ORDER BY w.country_order, m.year
