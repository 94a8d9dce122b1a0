-- marts.gvc_participation: participation = backward + forward, backward = FV/E, forward = IV/E, position =
-- ln(1 + IV/E) - ln(1 + FV/E), and E, FV, IV equal the sums of marts.tiva_indicators (relative 1e-9); all
-- finite (NaN equals NaN in DuckDB, inf - inf is NaN)
WITH i AS (SELECT country, year, sum(exgr) AS exgr, sum(exgr_fva) AS fva, sum(iv) AS iv
           FROM marts.tiva_indicators GROUP BY ALL)
SELECT p.country, p.year, p.backward, p.forward, p.participation, p.position, i.exgr, i.fva, i.iv
FROM marts.gvc_participation AS p LEFT JOIN i USING (country, year)
WHERE i.exgr IS NULL
   OR NOT isfinite(p.exgr + p.exgr_fva + p.iv + i.exgr + i.fva + i.iv)
   OR (p.exgr > 0 AND NOT isfinite(p.backward + p.forward + p.participation + p.position))
   OR abs(p.exgr - i.exgr) > 1e-9 * greatest(abs(i.exgr), 1)
   OR abs(p.exgr_fva - i.fva) > 1e-9 * greatest(abs(i.exgr), 1)
   OR abs(p.iv - i.iv) > 1e-9 * greatest(abs(i.exgr), 1)
   OR (p.exgr > 0 AND (abs(p.participation - (p.backward + p.forward)) > 1e-12
                       OR abs(p.backward - p.exgr_fva / p.exgr) > 1e-12
                       OR abs(p.forward - p.iv / p.exgr) > 1e-12
                       OR abs(p.position - (ln(1 + p.forward) - ln(1 + p.backward))) > 1e-12))
