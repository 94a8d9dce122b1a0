-- Figure 5: the focus country's exports by sector x destination region, first and last year (% of the year's exports)
WITH years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM marts.sector_region_shares WHERE country = $focus
)
SELECT m.year, m.sector, m.region, m.value_usd, m.share_pct,
       coalesce(s.display_order, 999) AS sector_order, coalesce(r.display_order, 999) AS region_order
FROM marts.sector_region_shares m CROSS JOIN years y
LEFT JOIN dim.sectors s ON s.classification = 'goods' AND s.sector = m.sector
LEFT JOIN dim.regions r ON r.region = m.region
WHERE m.country = $focus AND m.year IN (y.first_year, y.last_year)
ORDER BY m.year, sector_order, m.sector, region_order, m.region
