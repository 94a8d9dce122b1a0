-- ISO3 codes that more than one BACI country code of this year's raw rows maps to
-- (e.g. 56 Belgium and 58 Belgium-Luxembourg): when there are none, clean.flows needs no GROUP BY.
WITH present AS (
    SELECT DISTINCT i AS country_code FROM raw.baci_flows WHERE year = $year
    UNION
    SELECT DISTINCT j FROM raw.baci_flows WHERE year = $year
)
SELECT c.iso3, list(c.country_code ORDER BY c.country_code) AS country_codes
FROM clean.countries AS c
JOIN present USING (country_code)
GROUP BY c.iso3
HAVING count(*) > 1
