-- world exports must equal world imports and the clean flows' total, year by year (a row is a mismatch);
-- every total must be finite (NaN equals NaN in DuckDB, and inf - inf is NaN: neither may pass)
WITH m AS (SELECT year, sum(exports_usd) AS x, sum(imports_usd) AS i FROM marts.trade_openness GROUP BY year),
     f AS (SELECT year, sum(value_usd) AS v FROM clean.flows GROUP BY year)
SELECT m.year, m.x AS mart_exports, m.i AS mart_imports, f.v AS flows_total
FROM m FULL JOIN f USING (year)
WHERE NOT isfinite(coalesce(m.x, 0) + coalesce(m.i, 0) + coalesce(f.v, 0))
   OR abs(coalesce(m.x, 0) - coalesce(f.v, 0)) > 1e-6 * greatest(abs(f.v), 1)
   OR abs(coalesce(m.i, 0) - coalesce(f.v, 0)) > 1e-6 * greatest(abs(f.v), 1)
