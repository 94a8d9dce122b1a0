-- coverage of marts.prody: every year of clean.flows in which some exporter has a GDP per capita in
-- clean.macro has PRODY values (PRODY weights the exporters' incomes; Hausmann, Hwang and Rodrik 2007,
-- METHODS.md section 3). A flow year without any GDP per capita cannot have PRODY: it is a named gap,
-- listed in years_without_income on every row (and warned in the run's log). A row is a year with
-- incomes and no PRODY, e.g. every year when the fixed country set of the PRODY convention is empty
-- (no exporter with exports and a GDP per capita in each year).
WITH exporters AS (SELECT DISTINCT year, exporter FROM clean.flows WHERE value_usd > 0),
income AS (
    SELECT e.year, count(*) AS exporters_with_income
    FROM exporters AS e JOIN clean.macro AS m ON m.iso3 = e.exporter AND m.year = e.year
    WHERE m.gdp_pc_usd > 0
    GROUP BY e.year
),
gaps AS (
    SELECT string_agg(CAST(y.year AS VARCHAR), ', ' ORDER BY y.year) AS years_without_income
    FROM (SELECT DISTINCT year FROM exporters) AS y ANTI JOIN income AS i USING (year)
)
SELECT i.year, i.exporters_with_income, coalesce(g.years_without_income, 'none') AS years_without_income,
       'year with exporters'' GDP per capita but no PRODY in marts.prody' AS problem
FROM income AS i CROSS JOIN gaps AS g
WHERE NOT EXISTS (SELECT 1 FROM marts.prody AS p WHERE p.year = i.year)
ORDER BY i.year
