-- marts.tiva_dva_by_destination: domestic value added in gross exports by destination (tiva/decomposition),
-- million USD to USD (x 1e6)
SELECT exporter AS country, destination, year, exgr * 1e6 AS exgr_usd, value * 1e6 AS dva_usd, share AS share_pct
FROM tiva.dva_by_destination
ORDER BY country, year, destination
