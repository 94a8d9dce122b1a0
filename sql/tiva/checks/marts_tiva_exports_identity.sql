-- marts.tiva_indicators: DVA + FVA (+ TLS, 0 with taxes as value added) = EXGR and DDC + IDC + RIM = DVA
-- per exporting industry (relative 1e-9, at least 1e-9 x one million USD, the tables' unit); every term
-- finite (NaN equals NaN in DuckDB, inf - inf is NaN)
SELECT country, industry, year, exgr_usd, exgr_dva_usd, exgr_fva_usd, exgr_tls_usd, exgr_ddc_usd, exgr_idc_usd,
       exgr_rim_usd
FROM marts.tiva_indicators
WHERE NOT isfinite(exgr_usd + exgr_dva_usd + exgr_fva_usd + exgr_tls_usd + exgr_ddc_usd + exgr_idc_usd + exgr_rim_usd)
   OR abs(exgr_dva_usd + exgr_fva_usd + exgr_tls_usd - exgr_usd) > 1e-9 * greatest(abs(exgr_usd), 1e6)
   OR abs(exgr_ddc_usd + exgr_idc_usd + exgr_rim_usd - exgr_dva_usd) > 1e-9 * greatest(abs(exgr_dva_usd), 1e6)
