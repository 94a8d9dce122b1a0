-- marts.tiva_indicators: the decomposition of every ICIO year by country x industry (tiva/decomposition)
SELECT country, industry, year, output, va, exgr, exgr_dva, exgr_ddc, exgr_idc, exgr_rim, exgr_fva, exgr_tls,
       iv, dfd_dva, ffd_dva, exgr_dvash, dexfvapsh, ffd_dvash
FROM tiva.indicators
ORDER BY country, industry, year
