-- EXPY is a weighted mean of PRODY: it lies within the year's PRODY range
WITH r AS (SELECT year, min(prody_usd) AS lo, max(prody_usd) AS hi FROM marts.prody GROUP BY year)
SELECT e.country, e.year, e.expy_usd, r.lo, r.hi FROM marts.expy AS e JOIN r USING (year)
WHERE e.expy_usd < r.lo - 1e-6 OR e.expy_usd > r.hi + 1e-6
