-- marts.gvc_participation: backward (FV/E), forward (IV/E) participation and position by country (tiva/decomposition)
SELECT country, year, exgr, exgr_fva, iv, backward, forward, participation, position
FROM tiva.participation
ORDER BY country, year
