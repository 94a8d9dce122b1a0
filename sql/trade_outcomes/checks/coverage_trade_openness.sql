-- coverage of marts.trade_openness: every country that exports or imports in a year of clean.flows has
-- its row; a row is a year of clean.flows with countries missing from the mart (how many, the first ten)
WITH traders AS (
    SELECT exporter AS country, year FROM clean.flows WHERE value_usd > 0
    UNION
    SELECT importer, year FROM clean.flows WHERE value_usd > 0
)
SELECT t.year, count(*) AS missing_countries, list(t.country ORDER BY t.country)[1:10] AS countries,
       'trading countries of clean.flows missing in marts.trade_openness' AS problem
FROM traders AS t
ANTI JOIN (SELECT DISTINCT country, year FROM marts.trade_openness) AS m USING (country, year)
GROUP BY t.year
ORDER BY t.year
