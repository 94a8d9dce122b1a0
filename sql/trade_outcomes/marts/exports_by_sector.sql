-- marts.exports_by_sector: Table 1's values and shares, summed from marts.sector_region_shares
SELECT exporter, year, sector, sum(value_usd) AS value_usd,
       sum(value_usd) / sum(sum(value_usd)) OVER (PARTITION BY exporter, year) * 100 AS share_pct
FROM marts.sector_region_shares
GROUP BY exporter, year, sector
ORDER BY exporter, year, sector
