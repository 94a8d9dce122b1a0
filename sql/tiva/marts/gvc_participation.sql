-- marts.gvc_participation: backward (FV/E), forward (IV/E) participation and position by country (tiva/decomposition),
-- million USD to USD (x 1e6) and participation from fractions to percent (x 100)
SELECT country, year, exgr * 1e6 AS exgr_usd, exgr_fva * 1e6 AS exgr_fva_usd, iv * 1e6 AS iv_usd,
       backward * 100 AS backward_pct, forward * 100 AS forward_pct, participation * 100 AS participation_pct, position
FROM tiva.participation
ORDER BY country, year
