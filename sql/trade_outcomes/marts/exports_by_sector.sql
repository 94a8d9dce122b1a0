-- marts.exports_by_sector: Table 1's values and shares, summed from marts.sector_region_shares
SELECT country, year, sector, sum(value_usd) AS value_usd,
       sum(value_usd) / sum(sum(value_usd)) OVER (PARTITION BY country, year) * 100 AS share_pct
FROM marts.sector_region_shares
GROUP BY country, year, sector
ORDER BY country, year, sector
