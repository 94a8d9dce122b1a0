-- marts.tiva_dva_by_destination: shares sum to 100 per country-year, the values to the country's EXGR_DVA
-- and the bilateral exports to its EXGR (relative 1e-9, at least 1e-9 x one million USD, the tables' unit);
-- all totals finite (NaN equals NaN in DuckDB, inf - inf is NaN)
WITH s AS (SELECT country, year, sum(share_pct) AS total_share, sum(dva_usd) AS dva, sum(exgr_usd) AS exgr
           FROM marts.tiva_dva_by_destination GROUP BY ALL),
i AS (SELECT country, year, sum(exgr_dva_usd) AS dva, sum(exgr_usd) AS exgr FROM marts.tiva_indicators GROUP BY ALL)
SELECT s.country, s.year, s.total_share, s.dva, i.dva AS exgr_dva, s.exgr, i.exgr AS exgr_total
FROM s LEFT JOIN i USING (country, year)
WHERE NOT isfinite(s.total_share + s.dva + s.exgr + coalesce(i.dva, 0) + coalesce(i.exgr, 0))
   OR (s.dva <> 0 AND abs(s.total_share - 100) > 1e-6)
   OR i.dva IS NULL OR abs(s.dva - i.dva) > 1e-9 * greatest(abs(i.exgr), 1e6)
   OR abs(s.exgr - i.exgr) > 1e-9 * greatest(abs(i.exgr), 1e6)
