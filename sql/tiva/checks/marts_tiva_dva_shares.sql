-- marts.tiva_dva_by_destination: shares sum to 100 per exporter-year, the values to the exporter's EXGR_DVA
-- and the bilateral exports to its EXGR; all totals finite (NaN equals NaN in DuckDB, inf - inf is NaN)
WITH s AS (SELECT exporter, year, sum(share) AS total_share, sum(value) AS dva, sum(exgr) AS exgr
           FROM marts.tiva_dva_by_destination GROUP BY ALL),
i AS (SELECT country AS exporter, year, sum(exgr_dva) AS dva, sum(exgr) AS exgr FROM marts.tiva_indicators GROUP BY ALL)
SELECT s.exporter, s.year, s.total_share, s.dva, i.dva AS exgr_dva, s.exgr, i.exgr AS exgr_total
FROM s LEFT JOIN i USING (exporter, year)
WHERE NOT isfinite(s.total_share + s.dva + s.exgr + coalesce(i.dva, 0) + coalesce(i.exgr, 0))
   OR (s.dva <> 0 AND abs(s.total_share - 100) > 1e-6)
   OR i.dva IS NULL OR abs(s.dva - i.dva) > 1e-9 * greatest(abs(i.exgr), 1)
   OR abs(s.exgr - i.exgr) > 1e-9 * greatest(abs(i.exgr), 1)
