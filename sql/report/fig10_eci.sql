-- Figure 10: Economic Complexity Index, focus and comparators by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.eci
FROM who w JOIN marts.eci m USING (country)
ORDER BY w.country_order, m.year
