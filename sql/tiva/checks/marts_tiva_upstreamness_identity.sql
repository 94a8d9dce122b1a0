-- marts.tiva_upstreamness, per year: Miller and Temurshoev's (2017) Proposition 1, the gross-output weighted
-- sums of upstreamness and downstreamness of the world table are equal (x'U = x'(I - Delta)^-1 1 = x'D), relative
-- 1e-9; with x = row sums (tiva_output = row_sums) world final use equals world value added, sum x FUGO =
-- sum x VAGO (relative 1e-9 of world output: only the purchases of industries without output, ignored as
-- residue, can separate them); every sum finite. A row is a year that fails.
SELECT year, any_value(output_convention) AS output_convention, sum(output_usd) AS output_usd,
       sum(output_usd * upstreamness) AS xu, sum(output_usd * downstreamness) AS xd,
       sum(output_usd * fugo_pct) / 100 AS x_fugo, sum(output_usd * vago_pct) / 100 AS x_vago
FROM marts.tiva_upstreamness
GROUP BY year
HAVING NOT isfinite(sum(output_usd * upstreamness) + sum(output_usd * downstreamness)
                    + coalesce(sum(output_usd * fugo_pct), 0) + coalesce(sum(output_usd * vago_pct), 0))
    OR abs(sum(output_usd * upstreamness) - sum(output_usd * downstreamness))
       > 1e-9 * greatest(sum(output_usd * upstreamness), 1e6)
    OR (any_value(output_convention) = 'row_sums'
        AND abs(sum(output_usd * fugo_pct) - sum(output_usd * vago_pct)) / 100 > 1e-9 * greatest(sum(output_usd), 1e6))
ORDER BY year
