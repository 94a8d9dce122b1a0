-- coverage of marts.diversification: every exporter-year of clean.flows has its HHI and top-5 shares; a row is a year of
-- clean.flows with exporters missing from the mart (how many, and the first ten), so an empty mart
-- fails naming every year
SELECT f.year, count(*) AS missing_exporters, list(f.exporter ORDER BY f.exporter)[1:10] AS exporters,
       'exporters of clean.flows missing in marts.diversification' AS problem
FROM (SELECT DISTINCT exporter, year FROM clean.flows WHERE value_usd > 0) AS f
ANTI JOIN (SELECT DISTINCT country AS exporter, year FROM marts.diversification) AS m USING (exporter, year)
GROUP BY f.year
ORDER BY f.year
