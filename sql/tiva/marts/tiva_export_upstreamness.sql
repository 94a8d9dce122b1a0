-- marts.tiva_export_upstreamness: by country and year, upstreamness and downstreamness weighted by gross exports
-- (sum E_i U_i / sum E_i, E_i taken by region before split regions are merged: the exgr_* sums of tiva.upstreamness)
-- and by gross output; FUGO and VAGO as gross-output weighted averages, in percent
SELECT u.country, u.year,
       sum(u.exgr) * 1e6 AS exgr_usd,
       CASE WHEN sum(u.exgr) > 0 THEN sum(u.exgr_upstreamness) / sum(u.exgr) END AS export_upstreamness,
       CASE WHEN sum(u.exgr) > 0 THEN sum(u.exgr_downstreamness) / sum(u.exgr) END AS export_downstreamness,
       CASE WHEN sum(u.output) > 0 THEN sum(u.output * u.upstreamness) / sum(u.output) END AS output_upstreamness,
       CASE WHEN sum(u.output) > 0 THEN sum(u.output * u.downstreamness) / sum(u.output) END AS output_downstreamness,
       CASE WHEN sum(u.output) > 0 THEN 100 * sum(u.output * u.fugo) / sum(u.output) END AS fugo_pct,
       CASE WHEN sum(u.output) > 0 THEN 100 * sum(u.output * u.vago) / sum(u.output) END AS vago_pct,
       any_value(t.output_convention) AS output_convention
FROM tiva.upstreamness AS u
JOIN tiva.tables AS t USING (year)
GROUP BY u.country, u.year
ORDER BY u.country, u.year
