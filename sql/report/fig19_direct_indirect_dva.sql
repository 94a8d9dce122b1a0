-- Figure 19: direct and indirect domestic value added in the focus country's gross exports by TiVA sector,
-- first and last input-output year (EXGR_DDC, EXGR_IDC summed over the sector's industries)
WITH years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM marts.tiva_indicators WHERE country = $focus
)
SELECT t.year, i.sector, coalesce(s.display_order, 999) AS sector_order,
       sum(t.exgr_ddc_usd) AS direct_dva_usd, sum(t.exgr_idc_usd) AS indirect_dva_usd
FROM marts.tiva_indicators t CROSS JOIN years y
JOIN dim.tiva_industries i USING (industry)
LEFT JOIN dim.sectors s ON s.classification = 'tiva' AND s.sector = i.sector
WHERE t.country = $focus AND t.year IN (y.first_year, y.last_year)
GROUP BY ALL
ORDER BY t.year, sector_order, i.sector
