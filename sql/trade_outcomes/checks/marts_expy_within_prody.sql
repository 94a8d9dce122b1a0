-- EXPY is a weighted mean of PRODY: it lies within the year's PRODY range
WITH r AS (SELECT year, min(prody) AS lo, max(prody) AS hi FROM marts.prody GROUP BY year)
SELECT e.exporter, e.year, e.expy, r.lo, r.hi FROM marts.expy AS e JOIN r USING (year)
WHERE e.expy < r.lo - 1e-6 OR e.expy > r.hi + 1e-6
