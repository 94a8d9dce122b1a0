-- marts.tiva_upstreamness: upstreamness, downstreamness, FUGO and VAGO by country x industry (tiva/decomposition,
-- core.upstreamness), values from the tables' million USD to USD (x 1e6), FUGO and VAGO from fractions to percent;
-- the output convention of each year from tiva.tables
SELECT u.country, u.industry, u.year,
       u.output * 1e6 AS output_usd, u.inventories * 1e6 AS inventories_usd, u.final_use * 1e6 AS final_use_usd,
       u.upstreamness, u.downstreamness, u.fugo * 100 AS fugo_pct, u.vago * 100 AS vago_pct, t.output_convention
FROM tiva.upstreamness AS u
JOIN tiva.tables AS t USING (year)
ORDER BY u.country, u.industry, u.year
