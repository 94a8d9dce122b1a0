-- marts.exports_by_region: Table 2's values and shares, summed from marts.sector_region_shares
SELECT exporter, year, region, sum(value_usd) AS value_usd,
       sum(value_usd) / sum(sum(value_usd)) OVER (PARTITION BY exporter, year) * 100 AS share_pct
FROM marts.sector_region_shares
GROUP BY exporter, year, region
ORDER BY exporter, year, region
