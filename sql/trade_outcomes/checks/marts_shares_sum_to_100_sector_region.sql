-- shares of a country-year must sum to 100 (a row is a country-year where they do not, or
-- where the sum is not finite)
SELECT country, year, sum(share_pct) AS total_share FROM marts.sector_region_shares
GROUP BY country, year HAVING NOT isfinite(sum(share_pct)) OR abs(sum(share_pct) - 100) > 1e-6
