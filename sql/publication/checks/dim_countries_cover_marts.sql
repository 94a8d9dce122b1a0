-- Every code of the marts' ISO3 columns (mart_country_codes: table, column, code, collected when
-- dim.countries was built, in the same transaction) is a row of dim.countries.
SELECT m.table_name, m.column_name, m.code
FROM mart_country_codes AS m
WHERE m.code NOT IN (SELECT country FROM dim.countries)
ORDER BY m.code, m.table_name, m.column_name
