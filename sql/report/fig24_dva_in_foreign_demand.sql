-- Figure 24: domestic value added in foreign final demand as a share of each industry's value added (FFD_DVASH, %),
-- first and last input-output year, the fifteen industries with the largest value added in the last year
WITH years AS (
    SELECT min(year) AS first_year, max(year) AS last_year FROM marts.tiva_indicators WHERE country = $focus
), top AS (
    SELECT t.industry, row_number() OVER (ORDER BY t.va_usd DESC, t.industry) AS industry_rank
    FROM marts.tiva_indicators t CROSS JOIN years y
    WHERE t.country = $focus AND t.year = y.last_year AND t.va_usd > 0
    QUALIFY industry_rank <= 15
)
SELECT t.industry, coalesce(i.industry_name, t.industry) AS industry_name, top.industry_rank, t.year, t.ffd_dvash,
       t.va_usd
FROM marts.tiva_indicators t CROSS JOIN years y JOIN top USING (industry) LEFT JOIN dim.tiva_industries i USING (industry)
WHERE t.country = $focus AND t.year IN (y.first_year, y.last_year)
ORDER BY top.industry_rank, t.year
