-- Figure 6: decomposition of export growth into margins over the widest period in the mart (the whole span)
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
), period AS (
    SELECT year_start, year_end FROM (SELECT DISTINCT year_start, year_end FROM marts.export_margins)
    ORDER BY year_end - year_start DESC, year_start LIMIT 1
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year_start, m.year_end, m.component, m.value_usd, m.share_of_growth_pct
FROM who w JOIN marts.export_margins m USING (country) JOIN period USING (year_start, year_end)
ORDER BY w.country_order, m.component
