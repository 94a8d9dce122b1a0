-- marts.gvc_participation: participation = backward + forward, backward = 100 FV/E, forward = 100 IV/E,
-- position = ln(1 + IV/E) - ln(1 + FV/E), and E, FV, IV equal the sums of marts.tiva_indicators (relative
-- 1e-9, at least 1e-9 x one million USD, the tables' unit); all finite (NaN equals NaN in DuckDB, inf - inf is NaN)
WITH i AS (SELECT country, year, sum(exgr_usd) AS exgr, sum(exgr_fva_usd) AS fva, sum(iv_usd) AS iv
           FROM marts.tiva_indicators GROUP BY ALL)
SELECT p.country, p.year, p.backward_pct, p.forward_pct, p.participation_pct, p.position, i.exgr, i.fva, i.iv
FROM marts.gvc_participation AS p LEFT JOIN i USING (country, year)
WHERE i.exgr IS NULL
   OR NOT isfinite(p.exgr_usd + p.exgr_fva_usd + p.iv_usd + i.exgr + i.fva + i.iv)
   OR (p.exgr_usd > 0 AND NOT isfinite(p.backward_pct + p.forward_pct + p.participation_pct + p.position))
   OR abs(p.exgr_usd - i.exgr) > 1e-9 * greatest(abs(i.exgr), 1e6)
   OR abs(p.exgr_fva_usd - i.fva) > 1e-9 * greatest(abs(i.exgr), 1e6)
   OR abs(p.iv_usd - i.iv) > 1e-9 * greatest(abs(i.exgr), 1e6)
   OR (p.exgr_usd > 0 AND (abs(p.participation_pct - (p.backward_pct + p.forward_pct)) > 1e-10
                           OR abs(p.backward_pct - 100 * p.exgr_fva_usd / p.exgr_usd) > 1e-10
                           OR abs(p.forward_pct - 100 * p.iv_usd / p.exgr_usd) > 1e-10
                           OR abs(p.position - (ln(1 + p.forward_pct / 100) - ln(1 + p.backward_pct / 100))) > 1e-12))
