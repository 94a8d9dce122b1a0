-- tiva.upstreamness has the rows of tiva.indicators (country x industry x year) and the same gross exports
-- (relative 1e-9, at least 1e-9 x one million USD, the tables' unit); U, D finite. A row is a mismatch.
SELECT coalesce(u.country, i.country) AS country, coalesce(u.industry, i.industry) AS industry,
       coalesce(u.year, i.year) AS year, u.exgr AS upstreamness_exgr, i.exgr AS indicators_exgr,
       u.upstreamness, u.downstreamness
FROM tiva.upstreamness AS u
FULL JOIN tiva.indicators AS i USING (country, industry, year)
WHERE u.country IS NULL OR i.country IS NULL
   OR NOT isfinite(u.exgr + u.upstreamness + u.downstreamness + u.exgr_upstreamness + u.exgr_downstreamness)
   OR abs(u.exgr - i.exgr) > 1e-9 * greatest(abs(i.exgr), 1)
