-- marts.tiva_indicators: DVA + FVA (+ TLS, 0 with taxes as value added) = EXGR and DDC + IDC + RIM = DVA
-- per exporting industry (relative 1e-9); every term finite (NaN equals NaN in DuckDB, inf - inf is NaN)
SELECT country, industry, year, exgr, exgr_dva, exgr_fva, exgr_tls, exgr_ddc, exgr_idc, exgr_rim
FROM marts.tiva_indicators
WHERE NOT isfinite(exgr + exgr_dva + exgr_fva + exgr_tls + exgr_ddc + exgr_idc + exgr_rim)
   OR abs(exgr_dva + exgr_fva + exgr_tls - exgr) > 1e-9 * greatest(abs(exgr), 1)
   OR abs(exgr_ddc + exgr_idc + exgr_rim - exgr_dva) > 1e-9 * greatest(abs(exgr_dva), 1)
