-- clean.countries: every BACI country code with an ISO3 code; codes the release lists as 'N/A'
-- take the package's override (tcd_pipeline/reference/country_iso3_overrides.csv).
CREATE OR REPLACE TABLE clean.countries AS
SELECT
    c.country_code,
    coalesce(o.iso3, a.iso3, CASE WHEN regexp_full_match(c.iso3, '[A-Z]{3}') THEN c.iso3 END) AS iso3,
    c.iso2,
    c.country_name
FROM raw.country_codes AS c
LEFT JOIN read_csv($overrides, header = true, columns = {'country_code': 'INTEGER', 'iso3': 'VARCHAR', 'note': 'VARCHAR'}) AS o
    USING (country_code)
LEFT JOIN read_csv($aliases, header = true, columns = {'alias': 'VARCHAR', 'iso3': 'VARCHAR', 'note': 'VARCHAR'}) AS a
    ON a.alias = c.iso3
ORDER BY c.country_code
