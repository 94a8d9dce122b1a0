-- the six margins of a country and period sum to X1 - X0, the change of its goods exports
-- between the two years (marts.trade_openness); a row is a period where they do not, or where a
-- total is not finite (NaN equals NaN in DuckDB, and inf - inf is NaN)
WITH m AS (SELECT country, year_start, year_end, sum(value_usd) AS total FROM marts.export_margins GROUP BY ALL)
SELECT m.country, m.year_start, m.year_end, m.total, coalesce(b.exports_usd, 0) - coalesce(a.exports_usd, 0) AS change
FROM m
LEFT JOIN marts.trade_openness AS a ON a.country = m.country AND a.year = m.year_start
LEFT JOIN marts.trade_openness AS b ON b.country = m.country AND b.year = m.year_end
WHERE NOT isfinite(m.total + coalesce(a.exports_usd, 0) + coalesce(b.exports_usd, 0))
   OR abs(m.total - (coalesce(b.exports_usd, 0) - coalesce(a.exports_usd, 0))) > 1e-6 * greatest(abs(m.total), 1)
