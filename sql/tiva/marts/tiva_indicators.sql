-- marts.tiva_indicators: the decomposition of every ICIO year by country x industry (tiva/decomposition),
-- values from the tables' million USD to USD (x 1e6); the OECD shares (percent) as computed
SELECT country, industry, year,
       output * 1e6 AS output_usd, va * 1e6 AS va_usd, exgr * 1e6 AS exgr_usd, exgr_dva * 1e6 AS exgr_dva_usd,
       exgr_ddc * 1e6 AS exgr_ddc_usd, exgr_idc * 1e6 AS exgr_idc_usd, exgr_rim * 1e6 AS exgr_rim_usd,
       exgr_fva * 1e6 AS exgr_fva_usd, exgr_tls * 1e6 AS exgr_tls_usd, iv * 1e6 AS iv_usd,
       dfd_dva * 1e6 AS dfd_dva_usd, ffd_dva * 1e6 AS ffd_dva_usd, exgr_dvash, dexfvapsh, ffd_dvash
FROM tiva.indicators
ORDER BY country, industry, year
