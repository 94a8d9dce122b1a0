-- coverage of marts.export_quality: every year of clean.flows whose unit-value regression can be
-- estimated has export quality. Quality needs unit values (flows with a positive quantity) whose
-- exporter has a GDP per capita (clean.macro) and whose pair a distance (raw.geodist), and income and
-- distance must not be collinear once product-year effects are removed (tcd_pipeline.core.quality:
-- the pooled within cross products S_yy, S_dd, S_yd give det / (S_yy S_dd) > 1e-9; computed here
-- before the 1 % / 99 % trimming, which drops at most the extremes of product-years of 100 or more
-- observations). A year that cannot be estimated is a named gap (warned in the run's log). A row is
-- an estimable year missing from the mart.
WITH obs AS (
    SELECT f.year, f.hs6, ln(m.gdp_pc_usd) AS ln_y, ln(d.dist) AS ln_d
    FROM clean.flows AS f
    JOIN clean.macro AS m ON m.iso3 = f.exporter AND m.year = f.year
    JOIN raw.geodist AS d ON d.exporter = f.exporter AND d.importer = f.importer
    WHERE f.value_usd > 0 AND f.quantity_t > 0 AND m.gdp_pc_usd > 0 AND d.dist > 0
),
within AS (  -- per product-year: sums of squares and cross products around the group means
    SELECT year, count(*) AS n, regr_sxx(ln_y, ln_y) AS yy, regr_sxx(ln_d, ln_d) AS dd, regr_sxy(ln_y, ln_d) AS yd
    FROM obs GROUP BY year, hs6
),
pooled AS (
    SELECT year, sum(n) AS observations, sum(yy) AS yy, sum(dd) AS dd, sum(yd) AS yd FROM within GROUP BY year
)
SELECT year, observations, (yy * dd - yd * yd) / (yy * dd) AS identification,
       'unit-value regression can be estimated but marts.export_quality has no value for the year' AS problem
FROM pooled AS p
WHERE yy > 0 AND dd > 0 AND (yy * dd - yd * yd) / (yy * dd) > 1e-9
  AND NOT EXISTS (SELECT 1 FROM marts.export_quality AS q WHERE q.year = p.year)
ORDER BY year
