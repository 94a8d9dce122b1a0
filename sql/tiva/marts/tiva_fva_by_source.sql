-- marts.tiva_fva_by_source: foreign value added in gross exports by source country (tiva/decomposition),
-- million USD to USD (x 1e6)
SELECT exporter AS country, source AS source_country, year, value * 1e6 AS fva_usd, share AS share_pct,
       share_of_exgr AS share_of_exgr_pct
FROM tiva.fva_by_source
ORDER BY country, year, source_country
