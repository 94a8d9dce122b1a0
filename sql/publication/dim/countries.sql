-- dim.countries: the BACI country list, plus every code of the marts' ISO3 columns that the WDI country
-- metadata or tcd_pipeline/reference/io_country_names.csv names (registered: mart_country_codes,
-- wdi_countries, io_country_names); a code named nowhere stays out, and the gate names it.
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
    WHERE code IN (SELECT iso3 FROM wdi_countries WHERE table_name IS NOT NULL)
       OR code IN (SELECT code FROM io_country_names)
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
