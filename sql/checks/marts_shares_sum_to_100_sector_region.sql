-- shares of an exporter-year must sum to 100 (a row is an exporter-year where they do not)
SELECT exporter, year, sum(share_pct) AS total_share FROM marts.sector_region_shares
GROUP BY exporter, year HAVING abs(sum(share_pct) - 100) > 1e-6
