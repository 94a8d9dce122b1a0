-- marts.exports_by_region: Table 2's values and shares, summed from marts.sector_region_shares
SELECT country, year, region, sum(value_usd) AS value_usd,
       sum(value_usd) / sum(sum(value_usd)) OVER (PARTITION BY country, year) * 100 AS share_pct
FROM marts.sector_region_shares
GROUP BY country, year, region
ORDER BY country, year, region
