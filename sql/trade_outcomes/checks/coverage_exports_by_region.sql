-- coverage of marts.exports_by_region: every exporter-year of clean.flows has its exports by destination region; a row is a year of
-- clean.flows with exporters missing from the mart (how many, and the first ten), so an empty mart
-- fails naming every year
SELECT f.year, count(*) AS missing_exporters, list(f.exporter ORDER BY f.exporter)[1:10] AS exporters,
       'exporters of clean.flows missing in marts.exports_by_region' AS problem
FROM (SELECT DISTINCT exporter, year FROM clean.flows WHERE value_usd > 0) AS f
ANTI JOIN (SELECT DISTINCT country AS exporter, year FROM marts.exports_by_region) AS m USING (exporter, year)
GROUP BY f.year
ORDER BY f.year
