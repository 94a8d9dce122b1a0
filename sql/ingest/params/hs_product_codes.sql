-- allowed HS6 codes: the release's product list of the configured vintage
SELECT code FROM raw.product_codes
