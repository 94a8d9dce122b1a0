-- Figure 11: export quality relative to the frontier (all products), focus and comparators by year
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.quality, m.value_usd, m.n_products
FROM who w JOIN marts.export_quality m USING (country)
WHERE m.sector = 'All'
ORDER BY w.country_order, m.year
