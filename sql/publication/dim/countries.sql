-- dim.countries: the BACI country list, plus every other code of the marts' ISO3 columns (e.g. the regions
-- of the input-output tables), named by the BACI list, else the WDI country metadata, else
-- tcd_pipeline/reference/io_country_names.csv (registered: mart_country_codes, wdi_countries, io_country_names).
WITH baci AS (
    SELECT iso3 AS country, arg_min(country_name, country_code) AS baci_name
    FROM clean.countries
    WHERE iso3 IS NOT NULL
    GROUP BY iso3
),
codes AS (
    SELECT country FROM baci
    UNION
    SELECT code FROM mart_country_codes
)
SELECT c.country,
       coalesce(b.baci_name, w.table_name, n.name) AS country_name,
       w.wb_region,
       w.income_group
FROM codes AS c
LEFT JOIN baci AS b USING (country)
LEFT JOIN wdi_countries AS w ON w.iso3 = c.country
LEFT JOIN io_country_names AS n ON n.code = c.country
ORDER BY c.country
