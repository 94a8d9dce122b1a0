-- Figure 9: EXPY (income content of the export basket, USD), focus and comparators by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.expy_usd
FROM who w JOIN marts.expy m USING (country)
ORDER BY w.country_order, m.year
