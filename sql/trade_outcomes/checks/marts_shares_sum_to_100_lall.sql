-- Lall class shares of a country-year must sum to 100 (countries with positive exports); a
-- non-finite sum is a failure too
SELECT country, year, sum(share_pct) AS total_share FROM marts.lall_shares
GROUP BY country, year
HAVING NOT isfinite(sum(share_pct) + sum(value_usd)) OR (sum(value_usd) > 0 AND abs(sum(share_pct) - 100) > 1e-6)
