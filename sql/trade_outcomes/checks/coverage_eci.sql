-- coverage of marts.eci: every year of clean.flows with at least two exporters has ECI values
-- (ECI and PCI come from one eigen-decomposition of the year's country x country matrix, which needs
-- two countries; a year with fewer is a named gap, warned in the run's log). A row is a year
-- missing from the mart
SELECT f.year, f.exporters, 'year of clean.flows (two or more exporters) without ECI in marts.eci' AS problem
FROM (SELECT year, count(DISTINCT exporter) AS exporters FROM clean.flows WHERE value_usd > 0 GROUP BY year) AS f
WHERE f.exporters >= 2 AND NOT EXISTS (SELECT 1 FROM marts.eci AS m WHERE m.year = f.year)
ORDER BY f.year
