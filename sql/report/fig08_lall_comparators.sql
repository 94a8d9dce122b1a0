-- Figure 8: exports by Lall technology class in the latest year, focus and comparators (% of exports)
WITH who AS (
    SELECT * FROM report_countries($focus, $comparators)
), latest AS (
    SELECT max(year) AS year FROM marts.lall_shares WHERE country = $focus
)
SELECT w.country, w.country_name, w.role, w.country_order, m.year, m.lall_class, m.value_usd, m.share_pct
FROM who w JOIN marts.lall_shares m USING (country) JOIN latest USING (year)
ORDER BY w.country_order, m.lall_class
