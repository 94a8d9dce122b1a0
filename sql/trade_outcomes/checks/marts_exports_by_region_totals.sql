-- per country-year: shares sum to 100 and values sum to the goods exports of marts.trade_openness
-- (all finite: NaN equals NaN in DuckDB, and inf - inf is NaN)
WITH s AS (SELECT country, year, sum(value_usd) AS v, sum(share_pct) AS sh FROM marts.exports_by_region GROUP BY ALL)
SELECT s.country, s.year, s.v, s.sh, t.exports_usd
FROM s LEFT JOIN marts.trade_openness AS t ON t.country = s.country AND t.year = s.year
WHERE NOT isfinite(s.v + s.sh + coalesce(t.exports_usd, 0))
   OR abs(s.sh - 100) > 1e-6 OR abs(s.v - coalesce(t.exports_usd, 0)) > 1e-6 * greatest(abs(s.v), 1)
