-- marts.tariff_averages: per reporter x year x duty type, over all HS6 products and by end-use class, the simple
-- average of the products' rates, the average weighted by the reporter's imports of the previous year
-- (clean.flows), the national lines and the duty-free share. tariff_end_use (hs6, end_use) is the reference table
-- hs92_bec4_end_use.csv, registered by the asset; a product without a class counts in 'all' only.
WITH products AS (
    SELECT t.iso3 AS country, t.year, t.duty_type, t.hs6, t.simple_average_pct AS rate, t.min_rate_pct,
           t.max_rate_pct, t.n_lines, t.n_free_lines, coalesce(e.end_use, 'not classified') AS end_use
    FROM raw.tariffs AS t
    LEFT JOIN tariff_end_use AS e USING (hs6)
),
classed AS (
    SELECT *, 'all' AS class FROM products
    UNION ALL
    SELECT *, end_use AS class FROM products WHERE end_use IN ('capital', 'intermediate', 'consumption')
),
weights AS (  -- imports of year - 1, keyed by the tariff year they weight
    SELECT f.importer AS country, CAST(f.year + 1 AS SMALLINT) AS year, f.hs6, sum(f.value_usd) AS weight
    FROM clean.flows AS f
    WHERE f.importer IN (SELECT DISTINCT iso3 FROM raw.tariffs)
    GROUP BY f.importer, f.year, f.hs6
)
SELECT c.country, c.year, c.duty_type, c.class AS end_use,
       count(c.rate) AS n_products,
       sum(c.n_lines) AS n_lines,
       CASE WHEN count(c.n_free_lines) = count(*) THEN 100.0 * sum(c.n_free_lines) / sum(c.n_lines) END
           AS duty_free_lines_pct,
       avg(c.rate) AS simple_average_pct,
       sum(c.rate * w.weight) FILTER (WHERE c.rate IS NOT NULL AND w.weight > 0)
           / sum(w.weight) FILTER (WHERE c.rate IS NOT NULL AND w.weight > 0) AS weighted_average_pct,
       c.year - 1 AS weights_year,
       sum(w.weight) FILTER (WHERE c.rate IS NOT NULL) AS weights_usd,
       min(c.min_rate_pct) AS min_rate_pct,
       max(c.max_rate_pct) AS max_rate_pct
FROM classed AS c
LEFT JOIN weights AS w ON w.country = c.country AND w.year = c.year AND w.hs6 = c.hs6
GROUP BY c.country, c.year, c.duty_type, c.class
ORDER BY c.country, c.year, c.duty_type, c.class
