-- marts.tiva_fva_by_source: shares sum to 100 per exporter-year, and the values to the exporter's EXGR_FVA;
-- all totals finite (NaN equals NaN in DuckDB, inf - inf is NaN)
WITH s AS (SELECT exporter, year, sum(share) AS total_share, sum(value) AS fva FROM marts.tiva_fva_by_source GROUP BY ALL),
i AS (SELECT country AS exporter, year, sum(exgr_fva) AS fva, sum(exgr) AS exgr FROM marts.tiva_indicators GROUP BY ALL)
SELECT s.exporter, s.year, s.total_share, s.fva, i.fva AS exgr_fva
FROM s LEFT JOIN i USING (exporter, year)
WHERE NOT isfinite(s.total_share + s.fva + coalesce(i.fva, 0) + coalesce(i.exgr, 0))
   OR (s.fva <> 0 AND abs(s.total_share - 100) > 1e-6)
   OR i.fva IS NULL OR abs(s.fva - i.fva) > 1e-9 * greatest(abs(i.exgr), 1)
