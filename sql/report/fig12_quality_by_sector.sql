-- Figure 12: the focus country's export quality by sector, first and last year
WITH years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM marts.export_quality WHERE country = $focus
)
SELECT m.year, m.sector, coalesce(s.display_order, CASE WHEN m.sector = 'All' THEN 1000 ELSE 999 END) AS sector_order,
       m.quality, m.value_usd, m.n_products
FROM marts.export_quality m CROSS JOIN years y
LEFT JOIN dim.sectors s ON s.classification = 'goods' AND s.sector = m.sector
WHERE m.country = $focus AND m.year IN (y.first_year, y.last_year)
ORDER BY sector_order, m.sector, m.year
