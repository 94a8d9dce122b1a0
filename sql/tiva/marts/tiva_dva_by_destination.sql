-- marts.tiva_dva_by_destination: domestic value added in gross exports by destination (tiva/decomposition)
SELECT exporter, destination, year, exgr, value, share
FROM tiva.dva_by_destination
ORDER BY exporter, year, destination
