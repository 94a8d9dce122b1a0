-- marts.tiva_export_upstreamness: the weights are the TiVA chapter's gross exports (exgr_usd equals the sum of
-- marts.tiva_indicators.exgr_usd over the country's industries, relative 1e-9, at least 1e-9 x one million USD);
-- every country-year of marts.tiva_upstreamness is present; averages finite where their weights are positive
WITH i AS (SELECT country, year, sum(exgr_usd) AS exgr FROM marts.tiva_indicators GROUP BY ALL),
u AS (SELECT DISTINCT country, year FROM marts.tiva_upstreamness)
SELECT u.country, u.year, e.exgr_usd, i.exgr, e.export_upstreamness, e.output_upstreamness
FROM u
LEFT JOIN marts.tiva_export_upstreamness AS e USING (country, year)
LEFT JOIN i USING (country, year)
WHERE e.country IS NULL OR i.exgr IS NULL
   OR NOT isfinite(e.exgr_usd + i.exgr)
   OR abs(e.exgr_usd - i.exgr) > 1e-9 * greatest(abs(i.exgr), 1e6)
   OR (e.exgr_usd > 0 AND NOT isfinite(e.export_upstreamness + e.export_downstreamness))
