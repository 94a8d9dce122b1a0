-- coverage of marts.services_exports: every economy-year with services exports in raw.services (an ISO3
-- code and a value) has its rows; a row is a year with economies missing from the mart
SELECT s.year, count(*) AS missing_exporters, list(s.exporter ORDER BY s.exporter)[1:10] AS exporters,
       'economies with services exports in raw.services missing in marts.services_exports' AS problem
FROM (SELECT DISTINCT iso3 AS exporter, year FROM raw.services
      WHERE flow = 'exports' AND iso3 IS NOT NULL AND value_usd IS NOT NULL) AS s
ANTI JOIN (SELECT DISTINCT country AS exporter, year FROM marts.services_exports) AS m USING (exporter, year)
GROUP BY s.year
ORDER BY s.year
