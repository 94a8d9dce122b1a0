-- coverage of marts.expy: every exporter-year of clean.flows that exports a product with a PRODY in
-- marts.prody has its EXPY (the export-weighted PRODY of its basket; an exporter none of whose
-- products has a PRODY has no EXPY). A row is a year with such exporters missing from the mart
WITH covered AS (
    SELECT DISTINCT f.exporter, f.year
    FROM clean.flows AS f JOIN marts.prody AS p ON p.year = f.year AND p.hs6 = f.hs6
    WHERE f.value_usd > 0
)
SELECT c.year, count(*) AS missing_exporters, list(c.exporter ORDER BY c.exporter)[1:10] AS exporters,
       'exporters with a PRODY product missing in marts.expy' AS problem
FROM covered AS c
ANTI JOIN (SELECT DISTINCT country AS exporter, year FROM marts.expy) AS m USING (exporter, year)
GROUP BY c.year
ORDER BY c.year
