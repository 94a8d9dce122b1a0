-- Figure 18: contributions of each sector to the focus country's DVA growth (percentage points of the total CAGR)
SELECT m.sector, coalesce(s.display_order, 999) AS display_order, m.year_start, m.year_end, m.contribution_pp,
       m.contribution_pct, m.cagr_pct
FROM marts.dva_growth m
LEFT JOIN dim.sectors s ON s.classification = 'tiva' AND s.sector = m.sector
WHERE m.country = $focus
ORDER BY display_order, m.sector
