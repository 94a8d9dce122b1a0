-- Every code of the marts' ISO3 columns (mart_country_codes: table, column, code) is a row of
-- dim.countries; a code named neither by the BACI list, the WDI country metadata nor
-- tcd_pipeline/reference/io_country_names.csv is returned (add its name there).
SELECT m.table_name, m.column_name, m.code
FROM mart_country_codes AS m
WHERE m.code NOT IN (SELECT country FROM dim.countries)
ORDER BY m.code, m.table_name, m.column_name
