-- marts.tiva_fva_by_source: shares sum to 100 per country-year, and the values to the country's EXGR_FVA
-- (relative 1e-9, at least 1e-9 x one million USD, the tables' unit); all totals finite (NaN equals NaN in
-- DuckDB, inf - inf is NaN)
WITH s AS (SELECT country, year, sum(share_pct) AS total_share, sum(fva_usd) AS fva
           FROM marts.tiva_fva_by_source GROUP BY ALL),
i AS (SELECT country, year, sum(exgr_fva_usd) AS fva, sum(exgr_usd) AS exgr FROM marts.tiva_indicators GROUP BY ALL)
SELECT s.country, s.year, s.total_share, s.fva, i.fva AS exgr_fva
FROM s LEFT JOIN i USING (country, year)
WHERE NOT isfinite(s.total_share + s.fva + coalesce(i.fva, 0) + coalesce(i.exgr, 0))
   OR (s.fva <> 0 AND abs(s.total_share - 100) > 1e-6)
   OR i.fva IS NULL OR abs(s.fva - i.fva) > 1e-9 * greatest(abs(i.exgr), 1e6)
