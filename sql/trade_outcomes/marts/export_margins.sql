-- The six margins of export growth of every exporter between $t0 and $t1 (one period of
-- marts.export_margins): the SQL form of tcd_pipeline/core/margins.py::decompose, whose docstring
-- states the definitions (Brenton and Newfarmer 2007). Pairs are exporter x product x destination
-- with positive exports summed per year (absent = 0); a product is old when the exporter sold it
-- anywhere in $t0, a market when the exporter sold it anything in $t0.
-- Run in the warehouse so the two bilateral years never leave it; test_margins checks it equals
-- decompose on a hand case and on the sample world.
WITH pairs AS (
    SELECT exporter, hs6, importer,
           coalesce(sum(value_usd) FILTER (WHERE year = $t0), 0) AS x0,
           coalesce(sum(value_usd) FILTER (WHERE year = $t1), 0) AS x1
    FROM clean.flows
    WHERE year IN ($t0, $t1) AND value_usd > 0
    GROUP BY exporter, hs6, importer
),
old_products AS (SELECT DISTINCT exporter, hs6 FROM pairs WHERE x0 > 0),
old_markets AS (SELECT DISTINCT exporter, importer FROM pairs WHERE x0 > 0),
classified AS (
    SELECT p.exporter, p.x0, p.x1,
           op.hs6 IS NOT NULL AS old_product,
           om.importer IS NOT NULL AS old_market
    FROM pairs AS p
    LEFT JOIN old_products AS op ON op.exporter = p.exporter AND op.hs6 = p.hs6
    LEFT JOIN old_markets AS om ON om.exporter = p.exporter AND om.importer = p.importer
)
SELECT
    exporter,
    sum(x0) AS x0,
    sum(x1) AS x1,
    sum(CASE WHEN x0 > 0 AND x1 > 0 THEN x1 - x0 ELSE 0 END) AS intensive,
    sum(CASE WHEN x0 = 0 AND NOT old_product AND old_market THEN x1 ELSE 0 END) AS new_product_old_market,
    sum(CASE WHEN x0 = 0 AND NOT old_product AND NOT old_market THEN x1 ELSE 0 END) AS new_product_new_market,
    sum(CASE WHEN x0 = 0 AND old_product AND old_market THEN x1 ELSE 0 END) AS old_product_served_market,
    sum(CASE WHEN x0 = 0 AND old_product AND NOT old_market THEN x1 ELSE 0 END) AS old_product_new_market,
    sum(CASE WHEN x1 = 0 THEN -x0 ELSE 0 END) AS extinction
FROM classified
GROUP BY exporter
ORDER BY exporter
