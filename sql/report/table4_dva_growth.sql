-- Table 4: the focus country's domestic value added in exports by sector, two input-output years, shares, CAGR,
-- contributions; the last row is the total
WITH g AS (
    SELECT m.*, coalesce(s.display_order, 999) AS display_order
    FROM marts.dva_growth m
    LEFT JOIN dim.sectors s ON s.classification = 'tiva' AND s.sector = m.sector
    WHERE m.country = $focus
)
SELECT sector, display_order, year_start, year_end, value_start_usd, value_end_usd, share_start_pct, share_end_pct,
       cagr_pct, contribution_pct, contribution_pp
FROM g
UNION ALL
SELECT 'Total', 1000, any_value(year_start), any_value(year_end), any_value(total_start_usd), any_value(total_end_usd),
       100.0, 100.0, any_value(total_cagr_pct), 100.0,
       (any_value(total_end_usd) / any_value(total_start_usd) - 1) * 100  -- the contributions sum to the growth in %
FROM g
HAVING count(*) > 0
ORDER BY display_order, sector
