-- the country frames of tiva/decomposition add up to the industry frame: FVA by source = EXGR_FVA,
-- DVA by destination = EXGR_DVA, participation totals = the sums over industries (relative 1e-9); all
-- totals finite (NaN equals NaN in DuckDB, inf - inf is NaN)
WITH ind AS (
    SELECT country, year, sum(exgr) AS exgr, sum(exgr_dva) AS dva, sum(exgr_fva) AS fva, sum(iv) AS iv
    FROM tiva.indicators GROUP BY ALL
),
f AS (SELECT exporter AS country, year, sum(value) AS fva FROM tiva.fva_by_source GROUP BY ALL),
d AS (SELECT exporter AS country, year, sum(value) AS dva, sum(exgr) AS exgr FROM tiva.dva_by_destination GROUP BY ALL)
SELECT ind.country, ind.year, ind.exgr, ind.dva, ind.fva, f.fva AS fva_by_source, d.dva AS dva_by_destination,
       p.exgr AS participation_exgr
FROM ind
LEFT JOIN f USING (country, year)
LEFT JOIN d USING (country, year)
LEFT JOIN tiva.participation AS p USING (country, year)
WHERE NOT isfinite(ind.exgr + ind.dva + ind.fva + ind.iv + coalesce(f.fva, 0) + coalesce(d.dva, 0) + coalesce(d.exgr, 0)
                   + coalesce(p.exgr, 0) + coalesce(p.iv, 0))
   OR abs(coalesce(f.fva, 0) - ind.fva) > 1e-9 * greatest(abs(ind.exgr), 1)
   OR abs(coalesce(d.dva, 0) - ind.dva) > 1e-9 * greatest(abs(ind.exgr), 1)
   OR abs(coalesce(d.exgr, 0) - ind.exgr) > 1e-9 * greatest(abs(ind.exgr), 1)
   OR p.exgr IS NULL OR abs(p.exgr - ind.exgr) > 1e-9 * greatest(abs(ind.exgr), 1)
   OR abs(p.iv - ind.iv) > 1e-9 * greatest(abs(ind.exgr), 1)
