-- allowed BACI numeric country codes: the release's country list
SELECT country_code FROM raw.country_codes
