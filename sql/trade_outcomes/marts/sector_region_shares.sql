-- marts.sector_region_shares: exports by report sector x destination group (Figure 11).
-- hs6_sector (hs6, sector) and importer_region (importer, year, region) are small frames the
-- asset registers from the package's reference mappings (tcd_pipeline.core.classifications).
WITH v AS (
    SELECT f.exporter AS country, f.year, coalesce(s.sector, 'Other') AS sector, coalesce(r.region, 'Rest of world') AS region,
           sum(f.value_usd) AS value_usd
    FROM clean.flows AS f
    LEFT JOIN hs6_sector AS s USING (hs6)
    LEFT JOIN importer_region AS r USING (importer, year)
    GROUP BY ALL
)
SELECT country, year, sector, region, value_usd,
       value_usd / sum(value_usd) OVER (PARTITION BY country, year) * 100 AS share_pct
FROM v
ORDER BY country, year, sector, region
