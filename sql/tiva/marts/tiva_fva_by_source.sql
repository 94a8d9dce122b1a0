-- marts.tiva_fva_by_source: foreign value added in gross exports by source country (tiva/decomposition)
SELECT exporter, source, year, value, share, share_of_exgr
FROM tiva.fva_by_source
ORDER BY exporter, year, source
